package audio

import "math"

// lowpass is a 4th-order Butterworth low-pass (two biquads) applied before
// the limiter. Content close to the Nyquist frequency has inter-sample
// peaks that a short 4x interpolator underestimates and that other meters
// (ffmpeg resamples to 48 kHz first) overestimate; removing it, together
// with whatever the MP3 encoder's own low-pass would remove, makes the
// limiter see the waveform listeners get.
type lowpass struct {
	st [2]biquad
}

type biquad struct {
	b0, b1, b2, a1, a2 float64
	s1, s2             float64
}

// maxLowpass is the highest cutoff, as a fraction of the sample rate,
// where the 4x true-peak interpolator is still flat.
const maxLowpass = 0.42

func newLowpass(rate int, cutoff float64) *lowpass {
	lp := &lowpass{}
	k := math.Tan(math.Pi * cutoff / float64(rate))
	for i, q := range []float64{0.5411961001461969, 1.3065629648763766} { // 1/(2cos(π/8)), 1/(2cos(3π/8))
		norm := 1 / (1 + k/q + k*k)
		b0 := k * k * norm
		lp.st[i] = biquad{b0: b0, b1: 2 * b0, b2: b0, a1: 2 * (k*k - 1) * norm, a2: (1 - k/q + k*k) * norm}
	}
	return lp
}

// process filters x in place.
func (lp *lowpass) process(x []float32) {
	for i := range lp.st {
		f := &lp.st[i]
		b0, b1, b2, a1, a2, s1, s2 := f.b0, f.b1, f.b2, f.a1, f.a2, f.s1, f.s2
		for j, v := range x {
			in := float64(v)
			y := b0*in + s1
			s1 = b1*in - a1*y + s2
			s2 = b2*in - a2*y
			x[j] = float32(y)
		}
		if math.Abs(s1) < 1e-30 && math.Abs(s2) < 1e-30 {
			s1, s2 = 0, 0 // no denormals through long silences
		}
		f.s1, f.s2 = s1, s2
	}
}
