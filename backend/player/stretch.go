package player

import (
	"math"
	"time"

	"github.com/gopxl/beep/v2"
)

// WSOLA (waveform-similarity overlap-add) parameters, chosen for speech:
// frames long enough to hold a couple of voice periods, a search range wide
// enough to find the matching period of a low voice.
const (
	stretchFrame     = 30 * time.Millisecond
	stretchTolerance = 8 * time.Millisecond
)

// stretcher plays src faster or slower without changing its pitch.
//
// Output frames of length n are laid hop = n/2 apart and cross-faded with a
// Hann window (whose half-overlapped copies sum to one). Frame k is cut from
// the input near k*hop*speed; the exact cut, within ±tol, is where the input
// best matches the natural continuation of the previous frame, so the
// cross-fades join waveforms in phase instead of smearing them.
type stretcher struct {
	src   beep.Streamer
	speed float64
	n     int
	hop   int
	tol   int
	win   []float64

	in    [][2]float64 // input samples, silence past the end; in[0] is sample number base
	mono  []float64    // in, summed to one channel, for the matching
	base  int
	end   int // number of input samples, once src is drained; -1 before
	chunk [][2]float64

	ana  float64 // where the next frame would be cut without alignment
	prev int     // where the previous frame was cut; -1 before the first

	acc  [][2]float64 // overlap-add accumulator, n samples
	out  [][2]float64 // finished samples not yet streamed
	off  int
	done bool
}

func newStretcher(src beep.Streamer, speed float64, rate beep.SampleRate) *stretcher {
	n := max(rate.N(stretchFrame)/2*2, 16)
	s := &stretcher{
		src:   src,
		speed: speed,
		n:     n,
		hop:   n / 2,
		tol:   max(rate.N(stretchTolerance), 1),
		win:   make([]float64, n),
		acc:   make([][2]float64, n),
		chunk: make([][2]float64, 512),
		prev:  -1,
		end:   -1,
	}
	for i := range s.win {
		s.win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return s
}

func (s *stretcher) Stream(samples [][2]float64) (int, bool) {
	filled := 0
	for filled < len(samples) {
		if s.off == len(s.out) {
			if s.done {
				break
			}
			s.out, s.off = s.out[:0], 0
			s.step()
			continue
		}
		k := copy(samples[filled:], s.out[s.off:])
		s.off += k
		filled += k
	}
	return filled, filled > 0
}

func (s *stretcher) Err() error {
	return s.src.Err()
}

// step cuts and adds one frame, making hop more output samples, or flushes
// the last frame's tail once the input is used up.
func (s *stretcher) step() {
	a := int(math.Round(s.ana))
	need := a + s.tol + s.n
	if s.prev >= 0 {
		need = max(need, s.prev+s.hop+s.n)
	}
	s.fill(need)
	if s.end >= 0 && a >= s.end {
		if s.prev >= 0 {
			s.out = append(s.out, s.acc[:s.n-s.hop]...)
		}
		s.done = true
		return
	}

	cut := a
	if s.prev >= 0 {
		cut = s.bestMatch(a, s.prev+s.hop)
	}
	for i := range s.n {
		w := s.win[i]
		if s.prev < 0 && i < s.hop {
			w = 1 // nothing to cross-fade with: start at full level
		}
		x := s.in[cut-s.base+i]
		s.acc[i][0] += w * x[0]
		s.acc[i][1] += w * x[1]
	}
	s.out = append(s.out, s.acc[:s.hop]...)
	copy(s.acc, s.acc[s.hop:])
	clear(s.acc[s.n-s.hop:])

	s.prev = cut
	s.ana += float64(s.hop) * s.speed
	s.trim(min(int(math.Round(s.ana))-s.tol, s.prev+s.hop))
}

// bestMatch returns the cut within tol of a whose samples correlate best,
// normalised by their energy, with the n samples starting at target. It
// searches every other cut on every fourth sample (6 kHz is plenty to compare
// voices), then the neighbours of the best on every sample.
func (s *stretcher) bestMatch(a, target int) int {
	lo, hi := max(a-s.tol, s.base), a+s.tol
	best := s.searchMatch(lo, hi, 2, 4, target)
	return s.searchMatch(max(best-1, lo), min(best+1, hi), 1, 1, target)
}

func (s *stretcher) searchMatch(lo, hi, step, stride, target int) int {
	want := s.mono[target-s.base:][:s.n]
	best, bestScore := lo, math.Inf(-1)
	for c := lo; c <= hi; c += step {
		cand := s.mono[c-s.base:][:s.n]
		var dot, energy float64
		for i := 0; i < len(cand); i += stride {
			x := cand[i]
			dot += x * want[i]
			energy += x * x
		}
		score := 0.0
		if energy > 0 {
			score = dot / math.Sqrt(energy)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// fill holds input up to sample number upto, padding with silence past the
// end of src so that frames near the end can be cut like any other.
func (s *stretcher) fill(upto int) {
	for s.base+len(s.in) < upto {
		if s.end >= 0 {
			s.in = append(s.in, [2]float64{})
			s.mono = append(s.mono, 0)
			continue
		}
		n, ok := s.src.Stream(s.chunk)
		for _, x := range s.chunk[:n] {
			s.in = append(s.in, x)
			s.mono = append(s.mono, x[0]+x[1])
		}
		if !ok || n == 0 {
			s.end = s.base + len(s.in)
		}
	}
}

// trim forgets input before sample number from.
func (s *stretcher) trim(from int) {
	drop := min(from-s.base, len(s.in))
	if drop <= 0 {
		return
	}
	s.in = append(s.in[:0], s.in[drop:]...)
	s.mono = append(s.mono[:0], s.mono[drop:]...)
	s.base += drop
}
