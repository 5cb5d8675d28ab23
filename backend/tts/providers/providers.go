// Package providers holds the TTS engines behind tts.Synthesizer — espeak-ng
// (run locally), OpenAI-compatible /v1/audio/speech servers (Kokoro-FastAPI,
// speaches, LocalAI, OpenAI), Kyutai TTS (moshi-server over WebSocket) and
// the Piper HTTP server — and the factory that builds one by name.
package providers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"podcastfy/backend/tts"
)

// Config is the per-provider part of the settings.
type Config struct {
	ESpeak ESpeakConfig
	OpenAI OpenAIConfig
	Kyutai KyutaiConfig
	Piper  PiperConfig
	// Preset is the ID of the voice server the provider of its kind talks
	// to (see Presets and Preset.Apply); "" for none.
	Preset string
}

// ESpeakConfig configures the local espeak-ng engine.
type ESpeakConfig struct {
	// Binary is the espeak-ng executable; empty means "espeak-ng" on PATH.
	Binary string
}

// OpenAIConfig configures an OpenAI-compatible /v1/audio/speech server.
type OpenAIConfig struct {
	// URL is the server root, with or without the /v1 suffix,
	// e.g. http://127.0.0.1:8880 for Kokoro-FastAPI.
	URL string
	// Model is sent as "model"; empty means "tts-1", which Kokoro-FastAPI
	// and OpenAI accept (speaches needs its real model id).
	Model string
	// APIKey is sent as a Bearer token when set.
	APIKey string
	// Format is the response format asked for: "wav" (default) or "pcm".
	Format string
}

// KyutaiConfig configures a Kyutai TTS moshi-server.
type KyutaiConfig struct {
	// URL is the server root (ws, wss, http or https), e.g.
	// ws://127.0.0.1:8080; the /api/tts_streaming path is added when absent.
	URL string
	// APIKey is sent as the kyutai-api-key header; empty means
	// "public_token", the key in Kyutai's example configuration.
	APIKey string
}

// PiperConfig configures a Piper HTTP server (piper1-gpl).
type PiperConfig struct {
	// URL is the server root, e.g. http://127.0.0.1:5000.
	URL string
}

// Provider names, as used in settings and templates.
const (
	NameESpeak = "espeak"
	NameOpenAI = "openai"
	NameKyutai = "kyutai"
	NamePiper  = "piper"
)

// Names lists the provider names New accepts.
func Names() []string { return []string{NameESpeak, NameOpenAI, NameKyutai, NamePiper} }

// DefaultTimeout bounds one HTTP request when New is given no client.
// A long line on a CPU-only server can take minutes.
const DefaultTimeout = 5 * time.Minute

// New builds the named provider. hc carries the timeouts for HTTP providers
// (nil means a client with DefaultTimeout); log may be nil.
func New(name string, cfg Config, hc *http.Client, log *slog.Logger) (tts.Synthesizer, error) {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name = strings.ToLower(strings.TrimSpace(name))
	log = log.With("tts", name)
	var s tts.Synthesizer
	var err error
	switch name {
	case NameESpeak:
		return NewESpeak(cfg.ESpeak, log), nil
	case NameOpenAI:
		s, err = NewOpenAI(cfg.OpenAI, hc, log)
	case NameKyutai:
		s, err = NewKyutai(cfg.Kyutai, hc, log)
	case NamePiper:
		s, err = NewPiper(cfg.Piper, hc, log)
	default:
		return nil, fmt.Errorf("unknown TTS provider %q (use one of: %s)", name, strings.Join(Names(), ", "))
	}
	if err != nil || cfg.Preset == "" {
		return s, err
	}
	p, ok := PresetByID(cfg.Preset)
	if !ok {
		return nil, fmt.Errorf("unknown voice server preset %q (use one of: %s)", cfg.Preset, strings.Join(PresetIDs(), ", "))
	}
	if p.Provider != name {
		return s, nil // the preset is another provider's
	}
	return withPreset(s, p, cfg, hc)
}
