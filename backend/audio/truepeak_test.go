package audio

import (
	"fmt"
	"math"
	"testing"
)

// finePeak is an independent true-peak reference: 16x oversampling with
// the general resampler.
func finePeak(x []float32, rate int) float64 {
	up := Resample(Clip{SampleRate: rate, Samples: x}, rate*16)
	return 20 * math.Log10(float64(maxAbs(up.Samples)))
}

func TestInterpolatorFindsInterSamplePeaks(t *testing.T) {
	// A sine at fs/4 shifted by 1/8 cycle has every sample at 0.707 of its
	// peak: the sample peak reads 3 dB low, the true peak must not.
	const rate = 24000
	x := make([]float32, 2400)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*float64(i)/4+math.Pi/4))
	}
	fade(x, 240)
	m := newPeakMeter(newInterpolator())
	m.push(x)
	m.flush()
	// The interpolator errs high, by at most 0.15 dB below 0.4·fs.
	if got, want := m.dBTP(), 20*math.Log10(0.5); got < want-0.05 || got > want+0.15 {
		t.Errorf("true peak %.2f dBTP, want %.2f (+0.15/-0.05)", got, want)
	}
	// On speech-like audio the 4x estimate is within 0.2 dB of 16x.
	s := speechLike(rate, 3, 5)
	m = newPeakMeter(newInterpolator())
	m.push(s)
	m.flush()
	if got, want := m.dBTP(), finePeak(s, rate); math.Abs(got-want) > 0.2 {
		t.Errorf("speech: 4x peak %.2f dBTP, 16x peak %.2f dBTP", got, want)
	}
	padded := append(append(make([]float32, tpBefore), s...), make([]float32, tpAfter)...)
	if got := 20 * math.Log10(float64(newInterpolator().peak(padded))); math.Abs(got-m.dBTP()) > 1e-6 {
		t.Errorf("block peak %.4f, streaming meter %.4f", got, m.dBTP())
	}
}

func TestLimiter(t *testing.T) {
	const rate = 24000
	ip := newInterpolator()
	loud := speechLike(rate, 4, 9)
	for i := range loud {
		loud[i] *= 4 // peaks well above full scale
	}
	tests := map[string]struct {
		in      []float32
		ceiling float64
	}{
		"loud speech, -1.5 dBTP": {loud, -1.5},
		"loud speech, -6 dBTP":   {loud, -6},
		"tone bursts":            {append(fade(sine(rate, 3000, 6, 0.2), 120), fade(sine(rate, 150, 3, 0.3), 120)...), -1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := newLimiter(rate, tc.ceiling)
			out := l.flush(l.process(nil, tc.in, ip.intervalPeaks(tc.in, 0)))
			if len(out) != len(tc.in) {
				t.Fatalf("%d samples out for %d in", len(out), len(tc.in))
			}
			if p := finePeak(out, rate); p > tc.ceiling+0.1 {
				t.Errorf("true peak after limiting %.2f dBTP, ceiling %.1f", p, tc.ceiling)
			}
			// The limiter only turns down: each output sample is the input
			// sample times a gain in (0, 1].
			for i, v := range out {
				if math.Abs(float64(v)) > math.Abs(float64(tc.in[i]))+1e-6 || (tc.in[i] != 0 && v/tc.in[i] <= 0) {
					t.Fatalf("sample %d: %v in, %v out", i, tc.in[i], v)
				}
			}
		})
	}
}

// Below the ceiling the limiter is transparent and adds no delay.
func TestLimiterTransparentWhenQuiet(t *testing.T) {
	in := speechLike(24000, 2, 3) // peaks near -8 dBFS
	l := newLimiter(24000, -1)
	out := l.flush(l.process(nil, in, newInterpolator().intervalPeaks(in, 0)))
	for i := range in {
		if out[i] != in[i] {
			t.Fatalf("sample %d changed: %v → %v", i, in[i], out[i])
		}
	}
}

// Feeding the same audio in different chunk sizes gives the same output.
func TestLimiterStreaming(t *testing.T) {
	in := speechLike(24000, 2, 4)
	for i := range in {
		in[i] *= 3
	}
	peaks := newInterpolator().intervalPeaks(in, 0)
	ref := func() []float32 {
		l := newLimiter(24000, -1)
		return l.flush(l.process(nil, in, peaks))
	}()
	for _, chunk := range []int{1, 7, 100, 4096} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			l := newLimiter(24000, -1)
			var out []float32
			for s, p := in, peaks; len(s) > 0; {
				n := min(chunk, len(s))
				out = l.process(out, s[:n], p[:n])
				s, p = s[n:], p[n:]
			}
			out = l.flush(out)
			if len(out) != len(ref) {
				t.Fatalf("%d samples, want %d", len(out), len(ref))
			}
			for i := range ref {
				if out[i] != ref[i] {
					t.Fatalf("sample %d: %v, want %v", i, out[i], ref[i])
				}
			}
		})
	}
}

// The gain model predicts what the limiter does to loudness.
func TestLimitedLoudnessModel(t *testing.T) {
	const rate = 24000
	var x []float32
	for _, l := range espeakLines[:3] {
		x = append(x, Resample(espeak(t, l.voice, l.text), rate).Samples...)
		x = append(x, make([]float32, rate/3)...)
	}
	st := Analyze(Clip{SampleRate: rate, Samples: x})
	tl := newTimeline(st.Samples, st.BlockSamples)
	tl.add(st, 0)
	ceiling := -1.5
	for _, gainDB := range []float64{0, 4, 8} {
		g := float32(math.Pow(10, gainDB/20))
		y := make([]float32, len(x))
		for i := range x {
			y[i] = x[i] * g
		}
		l := newLimiter(rate, ceiling)
		actual := integratedOf(Clip{SampleRate: rate, Samples: l.flush(l.process(nil, y, newInterpolator().intervalPeaks(y, 0)))})
		predicted := limitedLoudness(tl, gainDB, math.Pow(10, ceiling/20), limiterRelease)
		if math.Abs(actual-predicted) > 0.25 {
			t.Errorf("gain %g dB: limited loudness %.2f LUFS, model %.2f", gainDB, actual, predicted)
		}
	}
}

// fade ramps the first and last n samples of x in and out, in place.
func fade(x []float32, n int) []float32 {
	for i := range n {
		g := float32(i) / float32(n)
		x[i] *= g
		x[len(x)-1-i] *= g
	}
	return x
}
