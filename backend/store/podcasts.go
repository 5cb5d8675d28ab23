package store

import (
	"bytes"
	"encoding/base64"
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
	"unicode/utf8"

	"podcastfy/backend/store/atomicfile"
)

// SearchTextBytes is how much of a source text the index keeps (lower-cased)
// for ListQuery.Query. Keeping whole texts would cost memory in proportion
// to the library (10,000 articles are hundreds of megabytes).
const SearchTextBytes = 4096

// MaxMetadataBytes bounds one <id>.json; larger files are skipped at Open.
const MaxMetadataBytes = 64 << 20

// tombstoneSuffix marks a podcast whose delete has begun.
const tombstoneSuffix = ".deleted"

// Podcasts is the library: an in-memory index of every <id>.json, kept
// sorted newest first, with the files as the durable copy.
type Podcasts struct {
	dir string
	log *slog.Logger
	now func() time.Time

	mu    sync.RWMutex
	byID  map[string]*entry
	order []*entry // newest first; see before
}

type entry struct {
	p      Podcast // SourceText is nil here; the file has it
	search string  // lower-cased title, summary and source text prefix
}

// before reports whether a sorts before b: newer first, then by id.
func before(a, b *entry) bool {
	if !a.p.GeneratedDate.Equal(b.p.GeneratedDate) {
		return a.p.GeneratedDate.After(b.p.GeneratedDate)
	}
	return a.p.ID > b.p.ID
}

func newEntry(p Podcast) *entry {
	var b strings.Builder
	b.WriteString(p.Title)
	b.WriteByte('\n')
	b.WriteString(p.Summary)
	if p.SourceText != nil {
		b.WriteByte('\n')
		b.WriteString(prefix(*p.SourceText, SearchTextBytes))
	}
	p.SourceText = nil
	return &entry{p: p, search: strings.ToLower(b.String())}
}

// prefix cuts s to at most n bytes without splitting a character.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

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

// Get returns one podcast with its source text (read from its file; the
// rest comes from memory). ErrNotFound or ErrInvalidID otherwise.
func (p *Podcasts) Get(id string) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	e, ok := p.byID[id]
	if !ok {
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	out := e.p.clone()
	src, err := p.sourceText(id)
	if err != nil {
		p.log.Warn("podcast source text unavailable", "podcast", id, "err", err)
	}
	out.SourceText = src
	return out, nil
}

