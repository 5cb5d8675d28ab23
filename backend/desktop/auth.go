package desktop

import (
	"errors"
	"fmt"
	"sync"

	"podcastfy/backend/auth"
)

// clientAddr is the throttling key of logins from the window.
const clientAddr = "desktop"

// Auth is the facade of accounts: first run, login and logout, the
// logged-in user and their password.
type Auth struct {
	svc      *auth.Service
	session  *Session
	onLogout func()

	firstRun sync.Mutex // one CreateFirstUser at a time
}

// FirstRunNeeded reports whether no account exists yet, so the window
// must ask for the first (administrator) account.
func (a *Auth) FirstRunNeeded() (bool, error) {
	list, err := a.svc.ListUsers()
	if err != nil {
		return false, err
	}
	return len(list) == 0, nil
}

// CreateFirstUser makes the first account, an administrator, and logs it
// in. It fails once any account exists.
func (a *Auth) CreateFirstUser(username, password string) (auth.Session, error) {
	a.firstRun.Lock()
	defer a.firstRun.Unlock()
	need, err := a.FirstRunNeeded()
	if err != nil {
		return auth.Session{}, err
	}
	if !need {
		return auth.Session{}, errors.New("an account already exists: log in with it (more accounts are made with `podcastfy user add`)")
	}
	if _, err := a.svc.CreateUser(username, password, nil, true); err != nil {
		return auth.Session{}, err
	}
	return a.Login(username, password)
}

// Login checks the username and password and makes them the window's user.
func (a *Auth) Login(username, password string) (auth.Session, error) {
	s, err := a.svc.Login(username, password, clientAddr)
	if err != nil {
		return auth.Session{}, err
	}
	a.session.set(s.Token)
	return s, nil
}

// Logout ends the session and stops what the user was listening to.
func (a *Auth) Logout() error {
	a.session.set("")
	if a.onLogout != nil {
		a.onLogout()
	}
	return nil
}

// Me returns the logged-in user.
func (a *Auth) Me() (auth.PublicUser, error) {
	u, err := a.session.User()
	if err != nil {
		return auth.PublicUser{}, err
	}
	return auth.ToPublic(u), nil
}

// ChangePassword replaces the logged-in user's password after checking the
// old one. Other sessions of the user end; this one goes on.
func (a *Auth) ChangePassword(oldPassword, newPassword string) error {
	u, err := a.session.User()
	if err != nil {
		return err
	}
	if err := a.svc.ChangePassword(u.ID, oldPassword, newPassword); err != nil {
		if errors.Is(err, auth.ErrInvalidCredentials) {
			return errors.New("the current password is wrong")
		}
		return err
	}
	s, err := a.svc.Login(u.Username, newPassword, clientAddr)
	if err != nil {
		return fmt.Errorf("password changed, but logging in again failed: %w", err)
	}
	a.session.set(s.Token)
	return nil
}
