package desktop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"podcastfy/backend/admin"
	"podcastfy/backend/api"
	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/library"
	"podcastfy/backend/player"
	"podcastfy/backend/store"
	"podcastfy/backend/voices"
)

// jobsShutdownTimeout bounds the wait for running jobs to save their state.
const jobsShutdownTimeout = 30 * time.Second

// Deps are the services the facades adapt, opened by backend/app.
type Deps struct {
	Paths config.Paths
	// Settings are the settings in force, shared with the job service.
	Settings *config.Live
	// Clients builds the clients the settings screen lists with.
	Clients Clients
	// Admin is the settings as an administrator edits them, and the
	// services' health: the same service the LAN API's admin routes call.
	Admin   *admin.Service
	Store   *store.Store
	Auth    *auth.Service
	Library *library.Service
	// Jobs is the job service; it must have been built with Relay among its
	// emitters, and Runtime too so that the window sees job events.
	Jobs *core.Service
	// Removal deletes accounts with what they own.
	Removal *core.UserRemoval
	// Studio is the script studio over Jobs.
	Studio  *core.Studio
	Synths  core.SynthSource
	Relay   *Relay
	Runtime Runtime
	// Player configures native playback; a zero value plays through the
	// sound card.
	Player player.Options
	// Key is the installation's secret (secret.key), for the LAN server.
	Key []byte
	// UI is the built frontend, served by the LAN server.
	UI      fs.FS
	Version string
	Getenv  func(string) string
	Log     *slog.Logger
}

// Desktop holds the facades of one window and their lifecycle. Bind the
// facades (Auth, Library, …), not the Desktop itself.
type Desktop struct {
	Auth      *Auth
	Accounts  *Accounts
	Library   *Library
	Generator *Generator
	Templates *Templates
	Player    *Player
	Settings  *Settings
	Server    *Server
	Studio    *Studio
	Window    *Window

	dataDir string // the installation's data folder: one window per folder
	jobs    *core.Service
	player  *player.Player
	pulls   *pulls
	log     *slog.Logger
}

