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
}

// NewSession returns a session where nobody is logged in.
func NewSession(a *auth.Service) *Session {
	return &Session{auth: a}
}

// set keeps the token of a login ("" logs out).
func (s *Session) set(token string) {
	s.mu.Lock()
	s.token = token
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
