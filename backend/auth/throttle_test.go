package auth

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestThrottleDelays(t *testing.T) {
	tr := newThrottle(5)
	now := newClock().Now()
	tests := []struct {
		failure int
		want    time.Duration
	}{
		{1, 0}, {2, 0}, {3, 0}, {4, 0},
		{5, time.Second},
		{6, 2 * time.Second},
		{7, 4 * time.Second},
		{8, 8 * time.Second},
		{14, 512 * time.Second},
		{15, 15 * time.Minute}, // 1024 s, capped at 900 s
		{16, 15 * time.Minute},
		{80, 15 * time.Minute}, // no overflow after many doublings
	}
	failures := 0
	for _, tt := range tests {
		for failures < tt.failure {
			failures++
			tr.fail("alice", now)
		}
		if got := tr.wait("alice", now); got != tt.want {
			t.Errorf("after %d failures: wait = %v, want %v", tt.failure, got, tt.want)
		}
	}
	if got := tr.wait("bob", now); got != 0 {
		t.Errorf("other key: wait = %v, want 0", got)
	}
	tr.reset("alice")
	if got := tr.wait("alice", now); got != 0 {
		t.Errorf("after reset: wait = %v, want 0", got)
	}
}

func TestThrottleWaitCountsDown(t *testing.T) {
	tr := newThrottle(1)
	clk := newClock()
	tr.fail("k", clk.Now())
	tr.fail("k", clk.Now()) // second failure: 2 s
	clk.Advance(1500 * time.Millisecond)
	if got := tr.wait("k", clk.Now()); got != 500*time.Millisecond {
		t.Errorf("wait = %v, want 500ms", got)
	}
	clk.Advance(500 * time.Millisecond)
	if got := tr.wait("k", clk.Now()); got != 0 {
		t.Errorf("wait at deadline = %v, want 0", got)
	}
}

func TestThrottleForgetsOldFailures(t *testing.T) {
	tr := newThrottle(5)
	clk := newClock()
	for range 10 {
		tr.fail("k", clk.Now())
	}
	clk.Advance(throttleForget)
	if got := tr.wait("k", clk.Now()); got != 0 {
		t.Errorf("after an hour without failures: wait = %v, want 0", got)
	}
	tr.fail("k", clk.Now())
	if got := tr.wait("k", clk.Now()); got != 0 {
		t.Errorf("first failure after forgetting: wait = %v, want 0 (count restarted)", got)
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	tr := newThrottle(5)
	tr.maxEntries = 100
	clk := newClock()
	tr.fail("target", clk.Now())
	for i := range 1000 {
		clk.Advance(time.Millisecond)
		tr.fail(fmt.Sprintf("spray-%d", i), clk.Now())
		if n := tr.size(); n > tr.maxEntries {
			t.Fatalf("throttle holds %d keys, limit %d", n, tr.maxEntries)
		}
	}
	// The oldest key went first.
	tr.mu.Lock()
	_, kept := tr.entries["target"]
	_, newest := tr.entries["spray-999"]
	tr.mu.Unlock()
	if kept || !newest {
		t.Errorf("eviction kept oldest=%v newest=%v; want the oldest evicted, the newest kept", kept, newest)
	}

	// Forgotten keys are pruned in one sweep.
	clk.Advance(throttleForget)
	tr.fail("fresh", clk.Now())
	if n := tr.size(); n != 1 {
		t.Errorf("after the forget window: %d keys, want 1", n)
	}
}

func TestThrottledErrorMessage(t *testing.T) {
	tests := map[time.Duration]string{
		time.Second:             "too many failed logins from this address, retry after 1 s",
		1500 * time.Millisecond: "too many failed logins from this address, retry after 2 s",
		time.Millisecond:        "too many failed logins from this address, retry after 1 s",
		15 * time.Minute:        "too many failed logins from this address, retry after 900 s",
	}
	for d, want := range tests {
		if got := (&ThrottledError{RetryAfter: d}).Error(); got != want {
			t.Errorf("RetryAfter %v: %q, want %q", d, got, want)
		}
	}
}

// retryAfter returns the back-off reported by err, or fails the test.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *ThrottledError", err)
	}
	return te.RetryAfter
}

