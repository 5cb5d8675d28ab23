package player

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/audio"
)

// The captions are computed from exact sample offsets before encoding; these
// tests hold the player's timeline against them on files mastered as
// production masters them (libmp3lame with its Info tag, an ID3 tag first).

// onsetTolerance is how far the transcript may be from the sound.
const onsetTolerance = 0.010

// masteredTones is a podcast of three "lines", tones of 440, 880 and 660 Hz
// that start at full amplitude, mastered by audio.Master at rate.
type masteredTones struct {
	path   string
	rate   int
	starts []float64 // each line's start, from the captions, in seconds
	ends   []float64
	length float64 // seconds, as the library records it
}

var (
	masteredMu sync.Mutex
	mastered   = map[int]*masteredTones{}
)

func masterTones(t testing.TB, rate int) *masteredTones {
	t.Helper()
	masteredMu.Lock()
	defer masteredMu.Unlock()
	if m := mastered[rate]; m != nil {
		return m
	}
	dir := filepath.Join(fixtureDir, fmt.Sprintf("mastered-%d", rate))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var segs []audio.Segment
	for i, hz := range []float64{440, 880, 660} {
		clip := audio.Clip{SampleRate: rate, Samples: make([]float32, rate*3/10)}
		for j := range clip.Samples {
			// A cosine: the line is loud from its first sample.
			clip.Samples[j] = float32(0.5 * math.Cos(2*math.Pi*hz*float64(j)/float64(rate)))
		}
		var wav bytes.Buffer
		if err := audio.WriteWAV(&wav, clip); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("line%d.wav", i))
		if err := os.WriteFile(path, wav.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		segs = append(segs, audio.Segment{Speaker: "Ada", Text: fmt.Sprint(hz), Stats: audio.Analyze(clip),
			Open: func() (io.ReadCloser, error) { return os.Open(path) }})
	}
	opt := audio.DefaultOptions()
	opt.SampleRate = rate
	path := filepath.Join(dir, "podcast.mp3")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := audio.Master(context.Background(), segs, []string{"Tones"}, audio.Tags{Title: "Tones"}, opt, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("master: %v", err)
	}
	m := &masteredTones{path: path, rate: rate, length: res.Duration}
	for _, c := range res.Cues {
		m.starts = append(m.starts, float64(c.Start)/float64(rate))
		m.ends = append(m.ends, float64(c.End)/float64(rate))
	}
	mastered[rate] = m
	return m
}

// onsets returns, in seconds from the first of samples, where each tone
// begins: the first millisecond whose peak passes half the tones' peak after
// at least 50 ms below a tenth of it (the gap between lines).
func onsets(samples []float64, rate int) []float64 {
	block := rate / 1000
	var peak float64
	for _, v := range samples {
		peak = max(peak, math.Abs(v))
	}
	var found []float64
	quiet := 0
	for i := 0; i+block <= len(samples); i += block {
		var m float64
		for _, v := range samples[i : i+block] {
			m = max(m, math.Abs(v))
		}
		switch {
		case m < peak/10:
			quiet++
		case m > peak/2 && quiet >= 50:
			// Within the block, the first sample past half the peak.
			j := i
			for math.Abs(samples[j]) <= peak/2 {
				j++
			}
			found = append(found, float64(j)/float64(rate))
			quiet = 0
		default:
			quiet = 0
		}
	}
	return found
}

func checkOnsets(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("heard tones start at %v s, want %v s", got, want)
	}
	for i := range got {
		d := got[i] - want[i]
		t.Logf("line %d: heard at %.4f s, caption at %.4f s (%+.2f ms)", i, got[i], want[i], d*1000)
		if math.Abs(d) > onsetTolerance {
			t.Errorf("line %d sounds at %.4f s, its caption starts at %.4f s (%+.1f ms)", i, got[i], want[i], d*1000)
		}
	}
}

// channel is the left channel of frames, silence included.
func channel(frames [][2]float64) []float64 {
	out := make([]float64, len(frames))
	for i, f := range frames {
		out[i] = f[0]
	}
	return out
}

func TestPositionAgreesWithTheCaptions(t *testing.T) {
	t.Parallel()
	for _, rate := range []int{24000, 44100} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			t.Parallel()
			m := masterTones(t, rate)
			p, out, rec := newFakePlayer(t)
			st := mustLoad(t, p, m.path)
			if math.Abs(st.Duration-m.length) > 0.5/float64(rate) {
				t.Errorf("duration %.5f s, the library records %.5f s", st.Duration, m.length)
			}
			if _, err := p.Play(); err != nil {
				t.Fatal(err)
			}
			// The device takes a millisecond at a time; the position is where
			// the samples it took end, and a line sounds from where its
			// caption starts.
			block := rate / 1000
			for taken := 0; out.pull(block); {
				taken += block
				if pos, want := p.Status().Position, min(float64(taken)/float64(rate), st.Duration); math.Abs(pos-want) > 1e-9 {
					t.Fatalf("position %.6f s after the device took %.6f s", pos, want)
				}
			}
			rec.waitState(t, 5*time.Second, StateEnded)
			checkOnsets(t, onsets(channel(out.samples()), rate), m.starts)
		})
	}
}

func TestSeekToACaptionPlaysItsLine(t *testing.T) {
	t.Parallel()
	m := masterTones(t, 24000)
	for i, start := range m.starts {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			p, out, rec := newFakePlayer(t)
			mustLoad(t, p, m.path)
			// 80 ms before the line: the end of the gap, then the line.
			from := start - 0.08
			if st, err := p.Seek(from); err != nil || st.Position != from {
				t.Fatalf("seek: %+v, %v", st, err)
			}
			if _, err := p.Play(); err != nil {
				t.Fatal(err)
			}
			out.pullAll(t)
			rec.waitState(t, 5*time.Second, StateEnded)
			heard := onsets(channel(out.samples()), m.rate)
			for k := range heard {
				heard[k] += from
			}
			checkOnsets(t, heard, m.starts[i:])
		})
	}
}
