package desktop

import (
	"errors"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/auth"
	"podcastfy/backend/store"
)

// The person at the desktop is logged in without a password; a password is
// asked for only when LAN sharing is switched on, and then works from a
// phone while the window stays logged in.
func TestLocalUserWithoutPassword(t *testing.T) {
	e := newEnv(t)
	e.d.Auth.getenv = func(k string) string { return map[string]string{"USER": "ann"}[k] }

	s, err := e.d.Auth.Local()
	if err != nil || s.Token == "" || s.User.Username != "ann" || !s.User.IsAdmin {
		t.Fatalf("Local on a new install = %+v, %v; want the administrator ann", s, err)
	}
	if me, err := e.d.Auth.Me(); err != nil || me.ID != s.User.ID {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	// No password exists, so none opens the account from the network.
	for _, pw := range []string{"", "!none"} {
		if _, err := e.auth.Login("ann", pw, "192.0.2.7"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Fatalf("network login with %q to the desktop account: %v, want wrong credentials", pw, err)
		}
	}

	_, err = e.d.Server.Start()
	var ae *apperr.Error
	if !errors.Is(err, auth.ErrNoPassword) || !errors.As(err, &ae) || ae.Field != "password" {
		t.Fatalf("Start without a password: %v, want the password field asked for", err)
	}
	if err := e.d.Auth.ChangePassword("", "short"); err == nil {
		t.Fatal("a too short first password was accepted")
	}
	if err := e.d.Auth.ChangePassword("", testPassword); err != nil {
		t.Fatalf("first password: %v", err)
	}
	// The password change revoked the old token; the window stays logged in.
	if me, err := e.d.Auth.Me(); err != nil || me.Username != "ann" {
		t.Fatalf("Me after the password change = %+v, %v", me, err)
	}
	if _, err := e.auth.Login("ann", testPassword, "192.0.2.7"); err != nil {
		t.Fatalf("login from a phone with the new password: %v", err)
	}
	if st, err := e.d.Server.Start(); err != nil || !st.Running {
		t.Fatalf("Start with a password = %+v, %v", st, err)
	}
	if _, err := e.d.Server.Stop(); err != nil {
		t.Fatal(err)
	}
	// From now on the old (empty) password is checked like any other.
	if err := e.d.Auth.ChangePassword("", "another password"); err == nil {
		t.Fatal("changed a set password without the current one")
	}

	// A relaunch opens the same account; no second one is made.
	again, err := e.d.Auth.Local()
	if err != nil || again.User.ID != s.User.ID {
		t.Fatalf("Local on relaunch = %+v, %v; want ann again", again.User, err)
	}
	if list, err := e.auth.ListUsers(); err != nil || len(list) != 1 {
		t.Fatalf("accounts after relaunch = %+v, %v; want one", list, err)
	}
}

// An install made before the desktop logged in by itself opens as its
// oldest administrator, not as a new account.
func TestLocalUserIsOldestAdmin(t *testing.T) {
	e := newEnv(t)
	first, err := e.auth.CreateUser("root", testPassword, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"amy", "bob"} {
		if _, err := e.auth.CreateUser(name, testPassword, nil, name == "amy"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := e.d.Auth.Local()
	if err != nil || s.User.ID != first.ID {
		t.Fatalf("Local = %+v, %v; want the first administrator root", s.User, err)
	}
}

// The operating system's user name is used when it is a valid username;
// otherwise, or when it is taken by a user who is not an administrator, a
// fixed name is.
func TestLocalUserNames(t *testing.T) {
	e := newEnv(t)
	e.d.Auth.getenv = func(k string) string { return map[string]string{"USER": "zed"}[k] }
	if _, err := e.auth.CreateUser("zed", testPassword, nil, false); err != nil {
		t.Fatal(err)
	}
	// The store makes the first account an administrator; take that away.
	zed, err := e.auth.FindUser("zed")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Users().Update(zed.ID, func(u *store.User) error { u.IsAdmin = false; return nil }); err != nil {
		t.Fatal(err)
	}
	s, err := e.d.Auth.Local()
	if err != nil || s.User.Username != "owner" || !s.User.IsAdmin {
		t.Fatalf("Local with USER taken = %+v, %v; want the administrator owner", s.User, err)
	}
}
