package audio

import (
	"math"
	"math/rand/v2"
)

// speechLike synthesises seconds of audio with speech's broad traits:
// syllables of 80–300 ms with a pitch contour and a few formant-like
// harmonics, fricative noise bursts, and pauses. Deterministic per seed.
func speechLike(rate int, seconds float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]float32, int(seconds*float64(rate)))
	dt := 1 / float64(rate)
	for i := 0; i < len(out); {
		if rng.Float64() < 0.15 { // pause
			i += int((0.05 + 0.25*rng.Float64()) * float64(rate))
			continue
		}
		n := int((0.08 + 0.22*rng.Float64()) * float64(rate))
		f0 := 90 + 140*rng.Float64()
		amp := 0.1 + 0.25*rng.Float64()
		noisy := rng.Float64() < 0.25
		phase := 0.0
		for k := 0; k < n && i+k < len(out); k++ {
			t := float64(k) / float64(n)
			env := math.Sin(math.Pi*t) * amp
			f := f0 * (1 + 0.15*math.Sin(2*math.Pi*t))
			phase += 2 * math.Pi * f * dt
			var v float64
			if noisy {
				v = (rng.Float64()*2 - 1) * 0.5
			} else {
				for h := 1; h <= 12; h++ {
					v += math.Sin(float64(h)*phase) / float64(h) * (1 + 2*math.Exp(-math.Abs(float64(h*int(f0))-700)/300))
				}
				v *= 0.35
			}
			out[i+k] += float32(env * v)
		}
		i += n
	}
	return out
}
