package llm

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// HostConfig is one more Ollama server (ollama.urls) that writes sections
// of an episode in parallel with the main one. It should run the same
// model.
type HostConfig struct {
	URL string
	// Concurrency is how many sections it writes at once; 0 means 1.
	Concurrency int
}

// MaxHostConcurrency bounds a host's concurrency.
const MaxHostConcurrency = 16

// DefaultHostCooldown is how long a failing host is left alone.
const DefaultHostCooldown = 30 * time.Second

// host is one Ollama server of the writer.
type host struct {
	base      *url.URL
	client    *api.Client
	slots     int
	busy      int
	downUntil time.Time
}

// hostPool hands out the hosts' slots: each call goes to the least loaded
// host in service, in order of asking. A host that fails (unreachable,
// stalled, an error from Ollama, the model missing) is taken out for the
// cooldown and the call tried on another one.
type hostPool struct {
	hosts    []*host
	cooldown time.Duration
	now      func() time.Time

	mu    sync.Mutex
	freed chan struct{} // closed and replaced whenever a slot frees up
}

func newHostPool(hosts []*host, cooldown time.Duration, now func() time.Time) *hostPool {
	if cooldown <= 0 {
		cooldown = DefaultHostCooldown
	}
	if now == nil {
		now = time.Now
	}
	return &hostPool{hosts: hosts, cooldown: cooldown, now: now, freed: make(chan struct{})}
}

// capacity is how many calls the hosts take at once in all.
func (p *hostPool) capacity() int {
	n := 0
	for _, h := range p.hosts {
		n += h.slots
	}
	return n
}

// acquire takes a slot on a host this call has not tried: one in service
// when there is one (waiting for a slot when all are busy), else one taken
// out (it may be back). nil when every host was tried.
func (p *hostPool) acquire(ctx context.Context, tried map[*host]bool) (*host, error) {
	for {
		p.mu.Lock()
		now := p.now()
		var pick *host
		candidates, up := 0, 0
		for _, h := range p.hosts {
			if tried[h] {
				continue
			}
			candidates++
			if now.Before(h.downUntil) {
				continue
			}
			up++
			if h.busy < h.slots && (pick == nil || h.busy*pick.slots < pick.busy*h.slots) {
				pick = h
			}
		}
		if pick == nil && up == 0 {
			for _, h := range p.hosts {
				if !tried[h] && h.busy < h.slots && (pick == nil || h.downUntil.Before(pick.downUntil)) {
					pick = h
				}
			}
		}
		if candidates == 0 {
			p.mu.Unlock()
			return nil, nil
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
			return nil, ctx.Err()
		}
	}
}

// release frees h's slot, taking h out of service when it failed.
func (p *hostPool) release(h *host, failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h.busy--
	if failed {
		h.downUntil = p.now().Add(p.cooldown)
	}
	close(p.freed)
	p.freed = make(chan struct{})
}

// hostFailure reports whether err says a host cannot serve now, so the
// call may go to another host; a bad answer or a stop is not.
func hostFailure(err error) bool {
	for _, kind := range []error{ErrUnreachable, ErrStalled, ErrInterrupted, ErrOllama, ErrModelMissing} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}
