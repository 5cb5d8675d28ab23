package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/config"
)

// userNames reads users.json straight from disk.
func userNames(t *testing.T, paths config.Paths) []string {
	t.Helper()
	data, err := os.ReadFile(paths.UsersFile())
	if err != nil {
		t.Fatal(err)
	}
	var list []User
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Username)
	}
	slices.Sort(names)
	return names
}

func listedNames(t *testing.T, us *Users) []string {
	t.Helper()
	list, err := us.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Username)
	}
	slices.Sort(names)
	return names
}

// Two stores on one folder behave like two processes: each sees the
// other's changes at once, and neither loses them when it writes.
func TestUsersSharedBetweenStores(t *testing.T) {
	paths := testPaths(t)
	a, b := open(t, paths).Users(), open(t, paths).Users()

	ann, err := a.Create(User{Username: "ann", PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := b.ByUsername("ann"); err != nil || u.ID != ann.ID || !u.IsAdmin {
		t.Fatalf("B does not see A's new user: %+v %v", u, err)
	}
	bob, err := b.Create(User{Username: "bob", PasswordHash: "h", FeedKey: "bobs-feed"})
	if err != nil {
		t.Fatal(err)
	}
	if bob.IsAdmin {
		t.Fatal("B made its first user an admin although A had created one")
	}
	want := []string{"ann", "bob"}
	if got := userNames(t, paths); !slices.Equal(got, want) {
		t.Fatalf("users.json holds %v, want %v", got, want)
	}
	if got := listedNames(t, a); !slices.Equal(got, want) || a.Count() != 2 {
		t.Fatalf("A lists %v, want %v", got, want)
	}
	if u, err := a.ByFeedKey("bobs-feed"); err != nil || u.ID != bob.ID {
		t.Fatalf("A cannot find B's user by feed key: %+v %v", u, err)
	}
	// A name taken in the other store is a conflict here too.
	_, err = a.Create(User{Username: "BOB", PasswordHash: "h"})
	mustErr(t, err, ErrConflict)

	if _, err := a.Update(bob.ID, func(u *User) error { u.TokenVersion = 7; return nil }); err != nil {
		t.Fatal(err)
	}
	if u, err := b.Get(bob.ID); err != nil || u.TokenVersion != 7 {
		t.Fatalf("B does not see A's update: %+v %v", u, err)
	}
	if err := b.Delete(ann.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.Get(ann.ID)
	mustErr(t, err, ErrNotFound)
	// Removing the file by hand empties the list everywhere.
	if err := os.Remove(paths.UsersFile()); err != nil {
		t.Fatal(err)
	}
	if n := a.Count(); n != 0 {
		t.Fatalf("A counts %d users after users.json was removed", n)
	}
}

// A change that keeps the file's size, inode and modification time is
// still seen while that time is recent (file systems stamp times from a
// coarse clock, so two writes may share one).
func TestUsersChangeWithinOneClockTick(t *testing.T) {
	paths := testPaths(t)
	c := newClock()
	a, b := open(t, paths).Users(), openAt(t, paths, c.now).Users()
	ann, err := a.Create(User{Username: "ann", PasswordHash: "hash-1"})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := b.Get(ann.ID); u.PasswordHash != "hash-1" {
		t.Fatalf("B reads %q", u.PasswordHash)
	}
	fi, err := os.Stat(paths.UsersFile())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(paths.UsersFile())
	// Rewritten in place (same inode, same size), time put back.
	write(t, paths.UsersFile(), strings.Replace(string(data), "hash-1", "hash-2", 1))
	if err := os.Chtimes(paths.UsersFile(), fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if u, _ := b.Get(ann.ID); u.PasswordHash != "hash-2" {
		t.Fatalf("B missed a change within one clock tick: reads %q", u.PasswordHash)
	}
}

// A users.json that another process left corrupt makes every call fail
// with an error naming it, and is never overwritten.
func TestUsersCorruptOnReload(t *testing.T) {
	paths := testPaths(t)
	us := open(t, paths).Users()
	ann, err := us.Create(User{Username: "ann", PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(paths.UsersFile())
	const corrupt = `[{"id": "x",`
	write(t, paths.UsersFile(), corrupt)
	calls := map[string]func() error{
		"get":     func() error { _, err := us.Get(ann.ID); return err },
		"by name": func() error { _, err := us.ByUsername("ann"); return err },
		"by key":  func() error { _, err := us.ByFeedKey("k"); return err },
		"list":    func() error { _, err := us.List(); return err },
		"create":  func() error { _, err := us.Create(User{Username: "bob", PasswordHash: "h"}); return err },
		"update": func() error {
			_, err := us.Update(ann.ID, func(u *User) error { u.TokenVersion++; return nil })
			return err
		},
		"delete": func() error { return us.Delete(ann.ID) },
	}
	for name, call := range calls {
		err := call()
		if err == nil || !strings.Contains(err.Error(), paths.UsersFile()) || !strings.Contains(err.Error(), "unexpected end of JSON input") {
			t.Errorf("%s: got %v, want an error naming %s", name, err, paths.UsersFile())
		}
	}
	if data, _ := os.ReadFile(paths.UsersFile()); string(data) != corrupt {
		t.Fatalf("the corrupt file was overwritten with %s", data)
	}
	// Repaired: everything works again.
	write(t, paths.UsersFile(), string(good))
	if u, err := us.Get(ann.ID); err != nil || u.Username != "ann" {
		t.Fatalf("after the repair: %+v %v", u, err)
	}
}

// Goroutines of two stores on one folder create users at once: the lock
// file keeps every one of them.
func TestUsersConcurrentStores(t *testing.T) {
	paths := testPaths(t)
	stores := []*Users{open(t, paths).Users(), open(t, paths).Users()}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			if _, err := stores[i%2].Create(User{Username: fmt.Sprintf("u%02d", i), PasswordHash: "h"}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, us := range stores {
		if n := len(listedNames(t, us)); n != 40 {
			t.Errorf("store %d lists %d users, want 40", i, n)
		}
	}
	if n := len(userNames(t, paths)); n != 40 {
		t.Fatalf("users.json holds %d users, want 40", n)
	}
}

const usersChildEnv = "PODCASTFY_STORE_USERS_CHILD"

// TestUsersTwoProcesses re-runs this test binary as a child process; the
// parent and the child each add 50 users at the same time, and all 100
// must be in the file.
func TestUsersTwoProcesses(t *testing.T) {
	if home := os.Getenv(usersChildEnv); home != "" {
		usersChild(home)
		return
	}
	const each = 50
	paths := testPaths(t)
	us := open(t, paths).Users()
	cmd := exec.Command(os.Args[0], "-test.run=^TestUsersTwoProcesses$")
	cmd.Env = append(os.Environ(), usersChildEnv+"="+filepath.Dir(paths.Config))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	ready := false
	for !ready && lines.Scan() {
		ready = lines.Text() == "ready"
	}
	if !ready {
		cmd.Wait()
		t.Fatalf("the child did not start:\n%s", stderr.String())
	}
	// Both start adding at once.
	if _, err := fmt.Fprintln(stdin, "go"); err != nil {
		t.Fatal(err)
	}
	for i := range each {
		if _, err := us.Create(User{Username: fmt.Sprintf("parent-%02d", i), PasswordHash: "h"}); err != nil {
			t.Error(err)
		}
	}
	for lines.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	var want []string
	for i := range each {
		want = append(want, fmt.Sprintf("child-%02d", i), fmt.Sprintf("parent-%02d", i))
	}
	slices.Sort(want)
	if got := userNames(t, paths); !slices.Equal(got, want) {
		t.Fatalf("users.json holds %d users, want %d:\n%v", len(got), len(want), got)
	}
	if got := listedNames(t, us); !slices.Equal(got, want) {
		t.Fatalf("the parent lists %d users, want %d", len(got), len(want))
	}
	list, _ := us.List()
	admins := 0
	for _, u := range list {
		if u.IsAdmin {
			admins++
		}
	}
	if admins != 1 {
		t.Fatalf("%d admins, want 1", admins)
	}
}

// usersChild opens the store under home, says "ready", waits for a line
// on stdin, then adds 50 users.
func usersChild(home string) {
	paths := config.Paths{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data"), State: filepath.Join(home, "state"), Cache: filepath.Join(home, "cache")}
	s, err := Open(paths, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	start := time.Now()
	for i := range 50 {
		if _, err := s.Users().Create(User{Username: fmt.Sprintf("child-%02d", i), PasswordHash: "h"}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
	fmt.Println("done in", time.Since(start))
}
