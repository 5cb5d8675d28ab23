package api

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
	"net/url"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/store"
)

// DefaultDrainTimeout bounds the wait for running requests (downloads) when
// the LAN server stops.
const DefaultDrainTimeout = 30 * time.Second

// Listen says where and how the LAN server listens.
type Listen struct {
	// Addr is host:port; port 0 picks a free one.
	Addr string
	// TLS serves HTTPS with a self-signed certificate kept in CertDir,
	// made on first use.
	TLS     bool
	CertDir string
	// MaxConnsPerAddr caps the open connections of one client address;
	// 0 is DefaultMaxConnsPerAddr.
	MaxConnsPerAddr int
	// Hub is the event hub the job service emits to; nil makes a fresh one.
	// Its streams are closed when the server stops.
	Hub *Hub
	// Context is the parent of every request's context (its cancellation
	// is not passed on); nil is context.Background().
	Context context.Context
}

// LANStatus is the LAN server's state.
type LANStatus struct {
	Running bool   `json:"running"`
	Addr    string `json:"addr"` // host:port listened on
	// URLs reach the server: this machine's first, then its LAN addresses.
	URLs        []string `json:"urls"`
	TLS         bool     `json:"tls"`
	Fingerprint string   `json:"fingerprint"` // SHA-256 of the certificate, with TLS
	Error       string   `json:"error"`       // why it stopped or could not start
}

// LANURL is the first URL another device can use: the first LAN one, or
// the only one ("" when stopped).
func (st LANStatus) LANURL() string {
	switch {
	case len(st.URLs) > 1:
		return st.URLs[1]
	case len(st.URLs) == 1:
		return st.URLs[0]
	}
	return ""
}

// BaseURL is where other devices reach the server: publicURL (the
// server.publicUrl setting) when set, else the LAN URL.
func (st LANStatus) BaseURL(publicURL string) string {
	if publicURL != "" {
		return strings.TrimSuffix(publicURL, "/")
	}
	return st.LANURL()
}

// FeedURL is the private feed address of a user's feed key under base.
func FeedURL(base, key string) string { return base + "/feed.xml?key=" + url.QueryEscape(key) }

// FeedKey returns the user with a feed key: the one they have, or a new
// random one if they have none or rotate is set (which revokes the old
// feed URL and every enclosure URL signed with it).
func FeedKey(users Users, userID string, rotate bool) (store.User, error) {
	return users.Update(userID, func(u *store.User) error {
		if u.FeedKey != "" && !rotate {
			return nil
		}
		var b [24]byte
		rand.Read(b[:])
		u.FeedKey = base64.RawURLEncoding.EncodeToString(b[:])
		return nil
	})
}

// LAN is the one controller of the LAN server, driven by `podcastfy serve`
// and by the desktop's Server facade alike: start, stop and status with the
// URLs that reach it. Each start serves the handler made for that start's
// event hub. Safe for concurrent use.
type LAN struct {
	handler func(hub *Hub) http.Handler
	log     *slog.Logger
	// stopped is told when the server stops by itself (not by Stop).
	stopped func(LANStatus)

	mu     sync.Mutex
	srv    *http.Server
	hub    *Hub
	served chan error // receives Serve's result, once
	st     LANStatus
}

// NewLAN returns a stopped controller. handler makes the server's handler
// for the hub of a start; stopped, if not nil, is called when the server
// fails on its own.
func NewLAN(handler func(hub *Hub) http.Handler, log *slog.Logger, stopped func(LANStatus)) *LAN {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if stopped == nil {
		stopped = func(LANStatus) {}
	}
	return &LAN{handler: handler, log: log, stopped: stopped}
}

