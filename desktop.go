package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"podcastfy/backend/auth"
	"podcastfy/backend/core"
	"podcastfy/backend/desktop"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
)

// The built frontend (npm run build writes frontend/dist). The folder holds a
// committed .gitkeep so the package compiles before the frontend is built.
//
//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// runDesktop opens the desktop window and blocks until it is closed; Wails
// also closes it cleanly on Ctrl+C or SIGTERM.
//
// The window itself is compiled in only by `wails build` (make build), which
// sets the production build tag; a plain `go build` binary has no webview
// and wails.Run reports that, which keeps go vet and go test free of WebKit.
func runDesktop(app *App) error {
	err := wails.Run(&options.App{
		Title:            "podcastfy",
		Width:            1200,
		Height:           800,
		MinWidth:         800,
		MinHeight:        560,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 249, A: 255},
		OnStartup:        app.startup,
		OnShutdown:       app.shutdown,
		Bind:             app.bindings(),
		// Files dropped on the window reach Go as paths (wailsRuntime.attach);
		// the page itself never sees a path.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "podcastfy",
			// Software rendering works on every machine (VMs, Xvfb, broken
			// GPU drivers); the interface has nothing that needs the GPU.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
	if err != nil {
		return fmt.Errorf("open the desktop window: %w (build the desktop app with `make build`, or run a subcommand such as `podcastfy version`)", err)
	}
	return nil
}

// newDesktopApp builds the window's facades over the opened services: the
// job service sends its events to the window and to the LAN server.
func (e *env) newDesktopApp(d *deps) (*App, error) {
	rt := &wailsRuntime{log: e.log}
	relay := &desktop.Relay{}
	gen, err := e.openGeneration(d, events.Multi{rt, relay})
	if err != nil {
		return nil, err
	}
	key, err := auth.LoadOrCreateKey(d.paths.SecretKeyFile())
	if err != nil {
		return nil, err
	}
	ui, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return nil, err
	}
	desk, err := desktop.New(desktop.Deps{
		Paths:    d.paths,
		Settings: d.settings,
		Store:    d.store,
		Auth:     d.auth,
		Jobs:     gen.jobs,
		Writers:  core.Writers{Ollama: gen.ollama, Extractive: llm.NewExtractive()},
		Synths:   gen.synths,
		Relay:    relay,
		Runtime:  rt,
		Key:      key,
		UI:       ui,
		Version:  version,
		Getenv:   e.getenv,
		Log:      e.log,
	})
	if err != nil {
		return nil, err
	}
	rt.onDrop = desk.FilesDropped
	return NewApp(e.log, desk, rt), nil
}

// bindingsWindow hands Wails the bound objects when it runs the app only
// to generate the frontend bindings (see bindingsOnly): facades without
// services, since only their types matter, so that building never opens
// (or changes) the files of the person building.
func bindingsWindow(e *env) int {
	desk := &desktop.Desktop{
		Auth: &desktop.Auth{}, Library: &desktop.Library{}, Generator: &desktop.Generator{},
		Templates: &desktop.Templates{}, Player: &desktop.Player{}, Settings: &desktop.Settings{}, Server: &desktop.Server{},
	}
	if err := runDesktop(NewApp(e.log, desk, nil)); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// wailsRuntime is desktop.Runtime over the Wails runtime. Its calls need the
// context Wails gives OnStartup (outside a running window they would end
// the process), so until then, and once the window has closed, events are
// dropped and dialogs refused.
type wailsRuntime struct {
	log *slog.Logger
	// onDrop receives the paths of files dropped on the window.
	onDrop func(paths []string)
	mu     sync.RWMutex
	ctx    context.Context
}

func (r *wailsRuntime) attach(ctx context.Context) {
	r.mu.Lock()
	r.ctx = ctx
	r.mu.Unlock()
	if r.onDrop != nil {
		runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { r.onDrop(paths) })
	}
}

func (r *wailsRuntime) detach() {
	r.mu.Lock()
	r.ctx = nil
	r.mu.Unlock()
}

func (r *wailsRuntime) context() context.Context {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ctx
}

// Emit sends an event to the frontend.
func (r *wailsRuntime) Emit(name string, data any) {
	if ctx := r.context(); ctx != nil {
		runtime.EventsEmit(ctx, name, data)
	}
}

// ChooseDirectory shows the native folder picker.
func (r *wailsRuntime) ChooseDirectory(title string) (string, error) {
	ctx := r.context()
	if ctx == nil {
		return "", errors.New("the window is not open")
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// ChooseFiles shows the native open-file dialog, several files at once.
func (r *wailsRuntime) ChooseFiles(title string, filters []desktop.FileFilter) ([]string, error) {
	ctx := r.context()
	if ctx == nil {
		return nil, errors.New("the window is not open")
	}
	ff := make([]runtime.FileFilter, len(filters))
	for i, f := range filters {
		ff[i] = runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern}
	}
	return runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{Title: title, Filters: ff})
}
