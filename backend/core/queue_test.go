package core

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// With one place: the flooder holds it and queues more; users who run
// nothing start at once on the places kept for newcomers; once those are
// taken a newcomer waits, and a waiter whose context ends leaves. When
// places free, users running nothing go first, and the flooder never holds
// more than the shared place while others run.
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
	// acquire returns at once for users running nothing: no release needed.
	for i := range newcomerPlaces {
		if err := q.acquire(ctx, fmt.Sprint("user-", i)); err != nil {
			t.Fatal(err)
		}
	}
	gone, cancel := context.WithCancel(ctx)
	go func() { q.acquire(gone, "quitter"); order <- "quitter" }()
	queued(3)
	cancel()
	if got := <-order; got != "quitter" {
		t.Fatalf("first out %q, want the cancelled waiter", got)
	}
	queued(2)
	go wait("carol", "carol")
	queued(3)

	for _, step := range []struct {
		ends, next string
		waiting    int
	}{
		{"flooder", "carol", 2}, // carol never started: before the flooder
		{"bob", "flooder-2", 1}, // the flooder runs nothing now
		{"carol", "", 1},        // the flooder runs one: the newcomers' place stays free
		{"flooder", "flooder-3", 0},
	} {
		q.release(step.ends)
		if step.next != "" {
			if got := <-order; got != step.next {
				t.Fatalf("after a job of %s ended the place went to %q, want %q", step.ends, got, step.next)
			}
		}
		q.mu.Lock() // dispatch runs inside release: its outcome is settled
		got := len(q.waiting)
		q.mu.Unlock()
		if got != step.waiting {
			t.Fatalf("after a job of %s ended %d wait, want %d", step.ends, got, step.waiting)
		}
	}
	select {
	case got := <-order:
		t.Fatalf("%s started without a free place", got)
	default:
	}
}
