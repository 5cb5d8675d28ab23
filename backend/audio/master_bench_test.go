package audio

import (
	"bytes"
	"context"
	"io"
	"os"
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

func BenchmarkMaster(b *testing.B) {
	const seconds = 300
	segs := benchSegments(b, 24000, seconds)
	titles := []string{"One", "Two", "Three", "Four"}
	path := filepath.Join(b.TempDir(), "bench.mp3")
	b.ResetTimer()
	var res Result
	for range b.N {
		f, err := os.Create(path)
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
	b.ReportMetric(float64(res.Renders), "renders")
}