// Start listens and serves. When it already runs, it returns its status.
// A failure to listen is kept in the status's Error as well.
func (l *LAN) Start(cfg Listen) (LANStatus, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.srv != nil {
		return l.statusLocked(), nil
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		err = fmt.Errorf("cannot listen on %s: %w (is another program using the port? change server.port in the settings or pick one with --addr)", cfg.Addr, err)
		l.st = LANStatus{Error: err.Error()}
		return l.statusLocked(), err
	}
	addr := ln.Addr().(*net.TCPAddr)
	if cfg.MaxConnsPerAddr <= 0 {
		cfg.MaxConnsPerAddr = DefaultMaxConnsPerAddr
	}
	ln = newCapListener(ln, cfg.MaxConnsPerAddr, !cfg.TLS)
	st := LANStatus{Running: true, Addr: addr.String(), TLS: cfg.TLS}
	scheme := "http"
	if cfg.TLS {
		cert, fingerprint, err := LoadOrCreateCert(cfg.CertDir, addr.IP, time.Now())
		if err != nil {
			ln.Close()
			l.st = LANStatus{Error: err.Error()}
			return l.statusLocked(), err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme, st.Fingerprint = "https", fingerprint
	}
	st.URLs = reachableURLs(scheme, addr)
	hub := cfg.Hub
	if hub == nil {
		hub = NewHub(0)
	}
	base := cfg.Context
	if base == nil {
		base = context.Background()
	}
	srv := &http.Server{
		Handler:           l.handler(hub),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(l.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(base) },
	}
	srv.RegisterOnShutdown(hub.Close)
	served := make(chan error, 1)
	l.srv, l.hub, l.served, l.st = srv, hub, served, st
	go l.serve(srv, ln, served)
	for _, u := range st.URLs {
		l.log.Info("LAN server listening", "url", u)
	}
	if st.TLS {
		l.log.Info("serving HTTPS with a self-signed certificate", "sha256", st.Fingerprint)
	}
	return l.statusLocked(), nil
}

// serve runs srv until it stops; a stop that Stop did not ask for is
// reported through stopped.
func (l *LAN) serve(srv *http.Server, ln net.Listener, served chan error) {
	err := srv.Serve(ln)
	served <- err
	if errors.Is(err, http.ErrServerClosed) {
		return
	}
	l.log.Error("the LAN server stopped", "err", err)
	l.mu.Lock()
	if l.srv != srv {
		l.mu.Unlock()
		return
	}
	l.srv, l.hub = nil, nil
	l.st = LANStatus{Error: fmt.Sprintf("the LAN server stopped: %v", err)}
	st := l.statusLocked()
	l.mu.Unlock()
	l.stopped(st)
}

// Failed receives the server's error if it stops on its own, for a caller
// that waits on it (Serve); nil when stopped.
func (l *LAN) Failed() <-chan error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.served
}

// Stop stops accepting and lets running requests (downloads) finish for
// up to drain (DefaultDrainTimeout when 0) or until ctx ends, then closes
// what is left. Stopping a stopped server does nothing.
func (l *LAN) Stop(ctx context.Context, drain time.Duration) error {
	l.mu.Lock()
	srv, served := l.srv, l.served
	l.mu.Unlock()
	if srv == nil {
		return nil
	}
	if drain <= 0 {
		drain = DefaultDrainTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, drain)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		l.log.Warn("requests still running when the LAN server stopped; closing them", "err", err)
		err = srv.Close()
	}
	if serr := <-served; err == nil && !errors.Is(serr, http.ErrServerClosed) {
		err = serr
	}
	l.mu.Lock()
	if l.srv == srv {
		l.srv, l.hub, l.served = nil, nil, nil
		l.st = LANStatus{}
	}
	l.mu.Unlock()
	l.log.Info("LAN server stopped")
	return err
}

// Status returns the server's state.
func (l *LAN) Status() LANStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statusLocked()
}

// Hub is the running server's event hub; nil when stopped.
func (l *LAN) Hub() *Hub {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hub
}

func (l *LAN) statusLocked() LANStatus {
	st := l.st
	st.URLs = append([]string{}, st.URLs...)
	return st
}
