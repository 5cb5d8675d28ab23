package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"podcastfy/backend/auth"
)

// First run: a fresh installation has no account, so the web UI asks GET
// /setup whether to show its "create the first account" screen, and POST
// /setup makes that account an administrator and logs it in. Only a
// client on this machine may do it (anyone on the LAN could otherwise
// claim the server), and only while no account exists.

// Setup throttling, like the login's: a few free failures, then a wait
// that doubles up to a cap and is forgotten after an idle hour.
const (
	setupFreeFailures = 5
	setupBaseWait     = time.Second
	setupMaxWait      = 15 * time.Minute
	setupForget       = time.Hour
)

// setupGuard serialises first-run attempts (so two at once cannot both
// make an administrator) and backs off after repeated failures. One
// counter suffices: only loopback clients get this far.
type setupGuard struct {
	mu       sync.Mutex // held while an attempt runs
	failures int
	last     time.Time
	until    time.Time
}

// wait is how long attempts are refused for; the caller holds mu.
func (g *setupGuard) wait(now time.Time) time.Duration {
	if now.Sub(g.last) > setupForget {
		g.failures, g.until = 0, time.Time{}
	}
	return max(0, g.until.Sub(now))
}

// fail counts a failed attempt; the caller holds mu.
func (g *setupGuard) fail(now time.Time) {
	g.failures++
	g.last = now
	if over := g.failures - setupFreeFailures; over > 0 {
		d := setupMaxWait
		if over <= 20 {
			d = min(setupBaseWait<<(over-1), setupMaxWait)
		}
		g.until = now.Add(d)
	}
}

// setupStatus is the answer of GET /setup.
type setupStatus struct {
	Needed bool `json:"needed"`
}

func (s *server) getSetup(w http.ResponseWriter, r *http.Request) {
	needed, err := s.setupNeeded()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, setupStatus{Needed: needed})
}

// setupNeeded reports whether the installation has no account yet.
func (s *server) setupNeeded() (bool, error) {
	users, err := s.Accounts.ListUsers()
	if err != nil {
		return false, fmt.Errorf("listing the accounts: %w", err)
	}
	return len(users) == 0, nil
}

// postSetup creates the first account, an administrator, and answers with
// its session, like POST /auth/login.
func (s *server) postSetup(w http.ResponseWriter, r *http.Request) {
	if !fromLoopback(r) {
		s.writeError(w, r, &Error{Status: http.StatusForbidden, Code: "not_local",
			Message: "the first account can only be created on the machine running podcastfy: open the web interface there " +
				"(http://127.0.0.1:<port>/) or run `podcastfy user add NAME` on it"})
		return
	}
	s.setup.mu.Lock()
	defer s.setup.mu.Unlock()
	now := s.Now()
	if wait := s.setup.wait(now); wait > 0 {
		secs := max(1, int((wait+time.Second-1)/time.Second))
		s.writeError(w, r, &Error{Status: http.StatusTooManyRequests, Code: "throttled", RetryAfter: secs,
			Message: "too many failed attempts; try again in " + strconv.Itoa(secs) + " s"})
		return
	}
	sess, err := s.createFirstAccount(w, r)
	if err != nil {
		s.setup.fail(now)
		s.writeError(w, r, err)
		return
	}
	s.Log.Info("first account created", "user", sess.User.Username)
	writeJSON(w, http.StatusOK, sess)
}

func (s *server) createFirstAccount(w http.ResponseWriter, r *http.Request) (auth.Session, error) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return auth.Session{}, err
	}
	needed, err := s.setupNeeded()
	if err != nil {
		return auth.Session{}, err
	}
	if !needed {
		return auth.Session{}, &Error{Status: http.StatusConflict, Code: "already_set_up",
			Message: "this server already has accounts; log in, or ask an administrator to make one for you"}
	}
	if _, err := s.Accounts.CreateUser(*req.Username, *req.Password, nil, true); err != nil {
		return auth.Session{}, err
	}
	return s.Accounts.Login(*req.Username, *req.Password, clientAddr(r))
}

// fromLoopback reports whether the request's connection comes from this
// machine. Headers such as X-Forwarded-For are not trusted.
func fromLoopback(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	return ap.Addr().Unmap().IsLoopback()
}
