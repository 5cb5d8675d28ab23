package desktop

import (
	"context"

	"podcastfy/backend/auth"
	"podcastfy/backend/core"
)

// Accounts is the facade of the other accounts: the people who log in from
// a phone or another computer while LAN sharing is on. The person at the
// desktop manages them without a password of their own; each account gets
// a password, because it logs in over the network.
type Accounts struct {
	svc     *auth.Service
	removal *core.UserRemoval
	session *Session
}

// List returns every account, by username.
func (a *Accounts) List() ([]auth.PublicUser, error) {
	if _, err := a.session.Admin(); err != nil {
		return nil, err
	}
	return a.svc.ListUsers()
}

// Create adds an account that logs in over the network with password.
// Problems with the username or password reject at their field.
func (a *Accounts) Create(username, password string, isAdmin bool) (auth.PublicUser, error) {
	if _, err := a.session.Admin(); err != nil {
		return auth.PublicUser{}, err
	}
	u, err := a.svc.CreateUser(username, password, nil, isAdmin)
	if err != nil {
		return auth.PublicUser{}, err
	}
	return auth.ToPublic(u), nil
}

// ResetPassword gives an account a new password; its sessions end.
func (a *Accounts) ResetPassword(userID, password string) error {
	by, err := a.session.Admin()
	if err != nil {
		return err
	}
	return a.svc.ResetPassword(by, userID, password)
}

// Delete removes an account (not the desktop's own) the way the CLI and
// the LAN API do: podcasts says what happens to its podcasts, "delete"
// removing them with their files, "keep" giving them (and the account's
// templates) to the user at the window; there is no default. The answer
// says what went and what was kept.
func (a *Accounts) Delete(userID, podcasts string) (core.UserRemoved, error) {
	by, err := a.session.Admin()
	if err != nil {
		return core.UserRemoved{}, err
	}
	return a.removal.Delete(context.Background(), by, userID, podcasts)
}
