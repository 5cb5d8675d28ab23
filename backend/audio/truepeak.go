package audio

import "math"

// True peak is estimated as BS.1770-4 Annex 2 describes: oversample 4x
// and take the largest absolute value. The interpolator is a 12-tap
// Kaiser-windowed sinc per phase; phase 0 is the sample itself, so only
// the three fractional phases cost arithmetic.
const (
	tpTaps   = 12 // input samples x[n-5] … x[n+6] around the interval (n, n+1)
	tpBefore = 5
	tpAfter  = tpTaps - tpBefore - 1
)

type interpolator struct {
	coef [3][tpTaps]float32
	// gain is the largest sum of absolute coefficients of a phase: no
	// interpolated value can exceed gain × the window's largest |x|.
	gain float32
}

func newInterpolator() *interpolator {
	ip := &interpolator{}
	for p := range ip.coef {
		f := float64(p+1) / 4
		var sum float64
		var v [tpTaps]float64
		for k := range v {
			d := f - float64(k-tpBefore)
			// β and width chosen for a flat response: within +0.14/-0.04 dB
			// up to 0.4·fs, erring high rather than low.
			v[k] = sinc(d) * kaiser(d/7, 5)
			sum += v[k]
		}
		var abs float32
		for k := range v {
			ip.coef[p][k] = float32(v[k] / sum)
			abs += float32(math.Abs(v[k] / sum))
		}
		ip.gain = max(ip.gain, abs)
	}
	return ip
}

// between returns the largest absolute interpolated value strictly inside
// (x[n], x[n+1]), given w = x[n-5 … n+6].
func (ip *interpolator) between(w []float32) float32 {
	w = w[:tpTaps]
	var m float32
	for p := range ip.coef {
		c := &ip.coef[p]
		v := (c[0]*w[0] + c[1]*w[1] + c[2]*w[2] + c[3]*w[3]) +
			(c[4]*w[4] + c[5]*w[5] + c[6]*w[6] + c[7]*w[7]) +
			(c[8]*w[8] + c[9]*w[9] + c[10]*w[10] + c[11]*w[11])
		if v < 0 {
			v = -v
		}
		m = max(m, v)
	}
	return m
}

// peak returns the true peak of the samples x[tpBefore : len(x)-tpAfter],
// the samples around them giving the interpolation its context. Only
// windows holding a sample above peak/gain can raise the sample peak, so
// the others are skipped: in speech that is most of them.
func (ip *interpolator) peak(x []float32) float32 {
	var m float32
	for _, v := range x[tpBefore : len(x)-tpAfter] {
		m = max(m, v, -v)
	}
	threshold := m / ip.gain
	hot := -1 // the last interval whose window holds a sample above threshold
	for j, v := range x {
		if v > threshold || -v > threshold {
			hot = j + tpBefore
		}
		// interval i's window x[i-tpBefore … i+tpAfter] is complete at j
		if i := j - tpAfter; i >= tpBefore && i <= hot {
			m = max(m, ip.between(x[i-tpBefore:]))
		}
	}
	return m
}

// history is a ring of recent samples stored twice over, so that any
// window of up to len/2 samples ending at the newest is one contiguous slice.
type history struct {
	buf  []float32
	mask int64
	t    int64 // samples pushed so far
}

func newHistory(minLen int) *history {
	size := 1
	for size < minLen {
		size <<= 1
	}
	return &history{buf: make([]float32, 2*size), mask: int64(size - 1)}
}

func (h *history) push(v float32) {
	i := h.t & h.mask
	h.buf[i] = v
	h.buf[i+h.mask+1] = v
	h.t++
}

// window returns the n samples ending with the newest one.
func (h *history) window(n int) []float32 {
	start := (h.t - int64(n)) & h.mask
	return h.buf[start : start+int64(n)]
}

// peakMeter measures the true peak of a stream.
type peakMeter struct {
	ip   *interpolator
	h    *history
	peak float32
	hot  int64 // windows ending at or before this push may hold a new maximum
}

func newPeakMeter(ip *interpolator) *peakMeter {
	return &peakMeter{ip: ip, h: newHistory(tpTaps), hot: -1}
}

func (m *peakMeter) push(x []float32) {
	for _, v := range x {
		a := v
		if a < 0 {
			a = -a
		}
		m.h.push(v)
		if a > m.peak {
			m.peak = a
		}
		// A window can only beat the current peak if one of its samples
		// exceeds peak/gain; skip the interpolation otherwise.
		if a*m.ip.gain > m.peak {
			m.hot = m.h.t + tpTaps
		}
		if m.h.t <= m.hot {
			m.peak = max(m.peak, m.ip.between(m.h.window(tpTaps)))
		}
	}
}

