package auth

import (
	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

// The administrators' account rules, in one place for the desktop's
// settings screen and the LAN API's /users routes. Deleting an account is
// core.UserRemoval's: it decides what happens to what the account owns.

// ResetPassword sets the password of the account id on behalf of by, an
// administrator, without the old one; the account's sessions end. A
// password that breaks the rules is invalid at the field "password".
func (s *Service) ResetPassword(by store.User, id, password string) error {
	if err := adminOnly(by); err != nil {
		return err
	}
	return s.SetPassword(id, password)
}

func adminOnly(by store.User) error {
	if !by.IsAdmin {
		return apperr.New(apperr.Forbidden, "only administrators may manage accounts")
	}
	return nil
}
