package main

import (
	"log/slog"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// The version the Makefile sets with -ldflags "-X main.version=…" reaches
// the command line and the window's facade: the binary is built the way
// `make cli` builds it and asked.
func TestVersionFromLinkerFlag(t *testing.T) {
	const want = "v9.8.7-linker-test"
	bin := filepath.Join(t.TempDir(), "podcastfy")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+want, "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	line := "podcastfy " + want + " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil || string(out) != line {
			t.Errorf("podcastfy %v = %q, %v; want %q", args, out, err, line)
		}
	}
}

// The window's App facade reports main.version, "dev" when no linker flag
// set it (as in go test).
func TestAppVersion(t *testing.T) {
	app := NewApp(slog.New(slog.DiscardHandler), nil, nil)
	if got, err := app.Version(); err != nil || got != "dev" {
		t.Errorf("Version() = %q, %v; want the default build's \"dev\"", got, err)
	}
}
