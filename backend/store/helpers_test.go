package store

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/config"
	"podcastfy/templates"
)

func testPaths(t testing.TB) config.Paths {
	t.Helper()
	home := t.TempDir()
	p, err := config.ResolvePaths(func(k string) string {
		if k == "PODCASTFY_HOME" {
			return home
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func open(t testing.TB, p config.Paths) *Store {
	t.Helper()
	s, err := Open(p, templates.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openAt opens a store that reads the time from now.
func openAt(t testing.TB, p config.Paths, now func() time.Time) *Store {
	t.Helper()
	s, err := openStore(p, templates.FS, slog.New(slog.DiscardHandler), now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// later is a clock LeftoverAge and an hour ahead: a store opened with it
// treats every leftover file as one from long ago.
func later() time.Time { return time.Now().Add(LeftoverAge + time.Hour) }

// clock is a test clock that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// stage writes content to a staged path and returns it.
func stage(t testing.TB, ps *Podcasts, id, kind, ext, content string) string {
	t.Helper()
	path, err := ps.StagePath(id, kind, ext)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func strp(s string) *string { return &s }

// commit stores a podcast with an audio and a vtt file.
func commit(t testing.TB, ps *Podcasts, meta Podcast) Podcast {
	t.Helper()
	if meta.ID == "" {
		meta.ID = NewID()
	}
	staged := map[string]string{
		KindAudio: stage(t, ps, meta.ID, KindAudio, "mp3", "ID3 audio of "+meta.ID),
		KindVTT:   stage(t, ps, meta.ID, KindVTT, "vtt", "WEBVTT\n"),
	}
	p, err := ps.Commit(meta, staged)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func at(minute int) time.Time {
	return time.Date(2025, 3, 1, 12, minute, 0, 0, time.UTC)
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func mustErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
