package voices

import (
	"fmt"
	"math"
	"sync"
	"time"

	"podcastfy/backend/apperr"
)

// Preview limits per user. A preview costs a provider a few seconds of
// work, so a user may ask for previewBurst at once and then one every
// previewEvery — enough to try every voice of a template, too little to use
// the server as a free speech service — and for one at a time.
const (
	previewBurst = 10
	previewEvery = 6 * time.Second
	// limiterMaxUsers is when the users whose allowance is whole again
	// are forgotten (only logged-in users are counted, so the table stays
	// as small as the accounts file).
	limiterMaxUsers = 10_000
)

// LimitError refuses a preview until RetryAfter has passed (Busy: the
// user's previous preview is still being made).
type LimitError struct {
	RetryAfter time.Duration
	Busy       bool
}

func (e *LimitError) Error() string {
	if e.Busy {
		return "your previous voice preview is still being made; wait for it"
	}
	return fmt.Sprintf("too many voice previews; try again in %d s", e.RetryAfterSeconds())
}

// ErrorCode makes a LimitError the "throttled" code.
func (e *LimitError) ErrorCode() string { return apperr.Throttled }

// RetryAfterSeconds is RetryAfter in whole seconds, at least 1.
func (e *LimitError) RetryAfterSeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// limiter is a token bucket and a busy flag per user.
type limiter struct {
	now func() time.Time

	mu    sync.Mutex
	users map[string]*allowance
}

type allowance struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
	busy   bool
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, users: map[string]*allowance{}}
}

// take spends one preview of user's allowance and marks the user busy; the
// returned func ends the preview. It returns a *LimitError instead when the
// allowance is spent or a preview is under way.
func (l *limiter) take(user string) (func(), error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.users[user]
	if !ok {
		if len(l.users) >= limiterMaxUsers {
			l.prune(now)
		}
		a = &allowance{tokens: previewBurst, at: now}
		l.users[user] = a
	}
	a.refill(now)
	switch {
	case a.busy:
		return nil, &LimitError{RetryAfter: time.Second, Busy: true}
	case a.tokens < 1:
		return nil, &LimitError{RetryAfter: time.Duration((1 - a.tokens) * float64(previewEvery))}
	}
	a.tokens--
	a.busy = true
	return func() {
		l.mu.Lock()
		a.busy = false
		l.mu.Unlock()
	}, nil
}

func (a *allowance) refill(now time.Time) {
	if d := now.Sub(a.at); d > 0 {
		a.tokens = min(previewBurst, a.tokens+float64(d)/float64(previewEvery))
		a.at = now
	}
}

// prune forgets the users whose allowance is whole and who are not busy.
// Called with mu held.
func (l *limiter) prune(now time.Time) {
	for user, a := range l.users {
		a.refill(now)
		if !a.busy && a.tokens >= previewBurst {
			delete(l.users, user)
		}
	}
}
