package main

import (
	"context"
	"log/slog"

	"podcastfy/backend/desktop"
)

// App is the desktop window's own facade (window.go.main.App in the
// webview, frontend/wailsjs/go/main/App.* in TypeScript) and its
// lifecycle: it starts and stops the area facades of backend/desktop,
// which are bound beside it. It holds no business logic; each bound method
// returns (T, error) so a failure reaches the frontend as a rejected
// promise. Wails calls every bound method on its own goroutine, so methods
// must be safe for concurrent use.
type App struct {
	log  *slog.Logger
	desk *desktop.Desktop // nil in tests of App alone
	rt   *wailsRuntime    // nil in tests of App alone
}

// NewApp returns the facade for one desktop window over desk, whose events
// and dialogs go through rt. Either may be nil (no area facades).
func NewApp(log *slog.Logger, desk *desktop.Desktop, rt *wailsRuntime) *App {
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
		a.rt.attach(ctx)
	}
	if a.desk != nil {
		a.desk.Startup(ctx)
	}
}

// shutdown runs after the window closed, before the process exits: the
// LAN server stops gracefully, running jobs stop resumable, the player
// closes.
func (a *App) shutdown(ctx context.Context) {
	if a.rt != nil {
		a.rt.detach()
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
