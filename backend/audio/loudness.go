package audio

import "math"

// ITU-R BS.1770-4 constants.
const (
	subBlockSeconds = 0.1 // gating blocks are 400 ms with 75 % overlap: 4 sub-blocks of 100 ms
	absoluteGate    = -70 // LUFS
	relativeGate    = -10 // LU below the absolutely gated loudness
	loudnessOffset  = -0.691
)

// SegmentStats is the loudness analysis of one clip, computed once when the
// line is synthesised and cached beside its audio, so that mastering can
// measure a whole podcast without decoding it. It is JSON-serialisable.
type SegmentStats struct {
	SampleRate int   `json:"sampleRate"`
	Samples    int64 `json:"samples"`
	// BlockSamples is the length of a 100 ms sub-block at SampleRate.
	BlockSamples int `json:"blockSamples"`
	// Power holds the K-weighted mean square of each consecutive sub-block;
	// the last one covers what remains (Samples mod BlockSamples, when
	// non-zero) and is the mean over that shorter span.
	Power []float64 `json:"power"`
	// TruePeak holds each sub-block's true peak (4x oversampled, linear),
	// which lets mastering predict what the limiter will take away.
	TruePeak []float64 `json:"truePeak"`
}

// Analyze measures c for mastering: K-weighted power and true peak per
// 100 ms sub-block (BS.1770-4) and length. The filter starts from silence,
// as it does after the gap that precedes every segment in a podcast.
func Analyze(c Clip) SegmentStats {
	st := SegmentStats{SampleRate: c.SampleRate, Samples: int64(len(c.Samples))}
	if c.SampleRate <= 0 {
		return st
	}
	st.BlockSamples = blockSamples(c.SampleRate)
	blocks := (len(c.Samples) + st.BlockSamples - 1) / st.BlockSamples
	st.Power = make([]float64, 0, blocks)
	st.TruePeak = make([]float64, 0, blocks)
	kw := newKWeighting(c.SampleRate)
	ip := newInterpolator()
	// padded[i+tpBefore] = c.Samples[i], silence around it
	padded := make([]float32, len(c.Samples)+tpTaps)
	copy(padded[tpBefore:], c.Samples)
	for start := 0; start < len(c.Samples); start += st.BlockSamples {
		end := min(len(c.Samples), start+st.BlockSamples)
		st.Power = append(st.Power, kw.sumSquares(c.Samples[start:end])/float64(end-start))
		st.TruePeak = append(st.TruePeak, float64(ip.peak(padded[start:end+tpTaps-1])))
	}
	return st
}

func blockSamples(rate int) int {
	return max(1, int(math.Round(float64(rate)*subBlockSeconds)))
}

// kWeighting is the BS.1770 pre-filter (high shelf) followed by the RLB
// high-pass, as two biquads. Coefficients are derived for any sample rate
// from the analogue prototypes the standard's 48 kHz values come from (the
// method libebur128 uses), so 24 and 44.1 kHz are measured directly.
type kWeighting struct {
	b0, b1, b2, a1, a2 float64 // shelf
	c0, c1, c2, d1, d2 float64 // high-pass
	s1, s2, t1, t2     float64 // transposed direct form II states
}

