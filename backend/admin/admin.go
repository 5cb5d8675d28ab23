// Package admin owns what an administrator manages from a settings screen,
// the desktop's and the web's alike: the settings as a client may see them
// (keys masked, a key left empty kept), their validation at each key, and
// the health of the outside services they name, in plain words. Both doors
// call the same Service, so a rule here holds in both.
package admin

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
)

// Clients builds clients of the outside services the settings name
// (backend/app/clients.Factory): health is checked through the same
// constructors the job service uses.
type Clients interface {
	Ollama(s config.Settings) (*llm.Ollama, error)
	Synthesizer(name string, s config.Settings) (tts.Synthesizer, error)
	Transcriber(s config.Settings) (asr.Transcriber, error)
}

// Service is the administrator's view of the settings in force.
type Service struct {
	live    *config.Live
	clients Clients
	log     *slog.Logger
}

// New returns the service over the settings in force.
func New(live *config.Live, clients Clients, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{live: live, clients: clients, log: log}
}

// Settings returns the settings in force with their keys masked
// (config.SecretMask): no door ever sends a key back in clear.
func (s *Service) Settings() config.Settings {
	return s.live.Get().Masked()
}

// Save checks next, edited on a settings screen, and writes it. A key left
// empty or sent back masked keeps the saved one. An invalid setting is an
// invalid_request error at its key ("tts.openai.url"); the answer is the
// settings now in force, masked. Every setting applies to the next job.
func (s *Service) Save(ctx context.Context, next config.Settings) (config.Settings, error) {
	cur := s.live.Get()
	next = next.KeepSecrets(cur)
	// The library settings are not shown to clients (json:"-"): kept.
	next.Library = cur.Library
	if next.TTS.Voices == nil {
		next.TTS.Voices = map[string]string{}
	}
	if next.TTS.Servers == nil {
		next.TTS.Servers = []config.TTSServer{}
	}
	if next.Server.CORSOrigins == nil {
		next.Server.CORSOrigins = []string{}
	}
	if problems := next.Problems(); len(problems) > 0 {
		return config.Settings{}, problems[0]
	}
	if _, err := s.live.Current(); err != nil {
		// Save refuses to overwrite a file it cannot read: say so plainly.
		return config.Settings{}, apperr.New(apperr.Conflict, "config.yaml was edited by hand and has a problem; fix it first: %v", err)
	}
	if err := s.live.Save(next); err != nil {
		return config.Settings{}, fmt.Errorf("saving the settings: %w", err)
	}
	s.log.InfoContext(ctx, "settings saved", "file", s.live.Path())
	return s.Settings(), nil
}

// listTimeout bounds asking Ollama for its models or a model's details.
const listTimeout = 15 * time.Second

// Models lists the models the Ollama server of the settings in force has
// pulled, by name.
func (s *Service) Models(ctx context.Context) ([]llm.ModelInfo, error) {
	o, err := s.clients.Ollama(s.live.Get())
	if err != nil {
		return nil, err
	}
	defer o.Close()
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	models, err := o.Models(ctx)
	if err != nil {
		return nil, apperr.New(apperr.Unavailable, "%s", Explain(err, o.Host(), listTimeout))
	}
	return models, nil
}

// Context reports the chosen model's context length (from /api/show), the
// window the writer asks for and the longest source it writes in full.
func (s *Service) Context(ctx context.Context) (llm.ContextInfo, error) {
	o, err := s.clients.Ollama(s.live.Get())
	if err != nil {
		return llm.ContextInfo{}, err
	}
	defer o.Close()
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	info, err := o.Context(ctx)
	if err != nil {
		return llm.ContextInfo{}, apperr.New(apperr.Unavailable, "%s", Explain(err, o.Host(), listTimeout))
	}
	return info, nil
}
