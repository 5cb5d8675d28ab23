package app

import (
	"context"
	"io"
	"sync"

	"podcastfy/backend/app/clients"
	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
)

// liveOllama is the Ollama writer under the settings in force: a changed
// URL, model or timeout builds a new client for the next job (a running
// job keeps the client it started with).
type liveOllama struct {
	settings *config.Live
	clients  clients.Factory

	mu  sync.Mutex
	cur *llm.Ollama
	key config.OllamaSettings
}

func (l *liveOllama) current() (*llm.Ollama, error) {
	s := l.settings.Get()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil || !config.SameOllama(s.Ollama, l.key) {
		o, err := l.clients.Ollama(s)
		if err != nil {
			return nil, err
		}
		if l.cur != nil {
			l.cur.Close() // only its idle connections: a running job keeps going
		}
		l.cur, l.key = o, s.Ollama
	}
	return l.cur, nil
}

func (l *liveOllama) Name() string { return "ollama" }

func (l *liveOllama) Check(ctx context.Context) error {
	o, err := l.current()
	if err != nil {
		return err
	}
	return o.Check(ctx)
}

func (l *liveOllama) Write(ctx context.Context, req llm.Request, progress llm.ProgressFunc) (script.Script, error) {
	o, err := l.current()
	if err != nil {
		return script.Script{}, err
	}
	return o.Write(ctx, req, progress)
}

// Rewrite has the Ollama in force write part of a script again.
func (l *liveOllama) Rewrite(ctx context.Context, req llm.RewriteRequest) ([]script.Line, error) {
	o, err := l.current()
	if err != nil {
		return nil, err
	}
	return o.Rewrite(ctx, req)
}

// liveTranscriber is the speech recognition client under the settings in
// force: a changed provider, URL or model applies to the next recording.
type liveTranscriber struct {
	settings *config.Live
	clients  clients.Factory

	mu  sync.Mutex
	cur asr.Transcriber
	key config.WhisperSettings
}

func (l *liveTranscriber) current() (asr.Transcriber, error) {
	s := l.settings.Get()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil || s.Whisper != l.key {
		t, err := l.clients.Transcriber(s)
		if err != nil {
			return nil, err
		}
		l.cur, l.key = t, s.Whisper
	}
	return l.cur, nil
}

func (l *liveTranscriber) Name() string { return l.settings.Get().Whisper.Provider }

func (l *liveTranscriber) Transcribe(ctx context.Context, filename string, audio io.Reader, size int64, opts asr.Options) (asr.Transcript, error) {
	t, err := l.current()
	if err != nil {
		return asr.Transcript{}, err
	}
	return t.Transcribe(ctx, filename, audio, size, opts)
}

func (l *liveTranscriber) Health(ctx context.Context) error {
	t, err := l.current()
	if err != nil {
		return err
	}
	return t.Health(ctx)
}

// Context reports the current model's context window (see llm.ContextInfo),
// for the check that a source fits before a job starts.
func (l *liveOllama) Context(ctx context.Context) (llm.ContextInfo, error) {
	o, err := l.current()
	if err != nil {
		return llm.ContextInfo{}, err
	}
	return o.Context(ctx)
}
