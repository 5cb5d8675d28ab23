package audio

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// benchSegments returns about seconds of espeak-ng speech as cached WAVs
// in memory, the way Master reads them: the test lines, synthesised once
// and repeated at varying levels, as different engines and voices would be.
func benchSegments(b *testing.B, rate int, seconds float64) []Segment {
	b.Helper()
	var lines []Clip
	for _, l := range espeakLines {
		lines = append(lines, Resample(espeak(b, l.voice, l.text), rate))
	}
	var segs []Segment
	for total, i := 0.0, 0; total < seconds; i++ {
		src := lines[i%len(lines)]
		c := Clip{SampleRate: rate, Samples: make([]float32, len(src.Samples))}
		level := float32(0.5 + 0.1*float64(i%6))
		for j, v := range src.Samples {
			c.Samples[j] = v * level
		}
		var buf bytes.Buffer
		if err := WriteWAV(&buf, c); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		segs = append(segs, Segment{
			Speaker: "Host", Text: "line", Chapter: int(4 * total / seconds), Stats: Analyze(c),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		})
		total += c.Duration()
	}
	return segs
}

// BenchmarkMaster masters five minutes of speech, and for comparison runs
// the naive baseline on the same audio: ffmpeg's loudnorm filter and its
// libmp3lame encoder over the joined WAV.
func BenchmarkMaster(b *testing.B) {
	const seconds = 300
	segs := benchSegments(b, 24000, seconds)
	titles := []string{"One", "Two", "Three", "Four"}
	dir := b.TempDir()
	out := filepath.Join(dir, "bench.mp3")
	b.Run("Master", func(b *testing.B) {
		var res Result
		for range b.N {
			f, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			res, err = Master(context.Background(), segs, titles, Tags{Title: "Bench"}, DefaultOptions(), f)
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(res.Duration*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
	})
	b.Run("ffmpeg-loudnorm", func(b *testing.B) {
		joined, duration := joinSegments(b, segs, DefaultOptions())
		wav := filepath.Join(dir, "joined.wav")
		if err := os.WriteFile(wav, joined, 0o600); err != nil {
			b.Fatal(err)
		}
		ffmpeg := tool(b, "ffmpeg")
		b.ResetTimer()
		for range b.N {
			cmd := exec.Command(ffmpeg, "-v", "error", "-y", "-i", wav, "-af", "loudnorm=I=-16:TP=-1",
				"-ar", "24000", "-c:a", "libmp3lame", "-b:a", "64k", out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("ffmpeg: %v\n%s", err, msg)
			}
		}
		b.ReportMetric(duration*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
	})
}

// joinSegments lays the lines out as Master would and returns a WAV.
func joinSegments(b *testing.B, segs []Segment, opt Options) ([]byte, float64) {
	b.Helper()
	gap := make([]float32, int(opt.Gap.Seconds()*float64(opt.SampleRate)))
	var all []float32
	for i, s := range segs {
		if i > 0 {
			all = append(all, gap...)
		}
		rc, err := s.Open()
		if err != nil {
			b.Fatal(err)
		}
		c, err := DecodeWAV(rc)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, c.Samples...)
	}
	var buf bytes.Buffer
	if err := WriteWAV(&buf, Clip{SampleRate: opt.SampleRate, Samples: all}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), float64(len(all)) / float64(opt.SampleRate)
}
