package core

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPinnedSegmentsOutliveTheCacheAge: the segments of a kept podcast
// version stay cached however old, so an edit months later re-voices only
// what changed; once the podcast is deleted they age out as usual.
func TestPinnedSegmentsOutliveTheCacheAge(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(4)}}, staticSource{&toneSynth{}})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	if st = h.wait(t, st.ID); st.State != Done {
		t.Fatalf("%s: %s", st.State, st.Error)
	}
	segments := func() (n int) {
		filepath.WalkDir(h.cfg.CacheDir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(path) == ".wav" {
				n++
			}
			return err
		})
		return n
	}
	if segments() != 4 {
		t.Fatalf("%d segments cached, want 4", segments())
	}
	later := time.Now().Add(2 * CacheMaxAge)
	if n, err := h.svc.pruneCache(CacheMaxAge, later); err != nil || n != 0 {
		t.Fatalf("pruning removed %d pinned files (%v)", n, err)
	}
	if err := h.store.Podcasts().Delete(st.PodcastID); err != nil {
		t.Fatal(err)
	}
	if n, err := h.svc.pruneCache(CacheMaxAge, later); err != nil || n != 8 || segments() != 0 {
		t.Fatalf("after the delete pruning removed %d files, %d segments left (%v)", n, segments(), err)
	}
	if pins, _ := os.ReadDir(filepath.Join(h.cfg.CacheDir, pinsDir)); len(pins) != 0 {
		t.Fatalf("the deleted podcast's pin is left: %v", pins)
	}
}
