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
// logged-in user and their password. The other accounts are the Accounts
// facade's.
type Auth struct {
	svc      *auth.Service
	session  *Session
	onLogout func()
	getenv   func(string) string

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

// Local logs the person at the desktop in without a password and returns
// their session: the window opens to the library. Their account is the
// oldest administrator; on a new install it is made, named after the
// operating system's user, without a password (one is asked for when LAN
// sharing is switched on). The session renews itself while the window is
// open.
func (a *Auth) Local() (auth.Session, error) {
	a.firstRun.Lock()
	defer a.firstRun.Unlock()
	id, err := a.localUser()
	if err != nil {
		return auth.Session{}, err
	}
	s, err := a.svc.LocalSession(id)
	if err != nil {
		return auth.Session{}, err
	}
	a.session.setLocal(id, s.Token)
	return s, nil
}

// localUser returns the id of the desktop's account, making it if no
// administrator exists.
func (a *Auth) localUser() (string, error) {
	users, err := a.svc.ListUsers()
	if err != nil {
		return "", err
	}
	var oldest *auth.PublicUser
	for i, u := range users {
		if u.IsAdmin && (oldest == nil || u.CreatedAt.Before(oldest.CreatedAt)) {
			oldest = &users[i]
		}
	}
	if oldest != nil {
		return oldest.ID, nil
	}
	var errs []error
	for _, name := range localNames(a.getenv) {
		u, err := a.svc.CreateLocalUser(name)
		if err == nil {
			return u.ID, nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("making the desktop account: %w", errors.Join(errs...))
}

// localNames are the names tried for the desktop's account: the
// operating system's user name when it is a valid username, then fixed
// ones in case it is taken.
func localNames(getenv func(string) string) []string {
	var names []string
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if n := getenv(v); n != "" && auth.ValidateUsername(n) == nil {
			names = append(names, n)
			break
		}
	}
	return append(names, "owner", "desktop")
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
	s, err := a.svc.ChangePassword(u.ID, oldPassword, newPassword)
	if err != nil {
		return err
	}
	if !a.session.isLocal() { // the desktop user's session renews itself
		a.session.set(s.Token)
	}
	return nil
}
