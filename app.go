package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"podcastfy/backend/cli"
	"podcastfy/backend/desktop"
)

// program is what this binary brings to the command line: its version, the
// built frontend and the window.
func program() cli.Program {
	ui, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err) // "frontend/dist" is a valid path: fs.Sub cannot fail on it
	}
	return cli.Program{Version: version, UI: ui, Window: runWindow, BindingsOnly: bindingsOnly}
}

// The built frontend (npm run build writes frontend/dist). The folder holds a
// committed .gitkeep so the package compiles before the frontend is built.
//
//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// runWindow opens the desktop window over desk and blocks until it is
// closed; Wails also closes it cleanly on Ctrl+C or SIGTERM. A window that
// cannot open still stops the services cleanly.
//
// The window itself is compiled in only by `wails build` (make build), which
// sets the production build tag; a plain `go build` binary has no webview
// and wails.Run reports that, which keeps go vet and go test free of WebKit.
func runWindow(log *slog.Logger, desk *desktop.Desktop, rt *desktop.WailsRuntime) error {
	app := NewApp(log, desk, rt)
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
		// Unsaved edits on the page keep the window open and ask there.
		OnBeforeClose: app.beforeClose,
		Bind:          app.bindings(),
		// A facade's error rejects its promise with {code, field?, message}.
		ErrorFormatter: desktop.FormatError,
		// One window per installation: a second launch brings the first
		// window forward and exits.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: desk.InstanceID(),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				if rt != nil {
					rt.Raise()
				}
			},
		},
		// Files dropped on the window reach Go as paths (WailsRuntime.Attach);
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
		app.shutdown(context.Background())
		return fmt.Errorf("open the desktop window: %w (build the desktop app with `make build`, or run a subcommand such as `podcastfy version`)", err)
	}
	return nil
}

// App is the desktop window's own facade (window.go.main.App in the
// webview, frontend/wailsjs/go/main/App.* in TypeScript) and its
// lifecycle: it starts and stops the area facades of backend/desktop,
// which are bound beside it. It holds no business logic; each bound method
// returns (T, error) so a failure reaches the frontend as a rejected
// promise. Wails calls every bound method on its own goroutine, so methods
// must be safe for concurrent use.
type App struct {
	log  *slog.Logger
	desk *desktop.Desktop      // nil in tests of App alone
	rt   *desktop.WailsRuntime // nil in tests of App alone, and for bindings
}

// NewApp returns the facade for one desktop window over desk, whose events
// and dialogs go through rt. Either may be nil (no area facades).
func NewApp(log *slog.Logger, desk *desktop.Desktop, rt *desktop.WailsRuntime) *App {
	return &App{log: log, desk: desk, rt: rt}
}

// bindings are the objects bound to the window: App and the area facades.
func (a *App) bindings() []any {
	out := []any{a}
	if a.desk != nil {
		out = append(out, a.desk.Bindings()...)
	}
	return out
}

// startup runs once the window exists, before the page loads.
func (a *App) startup(ctx context.Context) {
	a.log.InfoContext(ctx, "desktop window started", "version", version)
	if a.rt != nil {
		a.rt.Attach(ctx)
	}
	if a.desk != nil {
		a.desk.Startup(ctx)
	}
}

// beforeClose runs when the window is asked to close (its close button,
// the system's, or Window.Close); true keeps it open.
func (a *App) beforeClose(context.Context) bool {
	return a.desk != nil && a.desk.BeforeClose()
}

// shutdown runs after the window closed, before the process exits: the
// LAN server stops gracefully, running jobs stop resumable, the player
// closes.
func (a *App) shutdown(ctx context.Context) {
	if a.rt != nil {
		a.rt.Detach()
	}
	if a.desk != nil {
		if err := a.desk.Shutdown(ctx); err != nil {
			a.log.ErrorContext(ctx, "shutting down", "err", err)
		}
	}
	a.log.InfoContext(ctx, "desktop window closed")
}

// Version returns the version this binary was built as (git describe).
func (a *App) Version() (string, error) {
	return version, nil
}