func (p *Podcasts) sourceText(id string) (*string, error) {
	data, err := readLimited(filepath.Join(p.dir, id+".json"), MaxMetadataBytes)
	if err != nil {
		return nil, err
	}
	var v struct {
		SourceText *string `json:"sourceText"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return v.SourceText, nil
}

// List returns podcasts newest first, without their source text (nil). The
// second result is the cursor of the next page, "" after the last. A cursor
// that List did not make is an error wrapping ErrInvalidID.
func (p *Podcasts) List(q ListQuery) ([]Podcast, string, error) {
	if q.Limit < 0 {
		return nil, "", fmt.Errorf("%w: negative limit %d", ErrInvalidID, q.Limit)
	}
	query := strings.ToLower(q.Query)
	p.mu.RLock()
	defer p.mu.RUnlock()
	start := 0
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", err
		}
		start, _ = slices.BinarySearchFunc(p.order, after, func(e, target *entry) int {
			if before(e, target) || e.p.ID == target.p.ID && e.p.GeneratedDate.Equal(target.p.GeneratedDate) {
				return -1
			}
			return 1
		})
	}
	capacity := len(p.order) - start
	if q.Limit > 0 {
		capacity = min(capacity, q.Limit)
	}
	out := make([]Podcast, 0, capacity)
	var last *entry
	for _, e := range p.order[start:] {
		if q.Owner != "" && e.p.Owner != q.Owner || query != "" && !strings.Contains(e.search, query) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return out, encodeCursor(last), nil
		}
		out = append(out, e.p.clone())
		last = e
	}
	return out, "", nil
}

// A cursor is the sort key of the last podcast of a page, so a page stays
// correct while podcasts are added or deleted between calls.
func encodeCursor(e *entry) string {
	raw := e.p.GeneratedDate.UTC().Format(time.RFC3339Nano) + " " + e.p.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(c string) (*entry, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		date, id, ok := strings.Cut(string(raw), " ")
		t, terr := time.Parse(time.RFC3339Nano, date)
		if ok && terr == nil && ValidID(id) == nil {
			return &entry{p: Podcast{ID: id, GeneratedDate: t}}, nil
		}
	}
	return nil, fmt.Errorf("%w: bad list cursor %q", ErrInvalidID, clip(c))
}

// Count is the number of podcasts in the library.
func (p *Podcasts) Count() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.byID)
}

// Update changes a podcast's metadata through fn and rewrites <id>.json
// atomically. fn sees the full record, source text included. The id and the
// file bookkeeping (Files, Sizes, AudioBytes) belong to the store: changes
// fn makes to them are discarded. An error from fn cancels the update.
func (p *Podcasts) Update(id string, fn func(*Podcast) error) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.byID[id]
	if !ok {
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	cur := e.p.clone()
	src, err := p.sourceText(id)
	if err != nil {
		return Podcast{}, fmt.Errorf("podcast %s: reading its file: %w", id, err)
	}
	cur.SourceText = src
	next := cur.clone()
	if err := fn(&next); err != nil {
		return Podcast{}, err
	}
	next.ID, next.Files, next.Sizes, next.AudioBytes = cur.ID, cur.Files, cur.Sizes, cur.AudioBytes
	next.normalize()
	if err := p.writeMeta(next); err != nil {
		return Podcast{}, err
	}
	p.remove(e)
	p.insert(newEntry(next.clone()))
	return next, nil
}

func (p *Podcasts) writeMeta(pod Podcast) error {
	data, err := json.MarshalIndent(pod, "", "  ")
	if err != nil {
		return fmt.Errorf("podcast %s: encoding: %w", pod.ID, err)
	}
	if len(data) >= MaxMetadataBytes {
		return fmt.Errorf("podcast %s: its metadata would be %d bytes, more than the %d allowed; shorten the source text", pod.ID, len(data), MaxMetadataBytes)
	}
	return atomicfile.WriteFile(filepath.Join(p.dir, pod.ID+".json"), append(data, '\n'), 0o600)
}

// insert and remove keep byID and order in step; callers hold mu.
func (p *Podcasts) insert(e *entry) {
	i, _ := slices.BinarySearchFunc(p.order, e, func(x, target *entry) int {
		if before(x, target) {
			return -1
		}
		return 1
	})
	p.order = slices.Insert(p.order, i, e)
	p.byID[e.p.ID] = e
}

func (p *Podcasts) remove(e *entry) {
	i, found := slices.BinarySearchFunc(p.order, e, func(x, target *entry) int {
		switch {
		case x == target:
			return 0
		case before(x, target):
			return -1
		default:
			return 1
		}
	})
	if found {
		p.order = slices.Delete(p.order, i, i+1)
	}
	delete(p.byID, e.p.ID)
}

// Delete removes a podcast and its files. The metadata is first renamed to
// a tombstone, so a crash part-way leaves a podcast that Open finishes
// deleting, never one that is listed with missing files.
func (p *Podcasts) Delete(id string) error {
	if err := ValidID(id); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.byID[id]
	if !ok {
		return fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	meta := filepath.Join(p.dir, id+".json")
	if err := os.Rename(meta, filepath.Join(p.dir, id+tombstoneSuffix)); err != nil {
		return fmt.Errorf("deleting podcast %s: %w", id, err)
	}
	if err := atomicfile.SyncDir(p.dir); err != nil {
		return fmt.Errorf("deleting podcast %s: %w", id, err)
	}
	p.remove(e)
	return p.removeFiles(id)
}

// removeFiles deletes every file a podcast may own, the tombstone last.
func (p *Podcasts) removeFiles(id string) error {
	for _, name := range append(mediaNames(id), id+tombstoneSuffix) {
		if err := os.Remove(filepath.Join(p.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("deleting podcast %s: %w", id, err)
		}
	}
	return atomicfile.SyncDir(p.dir)
}
