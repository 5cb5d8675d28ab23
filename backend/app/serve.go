package app

import (
	"context"
	"io"
	"path/filepath"
	"time"

	"podcastfy/backend/api"
	"podcastfy/backend/voices"
)

// ServeOptions are what `podcastfy serve` decides on its command line.
type ServeOptions struct {
	Addr string // HOST:PORT
	TLS  bool
	// Out receives the URLs to use once the server listens.
	Out io.Writer
}

// Serve runs the LAN API over the opened services (Open) until ctx ends,
// then drains requests and stops the running jobs so that they can be
// resumed.
func (a *App) Serve(ctx context.Context, o ServeOptions) error {
	log := a.opts.Log
	hub := api.NewHub(0)
	gen, err := a.Generation(hub)
	if err != nil {
		return err
	}
	handler := api.NewServer(api.Deps{
		Accounts:  a.Auth,
		Users:     a.Store.Users(),
		Podcasts:  a.Store.Podcasts(),
		Library:   a.Library,
		Templates: a.Store.Templates(),
		Jobs:      gen.Jobs,
		Removal:   a.UserRemoval(gen.Jobs),
		Voices:    voices.New(gen.Synths, voices.SettingsDefaults(a.Settings.Get), voices.Options{Log: log}),
		Studio:    gen.Studio,
		Admin:     a.Admin,
		Hub:       hub,
		Settings:  a.Settings.Get().Server,
		UploadDir: filepath.Join(a.Paths.State, "uploads"),
		Process:   a.Store.Process(),
		Key:       a.Key,
		UI:        a.opts.UI,
		Version:   a.opts.Version,
		Log:       log,
	})
	return api.Serve(ctx, api.ServeConfig{
		Addr:    o.Addr,
		TLS:     o.TLS,
		CertDir: a.Paths.Data,
		Out:     o.Out,
		Log:     log,
		Hub:     hub,
		AfterDrain: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			return gen.Jobs.Shutdown(ctx)
		},
	}, handler)
}