// New builds the facades. Nobody is logged in yet.
func New(d Deps) (*Desktop, error) {
	switch {
	case d.Store == nil || d.Auth == nil || d.Library == nil || d.Jobs == nil || d.Studio == nil || d.Synths == nil:
		return nil, errors.New("desktop: the store, accounts, library, jobs, studio and synthesisers are required")
	case d.Relay == nil || d.Runtime == nil:
		return nil, errors.New("desktop: the relay and the runtime are required")
	case d.Settings == nil || d.Clients == nil || d.Admin == nil:
		return nil, errors.New("desktop: the settings, the clients and the admin service are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	session := NewSession(d.Auth)
	settings := &settingsFile{live: d.Settings}
	p := player.New(d.Log.With("component", "player"), playerEmitter(d.Runtime), d.Player)
	lib := &Library{lib: d.Library, podcasts: d.Store.Podcasts(), session: session, rt: d.Runtime, log: d.Log}
	pulls := newPulls(d.Runtime, d.Log)
	// One voice service for the window and its LAN server: the previews
	// of both count against the same allowance.
	vs := voices.New(d.Synths, voices.SettingsDefaults(d.Settings.Get), voices.Options{Log: d.Log})
	dk := &Desktop{
		Library: lib,
		Generator: &Generator{
			jobs: d.Jobs, session: session, rt: d.Runtime, picked: &pickedFiles{}, log: d.Log.With("component", "generator"),
		},
		Templates: &Templates{store: d.Store.Templates(), session: session, log: d.Log},
		Studio:    &Studio{studio: d.Studio, session: session, log: d.Log.With("component", "studio")},
		Player:    &Player{p: p, lib: lib, session: session, jobs: d.Jobs, log: d.Log.With("component", "player")},
		Settings: &Settings{
			admin: d.Admin, file: settings, clients: d.Clients, session: session, log: d.Log, pulls: pulls,
			preview: &previewer{voices: vs, dir: filepath.Join(d.Paths.Cache, "preview"), player: p},
		},
		Server: &Server{
			api: api.Deps{
				Accounts: d.Auth, Users: d.Store.Users(), Podcasts: d.Store.Podcasts(), Library: d.Library, Templates: d.Store.Templates(),
				Jobs: d.Jobs, Removal: d.Removal, Voices: vs, Studio: d.Studio, Admin: d.Admin,
				Key: d.Key, UI: d.UI, Version: d.Version, Log: d.Log.With("component", "api"),
				UploadDir: filepath.Join(d.Paths.State, "uploads"), // as podcastfy serve keeps them
			},
			settings: settings, certDir: d.Paths.Data, users: d.Store.Users(), session: session,
			relay: d.Relay, emit: d.Runtime, log: d.Log.With("component", "lan"),
		},
		Window:  &Window{rt: d.Runtime},
		dataDir: d.Paths.Data,
		jobs:    d.Jobs,
		player:  p,
		pulls:   pulls,
		log:     d.Log,
	}
	dk.Accounts = &Accounts{svc: d.Auth, removal: d.Removal, session: session}
	dk.Auth = &Auth{svc: d.Auth, session: session, getenv: d.Getenv, onLogout: func() {
		dk.Generator.picked.clear()
		if _, err := p.Stop(); err != nil && !errors.Is(err, player.ErrNoTrack) {
			d.Log.Warn("stopping playback at logout", "err", err)
		}
	}}
	return dk, nil
}

// TypesOnly returns facades without services, for when Wails runs the app
// only to generate the frontend bindings: only their types matter, and
// building never opens (or changes) the files of the person building.
func TypesOnly() *Desktop {
	return &Desktop{
		Auth: &Auth{}, Accounts: &Accounts{}, Library: &Library{}, Generator: &Generator{},
		Templates: &Templates{}, Player: &Player{}, Settings: &Settings{}, Server: &Server{}, Studio: &Studio{},
		Window: &Window{},
	}
}

// InstanceID names the single-instance lock of this installation: two
// windows on the same files would each run their own jobs and server over
// them, while installations in other folders (PODCASTFY_HOME) may run side
// by side.
func (d *Desktop) InstanceID() string {
	sum := sha256.Sum256([]byte(d.dataDir))
	return "podcastfy-" + hex.EncodeToString(sum[:8])
}

// Bindings lists the facades to bind to the window.
func (d *Desktop) Bindings() []any {
	return []any{d.Auth, d.Accounts, d.Library, d.Generator, d.Templates, d.Player, d.Settings, d.Server, d.Studio, d.Window}
}

// BeforeClose decides whether a close of the window waits (it is not
// bound: Wails asks it): with unsaved edits on the page it keeps the
// window open and lets the person choose there (see Window).
func (d *Desktop) BeforeClose() (keepOpen bool) {
	return d.Window.beforeClose()
}

// FilesDropped takes the paths of files dropped onto the window, which
// the window system reports (it is not bound: the page cannot call it).
// Only regular files that are documents or recordings are remembered, for
// the logged-in user, behind tokens announced to the page by a
// sources:dropped event.
func (d *Desktop) FilesDropped(paths []string) {
	d.Generator.filesDropped(paths)
}

// Startup runs when the window opens: it starts the LAN server when the
// settings say so (server.enabled). A server that cannot start is reported
// in its status and log, not as a failure of the window.
func (d *Desktop) Startup(ctx context.Context) {
	if !d.Settings.file.get().Server.Enabled {
		return
	}
	if err := d.Server.start(); err != nil {
		d.log.WarnContext(ctx, "the LAN server did not start", "err", err)
	}
}

// Shutdown runs when the window has closed: it stops the LAN server
// gracefully, stops the running jobs so that they can be resumed, ends
// model downloads and closes the player.
func (d *Desktop) Shutdown(ctx context.Context) error {
	var errs []error
	if err := d.Server.stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stopping the LAN server: %w", err))
	}
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobsShutdownTimeout)
	defer cancel()
	if err := d.jobs.Shutdown(jctx); err != nil {
		errs = append(errs, fmt.Errorf("stopping the jobs: %w", err))
	}
	d.pulls.close()
	if err := d.player.Close(); err != nil {
		errs = append(errs, fmt.Errorf("closing the player: %w", err))
	}
	return errors.Join(errs...)
}

var _ events.Emitter = (*Relay)(nil)
