package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A podcast re-voiced after an edit keeps its earlier versions: version 1
// is the files the first Commit placed (<id>.mp3 …), version n ≥ 2 the
// files <id>.v<n>.mp3 …. The metadata's Files always name the current
// version's files, so every reader (media, feed, export) serves the current
// one without knowing about versions; Versions lists the kept ones. A new
// version becomes current in one atomic write of <id>.json, after its
// files are in place, so the previous one stays playable until then.

// DefaultKeepVersions is how many versions a podcast keeps when the
// settings say 0.
const DefaultKeepVersions = 3

// SpeakerVoice is the voice one speaker was given.
type SpeakerVoice struct {
	Speaker string  `json:"speaker"`
	Voice   string  `json:"voice"`
	Speed   float64 `json:"speed"`
}

// Version is one kept version of a podcast.
type Version struct {
	Version   int            `json:"version"`
	CreatedAt time.Time      `json:"createdAt"`
	Title     string         `json:"title"`
	Summary   string         `json:"summary,omitempty"`
	Duration  float64        `json:"duration"`
	Lines     int            `json:"lines"`
	Words     int            `json:"words"`
	Chapters  []ChapterMark  `json:"chapters"`
	Voices    []SpeakerVoice `json:"voices,omitempty"`
	// Files and Sizes are the version's media (every kind but "source",
	// which all versions share).
	Files map[string]string `json:"files"`
	Sizes map[string]int64  `json:"sizes,omitempty"`
	// Job is the job that made the version, so a resumed job finds the
	// version it already committed.
	Job string `json:"job,omitempty"`
}

func (v Version) clone() Version {
	v.Chapters = slices.Clone(v.Chapters)
	v.Voices = slices.Clone(v.Voices)
	v.Files = maps.Clone(v.Files)
	v.Sizes = maps.Clone(v.Sizes)
	return v
}

// CurrentVersion is the number of the version the podcast's files are.
func (p Podcast) CurrentVersion() int { return max(1, p.Version) }

// History lists the kept versions, oldest first. A podcast never
// re-voiced has one: version 1, made of its own fields.
func (p Podcast) History() []Version {
	if len(p.Versions) > 0 {
		out := make([]Version, len(p.Versions))
		for i, v := range p.Versions {
			out[i] = v.clone()
		}
		return out
	}
	files, sizes := map[string]string{}, map[string]int64{}
	for kind, name := range p.Files {
		if kind != KindSource {
			files[kind] = name
			if n, ok := p.Sizes[kind]; ok {
				sizes[kind] = n
			}
		}
	}
	return []Version{{
		Version: 1, CreatedAt: p.GeneratedDate, Title: p.Title, Summary: p.Summary, Duration: p.Duration,
		Lines: p.Lines, Words: p.Words, Chapters: slices.Clone(p.Chapters), Voices: slices.Clone(p.Voices),
		Files: files, Sizes: sizes,
	}}
}

// versionName is the file name of one kind of a version: version 1 keeps
// the names podcasts had before versions.
func versionName(id string, version int, kind string) string {
	suffix, ok := kindSuffix[kind]
	if !ok {
		return ""
	}
	if version <= 1 {
		return id + suffix
	}
	return id + ".v" + strconv.Itoa(version) + suffix
}

// parseVersionName reads the version out of "<id>.v<n><suffix of kind>".
func parseVersionName(id, kind, name string) (int, bool) {
	suffix, ok := kindSuffix[kind]
	if !ok {
		return 0, false
	}
	rest, ok := strings.CutPrefix(name, id+".v")
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, suffix)
	if !ok || num == "" || len(num) > 9 || num[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil && n > 0
}

// isMediaName reports whether name is a file podcast id may own, in any
// version.
func isMediaName(id, name string) bool {
	if slices.Contains(mediaNames(id), name) {
		return true
	}
	for kind := range kindSuffix {
		if _, ok := parseVersionName(id, kind, name); ok {
			return true
		}
	}
	return false
}

// CommitVersion makes the staged files (kind → path from StagePath; every
// kind but "source") a new version of podcast id and that version the
// current one: the files are renamed to the version's names, then
// <id>.json is rewritten once, atomically, naming them. base is the
// version the new one was made from: when the podcast's current version is
// another (it was re-voiced or restored meanwhile), nothing changes and
// the error wraps ErrConflict. v gives the version's facts (its number,
// files and sizes are the store's). Only the newest keep versions stay
// (keep ≤ 0 means DefaultKeepVersions); the files of older ones are
// removed after the commit.
func (p *Podcasts) CommitVersion(id string, base int, v Version, staged map[string]string, keep int) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	if keep <= 0 {
		keep = DefaultKeepVersions
	}
	for kind, path := range staged {
		if kind == KindSource || kindSuffix[kind] == "" {
			return Podcast{}, fmt.Errorf("%w: a version has no %s file", ErrInvalidID, clip(kind))
		}
		ext, err := p.parseStaged(path, id, kind)
		if err != nil {
			return Podcast{}, err
		}
		if ext != kindExt[kind] {
			return Podcast{}, fmt.Errorf("%w: %s files are .%s, not .%s", ErrInvalidID, kind, kindExt[kind], clip(ext))
		}
	}
	if err := p.wait(); err != nil {
		return Podcast{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cur, e, err := p.readLocked(id)
	if err != nil {
		return Podcast{}, err
	}
	if cur.CurrentVersion() != base {
		return Podcast{}, fmt.Errorf("podcast %s is at version %d, not %d: %w", id, cur.CurrentVersion(), base, ErrConflict)
	}
	hist := cur.History()
	next := 1
	for _, h := range hist {
		next = max(next, h.Version+1)
	}
	v = v.clone()
	v.Version, v.Files, v.Sizes = next, map[string]string{}, map[string]int64{}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = p.now()
	}
	v.CreatedAt = v.CreatedAt.Round(0).UTC()
	var moved []string
	undo := func() {
		for _, path := range moved {
			os.Remove(path)
		}
	}
	for kind, from := range staged {
		name := versionName(id, next, kind)
		to := filepath.Join(p.dir, name)
		fi, err := os.Stat(from)
		if err == nil && !fi.Mode().IsRegular() {
			err = fmt.Errorf("%s is not a regular file", from)
		}
		if err == nil {
			err = os.Rename(from, to)
		}
		if err != nil {
			undo()
			return Podcast{}, fmt.Errorf("podcast %s: placing the %s file of version %d: %w", id, kind, next, err)
		}
		moved = append(moved, to)
		v.Files[kind], v.Sizes[kind] = name, fi.Size()
	}
	hist = append(hist, v)
	var pruned []Version
	if len(hist) > keep {
		pruned, hist = hist[:len(hist)-keep], hist[len(hist)-keep:]
	}
	pod := cur.clone()
	pod.Versions = hist
	pod.setCurrent(v)
	if err := p.writeMeta(pod); err != nil {
		undo()
		return Podcast{}, err
	}
	p.replace(e, pod)
	p.removeVersionFiles(id, pruned)
	return pod, nil
}

