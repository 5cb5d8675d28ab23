package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLiveFollowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	l, err := OpenLive(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Get().Writer; got != Defaults().Writer {
		t.Fatalf("no file: writer %q, want the default", got)
	}
	var seen []string
	cancel := l.Subscribe(func(s Settings) { seen = append(seen, s.Writer) })

	// Written in place by an editor, then replaced by rename as editors and
	// Save do; each is read at the next Get and announced once.
	if err := os.WriteFile(path, []byte("writer: extractive\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := l.Get().Writer; got != "extractive" {
		t.Fatalf("after an edit: writer %q", got)
	}
	l.Get()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte("writer: ollama\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	if got := l.Get().Writer; got != "ollama" {
		t.Fatalf("after a replace: writer %q", got)
	}

	s := l.Get()
	s.Writer = "auto"
	if err := l.Save(s); err != nil {
		t.Fatal(err)
	}
	if got := l.Get().Writer; got != "auto" {
		t.Fatalf("after Save: writer %q", got)
	}
	if want := "extractive ollama auto"; strings.Join(seen, " ") != want {
		t.Errorf("changes announced: %q, want %q", seen, want)
	}

	cancel()
	s.Writer = "extractive"
	if err := l.Save(s); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 3 {
		t.Errorf("a cancelled subscription was called: %q", seen)
	}
}

func TestLiveKeepsTheLastGoodSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("writer: extractive\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := OpenLive(path)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	l.Subscribe(func(Settings) { calls++ })
	if err := os.WriteFile(path, []byte("writer: extractive\nwriterr: auto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s, err := l.Current()
		if err == nil || !strings.Contains(err.Error(), path+":2") {
			t.Fatalf("a damaged file: %v, want an error naming line 2", err)
		}
		if s.Writer != "extractive" {
			t.Fatalf("the settings in force became writer %q", s.Writer)
		}
	}
	if err := l.Save(Defaults()); err == nil {
		t.Error("Save replaced a file it cannot read")
	}
	if err := os.WriteFile(path, []byte("writer: auto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := l.Current(); err != nil || s.Writer != "auto" {
		t.Fatalf("a mended file: %q, %v", s.Writer, err)
	}
	if calls != 1 {
		t.Errorf("subscribers called %d times, want once (for the mended file)", calls)
	}
}

func TestOpenLiveRefusesADamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("server:\n  prot: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLive(path); err == nil || !strings.Contains(err.Error(), path+":2") {
		t.Fatalf("OpenLive: %v", err)
	}
}
