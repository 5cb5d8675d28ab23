package main

import (
	"fmt"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/audio"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// generation holds the services that make podcasts.
type generation struct {
	jobs        *core.Service
	transcriber asr.Transcriber
	ollama      *llm.Ollama
	synths      *core.Synths
}

// openGeneration builds the script writers, the TTS providers and the job
// service from the settings; emitter receives job events.
func (e *env) openGeneration(d *deps, emitter events.Emitter) (*generation, error) {
	s := d.settings
	ollama, err := llm.NewOllama(llm.OllamaConfig{
		Host:           s.Ollama.URL,
		Model:          s.Ollama.Model,
		ConnectTimeout: time.Duration(s.Ollama.ConnectTimeoutSeconds) * time.Second,
		IdleTimeout:    time.Duration(s.Ollama.IdleTimeoutSeconds) * time.Second,
		Getenv:         e.getenv,
	}, e.log)
	if err != nil {
		return nil, fmt.Errorf("ollama settings in %s: %w", d.paths.ConfigFile(), err)
	}
	pcfg := providers.Config{
		ESpeak: providers.ESpeakConfig{Binary: s.TTS.ESpeak.Binary},
		OpenAI: providers.OpenAIConfig{URL: s.TTS.OpenAI.URL, Model: s.TTS.OpenAI.Model, APIKey: s.TTS.OpenAI.APIKey, Format: s.TTS.OpenAI.Format},
		Kyutai: providers.KyutaiConfig{URL: s.TTS.Kyutai.URL, APIKey: s.TTS.Kyutai.APIKey},
		Piper:  providers.PiperConfig{URL: s.TTS.Piper.URL},
	}
	synths := &core.Synths{
		New:   func(name string) (tts.Synthesizer, error) { return providers.New(name, pcfg, nil, e.log) },
		Retry: tts.RetryPolicy{Log: e.log},
		Tag: func(name string) string {
			switch name {
			case providers.NameOpenAI:
				return pcfg.OpenAI.URL + "|" + pcfg.OpenAI.Model + "|" + pcfg.OpenAI.Format
			case providers.NameKyutai:
				return pcfg.Kyutai.URL
			case providers.NamePiper:
				return pcfg.Piper.URL
			}
			return pcfg.ESpeak.Binary
		},
	}
	transcriber, err := asr.New(s.Whisper.Provider, s.Whisper.URL, s.Whisper.Model, nil, e.log)
	if err != nil {
		return nil, fmt.Errorf("whisper settings in %s: %w", d.paths.ConfigFile(), err)
	}
	local := ingest.New(ingest.Options{Transcriber: transcriber}, e.log)
	// Requests from the LAN may not make this machine fetch private addresses.
	remote := ingest.New(ingest.Options{Transcriber: transcriber, BlockPrivateHosts: true}, e.log)
	g := s.Generation
	jobs, err := core.NewService(core.Config{
		JobsDir:  d.paths.JobsDir(),
		CacheDir: d.paths.TTSCacheDir(),
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
		Podcasts:     d.store.Podcasts(),
		Templates:    d.store.Templates(),
		Writers:      core.Writers{Ollama: ollama, Extractive: llm.NewExtractive()},
		Synths:       synths,
		Ingest:       local,
		RemoteIngest: remote,
		Emitter:      emitter,
		Log:          e.log,
	})
	if err != nil {
		return nil, err
	}
	return &generation{jobs: jobs, transcriber: transcriber, ollama: ollama, synths: synths}, nil
}
