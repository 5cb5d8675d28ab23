package audio

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The MP3 grows line by line: after each Add what is written so far is a
// valid MP3 holding that line, and the finished frames behind the ID3 tag
// are the podcast, with lines at very different levels brought to the
// same loudness.
func TestStreamGrowsAsLinesArrive(t *testing.T) {
	const rate = 24000
	opt := DefaultOptions()
	dir := t.TempDir()
	frames, err := os.Create(filepath.Join(dir, "frames.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	defer frames.Close()
	st, err := NewStream(opt, true, frames)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	levels := []float32{0.02, 0.9, 0.1, 0.5}
	var written int64
	for i, level := range levels {
		s := speechLike(rate, 4, uint64(i))
		for j := range s {
			s[j] *= level
		}
		c := Clip{SampleRate: rate, Samples: s}
		p, err := Prepare(c, Analyze(c), opt)
		if err != nil {
			t.Fatal(err)
		}
		p.Speaker, p.Text, p.Chapter, p.ChapterTitle = "Host", "line", i/2, []string{"One", "Two"}[i/2]
		if err := st.Add(p); err != nil {
			t.Fatal(err)
		}
		if st.Written() <= written {
			t.Fatalf("line %d: %d bytes written, %d before it", i+1, st.Written(), written)
		}
		written = st.Written()
		// What a listener has so far plays as MP3 and reaches into the line.
		data, err := os.ReadFile(frames.Name())
		if err != nil {
			t.Fatal(err)
		}
		prefix := filepath.Join(dir, "prefix.mp3")
		if err := os.WriteFile(prefix, data[:written], 0o600); err != nil {
			t.Fatal(err)
		}
		got := float64(decodedSamples(t, prefix)) / rate
		if lineStart := 0.1 + float64(i)*4.35; got < lineStart+3.5 {
			t.Errorf("after line %d the stream holds %.2f s, want past %.2f s", i+1, got, lineStart+3.5)
		}
	}
	res, err := st.Finish()
	if err != nil {
		t.Fatal(err)
	}
	tag, err := ID3(Tags{Title: "Stream"}, res)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(frames.Name())
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(body)) != res.Bytes || !bytes.Contains(body[:200], []byte("Info")) {
		t.Fatalf("frames are %d bytes (Result %d) and open with % x", len(body), res.Bytes, body[:8])
	}
	path := filepath.Join(dir, "podcast.mp3")
	if err := os.WriteFile(path, append(tag, body...), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := decodedSamples(t, path); n != res.Samples {
		t.Errorf("ffmpeg decodes %d samples, the stream reported %d", n, res.Samples)
	}
	if p := ffprobe(t, path); len(p.Chapters) != 2 || p.Chapters[1].Tags["title"] != "Two" {
		t.Errorf("chapters %+v", p.Chapters)
	}
	m := ebur128(t, path)
	if math.Abs(m.I-opt.TargetLUFS) > 0.5 || m.TP > opt.TruePeakDBTP {
		t.Errorf("ffmpeg measures %.2f LUFS, %.2f dBTP", m.I, m.TP)
	}
	// Each line on its own is near the target, whatever its level was.
	all := decodeFile(t, path, rate)
	delay := len(all.Samples) - int(res.Samples)
	for i, c := range res.Cues {
		line := Clip{SampleRate: rate, Samples: all.Samples[int(c.Start)+delay : int(c.End)+delay]}
		if l := integratedOf(line); math.Abs(l-opt.TargetLUFS) > 1.5 {
			t.Errorf("line %d (level %g) is at %.2f LUFS", i+1, levels[i], l)
		}
	}
}

// decodeFile decodes an audio file at rate with ffmpeg, gapless, to mono.
func decodeFile(t testing.TB, path string, rate int) Clip {
	t.Helper()
	out, err := exec.Command(tool(t, "ffmpeg"), "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg decoding %s: %v", path, err)
	}
	return DecodePCM16LE(out, rate)
}
