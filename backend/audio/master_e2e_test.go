package audio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// espeakLines is a short two-host conversation in two chapters.
var espeakLines = []struct {
	speaker, voice, text string
	chapter              int
}{
	{"Ada", "en-us+f3", "Welcome to the show. Today we talk about sound, loudness and how a podcast is put together.", 0},
	{"Max", "en-us+m3", "Thanks Ada. It is good to be here, and I have a lot of questions about mastering.", 0},
	{"Ada", "en-us+f3", "Let us start with loudness. Podcasts aim for minus sixteen LUFS, measured over the whole episode.", 1},
	{"Max", "en-us+m3", "And the true peak stays below minus one decibel, so that the encoder has some headroom!", 1},
	{"Ada", "en-us+f3", "Exactly. Then the file gets chapters, tags, and a transcript that follows every line.", 1},
	{"Max", "en-us+m3", "That was quick. Thanks for listening, and see you next time.", 1},
}

// cachedSegments synthesises lines with espeak-ng and caches them the way
// the generation service does: resample, WAV file, analysis.
func cachedSegments(t testing.TB, rate int) []Segment {
	t.Helper()
	dir := t.TempDir()
	segs := make([]Segment, len(espeakLines))
	for i, l := range espeakLines {
		clip := Resample(espeak(t, l.voice, l.text), rate)
		path := filepath.Join(dir, fmt.Sprintf("line%d.wav", i))
		var buf bytes.Buffer
		if err := WriteWAV(&buf, clip); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		segs[i] = Segment{
			Speaker: l.speaker, Text: l.text, Chapter: l.chapter, Stats: Analyze(clip),
			Open: func() (io.ReadCloser, error) { return os.Open(path) },
		}
	}
	return segs
}

func masterToFile(t testing.TB, segs []Segment, titles []string, tags Tags, opt Options) (Result, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "podcast.mp3")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Master(context.Background(), segs, titles, tags, opt, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Master: %v", err)
	}
	return res, path
}

