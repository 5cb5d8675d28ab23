package desktop

import (
	"errors"
	"testing"

	"podcastfy/backend/library"
	"podcastfy/backend/player"
)

func TestAuthFirstRun(t *testing.T) {
	e := newEnv(t)
	a := e.d.Auth
	need, err := a.FirstRunNeeded()
	if err != nil || !need {
		t.Fatalf("FirstRunNeeded on a new install = %v, %v; want true", need, err)
	}
	if _, err := a.Me(); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("Me before any login: %v, want %v", err, ErrNotLoggedIn)
	}
	_, err = a.CreateFirstUser("ann", "short")
	wantErr(t, err, "password: must be at least 8 characters")

	s, err := a.CreateFirstUser("ann", testPassword)
	wantErr(t, err, "")
	if s.Token == "" || s.User.Username != "ann" || !s.User.IsAdmin {
		t.Fatalf("CreateFirstUser session = %+v, want ann, an admin, with a token", s)
	}
	me, err := a.Me()
	if err != nil || me.Username != "ann" || !me.IsAdmin {
		t.Fatalf("Me after first run = %+v, %v; want the admin ann", me, err)
	}
	if need, err := a.FirstRunNeeded(); err != nil || need {
		t.Fatalf("FirstRunNeeded after first run = %v, %v; want false", need, err)
	}
	_, err = a.CreateFirstUser("bob", testPassword)
	wantErr(t, err, "an account already exists")
}

func TestAuthLoginLogout(t *testing.T) {
	e := newEnv(t)
	a := e.d.Auth
	if _, err := e.auth.CreateUser("ann", testPassword, nil, true); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		user, password, err string
	}{
		"wrong password": {"ann", "wrong password", "wrong username or password"},
		"unknown user":   {"zed", testPassword, "wrong username or password"},
		"right":          {"ann", testPassword, ""},
		"any case name":  {"ANN", testPassword, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := a.Login(tc.user, tc.password)
			wantErr(t, err, tc.err)
			if tc.err == "" && s.User.Username != "ann" {
				t.Errorf("Login user = %q, want ann", s.User.Username)
			}
		})
	}
	if err := a.Logout(); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err := a.Me()
	notLoggedIn(t, "Me after Logout", err)
}

func TestAuthLogoutStopsPlayback(t *testing.T) {
	e := newEnv(t)
	u := e.login(t, "ann", true)
	p := e.addPodcast(t, u.ID, "Tone", 3, e.now())
	if _, err := e.d.Player.Load(p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Player.Play(); err != nil {
		t.Fatal(err)
	}
	if err := e.d.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	if st := e.d.player.Status(); st.State == player.StatePlaying {
		t.Errorf("after Logout the player is %s, want it stopped", st.State)
	}
}

func TestAuthChangePassword(t *testing.T) {
	e := newEnv(t)
	a := e.d.Auth
	notLoggedIn(t, "ChangePassword", a.ChangePassword(testPassword, "another password"))
	e.login(t, "ann", true)
	wantErr(t, a.ChangePassword("wrong password", "another password"), "the current password is wrong")
	wantErr(t, a.ChangePassword(testPassword, "short"), "at least 8 characters")
	wantErr(t, a.ChangePassword(testPassword, "another password"), "")
	// The window stays logged in with a new token…
	if me, err := a.Me(); err != nil || me.Username != "ann" {
		t.Fatalf("Me after ChangePassword = %+v, %v", me, err)
	}
	// …and the new password is the one that works.
	if _, err := a.Login("ann", testPassword); err == nil {
		t.Error("the old password still logs in")
	}
	if _, err := a.Login("ann", "another password"); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
}

func TestSessionEndsWhenAccountChangesElsewhere(t *testing.T) {
	e := newEnv(t)
	u := e.login(t, "ann", true)
	// Another process (podcastfy user passwd) resets the password.
	if err := e.auth.SetPassword(u.ID, "reset by the cli"); err != nil {
		t.Fatal(err)
	}
	_, err := e.d.Auth.Me()
	notLoggedIn(t, "Me after a password reset elsewhere", err)
	_, err = e.d.Library.List(library.Query{})
	notLoggedIn(t, "List after the session ended", err)
}

func TestSessionAdminOnly(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	if _, err := e.auth.CreateUser("bob", testPassword, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Auth.Login("bob", testPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Settings.Get(); !errors.Is(err, ErrNotAdmin) {
		t.Errorf("Settings.Get as a non-admin: %v, want %v", err, ErrNotAdmin)
	}
	if _, err := e.d.Server.Status(); !errors.Is(err, ErrNotAdmin) {
		t.Errorf("Server.Status as a non-admin: %v, want %v", err, ErrNotAdmin)
	}
	// Everyone may use the rest.
	if _, err := e.d.Library.List(library.Query{}); err != nil {
		t.Errorf("Library.List as a non-admin: %v", err)
	}
}
