package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ServeConfig says where and how Serve listens.
type ServeConfig struct {
	// Addr is host:port; port 0 picks a free one (printed).
	Addr string
	// TLS serves HTTPS with a self-signed certificate kept in CertDir,
	// made on first use.
	TLS     bool
	CertDir string
	// Out receives the lines saying where the server can be reached.
	Out io.Writer
	Log *slog.Logger
	// Hub's streams are closed when shutdown begins, so they do not hold
	// it up.
	Hub *Hub
	// DrainTimeout bounds the wait for running requests (downloads) at
	// shutdown; default 30 s.
	DrainTimeout time.Duration
	// MaxConnsPerAddr bounds the open connections of one client address;
	// default DefaultMaxConnsPerAddr.
	MaxConnsPerAddr int
	// AfterDrain runs once no request is left (e.g. stopping the jobs so
	// they can be resumed).
	AfterDrain func(ctx context.Context) error
}

// Server timeouts. Bodies get per-route deadlines (see deadlines); there is
// no server-wide read or write timeout because downloads and event streams
// may take as long as they need.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// Serve listens on cfg.Addr and serves h until ctx is cancelled; then it
// stops accepting, lets running requests finish (bounded by DrainTimeout),
// runs AfterDrain and returns nil. It prints the URLs that reach the server,
// the LAN ones too when bound to every interface. The server is the one
// LAN controller (LAN) the desktop drives too.
func Serve(ctx context.Context, cfg ServeConfig, h http.Handler) error {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	lan := NewLAN(func(*Hub) http.Handler { return h }, cfg.Log, nil)
	st, err := lan.Start(Listen{Addr: cfg.Addr, TLS: cfg.TLS, CertDir: cfg.CertDir,
		MaxConnsPerAddr: cfg.MaxConnsPerAddr, Hub: cfg.Hub, Context: ctx})
	if err != nil {
		return err
	}
	if st.TLS {
		fmt.Fprintf(cfg.Out, "TLS certificate SHA-256 fingerprint: %s\n", st.Fingerprint)
	}
	for _, u := range st.URLs {
		fmt.Fprintf(cfg.Out, "podcastfy API listening on %s\n", u)
	}
	select {
	case err := <-lan.Failed():
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	drain := cfg.DrainTimeout
	if drain <= 0 {
		drain = DefaultDrainTimeout
	}
	cfg.Log.Info("shutting down: waiting for running requests", "timeout", drain)
	drainCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err = lan.Stop(drainCtx, drain)
	if cfg.AfterDrain != nil {
		if aerr := cfg.AfterDrain(drainCtx); aerr != nil && err == nil {
			err = aerr
		}
	}
	return err
}

// reachableURLs lists the base URLs of a server bound to addr: the address
// itself, or for the unspecified address localhost and every LAN address.
func reachableURLs(scheme string, addr *net.TCPAddr) []string {
	port := strconv.Itoa(addr.Port)
	if !addr.IP.IsUnspecified() {
		return []string{scheme + "://" + net.JoinHostPort(addr.IP.String(), port)}
	}
	urls := []string{scheme + "://" + net.JoinHostPort("127.0.0.1", port)}
	ipv4Only := addr.IP.To4() != nil // 0.0.0.0 listens on IPv4 only; :: on both
	for _, ip := range lanAddresses() {
		if ipv4Only && ip.To4() == nil {
			continue
		}
		urls = append(urls, scheme+"://"+net.JoinHostPort(ip.String(), port))
	}
	return urls
}

// lanAddresses are this machine's addresses other machines may reach:
// IPv4 and global IPv6 unicast, not loopback or link-local. They come from
// the same view of the machine that decides which Host headers to trust.
func lanAddresses() []net.IP {
	ips, _ := machine.load()
	var out []net.IP
	for _, ip := range ips {
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || !ip.IsGlobalUnicast() {
			continue
		}
		out = append(out, ip)
	}
	return out
}