func TestLoginThrottlesUsernameFromOneAddress(t *testing.T) {
	s, clk, _ := newService(t)
	mustCreate(t, s, "alice", "alice-password")

	for i := 1; i <= pairFreeFailures; i++ {
		// The case of the name must not matter.
		_, err := s.Login([]string{"alice", "ALICE", "Alice"}[i%3], "wrong", "10.0.0.1")
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: err = %v, want ErrInvalidCredentials", i, err)
		}
	}
	// From that address even the right password waits, without a check.
	_, err := s.Login("alice", "alice-password", "10.0.0.1")
	if got := retryAfter(t, err); got != time.Second {
		t.Errorf("retry after %v, want 1s", got)
	}
	if err.Error() != "too many failed logins from this address, retry after 1 s" {
		t.Errorf("message %q", err)
	}
	// The owner at another address is never held back.
	if _, err := s.Login("alice", "alice-password", "10.0.0.99"); err != nil {
		t.Errorf("right password from another address: %v", err)
	}
	// Another user from the same address is unaffected.
	mustCreate(t, s, "bob", "bob-password")
	if _, err := s.Login("bob", "bob-password", "10.0.0.1"); err != nil {
		t.Errorf("bob: %v", err)
	}

	clk.Advance(time.Second)
	if _, err := s.Login("alice", "wrong again", "10.0.0.1"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("after waiting: err = %v", err)
	}
	_, err = s.Login("alice", "alice-password", "10.0.0.1")
	if got := retryAfter(t, err); got != 2*time.Second {
		t.Errorf("sixth failure: retry after %v, want 2s", got)
	}

	clk.Advance(2 * time.Second)
	if _, err := s.Login("alice", "alice-password", "10.0.0.1"); err != nil {
		t.Fatalf("right password after the back-off: %v", err)
	}
	// Success reset the counter: four fresh failures are free again.
	for i := range pairFreeFailures - 1 {
		if _, err := s.Login("alice", "wrong", "10.0.0.1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d after success: err = %v", i+1, err)
		}
	}
	if _, err := s.Login("alice", "alice-password", "10.0.0.1"); err != nil {
		t.Errorf("counter was not reset by the successful login: %v", err)
	}
}

// Paced failures from many addresses never block the username itself.
func TestLoginCannotLockAnAccountOut(t *testing.T) {
	s, _, _ := newService(t)
	mustCreate(t, s, "admin", "admin-password")
	for i := range 200 {
		addr := fmt.Sprintf("10.1.%d.%d", i/250, i%250)
		for range pairFreeFailures + 2 {
			s.Login("admin", "guess", addr)
		}
	}
	if _, err := s.Login("admin", "admin-password", "10.9.9.9"); err != nil {
		t.Fatalf("owner locked out: %v", err)
	}
}

// A password reset forgets the name's failures from every address.
func TestSetPasswordForgetsFailures(t *testing.T) {
	s, _, _ := newService(t)
	u := mustCreate(t, s, "alice", "alice-password")
	for range pairFreeFailures + 1 {
		s.Login("alice", "wrong", "10.0.0.1")
	}
	if _, err := s.Login("alice", "alice-password", "10.0.0.1"); err == nil {
		t.Fatal("not throttled before the reset")
	}
	if err := s.SetPassword(u.ID, "new-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login("alice", "new-password", "10.0.0.1"); err != nil {
		t.Errorf("after the reset: %v", err)
	}
}

func TestLoginThrottlesAddress(t *testing.T) {
	s, clk, _ := newService(t)
	mustCreate(t, s, "alice", "alice-password")

	// Spraying many usernames from one address: each name stays under its
	// own limit, the address does not.
	for i := 1; i <= addressFreeFailures; i++ {
		if _, err := s.Login(fmt.Sprintf("user%d", i), "guess", "192.0.2.7"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: err = %v, want ErrInvalidCredentials", i, err)
		}
	}
	_, err := s.Login("alice", "alice-password", "192.0.2.7")
	if got := retryAfter(t, err); got != time.Second {
		t.Errorf("retry after %v, want 1s", got)
	}
	if _, err := s.Login("alice", "alice-password", "192.0.2.8"); err != nil {
		t.Errorf("another address: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := s.Login("alice", "alice-password", "192.0.2.7"); err != nil {
		t.Errorf("after the back-off: %v", err)
	}
}

func TestLoginBackOffGrowsToCap(t *testing.T) {
	s, clk, _ := newService(t)
	mustCreate(t, s, "alice", "alice-password")
	want := time.Duration(0)
	const addr = "198.51.100.1"
	for i := 1; i <= 20; i++ {
		// One address: its own counter (free for longer) stays behind.
		if _, err := s.Login("alice", "wrong", addr); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: err = %v, want ErrInvalidCredentials", i, err)
		}
		if i < pairFreeFailures {
			continue
		}
		if i == pairFreeFailures {
			want = time.Second
		} else {
			want = min(want*2, throttleMax)
		}
		_, err := s.Login("alice", "alice-password", addr)
		if got := retryAfter(t, err); got != want {
			t.Errorf("after %d failures: retry after %v, want %v", i, got, want)
		}
		clk.Advance(want)
	}
	if want != throttleMax {
		t.Errorf("back-off ended at %v, want the %v cap", want, throttleMax)
	}
}
