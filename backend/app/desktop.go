package app

import (
	"podcastfy/backend/core"
	"podcastfy/backend/desktop"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
)

// Desktop builds the window's facades over the opened services (Open): the
// job service sends its events to the window (rt) and to the LAN server,
// and files dropped on the window reach the generator.
func (a *App) Desktop(rt *desktop.WailsRuntime) (*desktop.Desktop, error) {
	relay := &desktop.Relay{}
	gen, err := a.Generation(events.Multi{rt, relay})
	if err != nil {
		return nil, err
	}
	desk, err := desktop.New(desktop.Deps{
		Paths:    a.Paths,
		Settings: a.Settings,
		Store:    a.Store,
		Auth:     a.Auth,
		Jobs:     gen.Jobs,
		Writers:  core.Writers{Ollama: gen.Ollama, Extractive: llm.NewExtractive()},
		Synths:   gen.Synths,
		Relay:    relay,
		Runtime:  rt,
		Key:      a.Key,
		UI:       a.opts.UI,
		Version:  a.opts.Version,
		Getenv:   a.opts.Getenv,
		Log:      a.opts.Log,
	})
	if err != nil {
		return nil, err
	}
	rt.OnDrop = desk.FilesDropped
	return desk, nil
}
