package player

import (
	"math"
	"testing"

	"github.com/gopxl/beep/v2"
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
