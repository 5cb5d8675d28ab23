package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/store/process"
)

// openPodcasts checks the folder and starts building the index in the
// background, so that start-up does not wait for thousands of metadata
// files: every method that needs the index waits for it (see wait). The
// build first repairs what a crash may have left: interrupted deletes and
// unfinished commits.
func openPodcasts(dir string, proc *process.Self, log *slog.Logger, now func() time.Time) (*Podcasts, error) {
	p := &Podcasts{dir: dir, proc: proc, log: log, now: now, byID: map[string]*entry{}, bad: map[string]fileStamp{}, ready: make(chan struct{}), settled: make(chan struct{})}
	started := now()
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the podcast library: %w", err)
	}
	go func() {
		defer close(p.settled)
		if p.loadErr = p.load(fi, started); p.loadErr != nil {
			log.Error("cannot load the podcast library", "dir", dir, "err", p.loadErr)
		}
		close(p.ready)
		if p.loadErr == nil {
			p.warmSorted()
		}
	}()
	return p, nil
}

// wait blocks until the index is built and returns the error that stopped
// the build, if any. Nothing else reads or writes the index before then, so
// no caller sees it half-built, and refresh never runs ahead of the build.
func (p *Podcasts) wait() error {
	<-p.ready
	return p.loadErr
}

// load builds the index; fi is the folder as Open found it at started. It
// runs before any other use of p's index (see wait).
func (p *Podcasts) load(fi fs.FileInfo, started time.Time) error {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return fmt.Errorf("reading the podcast library: %w", err)
	}
	names, regular := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		names[e.Name()], regular[e.Name()] = true, e.Type().IsRegular()
	}
	if err := p.finishDeletes(names); err != nil {
		return err
	}
	var ids []string
	for name := range names {
		if id, ok := strings.CutSuffix(name, ".json"); ok && ValidID(id) == nil && regular[name] {
			ids = append(ids, id)
		}
	}
	if err := p.removeOrphans(names, started.Add(-LeftoverAge)); err != nil {
		return err
	}
	for _, l := range p.loadAll(ids, started) {
		switch {
		case l.e != nil:
			p.byID[l.e.p.ID] = l.e
			p.order = append(p.order, l.e)
		case l.raw != fileStamp{}:
			p.bad[l.id] = l.stamp
		}
	}
	slices.SortFunc(p.order, cmpNewest)
	// Repairs above changed the folder after this stamp; the first refresh
	// then finds nothing new, at the cost of one scan.
	p.dirStamp = stampOf(fi, started)
	p.checked.Store(started.UnixNano())
	p.log.Debug("podcast library loaded", "dir", p.dir, "podcasts", len(p.order))
	return nil
}

// finishDeletes completes deletes that a crash interrupted: the tombstone
// is written first, so its presence means the podcast is to be gone. The
// removals are idempotent, so finishing a delete that another process is
// still making is harmless.
func (p *Podcasts) finishDeletes(names map[string]bool) error {
	for name := range names {
		id, ok := strings.CutSuffix(name, tombstoneSuffix)
		if !ok || ValidID(id) != nil {
			continue
		}
		if err := p.removeFiles(id); err != nil {
			return err
		}
		for _, n := range mediaNames(id) {
			delete(names, n)
		}
		delete(names, name)
		p.log.Info("finished an interrupted delete", "podcast", id)
	}
	return nil
}

// removeOrphans deletes media files without metadata that were last
// modified before cutoff: a crash during Commit after the media were
// renamed but before <id>.json was written. Younger ones may be a commit
// that another process is making now.
func (p *Podcasts) removeOrphans(names map[string]bool, cutoff time.Time) error {
	var orphans []string
	for name := range names {
		id, _, _ := strings.Cut(name, ".")
		if ValidID(id) != nil || names[id+".json"] || !isMediaName(id, name) {
			continue
		}
		fi, err := os.Lstat(filepath.Join(p.dir, name))
		if err != nil || !fi.ModTime().Before(cutoff) || exists(filepath.Join(p.dir, id+".json")) {
			continue
		}
		orphans = append(orphans, name)
	}
	for _, name := range orphans {
		if err := os.Remove(filepath.Join(p.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing an unfinished podcast file: %w", err)
		}
		delete(names, name)
	}
	if len(orphans) > 0 {
		p.log.Info("removed media of unfinished podcasts", "count", len(orphans))
		return atomicfile.SyncDir(p.dir)
	}
	return nil
}

// loaded is one metadata file read by loadAll.
type loaded struct {
	id    string
	e     *entry    // nil when the file could not be used (logged)
	raw   fileStamp // the file as read; zero when it could not be opened
	stamp fileStamp // the same, or zero if it had just changed (see stampOf)
}

// loadAll reads the metadata files in parallel. now stamps the entries.
func (p *Podcasts) loadAll(ids []string, now time.Time) []loaded {
	out := make([]loaded, len(ids))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(len(ids), max(4, 2*runtime.GOMAXPROCS(0))) {
		wg.Go(func() {
			for i := range work {
				out[i].id = ids[i]
				pod, fi, err := p.readFile(ids[i])
				if fi != nil {
					out[i].raw, out[i].stamp = rawStamp(fi), stampOf(fi, now)
				}
				if err != nil {
					p.log.Warn("skipping an unreadable podcast; fix or remove the file", "err", err)
					continue
				}
				out[i].e = newEntry(pod)
				out[i].e.stamp = out[i].stamp
			}
		})
	}
	for i := range ids {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// readFile decodes and checks <id>.json. The file's information comes
// back whenever the file could be opened.
func (p *Podcasts) readFile(id string) (Podcast, fs.FileInfo, error) {
	path := filepath.Join(p.dir, id+".json")
	data, fi, err := readLimited(path, MaxMetadataBytes)
	if err != nil {
		return Podcast{}, fi, err
	}
	var pod Podcast
	if err := json.Unmarshal(data, &pod); err != nil {
		return Podcast{}, fi, fmt.Errorf("%s: %s", path, describeJSONError(data, err))
	}
	if pod.ID != id {
		return Podcast{}, fi, fmt.Errorf("%s: its id %q does not match the file name", path, clip(pod.ID))
	}
	for kind, name := range pod.Files {
		if !validMediaFile(id, kind, name) {
			p.log.Warn("ignoring a bad media entry", "file", path, "kind", clip(kind), "name", clip(name))
			delete(pod.Files, kind)
			delete(pod.Sizes, kind)
		}
	}
	for i := range pod.Versions {
		v := &pod.Versions[i]
		for kind, name := range v.Files {
			if kind == KindSource || !validMediaFile(id, kind, name) {
				p.log.Warn("ignoring a bad media entry of a version", "file", path, "version", v.Version, "kind", clip(kind), "name", clip(name))
				delete(v.Files, kind)
				delete(v.Sizes, kind)
			}
		}
	}
	pod.normalize()
	return pod, fi, nil
}

// readLimited reads a regular file of at most limit bytes, and returns its
// information whenever it could be opened.
func readLimited(path string, limit int64) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, fmt.Errorf("%s: not a regular file", path)
	}
	if fi.Size() > limit {
		return nil, fi, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fi, fmt.Errorf("reading %s: %w", path, err)
	}
	return buf.Bytes(), fi, nil
}

// describeJSONError turns a decode error into "line L, column C: problem".
func describeJSONError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return err.Error()
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d: %s", line, col, strings.TrimPrefix(err.Error(), "json: "))
}
