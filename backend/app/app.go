// Package app is the one place that builds podcastfy: paths, settings, the
// store, accounts, script writers, TTS providers, speech recognition, the
// job service, the desktop facades and the LAN server. The desktop window,
// `podcastfy serve` and every CLI command open their services here; no other
// package reads config.yaml or constructs providers.
package app

import (
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/admin"
	"podcastfy/backend/app/clients"
	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/library"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

// Options are what the process hands the app: its environment, its logger
// and what the build embeds.
type Options struct {
	Getenv func(string) string
	Log    *slog.Logger
	// Version is the version this binary was built as (git describe).
	Version string
	// UI is the built frontend (frontend/dist), served by the LAN server;
	// nil serves a page saying the interface was not built.
	UI fs.FS
}

// App holds the opened services, in the order the application always opens
// them: paths, folders, settings, store, accounts.
type App struct {
	Paths config.Paths
	// Settings are the settings in force (config.yaml, followed live).
	Settings *config.Live
	// Clients builds clients of the outside services the settings name.
	Clients clients.Factory
	// Admin is the settings as an administrator edits them (keys masked)
	// and the health of the services they name, for both doors.
	Admin   *admin.Service
	Store   *store.Store
	Auth    *auth.Service // nil from OpenStore
	Library *library.Service
	// Key is the installation's secret (secret.key); nil from OpenStore.
	Key []byte

	opts Options
}

// OpenStore resolves the folders, creates the missing ones, loads the
// settings and opens the store. A damaged config.yaml or users.json stops
// here with an error naming the file; neither is ever rewritten.
func OpenStore(o Options) (*App, error) {
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	paths, err := config.ResolvePaths(o.Getenv)
	if err != nil {
		return nil, err
	}
	if err := paths.EnsureDirs(); err != nil {
		return nil, err
	}
	settings, err := config.OpenLive(paths.ConfigFile())
	if err != nil {
		return nil, err
	}
	st, err := store.Open(paths, templates.FS, o.Log)
	if err != nil {
		return nil, err
	}
	factory := clients.Factory{Getenv: o.Getenv, Log: o.Log}
	return &App{
		Paths: paths, Settings: settings, Store: st, opts: o,
		Clients: factory,
		Admin:   admin.New(settings, factory, o.Log.With("component", "admin")),
		Library: library.New(st.Podcasts(), o.Log.With("component", "library")),
	}, nil
}

// Open opens the store and the account service on top of it, creating the
// token key on first run.
func Open(o Options) (*App, error) {
	a, err := OpenStore(o)
	if err != nil {
		return nil, err
	}
	key, err := auth.LoadOrCreateKey(a.Paths.SecretKeyFile())
	if err != nil {
		return nil, err
	}
	cost, err := bcryptCost(a.opts.Getenv("PODCASTFY_BCRYPT_COST"))
	if err != nil {
		return nil, err
	}
	a.Key = key
	a.Auth = auth.New(a.Store.Users(), key, auth.Options{BcryptCost: cost, Log: a.opts.Log})
	return a, nil
}

// bcryptCost reads PODCASTFY_BCRYPT_COST: empty means auth's default.
func bcryptCost(v string) (int, error) {
	if v == "" {
		return auth.DefaultBcryptCost, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < bcrypt.MinCost || n > bcrypt.MaxCost {
		return 0, fmt.Errorf("PODCASTFY_BCRYPT_COST=%q: want a whole number from %d to %d (default %d)", v, bcrypt.MinCost, bcrypt.MaxCost, auth.DefaultBcryptCost)
	}
	return n, nil
}
