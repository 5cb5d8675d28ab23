package app

import (
	"fmt"
	"log/slog"
	"testing"

	"podcastfy/backend/desktop"
)

// testOptions open the app in a portable home with the cheapest bcrypt
// cost.
func testOptions(home string) Options {
	return Options{
		Getenv: func(k string) string {
			return map[string]string{"PODCASTFY_HOME": home, "PODCASTFY_BCRYPT_COST": "4"}[k]
		},
		Log:     slog.New(slog.DiscardHandler),
		Version: "test",
	}
}

// TestDesktop builds the window's facades over real services in a portable
// home, without a window: what is bound, and a clean shutdown.
func TestDesktop(t *testing.T) {
	a, err := Open(testOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWindow()
	desk, err := a.Desktop(w)
	if err != nil {
		t.Fatalf("Desktop: %v", err)
	}
	b := desk.Bindings()
	want := []any{&desktop.Auth{}, &desktop.Accounts{}, &desktop.Library{}, &desktop.Generator{}, &desktop.Templates{},
		&desktop.Player{}, &desktop.Settings{}, &desktop.Server{}, &desktop.Studio{}, &desktop.Window{}}
	if len(b) != len(want) {
		t.Fatalf("bindings = %T, want the ten facades", b)
	}
	for i := range want {
		if got, want := typeName(b[i]), typeName(want[i]); got != want {
			t.Errorf("binding %d is %s, want %s", i, got, want)
		}
	}
	if w.drop == nil {
		t.Error("files dropped on the window would reach no facade")
	}
	if need, err := desk.Auth.FirstRunNeeded(); err != nil || !need {
		t.Errorf("FirstRunNeeded in an empty home = %v, %v", need, err)
	}
	if err := desk.Shutdown(t.Context()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
