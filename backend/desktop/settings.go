package desktop

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
	"podcastfy/backend/voices"
)

// Time limits of the settings screen's checks.
const (
	healthTimeout = 5 * time.Second
	listTimeout   = 15 * time.Second
)

// settingsFile is the settings in force (config.Live), shared by the
// facades that follow the settings.
type settingsFile struct {
	live *config.Live
}

func (f *settingsFile) get() config.Settings { return f.live.Get() }

func (f *settingsFile) save(s config.Settings) error { return f.live.Save(s) }

// Clients builds clients of the outside services the settings name
// (backend/app/clients.Factory): the settings screen checks and lists
// through the same constructors the job service uses.
type Clients interface {
	Ollama(s config.Settings) (*llm.Ollama, error)
	Synthesizer(name string, s config.Settings) (tts.Synthesizer, error)
	Transcriber(s config.Settings) (asr.Transcriber, error)
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
	clients Clients
	session *Session
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
// ("server.port: …"). Every setting applies to the next podcast, check,
// voice list and preview; the LAN server's address applies when it starts.
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
	if next.Library == (config.LibrarySettings{}) {
		// A window that does not show these settings keeps them.
		next.Library = s.file.get().Library
	}
	if err := s.file.save(next); err != nil {
		return config.Settings{}, err
	}
	s.log.Info("settings saved", "file", s.file.live.Path())
	return s.file.get(), nil
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
	ollama, err := s.clients.Ollama(cfg)
	if err != nil {
		checks = append(checks, check{ProviderHealth{Name: "ollama", Kind: "llm", URL: cfg.Ollama.URL}, func(context.Context) error { return err }})
	} else {
		checks = append(checks, check{ProviderHealth{Name: "ollama", Kind: "llm", URL: ollama.Host()}, ollama.Check})
	}
	for _, name := range providers.Names() {
		h := ProviderHealth{Name: name, Kind: "tts", URL: providerURL(cfg, name)}
		syn, err := s.clients.Synthesizer(name, cfg)
		if err != nil {
			checks = append(checks, check{h, func(context.Context) error { return err }})
			continue
		}
		checks = append(checks, check{h, syn.Health})
	}
	w := cfg.Whisper
	h := ProviderHealth{Name: w.Provider, Kind: "asr", URL: w.URL}
	tr, err := s.clients.Transcriber(cfg)
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
	o, err := s.clients.Ollama(s.file.get())
	if err != nil {
		return nil, err
	}
	defer o.Close()
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	return o.Models(ctx)
}

// OllamaContext reports the model's context length (from /api/show), the
// window the writer asks for (ollama.options.num_ctx, capped by the model)
// and the longest source written in full; the new-podcast screen warns
// when a source is longer.
func (s *Settings) OllamaContext() (llm.ContextInfo, error) {
	if _, err := s.session.User(); err != nil {
		return llm.ContextInfo{}, err
	}
	o, err := s.clients.Ollama(s.file.get())
	if err != nil {
		return llm.ContextInfo{}, err
	}
	defer o.Close()
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	return o.Context(ctx)
}

// PullModel starts downloading a model with Ollama and returns at once; the
// progress, and the end with its error if any, arrive as model:pull events.
func (s *Settings) PullModel(name string) error {
	if _, err := s.session.Admin(); err != nil {
		return err
	}
	o, err := s.clients.Ollama(s.file.get())
	if err != nil {
		return err
	}
	return s.pulls.start(o, name)
}

// ListVoices lists a TTS provider's voices ("" means the one in use), by
// the voice service's rules (each id once), as the LAN API lists them.
func (s *Settings) ListVoices(provider string) ([]tts.Voice, error) {
	if _, err := s.session.User(); err != nil {
		return nil, err
	}
	list, err := s.preview.voices.List(context.Background(), provider, "")
	if err != nil {
		return nil, err
	}
	return list.Voices, nil
}

// VoicePresets lists the voice servers that tts.preset can name, with
// where each listens, how to start it and how it runs without a GPU
// (cpu.best marks the one to choose on such a machine).
func (s *Settings) VoicePresets() ([]providers.Preset, error) {
	if _, err := s.session.User(); err != nil {
		return nil, err
	}
	return providers.Presets(), nil
}

// PreviewVoice speaks text (a greeting when empty) with a provider's voice
// ("" means the one in use) through the native player, replacing what it
// had loaded.
func (s *Settings) PreviewVoice(provider, voice, text string) error {
	u, err := s.session.User()
	if err != nil {
		return err
	}
	return s.preview.play(u.ID, voices.PreviewRequest{Provider: provider, Voice: voice, Text: text})
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
