package main

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"podcastfy/backend/desktop"
)

func TestAppVersion(t *testing.T) {
	got, err := NewApp(slog.New(slog.DiscardHandler), nil, nil).Version()
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if got == "" || got != version {
		t.Errorf("Version() = %q, want the build's version %q", got, version)
	}
}

// TestDesktopApp builds the window's facades over real services in a
// portable home, without a window: what is bound, and a clean shutdown.
func TestDesktopApp(t *testing.T) {
	home := t.TempDir()
	e := &env{
		ctx: t.Context(),
		getenv: func(k string) string {
			return map[string]string{"PODCASTFY_HOME": home, "PODCASTFY_BCRYPT_COST": "4"}[k]
		},
		stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.DiscardHandler),
	}
	d, err := e.openAll()
	if err != nil {
		t.Fatal(err)
	}
	app, err := e.newDesktopApp(d)
	if err != nil {
		t.Fatalf("newDesktopApp: %v", err)
	}
	b := app.bindings()
	if len(b) != 8 || b[0] != app {
		t.Fatalf("bindings = %T, want App and the seven facades", b)
	}
	for i, want := range []any{&desktop.Auth{}, &desktop.Library{}, &desktop.Generator{}, &desktop.Templates{},
		&desktop.Player{}, &desktop.Settings{}, &desktop.Server{}} {
		if got, want := typeName(b[i+1]), typeName(want); got != want {
			t.Errorf("binding %d is %s, want %s", i+1, got, want)
		}
	}
	// Before the window opens, events are dropped and dialogs refused.
	app.rt.Emit("job:progress", nil)
	if _, err := app.rt.ChooseDirectory("Export"); err == nil {
		t.Error("a folder dialog opened without a window")
	}
	if _, err := app.rt.ChooseFiles("Add documents", nil); err == nil {
		t.Error("a file dialog opened without a window")
	}
	if app.rt.onDrop == nil {
		t.Error("files dropped on the window would reach no facade")
	}
	if need, err := app.desk.Auth.FirstRunNeeded(); err != nil || !need {
		t.Errorf("FirstRunNeeded in an empty home = %v, %v", need, err)
	}
	app.shutdown(t.Context())
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
