package tts

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"syscall"
	"time"

	"podcastfy/backend/audio"
)

// RetryPolicy says how often and how patiently WithRetry tries again.
// The zero value means 4 attempts with back-off from 500 ms up to 10 s.
type RetryPolicy struct {
	// Attempts is the total number of tries, the first included;
	// 0 means 4, and 1 (or less than 0) means no retry.
	Attempts int
	// Initial is the first back-off; it doubles after each failure. 0 means 500 ms.
	Initial time.Duration
	// Max caps a single back-off. 0 means 10 s.
	Max time.Duration
	// Log receives one line per retry; nil discards them.
	Log *slog.Logger
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case p.Attempts == 0:
		p.Attempts = 4
	case p.Attempts < 1:
		p.Attempts = 1
	}
	if p.Initial <= 0 {
		p.Initial = 500 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 10 * time.Second
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	return p
}

// backoff returns the wait before retry number n (0-based): exponential,
// capped, with "equal jitter" (half fixed, half random) so parallel
// workers hitting the same busy server spread out.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.Initial
	for i := 0; i < n && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	half := d / 2
	return half + rand.N(half+1)
}

// WithRetry wraps s so that Synthesize and Voices are retried on
// connection errors and 5xx answers (see Retryable), with exponential
// back-off and jitter. 4xx answers and local errors fail at once, and a
// cancelled ctx stops the waiting immediately.
func WithRetry(s Synthesizer, p RetryPolicy) Synthesizer {
	return &retrying{Synthesizer: s, p: p.withDefaults()}
}

type retrying struct {
	Synthesizer
	p RetryPolicy
}

func (r *retrying) Synthesize(ctx context.Context, req Request) (audio.Clip, error) {
	return retry(ctx, r.p, r.Name(), func() (audio.Clip, error) {
		return r.Synthesizer.Synthesize(ctx, req)
	})
}

// Capacity is the wrapped synthesiser's (a Pool's slots), 0 when it has none.
func (r *retrying) Capacity() int {
	if c, ok := r.Synthesizer.(interface{ Capacity() int }); ok {
		return c.Capacity()
	}
	return 0
}

// RunsLocally is the wrapped synthesiser's.
func (r *retrying) RunsLocally() bool { return RunsLocally(r.Synthesizer) }

func (r *retrying) Voices(ctx context.Context) ([]Voice, error) {
	return retry(ctx, r.p, r.Name(), func() ([]Voice, error) {
		return r.Synthesizer.Voices(ctx)
	})
}

func retry[T any](ctx context.Context, p RetryPolicy, provider string, fn func() (T, error)) (T, error) {
	for attempt := 0; ; attempt++ {
		v, err := fn()
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			return v, errors.Join(err, context.Cause(ctx))
		}
		if err == nil || attempt+1 >= p.Attempts || ctx.Err() != nil || !Retryable(err) {
			return v, err
		}
		wait := p.backoff(attempt)
		p.Log.Warn("TTS request failed, retrying",
			"provider", provider, "attempt", attempt+1, "of", p.Attempts, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			var zero T
			return zero, errors.Join(err, context.Cause(ctx))
		case <-t.C:
		}
	}
}

// Retryable reports whether err is worth another attempt: a ProviderError
// marked Retryable (5xx, busy server, dropped connection) or a network
// error. Cancellation and deadlines never are.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if pe, ok := errors.AsType[*ProviderError](err); ok {
		return pe.Retryable
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}
