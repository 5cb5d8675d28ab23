package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
)

// plannedLine is one line of the script with everything needed to voice it.
type plannedLine struct {
	chapter int
	speaker string
	text    string
	req     tts.Request
}

// planLines flattens the script and resolves each speaker's voice: the
// request's choice, then the settings', then the template's for the provider
// (empty lets the provider pick its default).
func (s *Service) planLines(sc script.Script, tpl template.Template, req Request) []plannedLine {
	voices := map[string]string{}
	for _, sp := range tpl.Speakers {
		key := strings.ToLower(sp.Name)
		switch {
		case lookupFold(req.Voices, sp.Name) != "":
			voices[key] = lookupFold(req.Voices, sp.Name)
		case lookupFold(s.cfg.Voices, sp.Name) != "":
			voices[key] = lookupFold(s.cfg.Voices, sp.Name)
		default:
			voices[key] = sp.Voices[req.TTS]
		}
	}
	var out []plannedLine
	for ci, c := range sc.Chapters {
		for _, l := range c.Lines {
			out = append(out, plannedLine{
				chapter: ci, speaker: l.Speaker, text: l.Text,
				req: tts.Request{Text: l.Text, Voice: voices[strings.ToLower(l.Speaker)], Speed: 1, Language: req.Language},
			})
		}
	}
	return out
}

func lookupFold(m map[string]string, key string) string {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// synthesise voices every line with bounded parallelism. Each finished line
// is resampled to the output rate, cached as WAV with its loudness analysis,
// so a resume or a re-run of an edited script synthesises only what changed.
func (s *Service) synthesise(ctx context.Context, j *job, synth tts.Synthesizer, lines []plannedLine) ([]audio.Segment, error) {
	n := len(lines)
	s.update(j, true, func(st *Status) {
		st.State, st.Segment, st.Segments, st.Progress = Synthesising, 0, n, writeShare
		st.Stage = fmt.Sprintf("Synthesising line 0 of %d", n)
	})
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	segs := make([]audio.Segment, n)
	work := make(chan int)
	var (
		mu        sync.Mutex
		done      int
		fresh     int
		firstErr  error
		started   = time.Now()
		freshTime time.Duration
	)
	workers := min(s.cfg.Workers, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				t0 := time.Now()
				seg, cached, err := s.segment(ctx, synth, lines[i])
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("line %d (%s): %w", i+1, lines[i].speaker, err)
						cancel(firstErr)
					}
					mu.Unlock()
					continue
				}
				segs[i] = seg
				done++
				if !cached {
					fresh++
					freshTime += time.Since(t0)
				}
				d, f := done, fresh
				mu.Unlock()
				s.update(j, d == n, func(st *Status) {
					st.Segment = d
					st.Stage = fmt.Sprintf("Synthesising line %d of %d", d, n)
					st.Progress = writeShare + synthShare*float64(d)/float64(n)
					if f > 0 {
						perLine := time.Since(started).Seconds() / float64(d)
						st.ETA = perLine * float64(n-d)
					}
				})
			}
		}()
	}
feed:
	for i := range lines {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.log.Debug("synthesis finished", "job", j.rec.Status.ID, "lines", n, "fresh", fresh, "elapsed", time.Since(started))
	return segs, nil
}

// segment returns one line's cached audio, synthesising it when missing.
func (s *Service) segment(ctx context.Context, synth tts.Synthesizer, l plannedLine) (audio.Segment, bool, error) {
	rate := s.cfg.Audio.SampleRate
	provider := synth.Name()
	if t, ok := synth.(interface{ CacheTag() string }); ok {
		provider += "\x00" + t.CacheTag()
	}
	key := cacheKey(provider, l.req, rate)
	dir := filepath.Join(s.cfg.CacheDir, key[:2])
	wavPath := filepath.Join(dir, key+".wav")
	statsPath := filepath.Join(dir, key+".json")
	seg := audio.Segment{
		Speaker: l.speaker, Text: l.text, Chapter: l.chapter,
		Open: func() (io.ReadCloser, error) { return os.Open(wavPath) },
	}
	if stats, ok := readStats(statsPath, wavPath); ok {
		now := time.Now()
		// Mark the segment as used so cache pruning keeps it.
		os.Chtimes(statsPath, now, now)
		os.Chtimes(wavPath, now, now)
		seg.Stats = stats
		return seg, true, nil
	}
	clip, err := synth.Synthesize(ctx, l.req)
	if err != nil {
		return seg, false, err
	}
	if len(clip.Samples) == 0 {
		return seg, false, fmt.Errorf("%s returned no audio for %q", synth.Name(), abbreviate(l.text, 40))
	}
	clip = audio.Resample(clip, rate)
	var buf bytes.Buffer
	if err := audio.WriteWAV(&buf, clip); err != nil {
		return seg, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return seg, false, err
	}
	if err := store.WriteFileAtomic(wavPath, buf.Bytes(), 0o600); err != nil {
		return seg, false, fmt.Errorf("caching audio: %w", err)
	}
	seg.Stats = audio.Analyze(clip)
	data, err := json.Marshal(seg.Stats)
	if err != nil {
		return seg, false, err
	}
	// The stats are written after the WAV, so their presence means both are whole.
	if err := store.WriteFileAtomic(statsPath, data, 0o600); err != nil {
		return seg, false, fmt.Errorf("caching audio analysis: %w", err)
	}
	return seg, false, nil
}

func readStats(statsPath, wavPath string) (audio.SegmentStats, bool) {
	data, err := os.ReadFile(statsPath)
	if err != nil {
		return audio.SegmentStats{}, false
	}
	if _, err := os.Stat(wavPath); err != nil {
		return audio.SegmentStats{}, false
	}
	var st audio.SegmentStats
	if err := json.Unmarshal(data, &st); err != nil || st.Samples <= 0 {
		return audio.SegmentStats{}, false
	}
	return st, true
}

// cacheKey identifies a synthesised line by everything that shapes its sound.
func cacheKey(provider string, r tts.Request, rate int) string {
	h := sha256.New()
	fmt.Fprintf(h, "v1\x00%s\x00%s\x00%g\x00%d\x00%s\x00%d\x00%s", provider, r.Voice, r.Speed, r.Pitch, r.Language, rate, r.Text)
	return hex.EncodeToString(h.Sum(nil))
}

func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// pruneCache removes cached segments not used for maxAge; a hit refreshes a
// segment's time (see touch), so what recent jobs need stays.
func pruneCache(dir string, maxAge time.Duration, now time.Time) (removed int, err error) {
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if now.Sub(info.ModTime()) > maxAge {
			if os.Remove(path) == nil {
				removed++
			}
		}
		return nil
	})
	return removed, err
}
