package auth

import (
	"sync"
	"time"
)

// Login concurrency defaults. Each login that reaches the password check
// costs one bcrypt comparison (a few hundred milliseconds of one core at the
// default cost); the gate lets at most loginSlots run at once and at most
// loginQueue wait for a slot, so a flood of logins from many addresses
// cannot take every core from the rest of the server. Attempts beyond that
// are answered at once with a short retry, which locks no one out: the next
// try a second later competes afresh.
const (
	defaultLoginSlots = 2
	defaultLoginQueue = 32
	busyRetry         = time.Second
)

// gate bounds the password checks running and waiting at once.
type gate struct {
	slots chan struct{}

	mu      sync.Mutex
	waiting int
	queue   int
}

func newGate(slots, queue int) *gate {
	return &gate{slots: make(chan struct{}, max(1, slots)), queue: max(0, queue)}
}

// enter takes a slot, waiting for one if fewer than queue others are
// already waiting; it reports false (and takes nothing) otherwise.
func (g *gate) enter() bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	g.mu.Lock()
	if g.waiting >= g.queue {
		g.mu.Unlock()
		return false
	}
	g.waiting++
	g.mu.Unlock()
	g.slots <- struct{}{}
	g.mu.Lock()
	g.waiting--
	g.mu.Unlock()
	return true
}

// leave gives back a slot taken by enter.
func (g *gate) leave() { <-g.slots }
