package tts

import (
	"context"
	"errors"
	"sync"
	"time"

	"podcastfy/backend/audio"
)

// Endpoint is one server of a provider in a Pool.
type Endpoint struct {
	Synth Synthesizer
	// Concurrency is how many requests the server takes at once; 0 means 1.
	Concurrency int
}

// DefaultCooldown is how long a Pool leaves a failing server alone.
const DefaultCooldown = 30 * time.Second

// Pool spreads the lines of one provider over several servers the user
// runs (two Kokoro-FastAPI hosts, say), each with its own concurrency: a
// request goes to whichever server has a free slot first, in order of
// arrival. A server that fails with a connection error or a 5xx is taken
// out for the cooldown and the request tried on another one; a request
// every server has failed fails with the last error. Servers are expected
// to run the same engine and voices: the pool's name, cache tag and voices
// are the first server's.
type Pool struct {
	eps      []*endpoint
	cooldown time.Duration
	now      func() time.Time

	mu    sync.Mutex
	freed chan struct{} // closed and replaced whenever a slot frees up
}

type endpoint struct {
	s         Synthesizer
	slots     int
	busy      int
	downUntil time.Time
}

// NewPool returns a pool over eps (at least one). cooldown 0 means
// DefaultCooldown; now nil means time.Now.
func NewPool(eps []Endpoint, cooldown time.Duration, now func() time.Time) (*Pool, error) {
	if len(eps) == 0 {
		return nil, errors.New("a TTS pool needs at least one server")
	}
	if cooldown <= 0 {
		cooldown = DefaultCooldown
	}
	if now == nil {
		now = time.Now
	}
	p := &Pool{cooldown: cooldown, now: now, freed: make(chan struct{})}
	for _, e := range eps {
		if e.Synth == nil {
			return nil, errors.New("a TTS pool server has no synthesiser")
		}
		p.eps = append(p.eps, &endpoint{s: e.Synth, slots: max(1, e.Concurrency)})
	}
	return p, nil
}

// Name is the provider's name.
func (p *Pool) Name() string { return p.eps[0].s.Name() }

// CacheTag is the first server's, so that lines cached from one server
// serve the others.
func (p *Pool) CacheTag() string {
	if t, ok := p.eps[0].s.(interface{ CacheTag() string }); ok {
		return t.CacheTag()
	}
	return ""
}

// Capacity is how many requests the servers take at once in all; the job
// service runs that many synthesis workers.
func (p *Pool) Capacity() int {
	n := 0
	for _, e := range p.eps {
		n += e.slots
	}
	return n
}

// Synthesize voices the line on the first server with a free slot,
// moving on to another server when one fails.
func (p *Pool) Synthesize(ctx context.Context, req Request) (audio.Clip, error) {
	tried := map[*endpoint]bool{}
	var last error
	for {
		e, err := p.acquire(ctx, tried)
		if err != nil {
			return audio.Clip{}, errors.Join(last, err)
		}
		if e == nil {
			return audio.Clip{}, last
		}
		clip, err := e.s.Synthesize(ctx, req)
		p.release(e, err != nil && Retryable(err) && ctx.Err() == nil)
		if err == nil || !Retryable(err) || ctx.Err() != nil {
			return clip, err
		}
		tried[e] = true
		last = err
	}
}

// acquire takes a slot on a server this request has not tried: a server in
// service when there is one (waiting for a slot if they are all busy),
// otherwise one taken out (it may be back). nil when none is left.
func (p *Pool) acquire(ctx context.Context, tried map[*endpoint]bool) (*endpoint, error) {
	for {
		p.mu.Lock()
		now := p.now()
		var pick *endpoint
		candidates, up := 0, 0
		for _, e := range p.eps {
			if tried[e] {
				continue
			}
			candidates++
			if now.Before(e.downUntil) {
				continue
			}
			up++
			// The least loaded server with a free slot, by its share in use.
			if e.busy < e.slots && (pick == nil || e.busy*pick.slots < pick.busy*e.slots) {
				pick = e
			}
		}
		if pick == nil && up == 0 && candidates > 0 {
			for _, e := range p.eps {
				if !tried[e] && e.busy < e.slots && (pick == nil || e.downUntil.Before(pick.downUntil)) {
					pick = e
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
			return nil, context.Cause(ctx)
		}
	}
}

// release frees e's slot, taking e out of service when it failed.
func (p *Pool) release(e *endpoint, failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e.busy--
	if failed {
		e.downUntil = p.now().Add(p.cooldown)
	}
	close(p.freed)
	p.freed = make(chan struct{})
}

// Voices are the first server in service that answers.
func (p *Pool) Voices(ctx context.Context) ([]Voice, error) {
	var errs []error
	for _, e := range p.eps {
		v, err := e.s.Voices(ctx)
		if err == nil {
			return v, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// Health is nil when at least one server is healthy.
func (p *Pool) Health(ctx context.Context) error {
	var errs []error
	for _, e := range p.eps {
		err := e.s.Health(ctx)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
