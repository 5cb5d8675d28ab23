package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/store/process"
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
// sorted newest first, with the files as the durable copy. Reads bring the
// index up to date with other processes' changes (see refresh).
type Podcasts struct {
	dir  string
	log  *slog.Logger
	now  func() time.Time
	proc *process.Self // names the staged files (StagePath)

	// ready is closed once the index is built, with loadErr set if that
	// failed; see wait.
	ready   chan struct{}
	loadErr error
	// settled is closed when the background work started by Open (the
	// index, then its sort orders) has ended; see Store.Settle.
	settled chan struct{}

	mu     sync.RWMutex
	byID   map[string]*entry
	order  []*entry // newest first; see cmpNewest
	sorted sorted   // the other orders, and totals

	// scanMu serialises refreshes and guards the fields below; it is taken
	// before mu, never while holding it.
	scanMu   sync.Mutex
	checked  atomic.Int64         // Unix nanoseconds of the last look at the folder
	dirStamp fileStamp            // the folder at the last scan; zero: scan at the next look
	bad      map[string]fileStamp // unreadable metadata files, not read again until they change
	scans    int                  // folder scans since Open
}

// An entry is immutable once indexed: a change replaces it.
type entry struct {
	p      Podcast   // SourceText is nil here; the file has it
	search string    // lower-cased title, summary and source text prefix
	stamp  fileStamp // <id>.json as p was read; zero: read it again at the next scan
	// titleKey is the title's sort key (see titleKey), made when the
	// title order is first needed.
	titleKey []byte
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

// Get returns one podcast with its source text (read from its file; the
// rest comes from memory). ErrNotFound or ErrInvalidID otherwise.
func (p *Podcasts) Get(id string) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	if err := p.wait(); err != nil {
		return Podcast{}, err
	}
	p.refresh()
	out, err := p.get(id)
	if errors.Is(err, fs.ErrNotExist) {
		// Deleted by another process since the index last looked.
		p.forget(id)
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	return out, err
}

func (p *Podcasts) get(id string) (Podcast, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	e, ok := p.byID[id]
	if !ok {
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	out := e.p.clone()
	src, err := p.sourceText(id)
	if errors.Is(err, fs.ErrNotExist) {
		return Podcast{}, err
	}
	if err != nil {
		p.log.Warn("podcast source text unavailable", "podcast", id, "err", err)
	}
	out.SourceText = src
	return out, nil
}

// forget drops id from the index if its metadata file is gone.
func (p *Podcasts) forget(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.byID[id]; ok && !exists(filepath.Join(p.dir, id+".json")) {
		p.remove(e)
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func (p *Podcasts) sourceText(id string) (*string, error) {
	data, _, err := readLimited(filepath.Join(p.dir, id+".json"), MaxMetadataBytes)
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

// Count is the number of podcasts in the library; 0 when the index could
// not be built (see Ready, and the error every other method returns).
func (p *Podcasts) Count() int {
	if p.wait() != nil {
		return 0
	}
	p.refresh()
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.byID)
}

// Update changes a podcast's metadata through fn and rewrites <id>.json
// atomically. fn sees the full record, source text included. The id and the
// file bookkeeping (Files, Sizes, AudioBytes) and the versions (Version,
// Voices, Versions) belong to the store: changes fn makes to them are
// discarded. An error from fn cancels the update.
// The record fn sees is read from the file, so a change another process
// made is kept, not overwritten by an older copy in memory.
func (p *Podcasts) Update(id string, fn func(*Podcast) error) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	if err := p.wait(); err != nil {
		return Podcast{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, indexed := p.byID[id]
	cur, _, err := p.readFile(id)
	if errors.Is(err, fs.ErrNotExist) {
		if indexed {
			p.remove(e)
		}
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Podcast{}, fmt.Errorf("podcast %s: reading its file: %w", id, err)
	}
	next := cur.clone()
	if err := fn(&next); err != nil {
		return Podcast{}, err
	}
	next.ID, next.Files, next.Sizes, next.AudioBytes = cur.ID, cur.Files, cur.Sizes, cur.AudioBytes
	next.Version, next.Voices, next.Versions = cur.Version, cur.Voices, cur.Versions
	for i := range next.Versions {
		if next.Versions[i].Version == next.CurrentVersion() {
			// A rename names the current version too, so restoring it
			// later keeps the name.
			next.Versions[i].Title, next.Versions[i].Summary = next.Title, next.Summary
		}
	}
	next.normalize()
	if err := p.writeMeta(next); err != nil {
		return Podcast{}, err
	}
	if indexed {
		p.remove(e)
	}
	p.insert(newEntry(next.clone()))
	return next, nil
}

// diskPodcast is <id>.json: the podcast and the seed schema's two link
// fields, which hold the names of the media files beside it (a fact, not
// a route: each door builds its own links). Reading ignores them; Files
// is the record.
type diskPodcast struct {
	Podcast
	AudioURL       string  `json:"audioUrl"`
	SourceAudioURL *string `json:"sourceAudioUrl"`
}

func (p *Podcasts) writeMeta(pod Podcast) error {
	disk := diskPodcast{Podcast: pod, AudioURL: pod.Files[KindAudio]}
	if name, ok := pod.Files[KindSource]; ok {
		disk.SourceAudioURL = &name
	}
	data, err := json.MarshalIndent(disk, "", "  ")
	if err != nil {
		return fmt.Errorf("podcast %s: encoding: %w", pod.ID, err)
	}
	if len(data) >= MaxMetadataBytes {
		return fmt.Errorf("podcast %s: its metadata would be %d bytes, more than the %d allowed; shorten the source text", pod.ID, len(data), MaxMetadataBytes)
	}
	return atomicfile.WriteFile(filepath.Join(p.dir, pod.ID+".json"), append(data, '\n'), 0o600)
}

// insert and remove keep byID and order in step; callers hold mu. An
// entry from this process's own write has a zero stamp, so the next folder
// scan reads the file once more and keeps its stamp.
func (p *Podcasts) insert(e *entry) {
	p.order = insertSorted(p.order, e, cmpNewest)
	p.byID[e.p.ID] = e
	p.addSorted(e)
}

func (p *Podcasts) remove(e *entry) {
	p.order = deleteSorted(p.order, e, cmpNewest)
	delete(p.byID, e.p.ID)
	p.dropSorted(e)
}

// Delete removes a podcast and its files. The metadata is first renamed to
// a tombstone, so a crash part-way leaves a podcast that Open finishes
// deleting, never one that is listed with missing files. The metadata file
// decides, not the index: a podcast another process committed can be
// deleted before the index has seen it.
func (p *Podcasts) Delete(id string) error {
	if err := ValidID(id); err != nil {
		return err
	}
	if err := p.wait(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, indexed := p.byID[id]
	meta := filepath.Join(p.dir, id+".json")
	err := os.Rename(meta, filepath.Join(p.dir, id+tombstoneSuffix))
	if indexed && (err == nil || errors.Is(err, fs.ErrNotExist)) {
		p.remove(e)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("deleting podcast %s: %w", id, err)
	}
	if err := atomicfile.SyncDir(p.dir); err != nil {
		return fmt.Errorf("deleting podcast %s: %w", id, err)
	}
	return p.removeFiles(id)
}

// removeFiles deletes every file a podcast may own, the tombstone last:
// the files of its versions are named by the tombstone (the metadata as
// it was when the delete began).
func (p *Podcasts) removeFiles(id string) error {
	names := p.versionFiles(filepath.Join(p.dir, id+tombstoneSuffix), id)
	for _, name := range append(append(names, mediaNames(id)...), id+tombstoneSuffix) {
		if err := os.Remove(filepath.Join(p.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("deleting podcast %s: %w", id, err)
		}
	}
	return atomicfile.SyncDir(p.dir)
}
