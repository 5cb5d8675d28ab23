// Command podcastfy turns text, documents and recordings into multi-voice
// podcasts on this machine. With no arguments it opens the desktop window;
// subcommands manage accounts and templates from a terminal (run
// `podcastfy help`). main.go and the cli*.go files only wire the backend
// services together; none of them holds business logic.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
