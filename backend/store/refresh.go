package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RefreshInterval is how often, at most, reads look at the podcasts folder
// for podcasts that other processes committed, updated or deleted.
const RefreshInterval = 500 * time.Millisecond

// refresh brings the index up to date with other processes' changes. It
// stats the folder at most once per RefreshInterval; only when the folder
// changed (every commit, update and delete renames or removes an entry)
// does it scan it. Callers that arrive while a scan runs are served from
// the index as it was. This process's own writes update the index
// directly; the folder changes they make cost one scan that finds them.
func (p *Podcasts) refresh() {
	if p.recentlyChecked(p.now()) {
		return
	}
	p.scanMu.Lock()
	defer p.scanMu.Unlock()
	now := p.now()
	if p.recentlyChecked(now) {
		return // another caller just looked
	}
	p.checked.Store(now.UnixNano())
	fi, err := os.Stat(p.dir)
	if err != nil {
		p.log.Warn("cannot look for changes in the podcast library", "err", err)
		return
	}
	st := stampOf(fi, now)
	if st != (fileStamp{}) && st == p.dirStamp {
		return
	}
	if err := p.scan(now); err != nil {
		p.log.Warn("cannot look for changes in the podcast library", "err", err)
		p.dirStamp = fileStamp{}
		return
	}
	// The stamp was taken before the scan, so a change made during it
	// shows at the next look.
	p.dirStamp = st
}

func (p *Podcasts) recentlyChecked(now time.Time) bool {
	since := now.UnixNano() - p.checked.Load()
	return since >= 0 && since < int64(RefreshInterval)
}

// scan compares the folder with the index: it lists the names, stats each
// <id>.json, reads the ones that are new or replaced, and drops the ids
// whose file is gone. Files are read without holding mu; each change is
// checked again under mu before it is applied, so that a write this
// process made meanwhile is never undone. Callers hold scanMu.
func (p *Podcasts) scan(now time.Time) error {
	p.scans++
	names, err := readNames(p.dir)
	if err != nil {
		return err
	}
	onDisk := map[string]fileStamp{}
	for _, name := range names {
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || ValidID(id) != nil {
			continue
		}
		fi, err := os.Lstat(filepath.Join(p.dir, name))
		if err != nil || !fi.Mode().IsRegular() {
			continue // gone since, or not one of ours
		}
		onDisk[id] = stampOf(fi, now)
	}
	for id := range p.bad {
		if _, ok := onDisk[id]; !ok {
			delete(p.bad, id)
		}
	}

	var load, gone []string
	p.mu.RLock()
	for id, st := range onDisk {
		known := st != fileStamp{}
		if e, ok := p.byID[id]; ok && known && e.stamp == st {
			continue
		}
		if b, ok := p.bad[id]; ok && known && b == st {
			continue // unreadable, and unchanged since
		}
		load = append(load, id)
	}
	for id := range p.byID {
		if _, ok := onDisk[id]; !ok {
			gone = append(gone, id)
		}
	}
	p.mu.RUnlock()

	results := p.loadAll(load, now)
	p.mu.Lock()
	defer p.mu.Unlock()
	var added, replaced, removed int
	for _, l := range results {
		if l.e == nil {
			if l.raw != (fileStamp{}) {
				p.bad[l.id] = l.stamp
			}
			continue
		}
		delete(p.bad, l.id)
		fi, err := os.Lstat(filepath.Join(p.dir, l.id+".json"))
		if err != nil || rawStamp(fi) != l.raw {
			continue // changed again since it was read: the next scan takes it
		}
		if old, ok := p.byID[l.id]; ok {
			p.remove(old)
			replaced++
		} else {
			added++
		}
		p.insert(l.e)
	}
	for _, id := range gone {
		if e, ok := p.byID[id]; ok && !exists(filepath.Join(p.dir, id+".json")) {
			p.remove(e)
			removed++
		}
	}
	p.log.Debug("podcast library scanned", "added", added, "replaced", replaced, "removed", removed, "podcasts", len(p.order))
	return nil
}

// readNames lists the names in dir.
func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the podcast library: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("reading the podcast library: %w", err)
	}
	return names, nil
}
