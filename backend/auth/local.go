package auth

import (
	"fmt"

	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

// ErrNoPassword is returned where an account needs a password it does not
// have yet: the desktop's own account gets one only when the person at the
// desktop switches LAN sharing on, to log in from a phone.
var ErrNoPassword error = &apperr.Error{
	Code: apperr.Invalid, Field: "password",
	Message: "Choose a password first: you will use it to log in from your phone or another computer.",
}

// noPassword stands in the hash of an account without a password, as "!"
// does in /etc/shadow: no bcrypt hash looks like it, so no password matches.
const noPassword = "!none"

// HasPassword reports whether u can log in with a password. The desktop's
// own account has none until it is given one.
func HasPassword(u store.User) bool { return u.PasswordHash != noPassword }

// CreateLocalUser adds the account of the person at the desktop: an
// administrator without a password. Nobody can log in to it over the
// network (Login refuses an account without a password) until SetPassword
// or ChangePassword gives it one.
func (s *Service) CreateLocalUser(username string) (store.User, error) {
	if err := ValidateUsername(username); err != nil {
		return store.User{}, err
	}
	u, err := s.users.Create(store.User{Username: username, PasswordHash: noPassword, IsAdmin: true, CreatedAt: s.opts.Now().UTC()})
	if err != nil {
		return store.User{}, fmt.Errorf("creating user %q: %w", username, err)
	}
	s.log.Info("desktop user created", "user", u.Username, "id", u.ID)
	return u, nil
}

// LocalSession issues a session for userID without asking for a password.
// Only the desktop window calls it: the operating system has already
// identified the person sitting at it, and the token never leaves the
// process.
func (s *Service) LocalSession(userID string) (Session, error) {
	u, err := s.users.Get(userID)
	if err != nil {
		return Session{}, fmt.Errorf("desktop session: %w", err)
	}
	return s.session(u, s.opts.Now())
}
