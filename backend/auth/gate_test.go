package auth

import (
	"errors"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/store"
)

// blockingUsers holds every ByUsername call until release is closed, so a
// test can keep logins inside the gate.
type blockingUsers struct {
	*store.Users
	entered chan struct{}
	release chan struct{}
}

func (b *blockingUsers) ByUsername(name string) (store.User, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.Users.ByUsername(name)
}

// With every slot and queue place taken, a further login is answered at
// once as busy; once the checks finish, logins go through again.
func TestLoginGateBoundsConcurrentChecks(t *testing.T) {
	users := &blockingUsers{Users: newUsers(t), entered: make(chan struct{}, 8), release: make(chan struct{})}
	s := New(users, testKey, Options{BcryptCost: bcrypt.MinCost, LoginSlots: 2, LoginQueue: 1})
	if _, err := s.CreateUser("alice", "alice-password", nil, false); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { s.Login("alice", "alice-password", "10.0.0.1") })
	}
	<-users.entered
	<-users.entered
	// A third waits for a slot; wait until it is counted in the queue.
	wg.Go(func() { s.Login("alice", "alice-password", "10.0.0.2") })
	for {
		s.gate.mu.Lock()
		n := s.gate.waiting
		s.gate.mu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	_, err := s.Login("alice", "alice-password", "10.0.0.3")
	var te *ThrottledError
	if !errors.As(err, &te) || !te.Busy {
		t.Fatalf("err = %v, want a busy *ThrottledError", err)
	}
	if te.Error() != "the server is busy checking other logins, retry after 1 s" {
		t.Errorf("message %q", te)
	}
	close(users.release)
	wg.Wait()
	if _, err := s.Login("alice", "alice-password", "10.0.0.3"); err != nil {
		t.Errorf("after the flood: %v", err)
	}
}

// Every login that is not throttled does exactly one bcrypt comparison at
// the configured cost, whether the name exists, is unknown or is not even a
// valid name, and a known account stored at an older cost is upgraded.
func TestLoginWorkDoesNotRevealNames(t *testing.T) {
	s, _, users := newService(t)
	mustCreate(t, s, "alice", "alice-password")
	old, err := bcrypt.GenerateFromPassword([]byte("bob-password"), bcrypt.MinCost+1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := users.Create(store.User{Username: "bob", PasswordHash: string(old)}); err != nil {
		t.Fatal(err)
	}
	var costs []int
	compareHash = func(hash, pw []byte) error {
		c, err := bcrypt.Cost(hash)
		if err != nil {
			t.Errorf("compared against a broken hash: %v", err)
		}
		costs = append(costs, c)
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
	t.Cleanup(func() { compareHash = bcrypt.CompareHashAndPassword })

	s.Login("bob", "bob-password", "10.0.0.1") // upgrades bob's hash
	costs = nil
	for _, name := range []string{"alice", "bob", "mallory", "not a valid name!"} {
		s.Login(name, "wrong password", "10.0.0.2")
	}
	want := []int{bcrypt.MinCost, bcrypt.MinCost, bcrypt.MinCost, bcrypt.MinCost}
	if len(costs) != len(want) {
		t.Fatalf("comparisons at costs %v, want %v", costs, want)
	}
	for i := range want {
		if costs[i] != want[i] {
			t.Fatalf("comparisons at costs %v, want %v", costs, want)
		}
	}
	if _, err := s.Login("bob", "bob-password", "10.0.0.1"); err != nil {
		t.Errorf("bob after the upgrade: %v", err)
	}
}
