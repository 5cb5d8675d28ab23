package main

import (
	"context"
	"log/slog"
)

// App is the desktop window's facade: the object bound to the frontend
// (window.go.main.App in the webview, frontend/wailsjs/go/main/App.* in
// TypeScript). It holds no business logic; each bound method returns
// (T, error) so a failure reaches the frontend as a rejected promise.
// Wails calls every bound method on its own goroutine, so methods must be
// safe for concurrent use.
type App struct {
	log *slog.Logger
}

// NewApp returns the facade for one desktop window.
func NewApp(log *slog.Logger) *App {
	return &App{log: log}
}

// startup runs once the window exists, before the page loads.
func (a *App) startup(ctx context.Context) {
	a.log.InfoContext(ctx, "desktop window started", "version", version)
}

// shutdown runs after the window closed, before the process exits.
func (a *App) shutdown(ctx context.Context) {
	a.log.InfoContext(ctx, "desktop window closed")
}

// Version returns the version this binary was built as (git describe).
func (a *App) Version() (string, error) {
	return version, nil
}