func newKWeighting(rate int) *kWeighting {
	fs := float64(rate)
	k := &kWeighting{}

	f0, g, q := 1681.974450955533, 3.999843853973347, 0.7071752369554196
	kk := math.Tan(math.Pi * f0 / fs)
	vh := math.Pow(10, g/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + kk/q + kk*kk
	k.b0 = (vh + vb*kk/q + kk*kk) / a0
	k.b1 = 2 * (kk*kk - vh) / a0
	k.b2 = (vh - vb*kk/q + kk*kk) / a0
	k.a1 = 2 * (kk*kk - 1) / a0
	k.a2 = (1 - kk/q + kk*kk) / a0

	f0, q = 38.13547087602444, 0.5003270373238773
	kk = math.Tan(math.Pi * f0 / fs)
	a0 = 1 + kk/q + kk*kk
	k.c0, k.c1, k.c2 = 1, -2, 1
	k.d1 = 2 * (kk*kk - 1) / a0
	k.d2 = (1 - kk/q + kk*kk) / a0
	return k
}

// sumSquares filters x (continuing from the previous call) and returns the
// sum of the squared output.
func (k *kWeighting) sumSquares(x []float32) float64 {
	b0, b1, b2, a1, a2 := k.b0, k.b1, k.b2, k.a1, k.a2
	c1, d1, d2 := k.c1, k.d1, k.d2
	s1, s2, t1, t2 := k.s1, k.s2, k.t1, k.t2
	var sum float64
	for _, v := range x {
		in := float64(v)
		y := b0*in + s1
		s1 = b1*in - a1*y + s2
		s2 = b2*in - a2*y
		z := y + t1 // c0 = c2 = 1
		t1 = c1*y - d1*z + t2
		t2 = y - d2*z
		sum += z * z
	}
	// Denormals after long silence would slow the loop down for nothing.
	const tiny = 1e-30
	if math.Abs(s1) < tiny && math.Abs(s2) < tiny && math.Abs(t1) < tiny && math.Abs(t2) < tiny {
		s1, s2, t1, t2 = 0, 0, 0, 0
	}
	k.s1, k.s2, k.t1, k.t2 = s1, s2, t1, t2
	return sum
}

// gatedLoudness returns the BS.1770-4 integrated loudness of a signal
// given as energy (sum of K-weighted squares) per sub-block of n samples:
// 400 ms blocks stepping 100 ms, an absolute gate at -70 LUFS and a
// relative gate 10 LU below. It returns -Inf when no block passes the
// absolute gate.
func gatedLoudness(energy []float64, n int) float64 {
	if len(energy) < 4 || n <= 0 {
		return math.Inf(-1)
	}
	blocks := make([]float64, 0, len(energy)-3)
	absPower := loudnessToPower(absoluteGate)
	var sum float64
	for i := 0; i+4 <= len(energy); i++ {
		p := (energy[i] + energy[i+1] + energy[i+2] + energy[i+3]) / float64(4*n)
		if p > absPower {
			blocks = append(blocks, p)
			sum += p
		}
	}
	if len(blocks) == 0 {
		return math.Inf(-1)
	}
	relPower := loudnessToPower(powerToLoudness(sum/float64(len(blocks))) + relativeGate)
	var gated float64
	var count int
	for _, p := range blocks {
		if p > relPower {
			gated += p
			count++
		}
	}
	return powerToLoudness(gated / float64(count))
}

func powerToLoudness(p float64) float64 { return loudnessOffset + 10*math.Log10(p) }
func loudnessToPower(l float64) float64 { return math.Pow(10, (l-loudnessOffset)/10) }

// timeline lays segments' sub-block powers onto one grid of sub-blocks
// starting at sample 0, for measuring the concatenation without decoding
// it. A source sub-block that straddles grid cells is split in proportion
// to the overlap, which is exact for the sum and within a few hundredths
// of a LU for the gated result; its true peak counts in every cell it
// touches.
type timeline struct {
	n      int       // samples per grid cell
	energy []float64 // per grid cell
	peak   []float64 // per grid cell
}

func newTimeline(totalSamples int64, n int) *timeline {
	cells := totalSamples / int64(n)
	return &timeline{n: n, energy: make([]float64, cells), peak: make([]float64, cells)}
}

// add places st starting at sample offset start.
func (t *timeline) add(st SegmentStats, start int64) {
	pos := start
	for i, p := range st.Power {
		length := int64(st.BlockSamples)
		if i == len(st.Power)-1 {
			length = st.Samples - int64(i)*int64(st.BlockSamples)
		}
		t.spread(pos, length, p, st.TruePeak[i])
		pos += length
	}
}

// spread adds power p and a true peak over samples [pos, pos+length) to the grid; cells
// beyond the last whole one are dropped, as BS.1770 measures whole blocks.
func (t *timeline) spread(pos, length int64, p, peak float64) {
	n := int64(t.n)
	for length > 0 {
		cell := pos / n
		if cell >= int64(len(t.energy)) {
			return
		}
		take := min(length, (cell+1)*n-pos)
		t.energy[cell] += p * float64(take)
		t.peak[cell] = max(t.peak[cell], peak)
		pos += take
		length -= take
	}
}
