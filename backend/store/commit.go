package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"podcastfy/backend/store/atomicfile"
)

// StagePath returns a fresh path inside the podcasts folder where the caller
// writes one media file of podcast id before Commit. ext is the file's
// extension: the kind's own ("mp3" for audio, "vtt", "srt", "json" for
// chapters and script; "" means that one) or, for "source", one of
// SourceExts. The name carries this process's id (process.Self), so a
// staged file that is never committed is removed by the first Open after
// this process ends, however it ends, and never while it lives. The file
// is not created.
func (p *Podcasts) StagePath(id, kind, ext string) (string, error) {
	if err := ValidID(id); err != nil {
		return "", err
	}
	ext = strings.ToLower(ext)
	switch fixed, ok := kindExt[kind]; {
	case kind == KindSource:
		if !slices.Contains(SourceExts, ext) {
			return "", fmt.Errorf("%w: source files may be %s, not %q", ErrInvalidID, strings.Join(SourceExts, ", "), clip(ext))
		}
	case !ok:
		return "", fmt.Errorf("%w: unknown media kind %q", ErrInvalidID, clip(kind))
	case ext == "":
		ext = fixed
	case ext != fixed:
		return "", fmt.Errorf("%w: %s files are .%s, not %q", ErrInvalidID, kind, fixed, clip(ext))
	}
	return atomicfile.OwnedTempName(filepath.Join(p.dir, id+"."+kind+"."+ext), p.proc.ID(), NewID()), nil
}

// parseStaged checks that path came from StagePath for this id and kind,
// and returns the extension it was staged with.
func (p *Podcasts) parseStaged(path, id, kind string) (string, error) {
	dir, name := filepath.Split(path)
	if filepath.Clean(dir) != filepath.Clean(p.dir) || !atomicfile.IsTemp(name) {
		return "", fmt.Errorf("%w: %s is not a staged file of this library", ErrInvalidID, clip(path))
	}
	parts := strings.SplitN(strings.TrimPrefix(name, "."), ".", 4) // id, kind, ext, tmp-…
	if len(parts) != 4 || parts[0] != id || parts[1] != kind {
		return "", fmt.Errorf("%w: %s was not staged as the %s of podcast %s", ErrInvalidID, clip(name), clip(kind), id)
	}
	return parts[2], nil
}

// Commit makes a podcast part of the library: it renames each staged file
// (kind → path from StagePath) to its final name, records the file names
// and sizes in Files, Sizes and AudioBytes, and writes <id>.json last, so
// the podcast is listed only once every file is in place. An empty Status
// becomes "ready"; a zero GeneratedDate becomes now. ErrConflict when the
// id is taken (even by an unreadable file, which is never overwritten).
func (p *Podcasts) Commit(meta Podcast, staged map[string]string) (Podcast, error) {
	id := meta.ID
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	if meta.Owner != "" {
		if err := ValidID(meta.Owner); err != nil {
			return Podcast{}, fmt.Errorf("podcast owner: %w", err)
		}
	}
	finals := map[string]string{}
	for kind, path := range staged {
		ext, err := p.parseStaged(path, id, kind)
		if err != nil {
			return Podcast{}, err
		}
		if finals[kind] = mediaName(id, kind, ext); finals[kind] == "" {
			return Podcast{}, fmt.Errorf("%w: %s files cannot be .%s", ErrInvalidID, kind, ext)
		}
	}

	if err := p.wait(); err != nil {
		return Podcast{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.byID[id]; ok {
		return Podcast{}, fmt.Errorf("podcast %s: %w", id, ErrConflict)
	}
	for _, name := range []string{id + ".json", id + tombstoneSuffix} {
		if _, err := os.Lstat(filepath.Join(p.dir, name)); !errors.Is(err, fs.ErrNotExist) {
			return Podcast{}, fmt.Errorf("podcast %s: %w (file %s is in the way)", id, ErrConflict, name)
		}
	}

	pod := meta.clone()
	pod.Files = map[string]string{}
	pod.Sizes = map[string]int64{}
	pod.AudioBytes = 0
	if pod.Status == "" {
		pod.Status = "ready"
	}
	if pod.GeneratedDate.IsZero() {
		pod.GeneratedDate = p.now().UTC()
	}
	pod.normalize()
	var moved []string
	undo := func() {
		for _, path := range moved {
			os.Remove(path)
		}
	}
	for kind, from := range staged {
		to := filepath.Join(p.dir, finals[kind])
		fi, err := os.Stat(from)
		if err == nil && !fi.Mode().IsRegular() {
			err = fmt.Errorf("%s is not a regular file", from)
		}
		if err == nil {
			err = os.Rename(from, to)
		}
		if err != nil {
			undo()
			return Podcast{}, fmt.Errorf("podcast %s: placing the %s file: %w", id, kind, err)
		}
		moved = append(moved, to)
		pod.Files[kind] = finals[kind]
		pod.Sizes[kind] = fi.Size()
	}
	pod.AudioBytes = pod.Sizes[KindAudio]
	if len(pod.Sizes) == 0 {
		pod.Sizes = nil
	}
	// writeMeta's folder fsync also makes the renames above durable.
	if err := p.writeMeta(pod); err != nil {
		undo()
		return Podcast{}, err
	}
	p.insert(newEntry(pod.clone()))
	return pod, nil
}

// MediaPath returns the absolute path of a committed media file, from the
// index; ErrNotFound when the podcast or that kind of file does not exist.
func (p *Podcasts) MediaPath(id, kind string) (string, error) {
	if err := ValidID(id); err != nil {
		return "", err
	}
	if err := p.wait(); err != nil {
		return "", err
	}
	p.refresh()
	p.mu.RLock()
	defer p.mu.RUnlock()
	e, ok := p.byID[id]
	if !ok {
		return "", fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	name, ok := e.p.Files[kind]
	if !ok || !validMediaFile(id, kind, name) {
		return "", fmt.Errorf("podcast %s has no %s file: %w", id, clip(kind), ErrNotFound)
	}
	return filepath.Join(p.dir, name), nil
}
