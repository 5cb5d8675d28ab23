package desktop

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"podcastfy/backend/api"
	"podcastfy/backend/events"
	"podcastfy/backend/store"
)

// LAN server timeouts, as `podcastfy serve` uses them.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	drainTimeout      = 30 * time.Second
	qrSize            = 256
)

// ServerStatus is the LAN server's state for the sharing screen.
type ServerStatus struct {
	Running bool   `json:"running"`
	Addr    string `json:"addr"` // host:port listened on
	// URLs reach the server: this machine's, then the LAN ones.
	URLs []string `json:"urls"`
	// QRCode is a data:image/png;base64 URL of a QR code of the first LAN URL.
	QRCode string `json:"qrCode"`
	// FeedURL is the logged-in user's private RSS feed.
	FeedURL     string `json:"feedUrl"`
	TLS         bool   `json:"tls"`
	Fingerprint string `json:"fingerprint"` // SHA-256 of the certificate, with TLS
	Error       string `json:"error"`       // why it stopped or could not start
}

// Relay passes job events to the LAN server's event hub while the server
// runs. Give it to the job service (with events.Multi) before the desktop
// is made, since the server's hub changes with every start.
type Relay struct {
	mu  sync.RWMutex
	hub *api.Hub
}

// Emit forwards to the running server's hub, if any.
func (r *Relay) Emit(name string, data any) {
	r.mu.RLock()
	hub := r.hub
	r.mu.RUnlock()
	if hub != nil {
		hub.Emit(name, data)
	}
}

func (r *Relay) set(h *api.Hub) {
	r.mu.Lock()
	r.hub = h
	r.mu.Unlock()
}

// Server is the administrator's facade of the LAN server: the same HTTP API
// and web interface as `podcastfy serve`, started and stopped from the
// window. The jobs it starts are the window's jobs; stopping the server
// lets running requests finish and leaves the jobs running.
type Server struct {
	api      api.Deps // Hub and Settings are set at each start
	settings *settingsFile
	certDir  string
	users    *store.Users
	session  *Session
	relay    *Relay
	emit     events.Emitter
	log      *slog.Logger

	mu     sync.Mutex
	srv    *http.Server
	hub    *api.Hub
	served chan struct{}
	st     ServerStatus
}

// Start starts the LAN server with the server settings. A bind address of
// this machine only (127.0.0.1, the default) would hide it from the LAN, so
// the switch then listens on every interface.
func (s *Server) Start() (ServerStatus, error) {
	u, err := s.session.Admin()
	if err != nil {
		return ServerStatus{}, err
	}
	if err := s.start(); err != nil {
		return s.status(&u), err
	}
	return s.status(&u), nil
}

// Stop stops the LAN server gracefully.
func (s *Server) Stop() (ServerStatus, error) {
	u, err := s.session.Admin()
	if err != nil {
		return ServerStatus{}, err
	}
	err = s.stop(context.Background())
	return s.status(&u), err
}

