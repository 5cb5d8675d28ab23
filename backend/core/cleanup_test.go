package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"podcastfy/backend/store"
)

// writeInterrupted saves an interrupted job that owns one upload, last
// updated at updated, as a stopped server leaves it.
func writeInterrupted(t *testing.T, h *harness, updated time.Time) (id, upload string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(h.paths.State, "uploads"), 0o700); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(filepath.Join(h.paths.State, "uploads"), "job-")
	if err != nil {
		t.Fatal(err)
	}
	upload = filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(upload, []byte(riverText), 0o600); err != nil {
		t.Fatal(err)
	}
	id = store.NewID()
	rec := jobRecord{
		Status:  Status{ID: id, Owner: "u", State: Interrupted, CreatedAt: updated, UpdatedAt: updated},
		Request: Request{Owner: "u", Sources: []Source{{Kind: "file", Name: "notes.txt", Path: upload, Owned: true}}},
	}
	if err := h.svc.saveRecord(&job{}, rec); err != nil {
		t.Fatal(err)
	}
	return id, upload
}

// Interrupted jobs wait for a resume for the configured age; after it, a
// start-up sweeps them with their uploads.
func TestInterruptedJobsAreSweptAfterTheirAge(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	now := time.Now()
	oldID, oldUpload := writeInterrupted(t, h, now.Add(-DefaultInterruptedMaxAge-time.Hour))
	newID, newUpload := writeInterrupted(t, h, now.Add(-DefaultInterruptedMaxAge+time.Hour))
	h.svc.Shutdown(context.Background())
	svc, err := NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(t.Context(), "u", oldID); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("an interrupted job older than the age is still listed: %v", err)
	}
	if _, err := os.Stat(oldUpload); !os.IsNotExist(err) {
		t.Error("its upload was kept")
	}
	if _, err := os.Stat(filepath.Join(h.cfg.JobsDir, oldID+".json")); !os.IsNotExist(err) {
		t.Error("its job file was kept")
	}
	if _, err := svc.Get(t.Context(), "u", newID); err != nil {
		t.Errorf("a younger interrupted job was swept: %v", err)
	}
	if _, err := os.Stat(newUpload); err != nil {
		t.Errorf("a younger job's upload was swept: %v", err)
	}

	// A shorter configured age sweeps the younger one too.
	svc.Shutdown(context.Background())
	h.cfg.InterruptedMaxAge = time.Hour
	if svc, err = NewService(h.cfg, h.deps); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(t.Context(), "u", newID); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("the configured age was not applied: %v", err)
	}
}

// Remove refuses a running job and deletes an ended one with its files.
func TestRemoveEndedJob(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	id, upload := writeInterrupted(t, h, time.Now())
	h.svc.Shutdown(context.Background())
	svc, err := NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Remove(t.Context(), "other", id); !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("remove by another user: %v", err)
	}
	if err := svc.Remove(t.Context(), "u", id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(upload); !os.IsNotExist(err) {
		t.Error("the upload was kept")
	}
	if _, err := svc.Get(t.Context(), "u", id); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("still listed: %v", err)
	}
}
