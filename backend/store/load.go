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
)

// openPodcasts builds the index from the folder, first repairing what a
// crash may have left: interrupted deletes and unfinished commits.
func openPodcasts(dir string, log *slog.Logger, now func() time.Time) (*Podcasts, error) {
	p := &Podcasts{dir: dir, log: log, now: now, byID: map[string]*entry{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the podcast library: %w", err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	if err := p.finishDeletes(names); err != nil {
		return nil, err
	}
	var ids []string
	for name := range names {
		if id, ok := strings.CutSuffix(name, ".json"); ok && ValidID(id) == nil {
			ids = append(ids, id)
		}
	}
	if err := p.removeOrphans(names); err != nil {
		return nil, err
	}
	for _, e := range p.loadAll(ids) {
		if e != nil {
			p.byID[e.p.ID] = e
			p.order = append(p.order, e)
		}
	}
	slices.SortFunc(p.order, func(a, b *entry) int {
		if before(a, b) {
			return -1
		}
		return 1
	})
	log.Debug("podcast library loaded", "dir", dir, "podcasts", len(p.order))
	return p, nil
}

// finishDeletes completes deletes that a crash interrupted: the tombstone
// is written first, so its presence means the podcast is to be gone.
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

// removeOrphans deletes media files without metadata: a crash during Commit
// after the media were renamed but before <id>.json was written.
func (p *Podcasts) removeOrphans(names map[string]bool) error {
	var orphans []string
	for name := range names {
		id, _, _ := strings.Cut(name, ".")
		if ValidID(id) != nil || names[id+".json"] || !slices.Contains(mediaNames(id), name) {
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

// loadAll reads the metadata files in parallel; unreadable ones are logged
// and come back nil.
func (p *Podcasts) loadAll(ids []string) []*entry {
	out := make([]*entry, len(ids))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(4, 2*runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range work {
				pod, err := p.readFile(ids[i])
				if err != nil {
					p.log.Warn("skipping an unreadable podcast; fix or remove the file", "err", err)
					continue
				}
				out[i] = newEntry(pod)
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

// readFile decodes and checks <id>.json.
func (p *Podcasts) readFile(id string) (Podcast, error) {
	path := filepath.Join(p.dir, id+".json")
	data, err := readLimited(path, MaxMetadataBytes)
	if err != nil {
		return Podcast{}, err
	}
	var pod Podcast
	if err := json.Unmarshal(data, &pod); err != nil {
		return Podcast{}, fmt.Errorf("%s: %s", path, describeJSONError(data, err))
	}
	if pod.ID != id {
		return Podcast{}, fmt.Errorf("%s: its id %q does not match the file name", path, clip(pod.ID))
	}
	for kind, name := range pod.Files {
		if !validMediaFile(id, kind, name) {
			p.log.Warn("ignoring a bad media entry", "file", path, "kind", clip(kind), "name", clip(name))
			delete(pod.Files, kind)
			delete(pod.Sizes, kind)
		}
	}
	pod.normalize()
	return pod, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return buf.Bytes(), nil
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
