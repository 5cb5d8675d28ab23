package store

import (
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"podcastfy/templates"
)

func TestUsersCreate(t *testing.T) {
	paths := testPaths(t)
	us := open(t, paths).Users()
	first, err := us.Create(User{Username: "Ann", PasswordHash: "h1"})
	if err != nil {
		t.Fatal(err)
	}
	if !first.IsAdmin || ValidID(first.ID) != nil || first.CreatedAt.IsZero() {
		t.Fatalf("first user %+v: want an admin with an id and a creation time", first)
	}
	second, err := us.Create(User{Username: "bob", PasswordHash: "h2", Email: strp("bob@example.org"), CreatedAt: first.CreatedAt.Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if second.IsAdmin {
		t.Fatal("the second user became admin")
	}
	cases := map[string]struct {
		user User
		want error // nil: any non-sentinel validation error
	}{
		"same name other case": {User{Username: "ANN", PasswordHash: "h"}, ErrConflict},
		"same id":              {User{ID: first.ID, Username: "carl", PasswordHash: "h"}, ErrConflict},
		"bad id":               {User{ID: "a/b", Username: "carl", PasswordHash: "h"}, ErrInvalidID},
		"empty name":           {User{Username: "", PasswordHash: "h"}, nil},
		"padded name":          {User{Username: " carl", PasswordHash: "h"}, nil},
		"control in name":      {User{Username: "car\nl", PasswordHash: "h"}, nil},
		"long name":            {User{Username: strings.Repeat("x", 65), PasswordHash: "h"}, nil},
		"no password hash":     {User{Username: "carl"}, nil},
		"bad email":            {User{Username: "carl", PasswordHash: "h", Email: strp("not an email")}, nil},
		"bad feed key":         {User{Username: "carl", PasswordHash: "h", FeedKey: "a/b"}, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := us.Create(tc.user)
			if err == nil {
				t.Fatal("Create succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if us.Count() != 2 {
		t.Fatalf("count %d after failed creates", us.Count())
	}
	fi, err := os.Stat(paths.UsersFile())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users.json: %v, mode %v; want 0600", err, fi.Mode())
	}
	// The file is the seed's schema: a JSON array of users.
	var raw []map[string]any
	data, _ := os.ReadFile(paths.UsersFile())
	if err := json.Unmarshal(data, &raw); err != nil || len(raw) != 2 {
		t.Fatalf("users.json %s: %v", data, err)
	}
	for _, k := range []string{"id", "username", "passwordHash", "email"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("users.json lacks seed field %q", k)
		}
	}
}

func TestUsersLookups(t *testing.T) {
	paths := testPaths(t)
	us := open(t, paths).Users()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Created out of order: List sorts by creation time.
	for i, name := range []string{"carl", "ann", "bob"} {
		if _, err := us.Create(User{ID: name + "-id", Username: name, PasswordHash: "h", CreatedAt: base.Add(time.Duration(3-i) * time.Hour), FeedKey: "feed-" + name}); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := us.List()
	var names []string
	for _, u := range list {
		names = append(names, u.Username)
	}
	if strings.Join(names, ",") != "bob,ann,carl" {
		t.Fatalf("List order %v", names)
	}
	if u, err := us.ByUsername("ANN"); err != nil || u.ID != "ann-id" {
		t.Fatalf("ByUsername: %+v %v", u, err)
	}
	if u, err := us.Get("bob-id"); err != nil || u.Username != "bob" {
		t.Fatalf("Get: %+v %v", u, err)
	}
	if u, err := us.ByFeedKey("feed-carl"); err != nil || u.ID != "carl-id" {
		t.Fatalf("ByFeedKey: %+v %v", u, err)
	}
	for _, err := range []error{
		func() error { _, err := us.ByUsername("nobody"); return err }(),
		func() error { _, err := us.ByUsername(""); return err }(),
		func() error { _, err := us.Get("nobody"); return err }(),
		func() error { _, err := us.ByFeedKey(""); return err }(),
	} {
		mustErr(t, err, ErrNotFound)
	}
	_, err := us.Get("../x")
	mustErr(t, err, ErrInvalidID)
}

func TestUsersUpdateDelete(t *testing.T) {
	paths := testPaths(t)
	us := open(t, paths).Users()
	ann, _ := us.Create(User{Username: "ann", PasswordHash: "h"})
	bob, _ := us.Create(User{Username: "bob", PasswordHash: "h"})
	got, err := us.Update(bob.ID, func(u *User) error {
		u.Username = "Robert"
		u.TokenVersion++
		u.ID = "hijack"
		return nil
	})
	if err != nil || got.ID != bob.ID || got.Username != "Robert" || got.TokenVersion != 1 {
		t.Fatalf("update: %+v %v", got, err)
	}
	_, err = us.Update(bob.ID, func(u *User) error { u.Username = "ANN"; return nil })
	mustErr(t, err, ErrConflict)
	_, err = us.Update(bob.ID, func(u *User) error { u.PasswordHash = ""; return nil })
	if err == nil {
		t.Fatal("update to an invalid user succeeded")
	}
	boom := errors.New("boom")
	if _, err := us.Update(bob.ID, func(u *User) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	_, err = us.Update("nobody", func(u *User) error { return nil })
	mustErr(t, err, ErrNotFound)
	if err := us.Delete(ann.ID); err != nil {
		t.Fatal(err)
	}
	mustErr(t, us.Delete(ann.ID), ErrNotFound)
	// Reopened from disk: the changes are there.
	us2 := open(t, paths).Users()
	list, _ := us2.List()
	if len(list) != 1 || list[0].Username != "Robert" || list[0].TokenVersion != 1 {
		t.Fatalf("after reopen %+v", list)
	}
	// With users left, a new user is not admin even though the admin is gone.
	carl, _ := us2.Create(User{Username: "carl", PasswordHash: "h"})
	if carl.IsAdmin {
		t.Fatal("a later user became admin")
	}
}

func TestCorruptUsersFileRefused(t *testing.T) {
	valid := `[{"id":"a","username":"ann","passwordHash":"h","email":null}]`
	cases := map[string]struct{ content, want string }{
		"empty":          {"", "the file is empty"},
		"blank":          {"  \n", "the file is empty"},
		"object":         {`{"id":"a"}`, "expected a JSON array"},
		"null":           {"null", "expected a JSON array"},
		"truncated":      {valid[:30], "unexpected end of JSON input"},
		"syntax":         {"[\n{\"id\": \"a\",,}\n]", "line 2, column"},
		"wrong type":     {`[{"id": 5}]`, "line 1, column"},
		"bad id":         {`[{"id":"../x","username":"ann","passwordHash":"h"}]`, "invalid id"},
		"duplicate id":   {`[{"id":"a","username":"ann","passwordHash":"h"},{"id":"a","username":"bob","passwordHash":"h"}]`, "id a is also used by user 1"},
		"duplicate name": {`[{"id":"a","username":"ann","passwordHash":"h"},{"id":"b","username":"ANN","passwordHash":"h"}]`, "username is also used by user 1"},
		"no hash":        {`[{"id":"a","username":"ann"}]`, "password hash is empty"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			paths := testPaths(t)
			write(t, paths.UsersFile(), tc.content)
			_, err := Open(paths, templates.FS, slog.New(slog.DiscardHandler))
			if err == nil {
				t.Fatal("Open accepted a corrupt users.json")
			}
			if !strings.Contains(err.Error(), paths.UsersFile()) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q should name %s and say %q", err, paths.UsersFile(), tc.want)
			}
			data, _ := os.ReadFile(paths.UsersFile())
			if string(data) != tc.content {
				t.Fatal("Open changed the corrupt file")
			}
		})
	}
}

func FuzzUsersFile(f *testing.F) {
	f.Add([]byte(`[{"id":"a","username":"ann","passwordHash":"h","email":null,"isAdmin":true,"createdAt":"2025-01-01T00:00:00Z"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"id":"a"}`))
	f.Add([]byte(`{"a":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := parseUsers("users.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "users.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, u := range list {
			if ValidID(u.ID) != nil || checkUser(u) != nil || seen[u.ID] {
				t.Fatalf("accepted a bad user %+v", u)
			}
			seen[u.ID] = true
		}
	})
}

// An update that changes nothing (GET /me asking for the feed key a user
// already has) leaves users.json as it is: no write, no fsync under the
// lock every sign-in check reads through. One that changes something
// writes a new file.
func TestUsersUpdateWithoutChangeDoesNotWrite(t *testing.T) {
	paths := testPaths(t)
	us := open(t, paths).Users()
	email := "ann@example.org"
	ann, err := us.Create(User{Username: "ann", PasswordHash: "h", Email: &email, FeedKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(paths.UsersFile())
	if err != nil {
		t.Fatal(err)
	}
	got, err := us.Update(ann.ID, func(u *User) error { return nil })
	if err != nil || got.FeedKey != "k" || *got.Email != email {
		t.Fatalf("no-op update: %+v, %v", got, err)
	}
	if after, err := os.Stat(paths.UsersFile()); err != nil || !os.SameFile(before, after) {
		t.Fatalf("an update that changed nothing rewrote users.json (%v)", err)
	}
	if _, err := us.Update(ann.ID, func(u *User) error { u.FeedKey = "k2"; return nil }); err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(paths.UsersFile()); err != nil || os.SameFile(before, after) {
		t.Fatalf("an update that changed the feed key did not write users.json (%v)", err)
	}
	if u, err := open(t, paths).Users().Get(ann.ID); err != nil || u.FeedKey != "k2" {
		t.Fatalf("after reopening: %+v, %v", u, err)
	}
}
