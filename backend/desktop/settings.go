package desktop

import (
	"context"
	"errors"
	"log/slog"

	"podcastfy/backend/admin"
	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
	"podcastfy/backend/voices"
)

// settingsFile is the settings in force (config.Live), shared by the
// facades that follow the settings.
type settingsFile struct {
	live *config.Live
}

func (f *settingsFile) get() config.Settings { return f.live.Get() }

// Clients builds clients of the outside services the settings name
// (backend/app/clients.Factory): the settings screen checks and lists
// through the same constructors the job service uses.
type Clients interface {
	Ollama(s config.Settings) (*llm.Ollama, error)
	Synthesizer(name string, s config.Settings) (tts.Synthesizer, error)
	Transcriber(s config.Settings) (asr.Transcriber, error)
}

// Settings is the administrator's facade of config.yaml and of the
// services it configures: health checks, Ollama models, voices and a
// spoken preview of a voice.
type Settings struct {
	admin   *admin.Service
	file    *settingsFile
	clients Clients
	session *Session
	log     *slog.Logger
	preview *previewer
	pulls   *pulls
}

// Get returns the settings in use, every key masked (config.SecretMask).
func (s *Settings) Get() (config.Settings, error) {
	if _, err := s.session.Admin(); err != nil {
		return config.Settings{}, err
	}
	return s.admin.Settings(), nil
}

// Save validates and writes the settings; a key left empty or masked keeps
// the saved one. An invalid setting rejects with its key as the field
// ("tts.openai.url"). Every setting applies to the next podcast, check,
// voice list and preview; the LAN server's address applies when it starts.
func (s *Settings) Save(next config.Settings) (config.Settings, error) {
	if _, err := s.session.Admin(); err != nil {
		return config.Settings{}, err
	}
	return s.admin.Save(context.Background(), next)
}

// TestProviders checks, at once, every service the settings name; those
// not in use are reported so without being asked, and failures are said
// in plain words.
func (s *Settings) TestProviders() ([]admin.Health, error) {
	if _, err := s.session.Admin(); err != nil {
		return nil, err
	}
	return s.admin.Health(context.Background()), nil
}

// ListModels lists the models the Ollama server has pulled.
func (s *Settings) ListModels() ([]llm.ModelInfo, error) {
	if _, err := s.session.Admin(); err != nil {
		return nil, err
	}
	return s.admin.Models(context.Background())
}

// OllamaContext reports the model's context length (from /api/show), the
// window the writer asks for (ollama.options.num_ctx, capped by the model)
// and the longest source written in full; the new-podcast screen warns
// when a source is longer.
func (s *Settings) OllamaContext() (llm.ContextInfo, error) {
	if _, err := s.session.User(); err != nil {
		return llm.ContextInfo{}, err
	}
	return s.admin.Context(context.Background())
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

var errPullRunning = errors.New("that model is already being downloaded")
