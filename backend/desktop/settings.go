package desktop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// Time limits of the settings screen's checks.
const (
	healthTimeout = 5 * time.Second
	listTimeout   = 15 * time.Second
)

// settingsFile is config.yaml and the settings last read from or written to
// it, shared by the facades that follow the settings.
type settingsFile struct {
	path string
	mu   sync.RWMutex
	s    config.Settings
}

func (f *settingsFile) get() config.Settings {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.s
}

func (f *settingsFile) save(s config.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := config.Save(f.path, s); err != nil {
		return err
	}
	f.s = s
	return nil
}

// ProviderHealth is whether one configured service answers.
type ProviderHealth struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"` // "llm", "tts" or "asr"
	URL     string `json:"url"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// Settings is the administrator's facade of config.yaml and of the
// services it configures: health checks, Ollama models, voices and a
// spoken preview of a voice.
type Settings struct {
	file    *settingsFile
	session *Session
	getenv  func(string) string
	log     *slog.Logger
	preview *previewer
	pulls   *pulls
}

// Get returns the settings in use.
func (s *Settings) Get() (config.Settings, error) {
	if _, err := s.session.Admin(); err != nil {
		return config.Settings{}, err
	}
	return s.file.get(), nil
}

// Save validates and writes the settings; errors name the key
// ("server.port: …"). The script writer and TTS provider choices apply to
// the next podcast; the servers' addresses and models apply to checks,
// voices and previews at once, and to generation after a restart.
func (s *Settings) Save(next config.Settings) (config.Settings, error) {
	if _, err := s.session.Admin(); err != nil {
		return config.Settings{}, err
	}
	if next.TTS.Voices == nil {
		next.TTS.Voices = map[string]string{}
	}
	if next.Server.CORSOrigins == nil {
		next.Server.CORSOrigins = []string{}
	}
	if err := s.file.save(next); err != nil {
		return config.Settings{}, err
	}
	s.log.Info("settings saved", "file", s.file.path)
	return next, nil
}

// TestProviders checks, at once, the Ollama server and model, every TTS
// provider and the speech recognition server.
func (s *Settings) TestProviders() ([]ProviderHealth, error) {
	if _, err := s.session.Admin(); err != nil {
		return nil, err
	}
	cfg := s.file.get()
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()

	type check struct {
		h  ProviderHealth
		fn func(context.Context) error
	}
	var checks []check
	ollama, err := newOllama(cfg, s.getenv, s.log)
	if err != nil {
		checks = append(checks, check{ProviderHealth{Name: "ollama", Kind: "llm", URL: cfg.Ollama.URL}, func(context.Context) error { return err }})
	} else {
		checks = append(checks, check{ProviderHealth{Name: "ollama", Kind: "llm", URL: ollama.Host()}, ollama.Check})
	}
	for _, name := range providers.Names() {
		h := ProviderHealth{Name: name, Kind: "tts", URL: providerURL(cfg, name)}
		syn, err := providers.New(name, providerConfig(cfg), nil, s.log)
		if err != nil {
			checks = append(checks, check{h, func(context.Context) error { return err }})
			continue
		}
		checks = append(checks, check{h, syn.Health})
	}
	w := cfg.Whisper
	h := ProviderHealth{Name: w.Provider, Kind: "asr", URL: w.URL}
	tr, err := asr.New(w.Provider, w.URL, w.Model, nil, s.log)
	if err != nil {
		checks = append(checks, check{h, func(context.Context) error { return err }})
	} else {
		checks = append(checks, check{h, tr.Health})
	}

	out := make([]ProviderHealth, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			h := c.h
			if err := c.fn(ctx); err != nil {
				h.Message = err.Error()
			} else {
				h.OK, h.Message = true, "ready"
			}
			out[i] = h
		})
	}
	wg.Wait()
	if ollama != nil {
		ollama.Close()
	}
	return out, nil
}

// ListModels lists the models the Ollama server has pulled.
func (s *Settings) ListModels() ([]llm.ModelInfo, error) {
	if _, err := s.session.Admin(); err != nil {
		return nil, err
	}
	o, err := newOllama(s.file.get(), s.getenv, s.log)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	return o.Models(ctx)
}

// PullModel starts downloading a model with Ollama and returns at once; the
// progress, and the end with its error if any, arrive as model:pull events.
func (s *Settings) PullModel(name string) error {
	if _, err := s.session.Admin(); err != nil {
		return err
	}
	o, err := newOllama(s.file.get(), s.getenv, s.log)
	if err != nil {
		return err
	}
	return s.pulls.start(o, name)
}

// ListVoices lists a TTS provider's voices ("" means the one in use).
func (s *Settings) ListVoices(provider string) ([]tts.Voice, error) {
	if _, err := s.session.User(); err != nil {
		return nil, err
	}
	cfg := s.file.get()
	if provider == "" {
		provider = cfg.TTS.Provider
	}
	syn, err := providers.New(provider, providerConfig(cfg), nil, s.log)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	voices, err := syn.Voices(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the %s voices: %w", provider, err)
	}
	return voices, nil
}

// PreviewVoice speaks text (a greeting when empty) with a provider's voice
// through the native player, replacing what it had loaded.
func (s *Settings) PreviewVoice(provider, voice, text string) error {
	if _, err := s.session.User(); err != nil {
		return err
	}
	cfg := s.file.get()
	if provider == "" {
		provider = cfg.TTS.Provider
	}
	syn, err := providers.New(provider, providerConfig(cfg), nil, s.log)
	if err != nil {
		return err
	}
	return s.preview.play(syn, voice, text, cfg.Generation.Language)
}

// newOllama builds an Ollama client from the settings.
func newOllama(s config.Settings, getenv func(string) string, log *slog.Logger) (*llm.Ollama, error) {
	o, err := llm.NewOllama(llm.OllamaConfig{
		Host:           s.Ollama.URL,
		Model:          s.Ollama.Model,
		ConnectTimeout: time.Duration(s.Ollama.ConnectTimeoutSeconds) * time.Second,
		IdleTimeout:    time.Duration(s.Ollama.IdleTimeoutSeconds) * time.Second,
		Getenv:         getenv,
	}, log)
	if err != nil {
		return nil, fmt.Errorf("ollama.url: %w", err)
	}
	return o, nil
}

// providerConfig is the TTS part of the settings.
func providerConfig(s config.Settings) providers.Config {
	t := s.TTS
	return providers.Config{
		ESpeak: providers.ESpeakConfig{Binary: t.ESpeak.Binary},
		OpenAI: providers.OpenAIConfig{URL: t.OpenAI.URL, Model: t.OpenAI.Model, APIKey: t.OpenAI.APIKey, Format: t.OpenAI.Format},
		Kyutai: providers.KyutaiConfig{URL: t.Kyutai.URL, APIKey: t.Kyutai.APIKey},
		Piper:  providers.PiperConfig{URL: t.Piper.URL},
	}
}

// providerURL is where a TTS provider is reached (the program for espeak).
func providerURL(s config.Settings, name string) string {
	switch name {
	case providers.NameOpenAI:
		return s.TTS.OpenAI.URL
	case providers.NameKyutai:
		return s.TTS.Kyutai.URL
	case providers.NamePiper:
		return s.TTS.Piper.URL
	}
	return s.TTS.ESpeak.Binary
}

var errPullRunning = errors.New("that model is already being downloaded")
