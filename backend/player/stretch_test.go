package player

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/wav"
)

// sine streams seconds of a tone of amplitude 0.5.
func sine(freq float64, rate beep.SampleRate, seconds float64) beep.Streamer {
	total, i := rate.N(secondsDuration(seconds)), 0
	return beep.StreamerFunc(func(samples [][2]float64) (int, bool) {
		n := 0
		for ; n < len(samples) && i < total; n, i = n+1, i+1 {
			v := 0.5 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
			samples[n] = [2]float64{v, v}
		}
		return n, n > 0
	})
}

func drain(s beep.Streamer) [][2]float64 {
	var out [][2]float64
	buf := make([][2]float64, 777) // not a multiple of the hop, on purpose
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			return out
		}
	}
}

func TestStretchKeepsPitchAndScalesLength(t *testing.T) {
	const rate = beep.SampleRate(24000)
	tests := map[string]struct {
		speed, freq float64
	}{
		"half speed":        {0.5, 440},
		"three quarters":    {0.75, 220},
		"a quarter faster":  {1.25, 440},
		"one and a half":    {1.5, 880},
		"double speed":      {2, 440},
		"double, low voice": {2, 110},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			const seconds = 2.0
			out := drain(newStretcher(sine(tc.freq, rate, seconds), tc.speed, rate))

			got := float64(len(out)) / float64(rate)
			want := seconds / tc.speed
			if math.Abs(got-want) > 0.04 {
				t.Errorf("length %.3f s, want %.3f s", got, want)
			}

			mid := make([]float64, 0, len(out))
			for _, f := range out[len(out)/10 : len(out)*9/10] {
				mid = append(mid, f[0])
			}
			if f := frequency(mid, int(rate)); math.Abs(f-tc.freq)/tc.freq > 0.02 {
				t.Errorf("pitch %.1f Hz, want %.0f Hz", f, tc.freq)
			}

			// Frames joined in phase keep the level steady: no dips where
			// they cross-fade.
			win := int(rate) / 100
			want0 := 0.5 / math.Sqrt2
			for i := 0; i+win <= len(mid); i += win {
				var sum float64
				for _, v := range mid[i : i+win] {
					sum += v * v
				}
				if rms := math.Sqrt(sum / float64(win)); math.Abs(rms-want0)/want0 > 0.1 {
					t.Fatalf("level %.3f at %.3f s, want %.3f ±10%%", rms, float64(i)/float64(rate), want0)
				}
			}
		})
	}
}

func TestStretchShortAndEmptyInput(t *testing.T) {
	const rate = beep.SampleRate(24000)
	tests := map[string]struct {
		seconds float64
		speed   float64
	}{
		"empty":             {0, 2},
		"shorter than hop":  {0.005, 0.5},
		"one frame, faster": {0.03, 2},
		"one frame, slower": {0.03, 0.5},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStretcher(sine(440, rate, tc.seconds), tc.speed, rate)
			out := drain(s)
			in := rate.N(secondsDuration(tc.seconds))
			if in == 0 && len(out) != 0 {
				t.Fatalf("empty input gave %d samples", len(out))
			}
			// Start and end are padded by at most one frame.
			if want := float64(in) / tc.speed; math.Abs(float64(len(out))-want) > float64(s.n) {
				t.Errorf("%d samples out of %d at %gx, want about %.0f", len(out), in, tc.speed, want)
			}
			if n, ok := s.Stream(make([][2]float64, 10)); n != 0 || ok {
				t.Errorf("drained stretcher streamed %d, %v", n, ok)
			}
		})
	}
}

func TestStretchSpeech(t *testing.T) {
	t.Parallel()
	wavPath := filepath.Join(t.TempDir(), "speech.wav")
	text := "Welcome back to the show. Today we talk about how podcasts are made, from the first script to the final mix."
	if out, err := exec.Command("espeak-ng", "-w", wavPath, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v\n%s", err, out)
	}
	f, err := os.Open(wavPath)
	if err != nil {
		t.Fatal(err)
	}
	dec, format, err := wav.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	in := drain(dec)
	rms := func(x [][2]float64) float64 {
		var sum float64
		for _, f := range x {
			sum += f[0] * f[0]
		}
		return math.Sqrt(sum / float64(len(x)))
	}

	for _, speed := range []float64{0.5, 0.8, 1.5, 2} {
		out := drain(newStretcher(&frames{s: in}, speed, format.SampleRate))
		want := float64(len(in)) / speed
		if got := float64(len(out)); math.Abs(got-want) > float64(format.SampleRate.N(30*time.Millisecond)) {
			t.Errorf("%gx: %d samples, want about %.0f", speed, len(out), want)
		}
		// Frames joined out of phase cancel: plain overlap-add loses about
		// 15% of the level here, WSOLA under 5%.
		if r, w := rms(out), rms(in); math.Abs(r-w)/w > 0.08 {
			t.Errorf("%gx: level %.4f, the speech's is %.4f", speed, r, w)
		}
		for i, f := range out {
			if math.Abs(f[0]) > 1 {
				t.Fatalf("%gx: sample %d is %v, out of range", speed, i, f[0])
			}
		}
	}
}

// frames streams a slice.
type frames struct{ s [][2]float64 }

func (f *frames) Stream(samples [][2]float64) (int, bool) {
	n := copy(samples, f.s)
	f.s = f.s[n:]
	return n, n > 0
}

func (f *frames) Err() error { return nil }
