package tts

import (
	"context"
	"errors"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/balance"
)

// Endpoint is one server of a provider in a Pool.
type Endpoint struct {
	Synth Synthesizer
	// Concurrency is how many requests the server takes at once; 0 means 1.
	Concurrency int
}

// DefaultCooldown is how long a Pool leaves a failing server alone.
const DefaultCooldown = balance.DefaultCooldown

// Pool spreads the lines of one provider over several servers the user
// runs (two Kokoro-FastAPI hosts, say), each with its own concurrency: a
// request goes to whichever server has a free slot first, in order of
// arrival. A server that fails with a connection error or a 5xx is taken
// out for the cooldown and the request tried on another one; a request
// every server has failed fails with the last error. Servers are expected
// to run the same engine and voices: the pool's name, cache tag and voices
// are the first server's.
type Pool struct {
	servers *balance.Pool[Synthesizer]
}

// NewPool returns a pool over eps (at least one). cooldown 0 means
// DefaultCooldown; now nil means time.Now.
func NewPool(eps []Endpoint, cooldown time.Duration, now func() time.Time) (*Pool, error) {
	if len(eps) == 0 {
		return nil, errors.New("a TTS pool needs at least one server")
	}
	p := &Pool{servers: balance.New[Synthesizer](cooldown, now)}
	for _, e := range eps {
		if e.Synth == nil {
			return nil, errors.New("a TTS pool server has no synthesiser")
		}
		p.servers.Add(e.Synth, e.Concurrency)
	}
	return p, nil
}

// Name is the provider's name.
func (p *Pool) Name() string { return p.first().Name() }

func (p *Pool) first() Synthesizer { return p.servers.Servers()[0].Value }

// CacheTag is the first server's, so that lines cached from one server
// serve the others.
func (p *Pool) CacheTag() string {
	if t, ok := p.first().(interface{ CacheTag() string }); ok {
		return t.CacheTag()
	}
	return ""
}

// RunsLocally is true when every server of the pool runs on this machine.
func (p *Pool) RunsLocally() bool {
	for _, e := range p.servers.Servers() {
		if !RunsLocally(e.Value) {
			return false
		}
	}
	return true
}

// Capacity is how many requests the servers take at once in all; the job
// service runs that many synthesis workers.
func (p *Pool) Capacity() int { return p.servers.Capacity() }

// Synthesize voices the line on the first server with a free slot,
// moving on to another server when one fails.
func (p *Pool) Synthesize(ctx context.Context, req Request) (audio.Clip, error) {
	tried := map[*balance.Server[Synthesizer]]bool{}
	var last error
	for {
		e, err := p.servers.Acquire(ctx, tried)
		if err != nil {
			return audio.Clip{}, errors.Join(last, err)
		}
		if e == nil {
			return audio.Clip{}, last
		}
		clip, err := e.Value.Synthesize(ctx, req)
		p.servers.Release(e, err != nil && Retryable(err) && ctx.Err() == nil)
		if err == nil || !Retryable(err) || ctx.Err() != nil {
			return clip, err
		}
		tried[e] = true
		last = err
	}
}

// Voices are the first server in service that answers.
func (p *Pool) Voices(ctx context.Context) ([]Voice, error) {
	var errs []error
	for _, e := range p.servers.Servers() {
		v, err := e.Value.Voices(ctx)
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
	for _, e := range p.servers.Servers() {
		err := e.Value.Health(ctx)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
