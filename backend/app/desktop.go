package app

import (
	"podcastfy/backend/desktop"
	"podcastfy/backend/events"
)

// Window is what the facades need from the desktop window:
// desktop.WailsRuntime in the app.
type Window interface {
	desktop.Runtime
	// OnFilesDropped sends the paths of files dropped on the window to fn.
	OnFilesDropped(fn func(paths []string))
}

// Desktop builds the window's facades over the opened services (Open): the
// job service sends its events to the window (rt) and to the LAN server,
// and files dropped on the window reach the generator.
func (a *App) Desktop(rt Window) (*desktop.Desktop, error) {
	relay := &desktop.Relay{}
	gen, err := a.Generation(events.Multi{rt, relay})
	if err != nil {
		return nil, err
	}
	desk, err := desktop.New(desktop.Deps{
		Paths:    a.Paths,
		Settings: a.Settings,
		Clients:  a.Clients,
		Admin:    a.Admin,
		Store:    a.Store,
		Auth:     a.Auth,
		Library:  a.Library,
		Jobs:     gen.Jobs,
		Removal:  a.UserRemoval(gen.Jobs),
		Studio:   gen.Studio,
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
	rt.OnFilesDropped(desk.FilesDropped)
	return desk, nil
}
