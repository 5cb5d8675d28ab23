package player

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

// BenchmarkPlayToFirstSample times Play to the first sample reaching the
// device: a real ALSA file device, in a child process (see inALSAChild).
// ns/op is the mean over warm plays, p50-ms and max-ms their median and
// worst; cold-ms is the first play, which also opens the device.
func BenchmarkPlayToFirstSample(b *testing.B) {
	if os.Getenv(childEnv) == b.Name() {
		firstSampleInChild(b)
		return
	}
	metrics := map[string]float64{}
	for range b.N {
		out := runChild(b, alsaCapture, "-test.run=^$", "-test.bench=^"+b.Name()+"$", "-test.benchtime=50x")
		for unit, v := range benchMetrics(out, b.Name()) {
			metrics[unit] += v / float64(b.N)
		}
	}
	if len(metrics) == 0 {
		b.Fatal("the child process reported no figures")
	}
	for unit, v := range metrics {
		b.ReportMetric(v, unit)
	}
}

// benchMetrics reads "value unit" pairs from a benchmark's result line.
func benchMetrics(out, name string) map[string]float64 {
	m := map[string]float64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], name) {
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
	}
	return m
}

// firstSampleBench is the child's player, kept across the calls the
// benchmark framework makes (b.N = 1, then the count asked for).
var firstSampleBench struct {
	once sync.Once
	p    *Player
	c    *capture
	cold time.Duration
}

func firstSampleInChild(b *testing.B) {
	s := &firstSampleBench
	s.once.Do(func() {
		s.c, _ = openCapture(b) // read until the child exits
		s.p = New(nil, nil, Options{})
		path, _ := twoToneMP3(b)
		if _, err := s.p.Load("bench", path); err != nil {
			b.Fatal(err)
		}
		s.cold = playToSound(b, s.p, s.c)
	})
	var total time.Duration
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		d := playToSound(b, s.p, s.c)
		total += d
		times = append(times, d)
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(s.cold.Microseconds())/1000, "cold-ms")
}

// playToSound stops, waits for the device to go quiet, then plays and
// returns how long the first sound took.
func playToSound(b *testing.B, p *Player, c *capture) time.Duration {
	b.StopTimer()
	if _, err := p.Stop(); err != nil {
		b.Fatal(err)
	}
	c.waitQuiet(b, 20*time.Millisecond, 5*time.Second)
	c.reset()
	b.StartTimer()
	start := time.Now()
	if _, err := p.Play(); err != nil {
		b.Fatal(err)
	}
	first := c.waitFirst(b, 5*time.Second)
	b.StopTimer()
	return first.Sub(start)
}

// BenchmarkStretch measures the time-stretch alone: x-realtime is seconds
// of speech-rate audio made per second of CPU, at 1.5×.
func BenchmarkStretch(b *testing.B) {
	const rate, seconds = beep.SampleRate(24000), 10.0
	buf := make([][2]float64, 512)
	b.ResetTimer()
	for range b.N {
		s := newStretcher(sine(180, rate, seconds), 1.5, rate)
		for {
			if _, ok := s.Stream(buf); !ok {
				break
			}
		}
	}
	perRun := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(seconds/1.5/perRun, "x-realtime")
}
