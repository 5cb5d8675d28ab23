package admin

import (
	"context"
	"sync"
	"time"

	"podcastfy/backend/config"
	"podcastfy/backend/tts/providers"
)

// HealthTimeout bounds the whole health check: every service is asked at
// once, and one that has not answered by then is reported as silent.
const HealthTimeout = 5 * time.Second

// States of a service.
const (
	StateOK       = "ok"       // it answers and can do its work
	StateDown     = "down"     // the settings rely on it and it does not work
	StateOptional = "optional" // it does not work, but podcasts are made without it
	StateUnused   = "unused"   // the settings do not use it; not checked
)

// Health is how one service the settings name is doing.
type Health struct {
	Name  string `json:"name"`  // ollama, espeak, openai, kyutai, piper, or the Whisper provider
	Label string `json:"label"` // as people know it: "Ollama", "Pocket TTS (Kyutai)"
	Kind  string `json:"kind"`  // "llm", "tts" or "asr"
	URL   string `json:"url"`   // where it is reached (the program, for espeak)
	// State is one of ok, down, optional and unused.
	State string `json:"state"`
	// Message says, in plain words, what works or what to do.
	Message string `json:"message"`
}

// check is one service to ask, or none (fn nil) when it is not used.
type check struct {
	h   Health
	fn  func(context.Context) error
	off string // the state when fn fails: down or optional
	// why is added after a failure's explanation, saying what it means.
	why string
}

// Health checks, at once, every service the settings in force name:
// Ollama, each TTS provider and the speech recognition server. Those the
// settings do not use are reported unused without being asked.
func (s *Service) Health(ctx context.Context) []Health {
	cfg := s.live.Get()
	ctx, cancel := context.WithTimeout(ctx, HealthTimeout)
	defer cancel()

	checks := []check{s.ollamaCheck(cfg)}
	for _, name := range providers.Names() {
		checks = append(checks, s.ttsCheck(cfg, name))
	}
	checks = append(checks, s.whisperCheck(cfg))

	out := make([]Health, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		if c.fn == nil {
			out[i] = c.h
			continue
		}
		wg.Go(func() {
			h := c.h
			if err := c.fn(ctx); err != nil {
				h.State, h.Message = c.off, Explain(err, h.URL, HealthTimeout)+c.why
			} else {
				h.State = StateOK
			}
			out[i] = h
		})
	}
	wg.Wait()
	return out
}

func (s *Service) ollamaCheck(cfg config.Settings) check {
	c := check{h: Health{Name: "ollama", Label: "Ollama", Kind: "llm", URL: cfg.OllamaURL(func(string) string { return "" })}}
	switch cfg.Writer {
	case "extractive":
		c.h.State, c.h.Message = StateUnused, "Not used: the offline writer writes the scripts (Script writer: offline)."
		return c
	case "ollama":
		c.off = StateDown
	default:
		c.off, c.why = StateOptional, " Until it works, the offline writer writes the scripts."
	}
	o, err := s.clients.Ollama(cfg)
	if err != nil {
		c.fn = func(context.Context) error { return err }
		return c
	}
	c.h.URL = o.Host()
	c.h.Message = "Ready, with the model " + cfg.Ollama.Model + "."
	c.fn = func(ctx context.Context) error {
		defer o.Close()
		return o.Check(ctx)
	}
	return c
}

func (s *Service) ttsCheck(cfg config.Settings, name string) check {
	label, url := ttsWhere(cfg, name)
	c := check{h: Health{Name: name, Label: label, Kind: "tts", URL: url}, off: StateDown}
	if name != cfg.TTS.Provider {
		using, _ := ttsWhere(cfg, cfg.TTS.Provider)
		c.h.State, c.h.Message = StateUnused, "Not used: the voices come from "+using+"."
		return c
	}
	c.h.Message = "Ready: podcasts are voiced by " + label + "."
	syn, err := s.clients.Synthesizer(name, cfg)
	if err != nil {
		c.fn = func(context.Context) error { return err }
		return c
	}
	c.fn = syn.Health
	return c
}

func (s *Service) whisperCheck(cfg config.Settings) check {
	w := cfg.Whisper
	c := check{
		h:   Health{Name: w.Provider, Label: whisperLabels[w.Provider], Kind: "asr", URL: w.URL, Message: "Ready to turn recordings into text."},
		off: StateOptional, why: " It is needed only to turn recordings into text.",
	}
	tr, err := s.clients.Transcriber(cfg)
	if err != nil {
		c.fn = func(context.Context) error { return err }
		return c
	}
	c.fn = tr.Health
	return c
}

var whisperLabels = map[string]string{
	"whisper-asr": "Whisper ASR Webservice",
	"openai":      "OpenAI-compatible speech recognition",
	"whispercpp":  "whisper.cpp server",
}

var ttsLabels = map[string]string{
	providers.NameESpeak: "espeak-ng (built in)",
	providers.NameOpenAI: "OpenAI-compatible voice server",
	providers.NameKyutai: "Kyutai TTS (moshi-server)",
	providers.NamePiper:  "Piper",
}

// ttsWhere names a TTS provider and says where it is reached: the preset's
// server when the settings pick a preset that runs on it.
func ttsWhere(cfg config.Settings, name string) (label, url string) {
	t := cfg.TTS
	if p, ok := providers.PresetByID(t.Preset); ok && p.Provider == name {
		url = t.PresetURL
		if url == "" {
			url = p.URL
		}
		return p.Name, url
	}
	switch name {
	case providers.NameOpenAI:
		url = t.OpenAI.URL
	case providers.NameKyutai:
		url = t.Kyutai.URL
	case providers.NamePiper:
		url = t.Piper.URL
	default:
		url = t.ESpeak.Binary
	}
	label = ttsLabels[name]
	if label == "" {
		label = name
	}
	return label, url
}