// Status returns the LAN server's state.
func (s *Server) Status() (ServerStatus, error) {
	u, err := s.session.Admin()
	if err != nil {
		return ServerStatus{}, err
	}
	return s.status(&u), nil
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	cfg := s.settings.get().Server
	bind := cfg.Bind
	if ip := net.ParseIP(bind); bind == "" || bind == "localhost" || ip != nil && ip.IsLoopback() {
		bind = "0.0.0.0"
	}
	addr := net.JoinHostPort(bind, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.st = ServerStatus{Error: fmt.Sprintf("cannot listen on %s: %v (is another program using port %d? change server.port in the settings)", addr, err, cfg.Port)}
		s.emitLocked()
		return errors.New(s.st.Error)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	st := ServerStatus{Running: true, Addr: tcp.String(), TLS: cfg.TLS}
	scheme := "http"
	if cfg.TLS {
		cert, fingerprint, err := api.LoadOrCreateCert(s.certDir, tcp.IP, time.Now())
		if err != nil {
			ln.Close()
			s.st = ServerStatus{Error: err.Error()}
			s.emitLocked()
			return err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme, st.Fingerprint = "https", fingerprint
	}
	st.URLs = reachableURLs(scheme, tcp)
	if png, err := qrcode.Encode(lanURL(st), qrcode.Medium, qrSize); err != nil {
		s.log.Warn("making the QR code", "url", lanURL(st), "err", err)
	} else {
		st.QRCode = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}

	hub := api.NewHub(0)
	deps := s.api
	deps.Hub, deps.Settings = hub, cfg
	srv := &http.Server{
		Handler:           api.NewServer(deps),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(hub.Close)
	served := make(chan struct{})
	s.srv, s.hub, s.served, s.st = srv, hub, served, st
	s.relay.set(hub)
	go func() {
		defer close(served)
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			return
		}
		s.log.Error("the LAN server stopped", "err", err)
		s.mu.Lock()
		if s.srv == srv {
			s.srv, s.hub = nil, nil
			s.relay.set(nil)
			s.st = ServerStatus{Error: fmt.Sprintf("the LAN server stopped: %v", err)}
			s.emitLocked()
		}
		s.mu.Unlock()
	}()
	for _, u := range st.URLs {
		s.log.Info("LAN server listening", "url", u)
	}
	s.emitLocked()
	return nil
}

// stop shuts the server down, letting running requests (downloads) finish
// for up to drainTimeout or until ctx ends.
func (s *Server) stop(ctx context.Context) error {
	s.mu.Lock()
	srv, served := s.srv, s.served
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, drainTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		s.log.Warn("requests still running when the LAN server stopped; closing them", "err", err)
		err = srv.Close()
	}
	<-served
	s.mu.Lock()
	if s.srv == srv {
		s.srv, s.hub = nil, nil
		s.relay.set(nil)
		s.st = ServerStatus{}
		s.emitLocked()
	}
	s.mu.Unlock()
	s.log.Info("LAN server stopped")
	return err
}

// emitLocked sends the status as a server:status event, with the feed URL
// of whoever is logged in.
func (s *Server) emitLocked() {
	st := s.st
	st.URLs = append([]string{}, st.URLs...)
	if u, err := s.session.User(); err == nil {
		st.FeedURL = s.feedURL(st, &u)
	}
	s.emit.Emit(events.ServerStatus, st)
}

// status is the server's state with the feed URL of user u.
func (s *Server) status(u *store.User) ServerStatus {
	s.mu.Lock()
	st := s.st
	s.mu.Unlock()
	st.URLs = append([]string{}, st.URLs...)
	if u != nil {
		st.FeedURL = s.feedURL(st, u)
	}
	return st
}

// feedURL is user u's private feed on the running server ("" when stopped).
func (s *Server) feedURL(st ServerStatus, u *store.User) string {
	if !st.Running {
		return ""
	}
	key, err := s.feedKey(u)
	if err != nil {
		s.log.Warn("making a feed key", "user", u.Username, "err", err)
		return ""
	}
	return s.baseURL(st) + "/feed.xml?key=" + key
}

// baseURL is where other devices reach the server: the public URL from
// the settings, else the LAN URL.
func (s *Server) baseURL(st ServerStatus) string {
	if p := s.settings.get().Server.PublicURL; p != "" {
		return strings.TrimSuffix(p, "/")
	}
	return lanURL(st)
}

// lanURL is the first URL another device can use: the first LAN one, or
// the only one.
func lanURL(st ServerStatus) string {
	if len(st.URLs) > 1 {
		return st.URLs[1]
	}
	return st.URLs[0]
}

// feedKey returns the user's feed key, giving them one first if they have
// none (as GET /me does).
func (s *Server) feedKey(u *store.User) (string, error) {
	if u.FeedKey != "" {
		return u.FeedKey, nil
	}
	nu, err := s.users.Update(u.ID, func(x *store.User) error {
		if x.FeedKey == "" {
			var b [24]byte
			rand.Read(b[:])
			x.FeedKey = base64.RawURLEncoding.EncodeToString(b[:])
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return nu.FeedKey, nil
}

// reachableURLs lists the base URLs of a server bound to addr: the address
// itself, or for the unspecified address 127.0.0.1 and every LAN address.
func reachableURLs(scheme string, addr *net.TCPAddr) []string {
	port := strconv.Itoa(addr.Port)
	if !addr.IP.IsUnspecified() {
		return []string{scheme + "://" + net.JoinHostPort(addr.IP.String(), port)}
	}
	urls := []string{scheme + "://" + net.JoinHostPort("127.0.0.1", port)}
	ifaces, err := net.InterfaceAddrs()
	if err != nil {
		return urls
	}
	for _, a := range ifaces {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() || !ipn.IP.IsGlobalUnicast() {
			continue
		}
		urls = append(urls, scheme+"://"+net.JoinHostPort(ipn.IP.String(), port))
	}
	return urls
}
