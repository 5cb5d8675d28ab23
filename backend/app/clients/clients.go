// Package clients turns settings into clients of the outside services they
// name: the Ollama client, TTS providers and the speech recognition client.
// It is the one place that does; backend/app wires it into the job service
// and the desktop's settings screen.
package clients

import (
	"fmt"
	"log/slog"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// Factory builds clients from settings.
type Factory struct {
	Getenv func(string) string
	Log    *slog.Logger
}

// Ollama builds an Ollama client from the settings.
func (p Factory) Ollama(s config.Settings) (*llm.Ollama, error) {
	opts := s.Ollama.Options
	keepAlive, err := opts.KeepAliveDuration()
	if err != nil {
		return nil, fmt.Errorf("ollama.options.keep_alive: %w", err)
	}
	switch {
	case keepAlive == 0:
		keepAlive = llm.KeepAliveUnload
	case keepAlive < 0:
		keepAlive = -1 // Ollama: keep the model loaded
	}
	temperature, topP := opts.Temperature, opts.TopP
	hosts := make([]llm.HostConfig, len(s.Ollama.URLs))
	for i, u := range s.Ollama.URLs {
		hosts[i] = llm.HostConfig{URL: u.URL, Concurrency: u.Concurrency}
	}
	o, err := llm.NewOllama(llm.OllamaConfig{
		Host:           s.Ollama.URL,
		Model:          s.Ollama.Model,
		ConnectTimeout: time.Duration(s.Ollama.ConnectTimeoutSeconds) * time.Second,
		IdleTimeout:    time.Duration(s.Ollama.IdleTimeoutSeconds) * time.Second,
		Temperature:    &temperature,
		TopP:           &topP,
		NumCtx:         opts.NumCtx,
		KeepAlive:      keepAlive,
		Getenv:         p.Getenv,
		Concurrency:    s.Ollama.Concurrency,
		Hosts:          hosts,
	}, p.Log)
	if err != nil {
		return nil, fmt.Errorf("ollama settings: %w", err)
	}
	return o, nil
}

// Synthesizer builds the named TTS provider from the settings. When the
// settings list more servers of that provider, the lines are spread over
// its own server and those (tts.Pool).
func (p Factory) Synthesizer(name string, s config.Settings) (tts.Synthesizer, error) {
	c := providerConfig(s)
	own, err := providers.New(name, c, nil, p.Log)
	if err != nil || name != s.TTS.Provider || len(s.TTS.Servers) == 0 {
		return own, err
	}
	eps := []tts.Endpoint{{Synth: own, Concurrency: s.TTS.Concurrency}}
	for i, srv := range s.TTS.Servers {
		other, err := providers.New(name, withURL(c, name, srv.URL), nil, p.Log)
		if err != nil {
			return nil, fmt.Errorf("tts.servers[%d]: %w", i, err)
		}
		eps = append(eps, tts.Endpoint{Synth: other, Concurrency: srv.Concurrency})
	}
	return tts.NewPool(eps, tts.DefaultCooldown, nil)
}

// withURL is c with the named provider's server at url.
func withURL(c providers.Config, name, url string) providers.Config {
	switch name {
	case providers.NameOpenAI:
		c.OpenAI.URL = url
	case providers.NameKyutai:
		c.Kyutai.URL = url
	case providers.NamePiper:
		c.Piper.URL = url
	}
	return c
}

// Transcriber builds the speech recognition client from the settings.
func (p Factory) Transcriber(s config.Settings) (asr.Transcriber, error) {
	w := s.Whisper
	var t asr.Transcriber
	var err error
	if w.Provider == asr.ProviderOpenAI {
		// Only the OpenAI-compatible servers take a key.
		t, err = asr.NewOpenAI(w.URL, w.Model, w.APIKey, nil, p.Log)
	} else {
		t, err = asr.New(w.Provider, w.URL, w.Model, nil, p.Log)
	}
	if err != nil {
		return nil, fmt.Errorf("whisper settings: %w", err)
	}
	return t, nil
}

func providerConfig(s config.Settings) providers.Config {
	t := s.TTS
	c := providers.Config{
		ESpeak: providers.ESpeakConfig{Binary: t.ESpeak.Binary},
		OpenAI: providers.OpenAIConfig{URL: t.OpenAI.URL, Model: t.OpenAI.Model, APIKey: t.OpenAI.APIKey, Format: t.OpenAI.Format},
		Kyutai: providers.KyutaiConfig{URL: t.Kyutai.URL, APIKey: t.Kyutai.APIKey},
		Piper:  providers.PiperConfig{URL: t.Piper.URL},
	}
	// A preset points its provider at its server (validated settings name
	// a known one).
	if p, ok := providers.PresetByID(t.Preset); ok {
		c = p.Apply(c, t.PresetURL)
	}
	return c
}

// SynthTag names the settings that shape a TTS provider's sound; it becomes
// part of the segment cache key.
func SynthTag(s config.Settings, name string) string {
	c := providerConfig(s)
	// A preset is in the tag: it changes which voice a line is spoken in.
	preset := ""
	if c.Preset != "" {
		preset = "|" + c.Preset
	}
	switch name {
	case providers.NameOpenAI:
		return c.OpenAI.URL + "|" + c.OpenAI.Model + "|" + c.OpenAI.Format + "|" + c.OpenAI.APIKey + preset
	case providers.NameKyutai:
		return c.Kyutai.URL + "|" + c.Kyutai.APIKey + preset
	case providers.NamePiper:
		return c.Piper.URL + preset
	}
	return c.ESpeak.Binary
}
