package core

import (
	"context"
	"sync"
	"time"
)

// checkRunTimeout bounds one check run in the background: a caller waits
// at most its own budget (PreflightBudget), but the check goes on to this
// limit and its answer is kept for the next caller, so a server that
// answers in 3 s is known on the next keystroke instead of never.
const checkRunTimeout = 6 * time.Second

// checkCache keeps the answers of slow checks (a server's health, its voice
// list, a document's text) for a short while, and runs each check once at a
// time however many callers ask: a form that plans as its user types must
// not hammer the servers it checks.
type checkCache struct {
	now func() time.Time

	mu sync.Mutex
	m  map[string]*checkEntry
}

type checkEntry struct {
	done chan struct{} // closed when val and err are set
	val  any
	err  error
	at   time.Time // when the answer came
	ttl  time.Duration
}

func newCheckCache(now func() time.Time) *checkCache {
	return &checkCache{now: now, m: map[string]*checkEntry{}}
}

// do returns the answer of fn under key, from the cache when it is younger
// than ttl, else running fn (once, whoever else asks meanwhile). A caller
// whose ctx ends first gets ctx's error; fn runs on to checkRunTimeout.
func (c *checkCache) do(ctx context.Context, key string, ttl time.Duration, fn func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	now := c.now()
	e := c.m[key]
	if e != nil && e.expired(now) {
		e = nil
	}
	if e == nil {
		c.prune(now)
		e = &checkEntry{done: make(chan struct{}), ttl: ttl}
		c.m[key] = e
		go c.run(e, fn)
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *checkCache) run(e *checkEntry, fn func(context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), checkRunTimeout)
	defer cancel()
	val, err := fn(ctx)
	c.mu.Lock()
	e.val, e.err, e.at = val, err, c.now()
	if ctx.Err() != nil {
		e.ttl = 0 // out of time is not an answer to keep
	}
	c.mu.Unlock()
	close(e.done)
}

// expired reports an answer older than its ttl; a check still running is
// not expired. Called with c.mu held.
func (e *checkEntry) expired(now time.Time) bool {
	select {
	case <-e.done:
		return now.Sub(e.at) >= e.ttl
	default:
		return false
	}
}

// prune drops expired answers, so the cache holds only what is in use.
// Called with c.mu held.
func (c *checkCache) prune(now time.Time) {
	for k, e := range c.m {
		if e.expired(now) {
			delete(c.m, k)
		}
	}
}

// forget drops every answer: the settings changed, so a server's answer
// may no longer be the one a job would get. Checks still running finish
// for their callers only.
func (c *checkCache) forget() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
