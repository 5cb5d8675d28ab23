package core

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"podcastfy/backend/store"
)

// The segment cache forgets what no job has used for CacheMaxAge, but an
// edit of a podcast made months ago must still re-voice only what changed.
// So each committed version pins its segments: pins/<podcast>.v<n> lists
// their cache keys, and pruning keeps every pinned segment while the
// podcast keeps that version. A version pruned or a podcast deleted
// releases its pin at the next pruning.

const pinsDir = "pins"

// pin records the segments of the podcast's current version. A pin that
// cannot be written costs only reuse after a long time, so it is logged.
func (s *Service) pin(p store.Podcast, keys []string) {
	if len(keys) == 0 {
		return
	}
	dir := filepath.Join(s.cfg.CacheDir, pinsDir)
	path := filepath.Join(dir, fmt.Sprintf("%s.v%d", p.ID, p.CurrentVersion()))
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = store.WriteFileAtomic(path, []byte(strings.Join(keys, "\n")+"\n"), 0o600)
	}
	if err != nil {
		s.log.Warn("pinning the segments of a podcast version", "podcast", p.ID, "err", err)
	}
}

// pinned reads every pin still held by a kept version, removing the pins
// of versions and podcasts that are gone, and returns the keys pinned.
func (s *Service) pinned() map[string]bool {
	dir := filepath.Join(s.cfg.CacheDir, pinsDir)
	entries, err := os.ReadDir(dir)
	keys := map[string]bool{}
	if err != nil {
		return keys
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		id, num, ok := strings.Cut(e.Name(), ".v")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || store.ValidID(id) != nil {
			continue // not ours: left alone
		}
		p, err := s.deps.Podcasts.Get(id)
		if errors.Is(err, store.ErrNotFound) || err == nil && !slices.ContainsFunc(p.History(), func(h store.Version) bool { return h.Version == v }) {
			os.Remove(path)
			continue
		}
		if err := readKeys(path, keys); err != nil {
			s.log.Warn("reading a pin of the segment cache", "file", path, "err", err)
		}
	}
	return keys
}

func readKeys(path string, into map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k := strings.TrimSpace(sc.Text()); k != "" {
			into[k] = true
		}
	}
	return sc.Err()
}

// pruneCache removes cached segments not used for maxAge (a hit refreshes
// a segment's time, see lineAudio) unless a kept podcast version pins
// them. Pins are read only when something is old enough to go, so a
// start-up with a fresh cache does not wait for the library.
func (s *Service) pruneCache(maxAge time.Duration, now time.Time) (removed int, err error) {
	var old []string
	err = filepath.WalkDir(s.cfg.CacheDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == pinsDir {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if now.Sub(info.ModTime()) > maxAge {
			old = append(old, path)
		}
		return nil
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	keep := s.pinned()
	for _, path := range old {
		key := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if keep[key] {
			continue
		}
		if os.Remove(path) == nil {
			removed++
		}
	}
	return removed, nil
}
