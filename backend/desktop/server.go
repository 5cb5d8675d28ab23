package desktop

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"

	qrcode "github.com/skip2/go-qrcode"

	"podcastfy/backend/api"
	"podcastfy/backend/auth"
	"podcastfy/backend/events"
	"podcastfy/backend/store"
)

// qrSize is the side of the QR code of the LAN URL, in pixels.
const qrSize = 256

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
// and web interface as `podcastfy serve`, run by the same controller
// (api.LAN), started and stopped from the window. The jobs it starts are the
// window's jobs; stopping the server lets running requests finish and
// leaves the jobs running.
type Server struct {
	api      api.Deps // Hub and Settings are set at each start
	settings *settingsFile
	certDir  string
	users    *store.Users
	session  *Session
	relay    *Relay
	emit     events.Emitter
	log      *slog.Logger

	once sync.Once
	lan  *api.LAN
}

// controller makes the LAN controller on first use (a Server bound only
// for the bindings never makes one).
func (s *Server) controller() *api.LAN {
	s.once.Do(func() {
		s.lan = api.NewLAN(func(hub *api.Hub) http.Handler {
			deps := s.api
			deps.Hub, deps.Settings = hub, s.settings.get().Server
			return api.NewServer(deps)
		}, s.log, func(api.LANStatus) {
			s.relay.set(nil)
			s.emitStatus()
		})
	})
	return s.lan
}

// Start starts the LAN server with the server settings.
//
// The desktop's own account has no password until sharing is switched on:
// Start then fails with auth.ErrNoPassword (field "password"), and the
// screen asks for one (Auth.ChangePassword) to log in from other devices.
func (s *Server) Start() (ServerStatus, error) {
	u, err := s.session.Admin()
	if err != nil {
		return ServerStatus{}, err
	}
	if !auth.HasPassword(u) {
		return s.status(&u), auth.ErrNoPassword
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

// start listens where the settings say. A bind address of this machine
// only (127.0.0.1, the default for `serve`) would hide the server from the
// LAN, which is what the window's switch is for, so it then listens on
// every interface.
func (s *Server) start() error {
	cfg := s.settings.get().Server
	bind := cfg.Bind
	if ip := net.ParseIP(bind); bind == "" || bind == "localhost" || ip != nil && ip.IsLoopback() {
		bind = "0.0.0.0"
	}
	lan := s.controller()
	if lan.Status().Running {
		return nil
	}
	_, err := lan.Start(api.Listen{Addr: net.JoinHostPort(bind, strconv.Itoa(cfg.Port)), TLS: cfg.TLS, CertDir: s.certDir})
	s.relay.set(lan.Hub())
	s.emitStatus()
	return err
}

// stop shuts the server down, letting running requests (downloads) finish
// for up to api.DefaultDrainTimeout or until ctx ends.
func (s *Server) stop(ctx context.Context) error {
	if s.lan == nil {
		return nil
	}
	running := s.lan.Status().Running
	err := s.lan.Stop(ctx, 0)
	s.relay.set(nil)
	if running {
		s.emitStatus()
	}
	return err
}

// emitStatus sends the status as a server:status event, with the feed URL
// of whoever is logged in.
func (s *Server) emitStatus() {
	var u *store.User
	if cur, err := s.session.User(); err == nil {
		u = &cur
	}
	s.emit.Emit(events.ServerStatus, s.status(u))
}

// status is the server's state with the feed URL of user u (none for nil).
func (s *Server) status(u *store.User) ServerStatus {
	var lst api.LANStatus
	if s.lan != nil {
		lst = s.lan.Status()
	}
	st := ServerStatus{Running: lst.Running, Addr: lst.Addr, URLs: lst.URLs, TLS: lst.TLS, Fingerprint: lst.Fingerprint, Error: lst.Error}
	if st.URLs == nil {
		st.URLs = []string{}
	}
	if !st.Running {
		return st
	}
	if png, err := qrcode.Encode(lst.LANURL(), qrcode.Medium, qrSize); err != nil {
		s.log.Warn("making the QR code", "url", lst.LANURL(), "err", err)
	} else {
		st.QRCode = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}
	if u != nil {
		key := u.FeedKey
		if key == "" {
			nu, err := api.FeedKey(s.users, u.ID, false)
			if err != nil {
				s.log.Warn("making a feed key", "user", u.Username, "err", err)
				return st
			}
			key = nu.FeedKey
		}
		st.FeedURL = api.FeedURL(lst.BaseURL(s.settings.get().Server.PublicURL), key)
	}
	return st
}
