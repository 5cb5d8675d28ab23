package core

import (
	"context"
	"sync"
	"time"

	"podcastfy/backend/apperr"
)

// DefaultMaxQueuedPerUser bounds one user's queued and running jobs.
const DefaultMaxQueuedPerUser = 3

// newcomerPlaces are the places kept, beyond MaxJobs, for users who have
// nothing running. A household's other members each start a job at once
// while one member's burst holds the shared places; they share the CPU
// with it instead of waiting for it.
const newcomerPlaces = 4

// scheduler hands out places to run fairly between users. There are max
// places for everyone, and newcomerPlaces more kept for users who have
// nothing running: a user whose jobs all wait starts one at once, beside
// the jobs already running, instead of waiting for one of them to end. So
// a burst of one user's jobs never makes another user's job wait for it,
// and at most max+newcomerPlaces jobs run at once. When a place frees, it
// goes to the waiting user with the fewest jobs running, and among those
// to the one who started a job longest ago.
type scheduler struct {
	mu        sync.Mutex
	max       int
	running   map[string]int // owner → jobs running
	total     int
	lastStart map[string]time.Time
	waiting   []*waiter // in arrival order
	now       func() time.Time
}

type waiter struct {
	owner string
	ready chan struct{}
}

func newScheduler(max int, now func() time.Time) *scheduler {
	return &scheduler{max: max, running: map[string]int{}, lastStart: map[string]time.Time{}, now: now}
}

// acquire waits for a place to run owner's job; it fails only when ctx
// ends first.
func (q *scheduler) acquire(ctx context.Context, owner string) error {
	w := &waiter{owner: owner, ready: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	q.dispatch()
	q.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-w.ready: // granted meanwhile: give the place back
		q.releaseLocked(owner)
	default:
		for i, o := range q.waiting {
			if o == w {
				q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
				break
			}
		}
	}
	return ctx.Err()
}

// release gives back owner's place.
func (q *scheduler) release(owner string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.releaseLocked(owner)
}

func (q *scheduler) releaseLocked(owner string) {
	q.total--
	if q.running[owner]--; q.running[owner] <= 0 {
		delete(q.running, owner)
	}
	q.dispatch()
}

// dispatch starts waiters while places are free. Called with mu held.
func (q *scheduler) dispatch() {
	for len(q.waiting) > 0 {
		best := 0
		for i, w := range q.waiting[1:] {
			if q.before(w.owner, q.waiting[best].owner) {
				best = i + 1
			}
		}
		w := q.waiting[best]
		// best runs the fewest jobs: when it runs some, every waiter does,
		// and only the shared places are theirs.
		newcomer := q.running[w.owner] == 0
		if q.total >= q.max && (!newcomer || q.total >= q.max+newcomerPlaces) {
			return
		}
		q.waiting = append(q.waiting[:best], q.waiting[best+1:]...)
		q.total++
		q.running[w.owner]++
		q.lastStart[w.owner] = q.now()
		close(w.ready)
	}
}

// before reports whether owner a's next job should start before b's.
func (q *scheduler) before(a, b string) bool {
	if a == b {
		return false // keep one user's jobs in arrival order
	}
	if ra, rb := q.running[a], q.running[b]; ra != rb {
		return ra < rb
	}
	return q.lastStart[a].Before(q.lastStart[b])
}

// checkUserCap refuses a new job when owner already has the most queued
// and running jobs allowed. Called with s.mu held.
func (s *Service) checkUserCap(owner string) error {
	n := 0
	for _, j := range s.jobs {
		if j.rec.Status.Owner == owner && j.rec.Status.State.Running() {
			n++
		}
	}
	if n >= s.cfg.MaxQueuedPerUser {
		return apperr.New(apperr.Throttled,
			"you already have %d jobs queued or running, the most one user may have (server.maxQueuedPerUser); wait for one to finish or cancel one", n)
	}
	return nil
}
