// Command podcastfy turns text, documents and recordings into multi-voice
// podcasts on this machine. With no arguments it opens the desktop window;
// subcommands manage accounts and templates from a terminal (run
// `podcastfy help`). main.go only hands the process to backend/cli; app.go
// holds what only the root can: the embedded frontend and the Wails window.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"podcastfy/backend/cli"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, program(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
