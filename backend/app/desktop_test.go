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
	rt := &desktop.WailsRuntime{}
	desk, err := a.Desktop(rt)
	if err != nil {
		t.Fatalf("Desktop: %v", err)
	}
	b := desk.Bindings()
	want := []any{&desktop.Auth{}, &desktop.Library{}, &desktop.Generator{}, &desktop.Templates{},
		&desktop.Player{}, &desktop.Settings{}, &desktop.Server{}}
	if len(b) != len(want) {
		t.Fatalf("bindings = %T, want the seven facades", b)
	}
	for i := range want {
		if got, want := typeName(b[i]), typeName(want[i]); got != want {
			t.Errorf("binding %d is %s, want %s", i, got, want)
		}
	}
	// Before the window opens, events are dropped and dialogs refused.
	rt.Emit("job:progress", nil)
	if _, err := rt.ChooseDirectory("Export"); err == nil {
		t.Error("a folder dialog opened without a window")
	}
	if _, err := rt.ChooseFiles("Add documents", nil); err == nil {
		t.Error("a file dialog opened without a window")
	}
	if rt.OnDrop == nil {
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
