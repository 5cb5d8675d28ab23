package store

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"podcastfy/templates"
)

// Open returns before the index is built; callers that arrive at once, from
// many goroutines, must each see the whole library, never part of it.
func TestOpenServesWholeLibraryAtOnce(t *testing.T) {
	const n = 300
	paths := makeLibrary(t, n)
	ps := open(t, paths).Podcasts()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			id := fmt.Sprintf("pod%05d", g*37%n)
			if c := ps.Count(); c != n {
				errs <- fmt.Errorf("Count = %d, want %d", c, n)
			}
			if tot := ps.Total("", ""); tot != n {
				errs <- fmt.Errorf("Total = %d, want %d", tot, n)
			}
			list, next, err := ps.List(ListQuery{Sort: Sorts[g%len(Sorts)]})
			if err != nil || len(list) != n || next != "" {
				errs <- fmt.Errorf("List(%s) = %d podcasts, next %q, %v", Sorts[g%len(Sorts)], len(list), next, err)
			}
			if p, err := ps.Get(id); err != nil || p.ID != id || p.SourceText == nil {
				errs <- fmt.Errorf("Get(%s) = %s, %v", id, p.ID, err)
			}
			if _, err := ps.MediaPath(id, KindAudio); err != nil {
				errs <- fmt.Errorf("MediaPath(%s): %v", id, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A write that arrives while the index is still loading waits for it, so
// the load cannot undo it and the id check sees the whole library.
func TestWritesDuringLoadWait(t *testing.T) {
	const n = 200
	paths := makeLibrary(t, n)
	ps := open(t, paths).Podcasts()
	var wg sync.WaitGroup
	staged := map[string]string{KindAudio: stage(t, ps, "fresh", KindAudio, "mp3", "ID3")}
	wg.Go(func() {
		if _, err := ps.Commit(Podcast{ID: "fresh", Title: "new"}, staged); err != nil {
			t.Errorf("Commit: %v", err)
		}
	})
	wg.Go(func() {
		if _, err := ps.Commit(Podcast{ID: "pod00007"}, nil); !errors.Is(err, ErrConflict) {
			t.Errorf("committing over a loaded podcast: %v, want ErrConflict", err)
		}
	})
	wg.Go(func() {
		if err := ps.Delete("pod00003"); err != nil {
			t.Errorf("Delete: %v", err)
		}
	})
	wg.Wait()
	if c := ps.Count(); c != n {
		t.Fatalf("Count = %d, want %d (one added, one deleted)", c, n)
	}
	if _, err := ps.Get("fresh"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, func() error { _, err := ps.Get("pod00003"); return err }(), ErrNotFound)
}

// lockedBuffer lets the loading goroutines log while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A corrupt metadata file met by the background load is what it was when
// Open loaded in the foreground: logged, skipped, left on disk, and not
// read again until it changes.
func TestCorruptFileDuringBackgroundLoad(t *testing.T) {
	const n = 50
	paths := makeLibrary(t, n)
	dir := paths.PodcastsDir()
	write(t, filepath.Join(dir, "broken.json"), `{"id": "broken", "title": `)
	var logs lockedBuffer
	s, err := Open(paths, templates.FS, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ps := s.Podcasts()
	if c := ps.Count(); c != n {
		t.Fatalf("Count = %d, want %d", c, n)
	}
	mustErr(t, func() error { _, err := ps.Get("broken"); return err }(), ErrNotFound)
	list, _, err := ps.List(ListQuery{})
	if err != nil || len(list) != n {
		t.Fatalf("List = %d podcasts, %v", len(list), err)
	}
	if !exists(filepath.Join(dir, "broken.json")) {
		t.Fatal("the corrupt file was removed")
	}
	out := logs.String()
	if !strings.Contains(out, "skipping an unreadable podcast") || !strings.Contains(out, "broken.json") || !strings.Contains(out, "level=WARN") {
		t.Fatalf("the corrupt file was not logged as a warning:\n%s", out)
	}
	ps.scanMu.Lock()
	_, remembered := ps.bad["broken"]
	ps.scanMu.Unlock()
	if !remembered {
		t.Fatal("the corrupt file is not remembered, so every scan would read it again")
	}
}

// When the load itself fails (here a delete to finish cannot be), every
// method that needs the index reports it, as Open used to.
func TestLoadErrorReachesCallers(t *testing.T) {
	paths := testPaths(t)
	dir := paths.PodcastsDir()
	write(t, filepath.Join(dir, "gone.deleted"), "")
	// A folder where the audio file would be: removing it fails.
	write(t, filepath.Join(dir, "gone.mp3", "inside"), "x")
	ps := open(t, paths).Podcasts()
	_, _, listErr := ps.List(ListQuery{})
	_, getErr := ps.Get("gone")
	_, commitErr := ps.Commit(Podcast{ID: "new"}, nil)
	for name, err := range map[string]error{"List": listErr, "Get": getErr, "Commit": commitErr, "Delete": ps.Delete("gone")} {
		if err == nil || !strings.Contains(err.Error(), "deleting podcast gone") {
			t.Errorf("%s after a failed load: %v, want the load's error", name, err)
		}
	}
	if c := ps.Count(); c != 0 {
		t.Errorf("Count after a failed load = %d", c)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a commit went ahead after a failed load: %v", err)
	}
}

// Settle returns only once the background work of Open has ended: the
// index is built and its title and duration orders are made, so a short
// command that returns after it leaves nothing running.
func TestSettleWaitsForTheBackgroundWork(t *testing.T) {
	const n = 300
	s := open(t, makeLibrary(t, n))
	s.Settle()
	ps := s.Podcasts()
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	if len(ps.order) != n || !ps.sorted.built || len(ps.sorted.byTitle) != n {
		t.Fatalf("after Settle: %d podcasts indexed, orders made %v (%d by title), want %d and made", len(ps.order), ps.sorted.built, len(ps.sorted.byTitle), n)
	}
}
