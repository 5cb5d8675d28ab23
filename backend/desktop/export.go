package desktop

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"podcastfy/backend/store"
)

const maxChaptersBytes = 4 << 20

// chapters returns the podcast's chapters with their ends: from the
// chapters file (Podcasting 2.0 JSON) when it exists, else from the starts
// kept in the metadata, each ending where the next begins.
func (l *Library) chapters(p store.Podcast) ([]Chapter, error) {
	path, err := l.podcasts.MediaPath(p.ID, store.KindChapters)
	if err == nil {
		return readChapters(path)
	}
	out := make([]Chapter, len(p.Chapters))
	for i, c := range p.Chapters {
		end := p.Duration
		if i+1 < len(p.Chapters) {
			end = p.Chapters[i+1].Start
		}
		out[i] = Chapter{Index: i, Title: c.Title, Start: c.Start, End: max(end, c.Start)}
	}
	return out, nil
}

func readChapters(path string) ([]Chapter, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the chapters: %w", err)
	}
	defer f.Close()
	var doc struct {
		Chapters []struct {
			StartTime float64 `json:"startTime"`
			EndTime   float64 `json:"endTime"`
			Title     string  `json:"title"`
		} `json:"chapters"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxChaptersBytes)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("the chapters file %s is damaged: %w", filepath.Base(path), err)
	}
	out := make([]Chapter, len(doc.Chapters))
	for i, c := range doc.Chapters {
		out[i] = Chapter{Index: i, Title: c.Title, Start: c.StartTime, End: max(c.EndTime, c.StartTime)}
	}
	return out, nil
}

// exportKinds are the files Export copies, with the name ending each gets.
var exportKinds = []struct{ kind, suffix string }{
	{store.KindAudio, ".mp3"},
	{store.KindVTT, ".vtt"},
	{store.KindSRT, ".srt"},
	{store.KindChapters, ".chapters.json"},
	{store.KindScript, ".script.json"},
}

// Export asks for a folder with the native dialog and copies the podcast's
// audio, transcripts (WebVTT, SRT), chapters and script into it, and the
// recording it was transcribed from ("My title.original.wav"), named after
// the title ("My title.mp3"; "My title (2).mp3" when taken). It returns the
// folder, or "" when the person cancelled the dialog.
func (l *Library) Export(id string) (string, error) {
	p, err := l.own(id)
	if err != nil {
		return "", err
	}
	dir, err := l.rt.ChooseDirectory(fmt.Sprintf("Export “%s” to a folder", p.Title))
	if err != nil {
		return "", fmt.Errorf("choosing a folder: %w", err)
	}
	if dir == "" {
		return "", nil
	}
	kinds := slices.Clone(exportKinds)
	if src, err := l.podcasts.MediaPath(id, store.KindSource); err == nil {
		kinds = append(kinds, struct{ kind, suffix string }{store.KindSource, ".original" + filepath.Ext(src)})
	}
	type copyJob struct{ src, dst string }
	var jobs []copyJob
	for _, k := range kinds {
		src, err := l.podcasts.MediaPath(id, k.kind)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		jobs = append(jobs, copyJob{src: src, dst: k.suffix})
	}
	base, err := freeBase(dir, fileName(p.Title), kinds)
	if err != nil {
		return "", err
	}
	var done []string
	for _, j := range jobs {
		dst := filepath.Join(dir, base+j.dst)
		if err := copyNew(j.src, dst); err != nil {
			for _, d := range done {
				os.Remove(d)
			}
			return "", fmt.Errorf("exporting %q to %s: %w", p.Title, dir, err)
		}
		done = append(done, dst)
	}
	l.log.Info("podcast exported", "id", id, "dir", dir, "files", len(done))
	return dir, nil
}

// fileName turns a title into a file name that works on every system.
func fileName(title string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, title)
	name = strings.Trim(strings.Join(strings.Fields(name), " "), " .")
	if r := []rune(name); len(r) > 100 {
		name = strings.TrimRight(string(r[:100]), " .")
	}
	if name == "" {
		return "podcast"
	}
	return name
}

// freeBase returns base, or "base (n)", such that no exported file name
// exists yet in dir.
func freeBase(dir, base string, kinds []struct{ kind, suffix string }) (string, error) {
	for n := 1; n < 1000; n++ {
		b := base
		if n > 1 {
			b = base + " (" + strconv.Itoa(n) + ")"
		}
		free := true
		for _, k := range kinds {
			_, err := os.Lstat(filepath.Join(dir, b+k.suffix))
			if err == nil {
				free = false
				break
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("exporting to %s: %w", dir, err)
			}
		}
		if free {
			return b, nil
		}
	}
	return "", fmt.Errorf("exporting to %s: too many files named %q already", dir, base)
}

// copyNew copies src to dst, which must not exist, and syncs it.
func copyNew(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}
