package core

import (
	"bufio"
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
	chapter      int
	chapterTitle string
	speaker      string
	text         string
	req          tts.Request
}

// planLines flattens the script into lines ready to voice.
func (s *Service) planLines(sc script.Script, tpl template.Template, req Request) []plannedLine {
	voices := speakerVoices(tpl, req)
	var out []plannedLine
	for ci, c := range sc.Chapters {
		out = append(out, planChapter(ci, c, voices, req)...)
	}
	return out
}

// speedOf is a speaker's speaking rate: 1 unless a re-voice set another.
func speedOf(req Request, speaker string) float64 {
	if req.Revoice != nil {
		for _, sp := range req.Revoice.Speakers {
			if strings.EqualFold(sp.Speaker, speaker) && sp.Speed > 0 {
				return sp.Speed
			}
		}
	}
	return 1
}

// speakerVoices resolves each speaker's voice (by lower-case name): the request's
// choice (which holds the settings' when the person chose none, see
// withDefaultVoices), then the template's for the provider (empty lets the
// provider pick its default).
func speakerVoices(tpl template.Template, req Request) map[string]string {
	voices := map[string]string{}
	for _, sp := range tpl.Speakers {
		key := strings.ToLower(sp.Name)
		switch {
		case lookupFold(req.Voices, sp.Name) != "":
			voices[key] = lookupFold(req.Voices, sp.Name)
		default:
			voices[key] = sp.Voices[req.TTS]
		}
	}
	return voices
}

