package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/audio"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// Generation holds the services that make podcasts.
type Generation struct {
	Jobs        *core.Service
	Writers     core.Writers
	Transcriber asr.Transcriber
	Ollama      *llm.Ollama
	Synths      *core.Synths
}

// Generation builds the script writers, the TTS providers and the job
// service from the settings; emitter receives job events.
func (a *App) Generation(emitter events.Emitter) (*Generation, error) {
	s, log := a.Settings, a.opts.Log
	ollama, err := a.newOllama(s)
	if err != nil {
		return nil, fmt.Errorf("ollama settings in %s: %w", a.Paths.ConfigFile(), err)
	}
	// Settings saved while the app runs (the desktop's settings screen)
	// apply to the next job: providers are rebuilt when theirs change.
	live := func() config.Settings {
		if cur, err := config.Load(a.Paths.ConfigFile()); err == nil {
			return cur
		}
		return s
	}
	synths := &core.Synths{
		New: func(name string) (tts.Synthesizer, error) {
			return providers.New(name, providerConfig(live()), nil, log)
		},
		Retry: tts.RetryPolicy{Log: log},
		Tag:   func(name string) string { return providerTag(providerConfig(live()), name) },
	}
	transcriber, err := asr.New(s.Whisper.Provider, s.Whisper.URL, s.Whisper.Model, nil, log)
	if err != nil {
		return nil, fmt.Errorf("whisper settings in %s: %w", a.Paths.ConfigFile(), err)
	}
	local := ingest.New(ingest.Options{Transcriber: transcriber}, log)
	// Requests from the LAN may not make this machine fetch private addresses.
	remote := ingest.New(ingest.Options{Transcriber: transcriber, BlockPrivateHosts: true}, log)
	writers := core.Writers{Ollama: &liveOllama{app: a, live: live, cur: ollama, settings: s.Ollama}, Extractive: llm.NewExtractive()}
	g := s.Generation
	jobs, err := core.NewService(core.Config{
		JobsDir:  a.Paths.JobsDir(),
		CacheDir: a.Paths.TTSCacheDir(),
		Workers:  g.Workers,
		Audio: audio.Options{
			SampleRate: g.SampleRate, Gap: time.Duration(g.GapMs) * time.Millisecond,
			TargetLUFS: -16, TruePeakDBTP: -1, BitrateKbps: g.BitrateKbps,
		},
		DefaultTemplate: g.Template,
		DefaultMinutes:  g.Minutes,
		DefaultLanguage: g.Language,
		DefaultTTS:      s.TTS.Provider,
		DefaultWriter:   s.Writer,
		Voices:          s.TTS.Voices,
	}, core.Deps{
		Podcasts:     a.Store.Podcasts(),
		Templates:    a.Store.Templates(),
		Writers:      core.Writers{Ollama: ollama, Extractive: llm.NewExtractive()},
		Synths:       synths,
		Ingest:       local,
		RemoteIngest: remote,
		Emitter:      emitter,
		Log:          log,
	})
	if err != nil {
		return nil, err
	}
	return &Generation{Jobs: jobs, Writers: writers, Transcriber: transcriber, Ollama: ollama, Synths: synths}, nil
}

func (a *App) newOllama(s config.Settings) (*llm.Ollama, error) {
	return llm.NewOllama(llm.OllamaConfig{
		Host:           s.Ollama.URL,
		Model:          s.Ollama.Model,
		ConnectTimeout: time.Duration(s.Ollama.ConnectTimeoutSeconds) * time.Second,
		IdleTimeout:    time.Duration(s.Ollama.IdleTimeoutSeconds) * time.Second,
		Getenv:         a.opts.Getenv,
	}, a.opts.Log)
}

func providerConfig(s config.Settings) providers.Config {
	return providers.Config{
		ESpeak: providers.ESpeakConfig{Binary: s.TTS.ESpeak.Binary},
		OpenAI: providers.OpenAIConfig{URL: s.TTS.OpenAI.URL, Model: s.TTS.OpenAI.Model, APIKey: s.TTS.OpenAI.APIKey, Format: s.TTS.OpenAI.Format},
		Kyutai: providers.KyutaiConfig{URL: s.TTS.Kyutai.URL, APIKey: s.TTS.Kyutai.APIKey},
		Piper:  providers.PiperConfig{URL: s.TTS.Piper.URL},
	}
}

// providerTag names the settings that shape a provider's sound.
func providerTag(c providers.Config, name string) string {
	switch name {
	case providers.NameOpenAI:
		return c.OpenAI.URL + "|" + c.OpenAI.Model + "|" + c.OpenAI.Format + "|" + c.OpenAI.APIKey
	case providers.NameKyutai:
		return c.Kyutai.URL + "|" + c.Kyutai.APIKey
	case providers.NamePiper:
		return c.Piper.URL
	}
	return c.ESpeak.Binary
}

// liveOllama is the Ollama writer under the current settings: a changed
// URL, model or timeout builds a new client for the next job.
type liveOllama struct {
	app  *App
	live func() config.Settings

	mu       sync.Mutex
	cur      *llm.Ollama
	settings config.OllamaSettings
}

func (l *liveOllama) current() (*llm.Ollama, error) {
	s := l.live()
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.Ollama != l.settings {
		o, err := l.app.newOllama(s)
		if err != nil {
			return nil, err
		}
		l.cur, l.settings = o, s.Ollama
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
