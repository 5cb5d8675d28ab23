package balance

import (
	"context"
	"testing"
	"time"
)

// A server that fails is left alone for the cooldown while another is in
// service, even when it is the only one free; once the cooldown is over it
// takes calls again. When every server left is out, a call still tries the
// one back soonest rather than waiting.
func TestFailedServerSitsOutItsCooldown(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := New[string](time.Minute, func() time.Time { return now })
	p.Add("dead", 1)
	p.Add("live", 1)
	ctx := context.Background()
	acquire := func(tried map[*Server[string]]bool) *Server[string] {
		t.Helper()
		s, err := p.Acquire(ctx, tried)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	first := acquire(nil)
	if first.Value != "dead" {
		t.Fatalf("the first call went to %q; with both idle it goes to the first added", first.Value)
	}
	p.Release(first, true)

	// The next calls go to the live server, one at a time, while "dead" sits out.
	for i := range 3 {
		s := acquire(nil)
		if s.Value != "live" {
			t.Fatalf("call %d went to %q during its cooldown", i+2, s.Value)
		}
		p.Release(s, false)
	}

	// The live one busy: a call waits for it rather than taking the one that is out.
	busy := acquire(nil)
	got := make(chan *Server[string])
	go func() {
		s, _ := p.Acquire(ctx, nil)
		got <- s
	}()
	p.Release(busy, false)
	if s := <-got; s.Value != "live" {
		t.Fatalf("a waiting call went to %q during its cooldown", s.Value)
	} else {
		p.Release(s, false)
	}

	// A call that tried the live server already falls back to the one that is out.
	live := acquire(nil)
	if s := acquire(map[*Server[string]]bool{live: true}); s.Value != "dead" {
		t.Fatalf("with only the failed server untried, the call went to %q", s.Value)
	} else {
		p.Release(s, true)
	}
	p.Release(live, false)

	// After the cooldown the failed server is back, first in order again.
	now = now.Add(time.Minute + time.Second)
	if s := acquire(nil); s.Value != "dead" {
		t.Fatalf("after its cooldown the server got no call (went to %q)", s.Value)
	}
}

// Acquire reports nil once the call has tried every server, and gives up
// waiting for a slot when the call's context ends.
func TestAcquireEnds(t *testing.T) {
	p := New[int](0, nil)
	p.Add(1, 1)
	s, err := p.Acquire(context.Background(), nil)
	if err != nil || s == nil {
		t.Fatalf("Acquire = %v, %v", s, err)
	}
	if again, err := p.Acquire(context.Background(), map[*Server[int]]bool{s: true}); again != nil || err != nil {
		t.Fatalf("with every server tried Acquire = %v, %v; want nil, nil", again, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Acquire(ctx, nil); err == nil {
		t.Fatal("Acquire waited on a full pool past its context")
	}
}
