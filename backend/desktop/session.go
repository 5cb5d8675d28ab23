package desktop

import (
	"errors"
	"fmt"
	"sync"

	"podcastfy/backend/apperr"
	"podcastfy/backend/auth"
	"podcastfy/backend/store"
)

// Errors of the desktop session.
var (
	ErrNotLoggedIn error = &apperr.Error{Code: apperr.Unauthorized, Message: "not logged in"}
	ErrNotAdmin    error = &apperr.Error{Code: apperr.Forbidden, Message: "only an administrator can do this"}
)

// Session is who is logged in to this window: the session token of the
// last login, kept in memory only (closing the app logs out). Every call
// verifies the token again, so a deleted account, a password changed
// elsewhere or an expired session ends the desktop session too.
type Session struct {
	auth *auth.Service

	mu    sync.RWMutex
	token string
	// local is the desktop user's id once Auth.Local logged them in: their
	// session is renewed when its token expires or is revoked (a password
	// changed from a phone), since the person at the desktop is still there.
	local string
}

// NewSession returns a session where nobody is logged in.
func NewSession(a *auth.Service) *Session {
	return &Session{auth: a}
}

// set keeps the token of a login ("" logs out).
func (s *Session) set(token string) {
	s.mu.Lock()
	s.token = token
	s.local = ""
	s.mu.Unlock()
}

// setLocal keeps the token of the desktop user's session.
func (s *Session) setLocal(userID, token string) {
	s.mu.Lock()
	s.token, s.local = token, userID
	s.mu.Unlock()
}

// User returns the logged-in user, or an error wrapping ErrNotLoggedIn.
func (s *Session) User() (store.User, error) {
	s.mu.RLock()
	token := s.token
	s.mu.RUnlock()
	if token == "" {
		return store.User{}, ErrNotLoggedIn
	}
	u, err := s.auth.Verify(token)
	if errors.Is(err, auth.ErrInvalidToken) {
		if u, ok := s.renew(token); ok {
			return u, nil
		}
		s.mu.Lock()
		if s.token == token {
			s.token = ""
		}
		s.mu.Unlock()
		return store.User{}, fmt.Errorf("%w: %w", ErrNotLoggedIn, err)
	}
	if err != nil {
		return store.User{}, err
	}
	return u, nil
}

// Admin returns the logged-in user when they are an administrator.
func (s *Session) Admin() (store.User, error) {
	u, err := s.User()
	if err != nil {
		return u, err
	}
	if !u.IsAdmin {
		return store.User{}, ErrNotAdmin
	}
	return u, nil
}

// isLocal reports whether the desktop user is logged in by Auth.Local.
func (s *Session) isLocal() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.local != ""
}

// renew issues a new session for the desktop user in place of the refused
// token, unless the account is gone.
func (s *Session) renew(refused string) (store.User, bool) {
	s.mu.RLock()
	id := s.local
	s.mu.RUnlock()
	if id == "" {
		return store.User{}, false
	}
	fresh, err := s.auth.LocalSession(id)
	if err != nil {
		return store.User{}, false
	}
	u, err := s.auth.Verify(fresh.Token)
	if err != nil {
		return store.User{}, false
	}
	s.mu.Lock()
	if s.token == refused {
		s.token = fresh.Token
	}
	s.mu.Unlock()
	return u, true
}