// planChapter makes chapter number ci's lines ready to voice.
func planChapter(ci int, c script.Chapter, voices map[string]string, req Request) []plannedLine {
	out := make([]plannedLine, 0, len(c.Lines))
	for _, l := range c.Lines {
		// The speakable-text stage once more, whatever wrote the line.
		text := script.Speakable(l.Text, req.Language)
		if text == "" {
			text = l.Text // validated as speakable; keep every line's segment
		}
		out = append(out, plannedLine{
			chapter: ci, chapterTitle: c.Title, speaker: l.Speaker, text: text,
			req: tts.Request{Text: text, Voice: voices[strings.ToLower(l.Speaker)], Speed: speedOf(req, l.Speaker), Language: req.Language},
		})
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

// synthesise voices the lines as they come, with bounded parallelism,
// and hands the encoded lines to add in order, as soon as each one and
// all before it are ready. The workers do everything a line costs (TTS,
// resampling, analysis, caching as WAV with its analysis so a resume or a
// re-run of an edited script synthesises only what changed, audio.Prepare
// and audio.Encode), so add — which appends the frames — never waits on
// that work; a re-voice's lines whose frames the prior version has
// (prior, which may be nil) cost only copying them. At most
// a few lines per worker are in flight or waiting, which bounds memory.
// total is the number of lines once known (0 while the script is still
// being written). It returns each line's cache key, in order: the segments
// the podcast is made of, which the cache keeps for it (pins.go).
func (s *Service) synthesise(ctx context.Context, j *job, synth tts.Synthesizer, lines <-chan plannedLine, total func() int, prior *priorFrames, add func(audio.Prepared) error) ([]string, error) {
	if n := total(); n > 0 {
		s.update(j, true, func(st *Status) {
			st.State, st.Segment, st.Segments, st.Progress = Synthesising, 0, n, writeShare
			st.Stage = fmt.Sprintf("Synthesising line 0 of %d", n)
		})
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type result struct {
		p      audio.Prepared
		key    string
		cached bool
		err    error
	}
	type task struct {
		i    int
		line plannedLine
		res  chan result
	}
	workers := max(1, s.cfg.Workers)
	if c, ok := synth.(interface{ Capacity() int }); ok {
		// Several servers (tts.Pool): keep every one of their slots busy.
		workers = max(workers, c.Capacity())
	}
	// order carries each line's result slot in script order; its capacity
	// is how far the workers may run ahead of the encoder.
	order := make(chan chan result, 2*workers+2)
	work := make(chan task)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				if ctx.Err() != nil {
					// Cancelled while this line waited: voice nothing more
					// (select may hand over a line even once ctx is done).
					t.res <- result{err: context.Cause(ctx)}
					continue
				}
				p, key, cached, err := s.segment(ctx, synth, t.line, t.i == 0, prior)
				if err != nil {
					err = fmt.Errorf("line %d (%s): %w", t.i+1, t.line.speaker, err)
				}
				t.res <- result{p, key, cached, err}
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(work)
		i := 0
		for l := range lines {
			res := make(chan result, 1)
			select {
			case order <- res:
			case <-ctx.Done():
				return
			}
			select {
			case work <- task{i, l, res}:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()
	// Whatever happens, the workers are done before this returns.
	defer wg.Wait()
	defer cancel(nil)

	started := time.Now()
	done, fresh := 0, 0
	var keys []string
	for res := range order {
		var r result
		select {
		case r = <-res:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
		if r.err != nil {
			return nil, r.err
		}
		if err := add(r.p); err != nil {
			return nil, fmt.Errorf("line %d (%s): %w", done+1, r.p.Speaker, err)
		}
		keys = append(keys, r.key)
		done++
		if !r.cached {
			fresh++
		}
		d, f, n := done, fresh, total()
		s.update(j, d == n, func(st *Status) {
			st.Segment = d
			st.SegmentsReused, st.SegmentsSynthesised = d-f, f
			if n == 0 {
				return // the writer's progress tells the story until the script is whole
			}
			st.State, st.Segments = Synthesising, n
			st.Stage = fmt.Sprintf("Synthesising line %d of %d", d, n)
			st.Progress = writeShare + synthShare*float64(d)/float64(n)
			if f > 0 {
				perLine := time.Since(started).Seconds() / float64(d)
				st.ETA = perLine * float64(n-d)
			}
		})
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	s.log.Debug("synthesis finished", "job", j.rec.Status.ID, "lines", done, "fresh", fresh, "elapsed", time.Since(started))
	return keys, nil
}

// segment returns one line encoded, with its cache key: its frames from
// the version a re-voice starts from when they are there (prior), else
// its audio from the cache, or synthesised, resampled, analysed and
// cached when missing, then prepared and encoded. first tells whether it
// opens the file.
func (s *Service) segment(ctx context.Context, synth tts.Synthesizer, l plannedLine, first bool, prior *priorFrames) (audio.Prepared, string, bool, error) {
	key := s.lineKey(synth, l)
	p, reused := prior.reuse(s.cfg.Audio, key, first)
	if !reused {
		clip, stats, cached, err := s.lineAudio(ctx, synth, l, key)
		if err != nil {
			return audio.Prepared{}, key, false, err
		}
		if p, err = audio.Prepare(clip, stats, s.cfg.Audio); err != nil {
			return audio.Prepared{}, key, false, err
		}
		p.Key = key
		if p, err = audio.Encode(p, first, s.cfg.Audio); err != nil {
			return audio.Prepared{}, key, false, err
		}
		reused = cached
	}
	p.Speaker, p.Text, p.Chapter, p.ChapterTitle = l.speaker, l.text, l.chapter, l.chapterTitle
	return p, key, reused, nil
}

// lineKey is the cache key of a line voiced by synth.
func (s *Service) lineKey(synth tts.Synthesizer, l plannedLine) string {
	provider := synth.Name()
	if t, ok := synth.(interface{ CacheTag() string }); ok {
		provider += "\x00" + t.CacheTag()
	}
	return cacheKey(provider, l.req, s.cfg.Audio.SampleRate)
}

// lineAudio returns one line's audio at the output rate and its analysis.
func (s *Service) lineAudio(ctx context.Context, synth tts.Synthesizer, l plannedLine, key string) (audio.Clip, audio.SegmentStats, bool, error) {
	rate := s.cfg.Audio.SampleRate
	dir := filepath.Join(s.cfg.CacheDir, key[:2])
	wavPath := filepath.Join(dir, key+".wav")
	statsPath := filepath.Join(dir, key+".json")
	if stats, ok := readStats(statsPath, wavPath); ok {
		if clip, err := readWAV(wavPath); err == nil && int64(len(clip.Samples)) == stats.Samples {
			now := time.Now()
			// Mark the segment as used so cache pruning keeps it.
			os.Chtimes(statsPath, now, now)
			os.Chtimes(wavPath, now, now)
			return clip, stats, true, nil
		}
		// A damaged cache entry is synthesised again below.
	}
	clip, err := synth.Synthesize(ctx, l.req)
	if err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, err
	}
	if len(clip.Samples) == 0 {
		return audio.Clip{}, audio.SegmentStats{}, false, fmt.Errorf("%s returned no audio for %q", synth.Name(), abbreviate(l.text, 40))
	}
	clip = audio.Resample(clip, rate)
	var buf bytes.Buffer
	if err := audio.WriteWAV(&buf, clip); err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, err
	}
	if err := store.WriteFileAtomic(wavPath, buf.Bytes(), 0o600); err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, fmt.Errorf("caching audio: %w", err)
	}
	// The line goes on as the cache has it (16-bit), so it is mastered the
	// same whether it was just synthesised or read back, and its frames
	// are the ones its chunk key names.
	if clip, err = audio.DecodeWAV(bytes.NewReader(buf.Bytes())); err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, err
	}
	stats := audio.Analyze(clip)
	data, err := json.Marshal(stats)
	if err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, err
	}
	// The stats are written after the WAV, so their presence means both are whole.
	if err := store.WriteFileAtomic(statsPath, data, 0o600); err != nil {
		return audio.Clip{}, audio.SegmentStats{}, false, fmt.Errorf("caching audio analysis: %w", err)
	}
	return clip, stats, false, nil
}

func readWAV(path string) (audio.Clip, error) {
	f, err := os.Open(path)
	if err != nil {
		return audio.Clip{}, err
	}
	defer f.Close()
	return audio.DecodeWAV(bufio.NewReaderSize(f, 64<<10))
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
