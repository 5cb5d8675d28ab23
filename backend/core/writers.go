package core

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/tts"
)

// checkedWriter is a writer that can tell whether it is usable now.
type checkedWriter interface {
	llm.Writer
	Check(ctx context.Context) error
}

// Writers picks between the Ollama writer and the offline extractive writer.
// "auto" uses Ollama when it answers and has the model, and otherwise falls
// back to the extractive writer with a warning saying why; it falls back
// too when Ollama fails while writing. "ollama" fails with Ollama's reason.
type Writers struct {
	Ollama       checkedWriter
	Extractive   llm.Writer
	CheckTimeout time.Duration
}

// Writer implements WriterSource.
func (w Writers) Writer(ctx context.Context, name string) (llm.Writer, string, error) {
	switch name {
	case "extractive":
		return w.Extractive, "", nil
	case "ollama":
		if w.Ollama == nil {
			return nil, "", fmt.Errorf("the Ollama writer is not configured")
		}
		if err := w.check(ctx); err != nil {
			return nil, "", err
		}
		return w.Ollama, "", nil
	case "", "auto":
		if w.Ollama == nil {
			return w.Extractive, "No LLM is configured: the offline extractive writer picks sentences from your text.", nil
		}
		if err := w.check(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			return w.Extractive, fmt.Sprintf("%v. Using the offline extractive writer, which picks sentences from your text.", err), nil
		}
		return &autoWriter{primary: w.Ollama, fallback: w.Extractive}, "", nil
	}
	return nil, "", fmt.Errorf("unknown writer %q (use auto, ollama or extractive)", name)
}

func (w Writers) check(ctx context.Context) error {
	timeout := w.CheckTimeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return w.Ollama.Check(ctx)
}

// autoWriter is the writer of one "auto" job: Ollama, and the offline
// writer when Ollama fails at any point of writing (a crash mid-stream, a
// stall, output still unusable after a repair). Ollama's warnings are kept
// only when its script is used; the fallback's warning quotes Ollama's
// reason.
type autoWriter struct {
	primary, fallback llm.Writer

	mu   sync.Mutex
	fell bool
}

// Name is the writer that wrote (or is writing) the script.
func (a *autoWriter) Name() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fell {
		return a.fallback.Name()
	}
	return a.primary.Name()
}

func (a *autoWriter) Write(ctx context.Context, req llm.Request, progress llm.ProgressFunc) (script.Script, error) {
	if progress == nil {
		progress = func(llm.Progress) {}
	}
	var held []string
	first := req
	first.Warn = func(msg string) { held = append(held, msg) }
	sc, err := a.primary.Write(ctx, first, progress)
	if err == nil || !llm.Fallback(err) || ctx.Err() != nil {
		if err == nil && req.Warn != nil {
			for _, m := range held {
				req.Warn(m)
			}
		}
		return sc, err
	}
	a.mu.Lock()
	a.fell = true
	a.mu.Unlock()
	if req.Warn != nil {
		req.Warn(fmt.Sprintf("%s. The offline extractive writer wrote this podcast instead, picking sentences from your text.",
			strings.TrimRight(err.Error(), ". ")))
	}
	progress(llm.Progress{Stage: "restarting"})
	return a.fallback.Write(ctx, req, progress)
}

// Synths builds synthesisers on first use and keeps them, wrapped with
// retries; a changed Tag (the provider's settings) builds a new one.
type Synths struct {
	New   func(name string) (tts.Synthesizer, error)
	Retry tts.RetryPolicy
	// Tag, when set, names the provider's settings that shape its sound
	// (server URL, model, format); it becomes part of the segment cache key,
	// so changing them never serves audio made under the old settings.
	Tag func(name string) string

	mu    sync.Mutex
	cache map[string]tts.Synthesizer
}

// Synthesizer implements SynthSource.
func (s *Synths) Synthesizer(name string) (tts.Synthesizer, error) {
	tag := ""
	if s.Tag != nil {
		tag = s.Tag(name)
	}
	key := name + "\x00" + tag
	s.mu.Lock()
	defer s.mu.Unlock()
	if syn, ok := s.cache[key]; ok {
		return syn, nil
	}
	syn, err := s.New(name)
	if err != nil {
		return nil, err
	}
	syn = tts.WithRetry(syn, s.Retry)
	if s.Tag != nil {
		syn = tagged{syn, tag}
	}
	if s.cache == nil {
		s.cache = map[string]tts.Synthesizer{}
	}
	s.cache[key] = syn
	return syn, nil
}

// tagged is a synthesiser that carries its settings tag for the cache key.
type tagged struct {
	tts.Synthesizer
	tag string
}

func (t tagged) CacheTag() string { return t.tag }

// RunsLocally is the wrapped synthesiser's (tts.Local).
func (t tagged) RunsLocally() bool { return tts.RunsLocally(t.Synthesizer) }
