package main

import (
	"log/slog"
	"testing"
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