// Restore makes kept version v the current one (one atomic write of
// <id>.json; no file moves). A version no longer kept wraps ErrNotFound.
func (p *Podcasts) Restore(id string, v int) (Podcast, error) {
	if err := ValidID(id); err != nil {
		return Podcast{}, err
	}
	if err := p.wait(); err != nil {
		return Podcast{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cur, e, err := p.readLocked(id)
	if err != nil {
		return Podcast{}, err
	}
	hist := cur.History()
	i := slices.IndexFunc(hist, func(h Version) bool { return h.Version == v })
	if i < 0 {
		return Podcast{}, fmt.Errorf("podcast %s has no version %d (it keeps %s): %w", id, v, versionList(hist), ErrNotFound)
	}
	if v == cur.CurrentVersion() {
		return cur, nil
	}
	pod := cur.clone()
	pod.Versions = hist
	pod.setCurrent(hist[i])
	if err := p.writeMeta(pod); err != nil {
		return Podcast{}, err
	}
	p.replace(e, pod)
	return pod, nil
}

func versionList(hist []Version) string {
	parts := make([]string, len(hist))
	for i, h := range hist {
		parts[i] = strconv.Itoa(h.Version)
	}
	return strings.Join(parts, ", ")
}

// setCurrent makes the podcast's own fields those of version v; the
// source recording, shared by every version, stays.
func (p *Podcast) setCurrent(v Version) {
	files, sizes := maps.Clone(v.Files), maps.Clone(v.Sizes)
	if sizes == nil {
		sizes = map[string]int64{}
	}
	if name, ok := p.Files[KindSource]; ok {
		files[KindSource] = name
		if n, ok := p.Sizes[KindSource]; ok {
			sizes[KindSource] = n
		}
	}
	p.Version = v.Version
	p.Title, p.Summary, p.Duration = v.Title, v.Summary, v.Duration
	p.Lines, p.Words = v.Lines, v.Words
	p.Chapters = slices.Clone(v.Chapters)
	p.Voices = slices.Clone(v.Voices)
	p.Files, p.Sizes, p.AudioBytes = files, sizes, sizes[KindAudio]
	if len(p.Sizes) == 0 {
		p.Sizes = nil
	}
	p.normalize()
}

// readLocked reads <id>.json afresh (another process may have changed it)
// with its index entry, if any. Callers hold mu.
func (p *Podcasts) readLocked(id string) (Podcast, *entry, error) {
	e := p.byID[id]
	cur, _, err := p.readFile(id)
	if errors.Is(err, fs.ErrNotExist) {
		if e != nil {
			p.remove(e)
		}
		return Podcast{}, nil, fmt.Errorf("podcast %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Podcast{}, nil, fmt.Errorf("podcast %s: reading its file: %w", id, err)
	}
	return cur, e, nil
}

// replace puts pod in the index in place of e (nil: not indexed).
// Callers hold mu.
func (p *Podcasts) replace(e *entry, pod Podcast) {
	if e != nil {
		p.remove(e)
	}
	p.insert(newEntry(pod.clone()))
}

// removeVersionFiles deletes the files of versions no longer kept. They
// are no longer named by <id>.json, so a failure only leaves a file
// behind, which is logged.
func (p *Podcasts) removeVersionFiles(id string, gone []Version) {
	for _, v := range gone {
		for kind, name := range v.Files {
			if !validMediaFile(id, kind, name) {
				continue
			}
			if err := os.Remove(filepath.Join(p.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				p.log.Warn("removing the file of an old version", "podcast", id, "version", v.Version, "err", err)
			}
		}
	}
}

// versionFiles lists the version files named by a podcast's metadata (or
// its tombstone), for a delete to remove them too.
func (p *Podcasts) versionFiles(path, id string) []string {
	data, _, err := readLimited(path, MaxMetadataBytes)
	if err != nil {
		return nil
	}
	var meta struct {
		Versions []Version `json:"versions"`
	}
	if json.Unmarshal(data, &meta) != nil {
		return nil
	}
	var out []string
	for _, v := range meta.Versions {
		for kind, name := range v.Files {
			if validMediaFile(id, kind, name) && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}
