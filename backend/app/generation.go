package app

import (
	"time"

	"podcastfy/backend/app/clients"
	"podcastfy/backend/audio"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts"
)

// Generation holds the services that make podcasts.
type Generation struct {
	Jobs *core.Service
	// Synths follow the settings in force, as the job service does: the
	// voice lists and previews use them.
	Synths *core.Synths
	// Studio edits podcasts' scripts, re-voicing them with Jobs.
	Studio *core.Studio
}

// Generation builds the job service and what it works with: the script
// writers, the TTS providers and speech recognition. emitter receives job
// events. Each of them is resolved from the settings in force (a.Settings)
// when a job starts, so a saved setting or an edited config.yaml applies to
// the next job with no restart. The audio format and the number of workers
// are read once, here.
func (a *App) Generation(emitter events.Emitter) (*Generation, error) {
	log := a.opts.Log
	synths := &core.Synths{
		New: func(name string) (tts.Synthesizer, error) {
			return a.Clients.Synthesizer(name, a.Settings.Get())
		},
		Retry: tts.RetryPolicy{Log: log},
		Tag:   func(name string) string { return clients.SynthTag(a.Settings.Get(), name) },
	}
	transcriber := &liveTranscriber{settings: a.Settings, clients: a.Clients}
	local := ingest.New(ingest.Options{Transcriber: transcriber}, log)
	// Requests from the LAN may not make this machine fetch private addresses.
	remote := ingest.New(ingest.Options{Transcriber: transcriber, BlockPrivateHosts: true}, log)
	ollama := &liveOllama{settings: a.Settings, clients: a.Clients}
	writers := core.Writers{
		Ollama:     ollama,
		Extractive: llm.NewExtractive(),
	}
	g := a.Settings.Get().Generation
	jobs, err := core.NewService(core.Config{
		JobsDir:  a.Paths.JobsDir(),
		CacheDir: a.Paths.TTSCacheDir(),
		Workers:  g.Workers,
		MaxJobs:  g.MaxJobs,
		// Read once: the queue is built with the service.
		MaxQueuedPerUser: a.Settings.Get().Server.MaxQueuedPerUser,
		Audio: audio.Options{
			SampleRate: g.SampleRate, Gap: time.Duration(g.GapMs) * time.Millisecond,
			TargetLUFS: -16, TruePeakDBTP: -1, BitrateKbps: g.BitrateKbps,
		},
		Defaults: a.defaults,
		Disk: func() core.DiskLimits {
			s := a.Settings.Get().Server
			return core.DiskLimits{PerUser: int64(s.DiskPerUserMB) << 20, Reserve: int64(s.DiskReserveMB) << 20}
		},
	}, core.Deps{
		Podcasts:     a.Store.Podcasts(),
		Templates:    a.Store.Templates(),
		Writers:      writers,
		Synths:       synths,
		Ingest:       local,
		RemoteIngest: remote,
		Emitter:      emitter,
		Log:          log,
		Process:      a.Store.Process(),
	})
	if err != nil {
		return nil, err
	}
	// Servers' answers kept for the checks before a job are about the old
	// settings once they change.
	a.Settings.Subscribe(func(config.Settings) { jobs.ForgetChecks() })
	studio := core.NewStudio(jobs, a.Library, a.Store.Podcasts(), ollama)
	return &Generation{Jobs: jobs, Synths: synths, Studio: studio}, nil
}

// defaults are the generation defaults in force; a config.yaml changed into
// something that is not settings refuses the job with the file's line.
func (a *App) defaults() (core.Defaults, error) {
	s, err := a.Settings.Current()
	if err != nil {
		return core.Defaults{}, err
	}
	return core.Defaults{
		Template: s.Generation.Template,
		Minutes:  s.Generation.Minutes,
		Language: s.Generation.Language,
		TTS:      s.TTS.Provider,
		Writer:   s.Writer,
		Voices:   s.TTS.Voices,
		// Read when a re-voice commits, so a changed setting applies to it.
		KeepVersions: s.Library.KeepVersions,
	}, nil
}