// flush accounts for the intervals near the end of the stream.
func (m *peakMeter) flush() {
	var zeros [tpAfter]float32
	m.push(zeros[:])
}

// dBTP returns the measured true peak in dB (-Inf for silence).
func (m *peakMeter) dBTP() float64 { return 20 * math.Log10(float64(m.peak)) }

// limiter is a look-ahead true-peak limiter working from precomputed
// peaks: with each sample it takes the true peak of the interval that
// follows it (Prepare oversamples in the synthesis workers, so the limiter
// itself only compares and multiplies), turns it into the gain that would
// bring that peak to the ceiling, holds the minimum over the look-ahead
// window, releases exponentially, and smooths with a moving average as long
// as the look-ahead, so the gain reaches its target before the peak arrives
// with no step in between. Output equals input delayed by look-1 samples;
// the limiter hides that delay (the first outputs are dropped and flush
// feeds the tail), so output and input have the same length and alignment.
type limiter struct {
	ceiling float32
	look    int
	decay   float32 // release: per-sample factor

	t     int64     // samples pushed so far
	delay []float32 // the last look samples, by t mod look

	// sliding minimum of the requested gain over look+1 intervals
	dqIdx  []int64
	dqVal  []float32
	dqHead int
	dqLen  int

	env    float32
	box    []float32
	boxPos int
	boxSum float64
}

// Limiter timing: 5 ms look-ahead (the attack ramp), 100 ms release.
const (
	limiterLookahead = 0.005
	limiterRelease   = 0.1
)

func newLimiter(rate int, ceilingDB float64) *limiter {
	look := max(1, int(limiterLookahead*float64(rate)))
	l := &limiter{
		ceiling: float32(math.Pow(10, ceilingDB/20)),
		look:    look,
		decay:   float32(math.Exp(-1 / (limiterRelease * float64(rate)))),
		delay:   make([]float32, look),
		dqIdx:   make([]int64, look+2),
		dqVal:   make([]float32, look+2),
		env:     1,
		box:     make([]float32, look),
		boxSum:  float64(look),
	}
	for i := range l.box {
		l.box[i] = 1
	}
	return l
}

// process appends the limited signal for x to dst; peaks[i] is the true
// peak of the interval (x[i], x[i+1]).
func (l *limiter) process(dst, x, peaks []float32) []float32 {
	peaks = peaks[:len(x)]
	for i, v := range x {
		c := l.t
		g := float32(1)
		if tp := peaks[i]; tp > l.ceiling {
			g = l.ceiling / tp
		}
		m := l.holdMin(c, g)
		if m < l.env {
			l.env = m
		} else {
			l.env = m + (l.env-m)*l.decay
		}
		l.boxSum += float64(l.env - l.box[l.boxPos])
		l.box[l.boxPos] = l.env
		if l.boxPos++; l.boxPos == l.look {
			l.boxPos = 0
		}
		l.delay[c%int64(l.look)] = v
		l.t++
		// Sample s = c-look+1 has the gains of intervals s-1 and s in every
		// one of the look envelope values averaged, so it is fully turned down.
		if s := c - int64(l.look) + 1; s >= 0 {
			dst = append(dst, l.delay[s%int64(l.look)]*float32(l.boxSum/float64(l.look)))
		}
	}
	return dst
}

// holdMin pushes gain g for interval c and returns the minimum over the
// last look+1 intervals (a monotonic deque, O(1) amortised).
func (l *limiter) holdMin(c int64, g float32) float32 {
	n := len(l.dqIdx)
	for l.dqLen > 0 && l.dqVal[(l.dqHead+l.dqLen-1)%n] >= g {
		l.dqLen--
	}
	tail := (l.dqHead + l.dqLen) % n
	l.dqIdx[tail], l.dqVal[tail] = c, g
	l.dqLen++
	for l.dqIdx[l.dqHead] < c-int64(l.look) {
		l.dqHead = (l.dqHead + 1) % n
		l.dqLen--
	}
	return l.dqVal[l.dqHead]
}

// reset makes the limiter as new.
func (l *limiter) reset() {
	l.t, l.dqHead, l.dqLen, l.boxPos = 0, 0, 0, 0
	l.env, l.boxSum = 1, float64(l.look)
	clear(l.delay)
	for i := range l.box {
		l.box[i] = 1
	}
}

// flush appends the samples still inside the limiter.
func (l *limiter) flush(dst []float32) []float32 {
	zeros := make([]float32, l.look-1)
	return l.process(dst, zeros, zeros)
}
