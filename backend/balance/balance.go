// Package balance hands out the slots of several servers that do the same
// work (TTS servers of one provider, Ollama hosts of one writer): each call
// goes to the least loaded server in service, in order of asking; a server
// that fails is taken out for a cooldown and the call tried on another.
package balance

import (
	"context"
	"sync"
	"time"
)

// DefaultCooldown is how long a failing server is left alone.
const DefaultCooldown = 30 * time.Second

// Server is one server of a Pool and the value that reaches it.
type Server[T any] struct {
	Value     T
	slots     int
	busy      int
	downUntil time.Time
}

// Pool is a set of servers with their slots.
type Pool[T any] struct {
	servers  []*Server[T]
	cooldown time.Duration
	now      func() time.Time

	mu    sync.Mutex
	freed chan struct{} // closed and replaced whenever a slot frees up
}

// New returns an empty pool. cooldown 0 means DefaultCooldown; now nil
// means time.Now.
func New[T any](cooldown time.Duration, now func() time.Time) *Pool[T] {
	if cooldown <= 0 {
		cooldown = DefaultCooldown
	}
	if now == nil {
		now = time.Now
	}
	return &Pool[T]{cooldown: cooldown, now: now, freed: make(chan struct{})}
}

// Add puts a server taking concurrency calls at once (0 means 1) into the
// pool; call it before the pool is used.
func (p *Pool[T]) Add(v T, concurrency int) {
	p.servers = append(p.servers, &Server[T]{Value: v, slots: max(1, concurrency)})
}

// Servers are the pool's servers in the order they were added.
func (p *Pool[T]) Servers() []*Server[T] { return p.servers }

// Capacity is how many calls the servers take at once in all.
func (p *Pool[T]) Capacity() int {
	n := 0
	for _, s := range p.servers {
		n += s.slots
	}
	return n
}

// Acquire takes a slot on a server this call has not tried: one in service
// when there is one (waiting for a slot when all are busy), else one taken
// out (it may be back). nil when every server was tried.
func (p *Pool[T]) Acquire(ctx context.Context, tried map[*Server[T]]bool) (*Server[T], error) {
	for {
		p.mu.Lock()
		now := p.now()
		var pick *Server[T]
		candidates, up := 0, 0
		for _, s := range p.servers {
			if tried[s] {
				continue
			}
			candidates++
			if now.Before(s.downUntil) {
				continue
			}
			up++
			// The least loaded server with a free slot, by its share in use.
			if s.busy < s.slots && (pick == nil || s.busy*pick.slots < pick.busy*s.slots) {
				pick = s
			}
		}
		if candidates == 0 {
			p.mu.Unlock()
			return nil, nil
		}
		if pick == nil && up == 0 {
			for _, s := range p.servers {
				if !tried[s] && s.busy < s.slots && (pick == nil || s.downUntil.Before(pick.downUntil)) {
					pick = s
				}
			}
		}
		if pick != nil {
			pick.busy++
			p.mu.Unlock()
			return pick, nil
		}
		freed := p.freed
		p.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

// Release frees s's slot, taking s out of service when it failed.
func (p *Pool[T]) Release(s *Server[T], failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s.busy--
	if failed {
		s.downUntil = p.now().Add(p.cooldown)
	}
	close(p.freed)
	p.freed = make(chan struct{})
}
