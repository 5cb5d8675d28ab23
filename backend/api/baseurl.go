package api

import (
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// baseURL is how clients reach this server, for links in the feed and in
// answers: the configured public URL; else the request's Host when it names
// one of this server's own addresses on the port the request arrived at;
// else the address the connection arrived at. A Host header naming any
// other machine (Host: evil.example) never becomes a link.
func (s *server) baseURL(r *http.Request) string {
	if u := strings.TrimRight(s.Settings.PublicURL, "/"); u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if !ok {
		// Not on a TCP connection (an in-process handler test): the Host
		// is all there is, and no other machine sent it.
		return scheme + "://" + r.Host
	}
	if ownHost(r.Host, scheme, local) {
		return scheme + "://" + r.Host
	}
	return scheme + "://" + net.JoinHostPort(local.IP.String(), strconv.Itoa(local.Port))
}

// ownHost reports whether host (a Host header) names this machine on the
// port of local: one of its IP addresses, or, on a loopback connection,
// "localhost"; or the machine's own name.
func ownHost(host, scheme string, local *net.TCPAddr) bool {
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = host, map[string]string{"http": "80", "https": "443"}[scheme]
	}
	if port != strconv.Itoa(local.Port) || name == "" {
		return false
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if ip := net.ParseIP(strings.Trim(name, "[]")); ip != nil {
		return ip.Equal(local.IP) || machine.hasIP(ip)
	}
	if name == "localhost" {
		return local.IP.IsLoopback()
	}
	return machine.isName(name)
}

// machine caches this machine's addresses and name, refreshed now and then
// (a laptop changes networks).
var machine = &machineInfo{}

type machineInfo struct {
	mu      sync.Mutex
	checked time.Time
	ips     []net.IP
	names   []string
}

const machineRefresh = 30 * time.Second

func (m *machineInfo) load() ([]net.IP, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if time.Since(m.checked) < machineRefresh {
		return m.ips, m.names
	}
	m.checked = time.Now()
	m.ips = nil // new slices: callers may still read the old ones
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				m.ips = append(m.ips, ipn.IP)
			}
		}
	}
	m.names = nil
	if h, err := os.Hostname(); err == nil && h != "" {
		h = strings.ToLower(h)
		m.names = append(m.names, h, h+".local")
	}
	return m.ips, m.names
}

func (m *machineInfo) hasIP(ip net.IP) bool {
	ips, _ := m.load()
	return slices.ContainsFunc(ips, ip.Equal)
}

func (m *machineInfo) isName(name string) bool {
	_, names := m.load()
	return slices.Contains(names, name)
}
