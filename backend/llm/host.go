package llm

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultOllamaHost is where Ollama listens unless told otherwise.
const DefaultOllamaHost = "http://127.0.0.1:11434"

// ParseHost reads an Ollama address the way Ollama's own envconfig.Host
// reads OLLAMA_HOST: spaces and quotes trimmed; no scheme means http and
// port 11434; "http://h" means port 80 and "https://h" port 443;
// "ollama.com" means https://ollama.com:443; an invalid port falls back to
// the default; a path is kept. An empty value gives DefaultOllamaHost.
func ParseHost(s string) *url.URL {
	defaultPort := "11434"
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "\"'"))
	scheme, hostport, ok := strings.Cut(s, "://")
	switch {
	case !ok:
		scheme, hostport = "http", s
		if s == "ollama.com" {
			scheme, hostport = "https", "ollama.com:443"
		}
	case scheme == "http":
		defaultPort = "80"
	case scheme == "https":
		defaultPort = "443"
	}
	hostport, path, _ := strings.Cut(hostport, "/")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = "127.0.0.1", defaultPort
		if ip := net.ParseIP(strings.Trim(hostport, "[]")); ip != nil {
			host = ip.String()
		} else if hostport != "" {
			host = hostport
		}
	}
	if n, err := strconv.ParseInt(port, 10, 32); err != nil || n > 65535 || n < 0 {
		port = defaultPort
	}
	return &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port), Path: path}
}
