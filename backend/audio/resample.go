package audio

import "math"

// Resampler design. A polyphase Kaiser-windowed sinc: 32 taps per phase
// when upsampling (more when downsampling, to keep the same number of
// zero crossings of the narrower low-pass), about 70 dB of stopband, and a
// cutoff that puts the stopband edge at the lower Nyquist frequency so no
// image or alias lands inside the output band.
const (
	resampleZeroCrossings = 16
	resampleBeta          = 7.0
	resampleCutoff        = 0.9
	// maxPhases bounds the coefficient table. Ratios whose reduced
	// numerator exceeds it (rare rates such as 22050→24001) round the
	// phase to the nearest of maxPhases, a timing error of 1/8192 sample.
	maxPhases = 4096
)

// Resample converts c to rate Hz. Common rate pairs (22050→24000,
// 24000→44100, 16000→24000, 48000→24000) use an exact polyphase ratio. A
// clip already at rate, or with a non-positive rate on either side, is
// returned unchanged; the result never aliases c otherwise.
func Resample(c Clip, rate int) Clip {
	if c.SampleRate == rate || c.SampleRate <= 0 || rate <= 0 {
		return c
	}
	if len(c.Samples) == 0 {
		return Clip{SampleRate: rate}
	}
	r := newResampler(c.SampleRate, rate)
	return Clip{SampleRate: rate, Samples: r.run(c.Samples)}
}

// resampler holds one ratio's polyphase table: output sample n sits at
// input position n·down/up.
type resampler struct {
	up, down int
	phases   int // rows in coef: up, or maxPhases when up is larger
	taps     int // coefficients per row, even
	coef     []float32
}

func newResampler(in, out int) *resampler {
	g := gcd(in, out)
	r := &resampler{up: out / g, down: in / g}
	ratio := min(1, float64(out)/float64(in))
	fc := resampleCutoff * ratio // cutoff relative to the input Nyquist frequency
	half := int(math.Ceil(resampleZeroCrossings / ratio))
	r.taps = 2 * half
	r.phases = min(r.up, maxPhases)
	r.coef = make([]float32, r.phases*r.taps)
	v := make([]float64, r.taps)
	for p := 0; p < r.phases; p++ {
		frac := float64(p) / float64(r.phases)
		row := r.coef[p*r.taps : (p+1)*r.taps]
		var sum float64
		for k := range row {
			// tap k multiplies input sample i + k - (half-1), at distance d
			d := frac - float64(k-(half-1))
			w := kaiser(d/float64(half), resampleBeta)
			v[k] = fc * sinc(fc*d) * w
			sum += v[k]
		}
		for k := range row {
			row[k] = float32(v[k] / sum) // unity gain at DC for every phase
		}
	}
	return r
}

// run resamples x: the output has ceil(len(x)·up/down) samples, aligned
// so that output time 0 is input time 0 (no filter delay).
func (r *resampler) run(x []float32) []float32 {
	half := r.taps / 2
	// xp[k+half] = x[k], with zeros either side for the filter's reach.
	xp := make([]float32, len(x)+r.taps+1)
	copy(xp[half:], x)
	n := (int64(len(x))*int64(r.up) + int64(r.down) - 1) / int64(r.down)
	y := make([]float32, n)
	up, down := int64(r.up), int64(r.down)
	exact := r.phases == r.up
	var i, phase int64 // input index and numerator of the fraction, phase < up
	for o := range y {
		p := phase
		base := i
		if !exact {
			p = (phase*int64(r.phases) + up/2) / up
			if p == int64(r.phases) {
				p, base = 0, base+1
			}
		}
		row := r.coef[int(p)*r.taps : int(p+1)*r.taps]
		y[o] = dot(row, xp[base+1:base+1+int64(r.taps)])
		phase += down
		i += phase / up
		phase %= up
	}
	return y
}

// dot is the filter's inner loop; b must be at least as long as a.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for ; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window at t in [-1, 1] (zero outside).
func kaiser(t, beta float64) float64 {
	if t <= -1 || t >= 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-t*t)) / besselI0(beta)
}

// besselI0 is the modified Bessel function of the first kind, order zero.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
