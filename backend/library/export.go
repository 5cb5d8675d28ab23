package library

import (
	"context"
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

	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

// exportKinds are the files Export copies, with the name ending each gets.
var exportKinds = []struct{ kind, suffix string }{
	{store.KindAudio, ".mp3"},
	{store.KindVTT, ".vtt"},
	{store.KindSRT, ".srt"},
	{store.KindChapters, ".chapters.json"},
	{store.KindScript, ".script.json"},
}

// Export copies one of owner's podcasts into the folder dir: its audio,
// transcripts (WebVTT, SRT), chapters and script, and the recording it was
// transcribed from ("My title.original.wav"), named after the title
// ("My title.mp3"; "My title (2).mp3" when taken). Nothing is overwritten;
// a failure part-way removes what was copied. It returns the names
// written.
func (s *Service) Export(ctx context.Context, owner, id, dir string) ([]string, error) {
	p, err := s.Get(ctx, owner, id)
	if err != nil {
		return nil, err
	}
	if dir == "" || !filepath.IsAbs(dir) {
		return nil, apperr.Field("dir", "%q is not a folder on this computer", clip(dir))
	}
	kinds := slices.Clone(exportKinds)
	if src, err := s.podcasts.MediaPath(id, store.KindSource); err == nil {
		kinds = append(kinds, struct{ kind, suffix string }{store.KindSource, ".original" + filepath.Ext(src)})
	}
	type copyJob struct{ src, dst string }
	var jobs []copyJob
	for _, k := range kinds {
		src, err := s.podcasts.MediaPath(id, k.kind)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, copyJob{src: src, dst: k.suffix})
	}
	base, err := freeBase(dir, FileName(p.Title), kinds)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, j := range jobs {
		dst := filepath.Join(dir, base+j.dst)
		if err := copyNew(j.src, dst); err != nil {
			for _, d := range done {
				os.Remove(d)
			}
			return nil, fmt.Errorf("exporting %q to %s: %w", p.Title, dir, err)
		}
		done = append(done, dst)
	}
	s.log.Info("podcast exported", "id", id, "dir", dir, "files", len(done))
	return done, nil
}

// FileName turns a title into a file name that works on every system.
func FileName(title string) string {
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
