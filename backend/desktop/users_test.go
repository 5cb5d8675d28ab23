package desktop

import (
	"errors"
	"strings"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
)

// The window's administrator deletes an account and says what happens to
// its podcasts; kept ones become the administrator's. Others may not.
func TestDeleteUserFromTheWindow(t *testing.T) {
	e := newEnv(t)
	admin := e.login(t, "alice", true)
	bob := e.login(t, "bob", false)
	p := e.addPodcast(t, bob.ID, "Bob's rivers", 60, e.now())
	if _, err := e.d.Accounts.Delete(admin.ID, core.PodcastsKeep); !errors.Is(err, ErrNotAdmin) {
		t.Fatalf("bob, not an administrator, deleting alice: %v", err)
	}
	if _, err := e.d.Auth.Login("alice", testPassword); err != nil {
		t.Fatal(err)
	}
	users, err := e.d.Accounts.List()
	if err != nil || len(users) != 2 {
		t.Fatalf("users %+v, %v", users, err)
	}
	if _, err := e.d.Accounts.Delete(bob.ID, ""); apperr.From(err).Field != "podcasts" {
		t.Fatalf("no choice: %v", err)
	}
	out, err := e.d.Accounts.Delete(bob.ID, core.PodcastsKeep)
	if err != nil || out.PodcastCount != 1 || out.KeptBy != "alice" || !strings.Contains(out.Message, "now belong to alice") {
		t.Fatalf("%+v, %v", out, err)
	}
	kept, err := e.store.Podcasts().Get(p.ID)
	if err != nil || kept.Owner != admin.ID {
		t.Fatalf("kept podcast %+v, %v", kept, err)
	}
}
