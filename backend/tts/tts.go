// Package tts owns speech synthesis: the Synthesizer interface, a factory
// that picks a provider from settings, and the providers themselves
// (espeak-ng, OpenAI-compatible /v1/audio/speech, Kyutai, Piper).
package tts

import (
	"context"

	"podcastfy/backend/audio"
)

// Request is one line to speak.
type Request struct {
	Text  string
	Voice string // provider-specific voice id; empty means the provider default
	// Speed is a rate multiplier, 1.0 = the voice's normal rate.
	Speed float64
	// Pitch is 0–99 for espeak-ng (50 default); other providers ignore it.
	Pitch int
	// Language is a BCP-47 hint ("en", "en-GB"); providers that cannot use it ignore it.
	Language string
}

// Voice is one voice a provider offers.
type Voice struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language,omitempty"`
	Gender   string `json:"gender,omitempty"`
}

// Synthesizer turns text into audio. Implementations are safe for
// concurrent use.
type Synthesizer interface {
	// Name is the provider name used in settings and templates:
	// "espeak", "openai", "kyutai" or "piper".
	Name() string
	// Synthesize speaks one line.
	Synthesize(ctx context.Context, req Request) (audio.Clip, error)
	// Voices lists the voices the provider offers.
	Voices(ctx context.Context) ([]Voice, error)
	// Health reports whether the provider can be used now, with a reason when not.
	Health(ctx context.Context) error
}

// Local is implemented by a Synthesizer that runs on this machine (a
// program it starts, not a server it calls): how long it takes to answer
// depends on the machine's load, not on a network or another host being
// up, so a check may wait for it rather than hold it to a budget meant for
// servers.
type Local interface {
	RunsLocally() bool
}

// RunsLocally reports whether s runs on this machine (see Local). The
// wrappers of this package (WithRetry, Pool) answer for what they wrap;
// a wrapper elsewhere must do the same.
func RunsLocally(s Synthesizer) bool {
	l, ok := s.(Local)
	return ok && l.RunsLocally()
}
