package core

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// With one place, a user who has waited without running gets the place
// before the flooder's next job; one user's jobs keep their order; a
// waiter whose context ends leaves the queue.
func TestSchedulerTakesUsersInTurn(t *testing.T) {
	clock := time.Unix(0, 0)
	q := newScheduler(1, func() time.Time { clock = clock.Add(time.Second); return clock })
	ctx := context.Background()
	if err := q.acquire(ctx, "flooder"); err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 4)
	wait := func(owner, label string) {
		if err := q.acquire(ctx, owner); err == nil {
			order <- label
		}
	}
	queued := func(n int) {
		for {
			q.mu.Lock()
			got := len(q.waiting)
			q.mu.Unlock()
			if got == n {
				return
			}
			runtime.Gosched() // let the goroutine that is queueing run
		}
	}
	go wait("flooder", "flooder-2")
	queued(1)
	go wait("flooder", "flooder-3")
	queued(2)
	gone, cancel := context.WithCancel(ctx)
	go func() { q.acquire(gone, "quitter"); order <- "quitter" }()
	queued(3)
	cancel()
	if got := <-order; got != "quitter" {
		t.Fatalf("first out %q, want the cancelled waiter", got)
	}
	queued(2)
	go wait("bob", "bob")
	queued(3)

	// The flooder's first job ends: bob, who runs nothing, goes next.
	for _, step := range []struct{ ends, next string }{
		{"flooder", "bob"}, {"bob", "flooder-2"}, {"flooder", "flooder-3"},
	} {
		q.release(step.ends)
		if got := <-order; got != step.next {
			t.Fatalf("after a job of %s ended the place went to %q, want %q", step.ends, got, step.next)
		}
	}
}
