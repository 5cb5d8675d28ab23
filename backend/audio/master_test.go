package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// memSegment caches clip as WAV bytes in memory, as core caches files.
func memSegment(t testing.TB, speaker string, chapter int, c Clip) Segment {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWAV(&buf, c); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	return Segment{Speaker: speaker, Text: "Line by " + speaker, Chapter: chapter, Stats: Analyze(c),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// toneLines returns n short lines of speech-like audio at 24 kHz.
func toneLines(t testing.TB, n int, level float32) []Segment {
	segs := make([]Segment, n)
	for i := range segs {
		s := speechLike(24000, 1+0.3*float64(i), uint64(i))
		for j := range s {
			s[j] *= level
		}
		segs[i] = memSegment(t, fmt.Sprintf("S%d", i%2), 0, Clip{SampleRate: 24000, Samples: s})
	}
	return segs
}

func masterErr(segs []Segment, titles []string, opt Options) error {
	f, err := os.CreateTemp("", "master-*.mp3")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	_, err = Master(context.Background(), segs, titles, Tags{}, opt, f)
	return err
}

func TestMasterRejects(t *testing.T) {
	opt := DefaultOptions()
	with := func(mod func(o *Options)) Options { o := opt; mod(&o); return o }
	seg := func(mod func(s *Segment)) []Segment {
		segs := toneLines(t, 3, 0.5)
		mod(&segs[1])
		return segs
	}
	wavOf := func(data []byte) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	other := new(bytes.Buffer)
	if err := WriteWAV(other, Clip{SampleRate: 24000, Samples: make([]float32, 100)}); err != nil {
		t.Fatal(err)
	}
	at44 := new(bytes.Buffer)
	if err := WriteWAV(at44, Clip{SampleRate: 44100, Samples: make([]float32, 100)}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("cache file vanished")
	tests := map[string]struct {
		segs   []Segment
		titles []string
		opt    Options
		want   string
	}{
		"no lines":              {nil, nil, opt, "no lines"},
		"non-MP3 rate":          {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.SampleRate = 22000 }), "22000 Hz"},
		"negative gap":          {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.Gap = -time.Second }), "gap"},
		"absurd target":         {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.TargetLUFS = 3 }), "loudness target"},
		"ceiling above 0 dBTP":  {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.TruePeakDBTP = 1 }), "ceiling"},
		"zero bitrate":          {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.BitrateKbps = 0 }), "0 kbps is not an MP3 bitrate"},
		"odd bitrate":           {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.BitrateKbps = 13 }), "choose one of"},
		"MPEG-1 only bitrate":   {toneLines(t, 1, 0.5), nil, with(func(o *Options) { o.BitrateKbps = 320 }), "320 kbps is not an MP3 bitrate at 24000 Hz"},
		"stats at another rate": {seg(func(s *Segment) { s.Stats.SampleRate = 44100 }), nil, opt, "line 2 (S1): the line's audio is at 44100 Hz"},
		"stats too short":       {seg(func(s *Segment) { s.Stats.Power = s.Stats.Power[1:] }), nil, opt, "synthesise it again"},
		"no audio":              {seg(func(s *Segment) { s.Open = nil }), nil, opt, "has no audio"},
		"chapter out of range":  {seg(func(s *Segment) { s.Chapter = 2 }), []string{"A", "B"}, opt, "line 2 names chapter 2, but there are 2"},
		"open fails":            {seg(func(s *Segment) { s.Open = func() (io.ReadCloser, error) { return nil, boom } }), nil, opt, "cache file vanished"},
		"HTML in the cache":     {seg(func(s *Segment) { s.Open = wavOf([]byte("<html>oops</html>")) }), nil, opt, "HTML page"},
		"audio length differs":  {seg(func(s *Segment) { s.Open = wavOf(other.Bytes()) }), nil, opt, "has 100 samples but its analysis"},
		"audio rate differs":    {seg(func(s *Segment) { s.Open = wavOf(at44.Bytes()) }), nil, opt, "44100 Hz, not the output rate"},
		"all silent":            {[]Segment{memSegment(t, "A", 0, Clip{SampleRate: 24000, Samples: make([]float32, 24000)})}, nil, opt, "silent"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := masterErr(tc.segs, tc.titles, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if name == "open fails" && !errors.Is(err, boom) {
				t.Errorf("err = %v does not wrap the cause", err)
			}
		})
	}
}

func TestMasterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	segs := toneLines(t, 4, 0.5)
	opened := 0
	for i := range segs {
		open := segs[i].Open
		segs[i].Open = func() (io.ReadCloser, error) {
			opened++
			if opened == 2 {
				cancel()
			}
			return open()
		}
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "x.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = Master(ctx, segs, nil, Tags{}, DefaultOptions(), f)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if opened != 2 {
		t.Errorf("%d lines opened after cancelling during the second", opened)
	}
}

func TestMasterFile(t *testing.T) {
	segs := toneLines(t, 5, 0.05) // quiet: needs a lot of gain
	for i, c := range []int{0, 1, 1, 0, 0} {
		segs[i].Chapter = c
	}
	opt := DefaultOptions()
	opt.Gap = 0
	path := filepath.Join(t.TempDir(), "p.mp3")
	// A longer file already there must not leave a tail behind.
	if err := os.WriteFile(path, bytes.Repeat([]byte{0xAA}, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Master(context.Background(), segs, []string{"Odd", "Even"}, Tags{Title: "T"}, opt, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) != res.Bytes {
		t.Errorf("file is %d bytes, Result says %d", len(data), res.Bytes)
	}
	// Tag first, then the LAME Info frame where the audio starts.
	size, err := syncsafe(data[6:10])
	if err != nil || string(data[:3]) != "ID3" {
		t.Fatalf("no ID3 tag at the start: % x", data[:10])
	}
	if _, err := parseID3(data[:10+size]); err != nil {
		t.Fatal(err)
	}
	frame := data[10+size:]
	if frame[0] != 0xFF || frame[1]&0xE0 != 0xE0 || !bytes.Contains(frame[:200], []byte("Info")) {
		t.Errorf("audio does not open with a LAME Info frame: % x", frame[:48])
	}
	// Gap 0: lines follow each other directly; chapters change with them.
	for i := 1; i < len(res.Cues); i++ {
		if res.Cues[i].Start != res.Cues[i-1].End {
			t.Errorf("cue %d starts at %d, previous ends at %d", i, res.Cues[i].Start, res.Cues[i-1].End)
		}
	}
	wantTitles := []string{"Odd", "Even", "Odd"}
	wantStarts := []int64{0, res.Cues[1].Start, res.Cues[3].Start}
	if len(res.Chapters) != 3 {
		t.Fatalf("chapters %+v", res.Chapters)
	}
	for i, c := range res.Chapters {
		if c.Title != wantTitles[i] || c.Start != wantStarts[i] {
			t.Errorf("chapter %d = %+v, want %q at %d", i, c, wantTitles[i], wantStarts[i])
		}
	}
	if res.GainDB < 15 || math.Abs(res.LoudnessLUFS-opt.TargetLUFS) > 0.5 {
		t.Errorf("quiet input: gain %.1f dB → %.2f LUFS", res.GainDB, res.LoudnessLUFS)
	}
	if m := ebur128(t, path); m.TP > opt.TruePeakDBTP || math.Abs(m.I-opt.TargetLUFS) > 0.5 {
		t.Errorf("quiet input: ffmpeg measures %.2f LUFS, %.2f dBTP", m.I, m.TP)
	}
	mp3valClean(t, path) // one stream (no gap to join chunks in), its Info tag Stream's own
}

// Without chapter titles there are no chapters, whatever the lines say.
func TestMasterWithoutChapters(t *testing.T) {
	segs := toneLines(t, 2, 0.3)
	segs[1].Chapter = 7
	res, path := masterToFile(t, segs, nil, Tags{}, DefaultOptions())
	if len(res.Chapters) != 0 {
		t.Errorf("chapters %+v", res.Chapters)
	}
	if p := ffprobe(t, path); len(p.Chapters) != 0 {
		t.Errorf("ffprobe finds chapters %+v", p.Chapters)
	}
}
