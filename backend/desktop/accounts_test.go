package desktop

import (
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
)

func TestAccountsManagedFromTheDesktop(t *testing.T) {
	e := newEnv(t)
	_, err := e.d.Accounts.List()
	notLoggedIn(t, "List", err)

	// The desktop's own account has no password and manages the others.
	if _, err := e.d.Auth.Local(); err != nil {
		t.Fatal(err)
	}
	me, err := e.d.Auth.Me()
	if err != nil {
		t.Fatal(err)
	}
	a := e.d.Accounts
	if _, err := a.Create("bo", "long-enough-1", false); apperr.From(err).Field != "username" {
		t.Errorf("Create with a short name = %v, want a problem at username", err)
	}
	if _, err := a.Create("bob", "short", false); apperr.From(err).Field != "password" {
		t.Errorf("Create with a short password = %v, want a problem at password", err)
	}
	bob, err := a.Create("bob", "bob-pass-123", false)
	if err != nil || bob.Username != "bob" || bob.IsAdmin {
		t.Fatalf("Create = %+v, %v", bob, err)
	}
	list, err := a.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v", list, err)
	}

	if err := a.ResetPassword(bob.ID, "x"); apperr.From(err).Field != "password" {
		t.Errorf("ResetPassword with a short one = %v", err)
	}
	if err := a.ResetPassword(bob.ID, "bob-new-pass-9"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.auth.Login("bob", "bob-pass-123", "test"); err == nil {
		t.Error("the old password still logs in")
	}
	if _, err := e.auth.Login("bob", "bob-new-pass-9", "test"); err != nil {
		t.Errorf("the new password: %v", err)
	}

	if _, err := a.Delete(me.ID, core.PodcastsKeep); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("deleting the desktop's own account = %v, want a conflict", err)
	}
	if _, err := a.Delete(bob.ID, ""); apperr.From(err).Field != "podcasts" {
		t.Errorf("deleting without saying what happens to the podcasts = %v, want a problem at podcasts", err)
	}
	gone, err := a.Delete(bob.ID, core.PodcastsDelete)
	if err != nil || gone.Username != "bob" || gone.Podcasts != core.PodcastsDelete {
		t.Fatalf("Delete = %+v, %v", gone, err)
	}
	if _, err := a.Delete(bob.ID, core.PodcastsDelete); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("deleting twice = %v, want not found", err)
	}

	// A user who is not an administrator manages nothing.
	e.login(t, "carl", false)
	if _, err := a.List(); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("List as a non-admin = %v", err)
	}
	if err := a.ResetPassword(me.ID, "carl-takes-over-1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("ResetPassword as a non-admin = %v", err)
	}
	if _, err := a.Delete(me.ID, core.PodcastsKeep); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("Delete as a non-admin = %v", err)
	}
}
