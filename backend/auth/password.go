package auth

import (
	"errors"
	"fmt"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

// The fields of a password change, as every door's request names them.
const (
	FieldCurrentPassword = "currentPassword"
	FieldNewPassword     = "newPassword"
)

// ErrWrongCurrentPassword is ChangePassword's answer when the current
// password does not match: the caller is logged in, so it is a refusal of
// this change (forbidden), not a failed login.
var ErrWrongCurrentPassword error = &apperr.Error{Code: apperr.Forbidden, Field: FieldCurrentPassword, Message: "the current password is wrong"}

// changeFreeFailures is how many wrong current passwords a user may give
// before each further one makes them wait (doubling, as for logins): a
// stolen session token must not become a way to guess the password.
const changeFreeFailures = 5

// ChangePassword replaces a user's password after checking the current one
// (an account without a password yet, the desktop's own, gets its first
// one without). Every session of the user issued before ends, on every
// device; the caller goes on with the returned session. The new password
// meets the same rules as CreateUser's and SetPassword's (CheckPassword).
//
// It returns ErrWrongCurrentPassword for a wrong current password, an
// invalid_request *apperr.Error at FieldNewPassword for a new password that
// breaks the rules, and a *ThrottledError after repeated wrong current
// passwords or while the server checks as many passwords as it allows.
func (s *Service) ChangePassword(userID, currentPassword, newPassword string) (Session, error) {
	now := s.opts.Now()
	key := throttleKey(userID)
	if wait := s.byChange.wait(key, now); wait > 0 {
		s.log.Info("password change throttled", "id", userID, "retryAfter", wait)
		return Session{}, &ThrottledError{RetryAfter: wait, Reason: "too many wrong current passwords"}
	}
	if err := s.CheckPassword(newPassword); err != nil {
		return Session{}, newPasswordError(err)
	}
	u, err := s.users.Get(userID)
	if err != nil {
		return Session{}, fmt.Errorf("changing password: %w", err)
	}
	if HasPassword(u) {
		if !s.gate.enter() {
			return Session{}, &ThrottledError{RetryAfter: busyRetry, Busy: true}
		}
		ok := checkPassword([]byte(u.PasswordHash), currentPassword)
		s.gate.leave()
		if !ok {
			s.byChange.fail(key, now)
			s.log.Info("password change refused: wrong current password", "user", u.Username)
			return Session{}, ErrWrongCurrentPassword
		}
		s.byChange.reset(key)
	}
	if err := s.SetPassword(userID, newPassword); err != nil {
		return Session{}, newPasswordError(err)
	}
	u, err = s.users.Get(userID)
	if err != nil {
		return Session{}, fmt.Errorf("changing password: %w", err)
	}
	return s.session(u, now)
}

// newPasswordError names the new password as the field at fault.
func newPasswordError(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) && ve.Field == "password" {
		return apperr.Field(FieldNewPassword, "the new password %s", ve.Message)
	}
	return err
}

// session issues a token for u, valid from now.
func (s *Service) session(u store.User, now time.Time) (Session, error) {
	expires := now.Add(s.opts.TTL).Truncate(time.Second)
	token, err := sign(s.key, s.opts.Issuer, u.ID, u.TokenVersion, now, expires)
	if err != nil {
		return Session{}, fmt.Errorf("issuing a session: %w", err)
	}
	return Session{Token: token, ExpiresAt: expires, User: ToPublic(u)}, nil
}