func TestMasterEspeakEndToEnd(t *testing.T) {
	for _, rate := range []int{24000, 44100} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			segs := cachedSegments(t, rate)
			opt := DefaultOptions()
			opt.SampleRate = rate
			tags := Tags{Title: "Sound & Loudness", Artist: "Ada, Max", Album: "The Test Show", Date: "2025-03-14", Comment: "Ünïcode comment ✓"}
			titles := []string{"Intro", "Loudness"}
			res, path := masterToFile(t, segs, titles, tags, opt)

			// The timeline: lead-in, then lines separated by the gap and the
			// rest of the frame the line's chunk ends in; every chunk after
			// the first starts half a gap before its line, on a frame.
			gap := int64(math.Round(opt.Gap.Seconds() * float64(rate)))
			frame := int64(576)
			if rate >= 32000 {
				frame = 1152
			}
			pos := int64(math.Round(leadIn.Seconds() * float64(rate)))
			for i, c := range res.Cues {
				lo, hi := pos, pos
				if i > 0 {
					lo, hi = pos+gap, pos+gap+frame-1
					if (c.Start-gap/2)%frame != 0 {
						t.Errorf("line %d's chunk starts at %d, not on a frame", i, c.Start-gap/2)
					}
				}
				if c.Start < lo || c.Start > hi || c.End != c.Start+segs[i].Stats.Samples {
					t.Errorf("cue %d spans [%d, %d), want a start in [%d, %d] and %d samples", i, c.Start, c.End, lo, hi, segs[i].Stats.Samples)
				}
				pos = c.End
			}
			if tail := res.Samples - pos; tail < int64(math.Round(tailOut.Seconds()*float64(rate))) || tail > int64(math.Round(tailOut.Seconds()*float64(rate)))+frame {
				t.Errorf("Samples = %d, %d after the last line, want the tail (%v) and less than a frame", res.Samples, tail, tailOut)
			}
			mp3valClean(t, path)
			if len(res.Chapters) != 2 || res.Chapters[0].Start != 0 || res.Chapters[1].Start != res.Cues[2].Start ||
				res.Chapters[0].End != res.Chapters[1].Start || res.Chapters[1].End != res.Samples {
				t.Errorf("chapters = %+v, want Intro from 0 and Loudness from line 3 (%d) to the end (%d)", res.Chapters, res.Cues[2].Start, res.Samples)
			}

			p := ffprobe(t, path)
			if p.Format.FormatName != "mp3" || len(p.Streams) != 1 || p.Streams[0].CodecName != "mp3" ||
				p.Streams[0].SampleRate != fmt.Sprint(rate) || p.Streams[0].Channels != 1 {
				t.Fatalf("ffprobe sees %+v / %+v, want one mono mp3 stream at %d Hz", p.Format, p.Streams, rate)
			}
			// ffprobe counts whole frames from the start of the stream, of
			// which the part before start_time is the encoder delay.
			if d := atof(t, p.Format.Duration) - atof(t, p.Format.StartTime); math.Abs(d-res.Duration) > 0.05 {
				t.Errorf("ffprobe duration %.3f s after its start time, Master reported %.3f s", d, res.Duration)
			}
			if n := decodedSamples(t, path); n != res.Samples {
				t.Errorf("ffmpeg decodes %d samples, Master reported %d", n, res.Samples)
			}
			wantTags := map[string]string{"title": tags.Title, "artist": tags.Artist, "album": tags.Album, "date": tags.Date, "comment": tags.Comment}
			for k, v := range wantTags {
				if got := p.Format.Tags[k]; got != v {
					t.Errorf("tag %s = %q, want %q", k, got, v)
				}
			}
			if len(p.Chapters) != len(res.Chapters) {
				t.Fatalf("ffprobe sees %d chapters, want %d", len(p.Chapters), len(res.Chapters))
			}
			for i, c := range p.Chapters {
				want := float64(res.Chapters[i].Start) / float64(rate)
				if got := atof(t, c.StartTime); math.Abs(got-want) > 0.0015 {
					t.Errorf("chapter %d starts at %.3f s in the MP3, want %.3f s", i, got, want)
				}
				if c.Tags["title"] != titles[i] {
					t.Errorf("chapter %d title %q, want %q", i, c.Tags["title"], titles[i])
				}
			}

			m := ebur128(t, path)
			t.Logf("ffmpeg ebur128: I=%.2f LUFS TP=%.2f dBTP; ours: mean gain %.2f dB, %.2f LUFS encoded",
				m.I, m.TP, res.GainDB, res.LoudnessLUFS)
			if math.Abs(m.I-opt.TargetLUFS) > 0.5 {
				t.Errorf("integrated loudness %.2f LUFS, want %.0f ± 0.5", m.I, opt.TargetLUFS)
			}
			if m.TP > opt.TruePeakDBTP {
				t.Errorf("true peak %.2f dBTP, want ≤ %.1f", m.TP, opt.TruePeakDBTP)
			}
			// The loudness the stream measured agrees with ffmpeg's
			// measurement of the MP3 (whose summary has one decimal).
			if math.Abs(res.LoudnessLUFS-m.I) > 0.15 {
				t.Errorf("Master measured %.2f LUFS in what it encoded, ffmpeg %.1f in the MP3", res.LoudnessLUFS, m.I)
			}

			// The transcript follows the same offsets.
			var vtt bytes.Buffer
			if err := WriteVTT(&vtt, res.Cues, res.SampleRate); err != nil {
				t.Fatal(err)
			}
			times := regexp.MustCompile(`(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> `).FindAllStringSubmatch(vtt.String(), -1)
			if len(times) != len(segs) {
				t.Fatalf("VTT has %d cues, want %d:\n%s", len(times), len(segs), vtt.String())
			}
			for i, m := range times {
				ms := (atof(t, m[1])*3600+atof(t, m[2])*60+atof(t, m[3]))*1000 + atof(t, m[4])
				want := math.Round(float64(res.Cues[i].Start) * 1000 / float64(rate))
				if ms != want {
					t.Errorf("VTT cue %d starts at %v ms, want %v", i, ms, want)
				}
			}
			if !strings.Contains(vtt.String(), "<v Max>And the true peak") {
				t.Errorf("VTT lacks the voice tag for Max:\n%s", vtt.String())
			}

			// So do the Podcasting 2.0 chapters.
			var js bytes.Buffer
			if err := WriteChaptersJSON(&js, res.Chapters, res.SampleRate); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Version  string `json:"version"`
				Chapters []struct {
					StartTime float64 `json:"startTime"`
					Title     string  `json:"title"`
				} `json:"chapters"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != "1.2.0" || len(doc.Chapters) != 2 {
				t.Fatalf("chapters JSON: %s", js.String())
			}
			for i, c := range doc.Chapters {
				if want := atof(t, p.Chapters[i].StartTime); math.Abs(c.StartTime-want) > 0.0015 || c.Title != titles[i] {
					t.Errorf("JSON chapter %d: %q at %.3f s, the MP3 has %.3f s", i, c.Title, c.StartTime, want)
				}
			}
		})
	}
}
