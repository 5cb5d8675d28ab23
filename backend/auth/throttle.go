package auth

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// ThrottledError is returned by Login while a client address (or a username
// tried from that address) is backing off after repeated failures, or while
// the server is already checking as many logins as it allows at once (Busy).
type ThrottledError struct {
	RetryAfter time.Duration
	Busy       bool
	// Reason replaces "too many failed logins from this address" for
	// other attempts that back off (wrong current passwords).
	Reason string
}

func (e *ThrottledError) Error() string {
	if e.Busy {
		return fmt.Sprintf("the server is busy checking other logins, retry after %d s", e.Seconds())
	}
	if e.Reason != "" {
		return fmt.Sprintf("%s, retry after %d s", e.Reason, e.Seconds())
	}
	return fmt.Sprintf("too many failed logins from this address, retry after %d s", e.Seconds())
}

// Seconds is RetryAfter rounded up to whole seconds (at least 1), as used in
// messages and the HTTP Retry-After header.
func (e *ThrottledError) Seconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Throttle defaults. Failures are counted per key; once a key has had Free
// consecutive failures, each further failure blocks it for Base, doubling up
// to Max (so attempts first slow down, then stop). A key with no failure for
// Forget is dropped. Keys always include the client address: failures from
// one address never hold back the right password from another.
const (
	pairFreeFailures    = 5  // one username from one address
	addressFreeFailures = 20 // several people may share one address (NAT)
	throttleBase        = time.Second
	throttleMax         = 15 * time.Minute
	throttleForget      = time.Hour
	throttleMaxEntries  = 10_000
)

// throttle counts consecutive failures per key (a lowercased username or a
// client address) and computes an exponential back-off. It is safe for
// concurrent use and holds at most maxEntries keys.
type throttle struct {
	free       int
	base, cap  time.Duration
	forget     time.Duration
	maxEntries int

	mu      sync.Mutex
	entries map[string]*failures
}

type failures struct {
	count int
	last  time.Time // time of the latest failure
	until time.Time // blocked until then
}

func newThrottle(free int) *throttle {
	return &throttle{
		free:       free,
		base:       throttleBase,
		cap:        throttleMax,
		forget:     throttleForget,
		maxEntries: throttleMaxEntries,
		entries:    make(map[string]*failures),
	}
}

// wait reports how long key must still wait before its next attempt; zero
// means it may try now.
func (t *throttle) wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.entries[key]
	if !ok {
		return 0
	}
	if now.Sub(f.last) >= t.forget {
		delete(t.entries, key)
		return 0
	}
	if d := f.until.Sub(now); d > 0 {
		return d
	}
	return 0
}

// fail records a failed attempt by key.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.entries[key]
	if ok && now.Sub(f.last) >= t.forget {
		ok = false
	}
	if !ok {
		if len(t.entries) >= t.maxEntries {
			t.prune(now)
		}
		f = &failures{}
		t.entries[key] = f
	}
	f.count++
	f.last = now
	if f.count >= t.free {
		f.until = now.Add(t.delay(f.count - t.free))
	}
}

// reset forgets key's failures (after a successful login).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// resetUser forgets the failures of username from every address (after
// its password was reset). Pair keys end in "\x00" + the lowercased name.
func (t *throttle) resetUser(username string) {
	suffix := "\x00" + throttleKey(username)
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.entries {
		if strings.HasSuffix(k, suffix) {
			delete(t.entries, k)
		}
	}
}

// delay is base·2^n, capped.
func (t *throttle) delay(n int) time.Duration {
	d := t.base
	for range n {
		d *= 2
		if d >= t.cap {
			return t.cap
		}
	}
	return min(d, t.cap)
}

// prune drops forgotten keys and, if the table is still full, the key whose
// latest failure is oldest. Called with mu held.
func (t *throttle) prune(now time.Time) {
	var oldestKey string
	var oldest time.Time
	found := false
	for k, f := range t.entries {
		if now.Sub(f.last) >= t.forget {
			delete(t.entries, k)
			continue
		}
		if !found || f.last.Before(oldest) {
			oldestKey, oldest, found = k, f.last, true
		}
	}
	if found && len(t.entries) >= t.maxEntries {
		delete(t.entries, oldestKey)
	}
}

// size reports the number of keys held.
func (t *throttle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}
