package ttstest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// Synth is an in-memory tts.Synthesizer: each line becomes a tone of
// Duration(text, speed) seconds. Queue errors with Fail; it records every
// request. Safe for concurrent use.
type Synth struct {
	// Provider is returned by Name; empty means "fake".
	Provider string
	// Rate of the clips; 0 means 24000.
	Rate int
	// VoiceList is returned by Voices.
	VoiceList []tts.Voice
	// Unhealthy, when set, is returned by Health.
	Unhealthy error

	mu    sync.Mutex
	errs  []error
	calls []tts.Request
}

// Fail makes the next calls to Synthesize return these errors, in order.
func (s *Synth) Fail(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, errs...)
}

// Calls returns the requests received so far, failed ones included.
func (s *Synth) Calls() []tts.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Name implements tts.Synthesizer.
func (s *Synth) Name() string {
	if s.Provider == "" {
		return "fake"
	}
	return s.Provider
}

// Synthesize implements tts.Synthesizer.
func (s *Synth) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	s.mu.Lock()
	s.calls = append(s.calls, req)
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	if cerr := ctx.Err(); cerr != nil {
		return audio.Clip{}, cerr
	}
	if err != nil {
		return audio.Clip{}, err
	}
	if strings.TrimSpace(req.Text) == "" {
		return audio.Clip{}, &tts.ProviderError{Provider: s.Name(), Voice: req.Voice, Reason: "no text to speak"}
	}
	rate := s.Rate
	if rate == 0 {
		rate = 24000
	}
	return audio.Clip{SampleRate: rate, Samples: samplesFor(req.Text, req.Speed, rate)}, nil
}

// Voices implements tts.Synthesizer.
func (s *Synth) Voices(ctx context.Context) ([]tts.Voice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return slices.Clone(s.VoiceList), nil
}

// Health implements tts.Synthesizer.
func (s *Synth) Health(ctx context.Context) error {
	return errors.Join(ctx.Err(), s.Unhealthy)
}
