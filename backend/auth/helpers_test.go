package auth

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/config"
	"podcastfy/backend/store"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

// newUsers returns the users of a new, empty store in a temporary folder.
func newUsers(t testing.TB) *store.Users {
	t.Helper()
	paths, err := config.ResolvePaths(func(k string) string {
		if k == "PODCASTFY_HOME" {
			return t.TempDir()
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(paths, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return st.Users()
}

// newService returns a Service with the cheapest bcrypt cost over an empty
// store, and its clock.
func newService(t testing.TB) (*Service, *clock, *store.Users) {
	t.Helper()
	c := newClock()
	users := newUsers(t)
	return New(users, testKey, Options{BcryptCost: bcrypt.MinCost, Now: c.Now}), c, users
}

// mustCreate adds a user or fails the test.
func mustCreate(t testing.TB, s *Service, name, password string) store.User {
	t.Helper()
	u, err := s.CreateUser(name, password, nil, false)
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}
