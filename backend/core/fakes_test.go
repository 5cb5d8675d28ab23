package core

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"podcastfy/backend/audio"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/tts"
)

// toneSynth is a synthesiser for tests of the job machinery: it speaks each
// line as a tone whose length follows the text, and can be told to fail or
// to block until cancelled on a given line.
type toneSynth struct {
	calls   atomic.Int64
	failOn  string        // text that fails
	failErr error         // the failure
	blockOn string        // text that blocks until ctx is done
	blocked chan struct{} // closed when a call blocks
	once    sync.Once
}

func (t *toneSynth) Name() string { return "espeak" }

func (t *toneSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	t.calls.Add(1)
	if t.failOn != "" && strings.Contains(r.Text, t.failOn) {
		return audio.Clip{}, t.failErr
	}
	if t.blockOn != "" && strings.Contains(r.Text, t.blockOn) {
		t.once.Do(func() { close(t.blocked) })
		<-ctx.Done()
		return audio.Clip{}, ctx.Err()
	}
	const rate = 22050
	n := rate * (len(r.Text)/15 + 1) / 4
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	return audio.Clip{SampleRate: rate, Samples: s}, nil
}

func (t *toneSynth) Voices(context.Context) ([]tts.Voice, error) { return nil, nil }
func (t *toneSynth) Health(context.Context) error                { return nil }

// staticSource always hands out the same synthesiser.
type staticSource struct{ s tts.Synthesizer }

func (s staticSource) Synthesizer(name string) (tts.Synthesizer, error) {
	if name != "espeak" {
		return nil, errors.New("unknown TTS provider " + name)
	}
	return s.s, nil
}

// scriptedWriter returns a fixed script or error, or blocks until cancelled.
type scriptedWriter struct {
	script script.Script
	err    error
	block  bool
	calls  atomic.Int64
}

func (w *scriptedWriter) Name() string { return "ollama" }

func (w *scriptedWriter) Write(ctx context.Context, _ llm.Request, progress llm.ProgressFunc) (script.Script, error) {
	w.calls.Add(1)
	progress(llm.Progress{Stage: "writing", Part: 1, Parts: 1})
	if w.block {
		<-ctx.Done()
		return script.Script{}, ctx.Err()
	}
	return w.script, w.err
}

type writerSource struct{ w llm.Writer }

func (s writerSource) Writer(context.Context, string) (llm.Writer, string, error) {
	return s.w, "", nil
}
