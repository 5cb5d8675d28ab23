package main

import (
	"embed"
	"fmt"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
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
		Bind:             []any{app},
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
