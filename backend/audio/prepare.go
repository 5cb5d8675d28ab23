package audio

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// Mastering is split so that the encoder, which must take lines one after
// another, does only cheap per-sample work: Prepare does everything that
// costs (low-pass filtering, the 4x-oversampled true peak of every sample
// interval, solving the line's gain against the limiter model) for one line
// at a time, in whichever goroutine synthesised it; Stream then only
// multiplies, limits against the precomputed peaks and encodes.

// Prepared is one line ready for Stream.Add.
type Prepared struct {
	Speaker, Text string
	// Chapter numbers the line's chapter; a new chapter starts where the
	// number changes. ChapterTitle names it (read from the chapter's first line).
	Chapter      int
	ChapterTitle string
	Stats        SegmentStats
	// Key identifies the line's audio (such as its cache key), so its
	// frames can be found again for a later version (ChunkKey); "" for
	// none.
	Key string
	// GainDB brings this line alone to the loudness target through the
	// limiter (0 for a silent line).
	GainDB float64
	// samples is the low-passed line followed by the filter's ringing
	// (prepTail samples), which overlaps whatever follows it.
	samples []float32
	// peaks[i] bounds the true peak of the interval (samples[i],
	// samples[i+1]), exact wherever the gain could take it over the ceiling.
	peaks []float32
	// maxGain bounds GainDB where peaks is exact; slope is how many LU of
	// loudness a dB of gain gives near GainDB (less than 1 where the
	// limiter works).
	maxGain, slope float64
	// chunk holds the line's frames once encoded (Encode, Reused).
	chunk *encodedChunk
}

// prepTail is how long the low-pass keeps ringing after a line, in
// seconds: by then its output is below -140 dB of the input.
const prepTail = 0.003

// maxCorrection bounds, in dB, how far measuring the limited line moves its
// gain away from the limiter model's; peaks are computed exactly for any
// gain up to the model's + maxCorrection.
const maxCorrection = 2.0

// Prepare readies a line whose audio is at opt.SampleRate and whose
// analysis is st (from Analyze, possibly read back from a cache). It is
// safe to call from many goroutines at once.
func Prepare(c Clip, st SegmentStats, opt Options) (Prepared, error) {
	if err := opt.Validate(); err != nil {
		return Prepared{}, err
	}
	rate := opt.SampleRate
	switch {
	case c.SampleRate != rate:
		return Prepared{}, fmt.Errorf("its audio is at %d Hz, not the output rate %d Hz", c.SampleRate, rate)
	case int64(len(c.Samples)) != st.Samples:
		return Prepared{}, fmt.Errorf("its audio has %d samples but its analysis %d; synthesise it again", len(c.Samples), st.Samples)
	}
	if err := checkAnalysis(st, rate); err != nil {
		return Prepared{}, err
	}
	cutoff, err := lowpassCutoff(rate, opt.BitrateKbps)
	if err != nil {
		return Prepared{}, err
	}
	ceiling := math.Pow(10, (opt.TruePeakDBTP-peakMargin)/20)
	p := Prepared{Stats: st, GainDB: lineGain(st, opt.TargetLUFS, ceiling)}
	tail := int(math.Ceil(prepTail * float64(rate)))
	p.samples = make([]float32, len(c.Samples)+tail)
	copy(p.samples, c.Samples)
	newLowpass(rate, cutoff).process(p.samples)
	ip := newInterpolator()
	threshold := float32(ceiling / math.Pow(10, (p.GainDB+maxCorrection)/20) / float64(ip.gain))
	p.peaks = ip.intervalPeaks(p.samples, threshold)
	p.maxGain = p.GainDB + maxCorrection
	p.GainDB, p.slope = refineGain(p, opt)
	return p, nil
}

// refineGain corrects the limiter model's gain by measuring the line at
// the gain it gets, as its chunk will hear it (a chunk starts in
// silence, with a fresh limiter), aiming at the target plus what MP3
// coding will take. Where the limiter cannot act (every peak stays under
// the ceiling) loudness follows gain exactly and one measurement solves
// it; otherwise a few secant steps through the real limiter bring it
// within 0.05 LU (or to the bounds of the peaks computed). It returns the
// gain and the loudness it gives per dB there.
func refineGain(p Prepared, opt Options) (float64, float64) {
	model := p.GainDB
	lo, hi := model-maxCorrection, model+maxCorrection
	target := opt.TargetLUFS + codingLoss
	unit := lineLoudness(p.samples, opt.SampleRate)
	if math.IsInf(unit, -1) {
		return model, 1
	}
	var peak float32
	for _, v := range p.peaks {
		peak = max(peak, v)
	}
	ceilingDB := opt.TruePeakDBTP - peakMargin
	if g := target - unit; g <= ceilingDB-20*math.Log10(float64(peak)) {
		return max(lo, min(hi, g)), 1
	}
	lim := newLimiter(opt.SampleRate, ceilingDB)
	x := make([]float32, len(p.samples))
	pk := make([]float32, len(p.samples))
	out := make([]float32, 0, len(p.samples))
	measure := func(gainDB float64) float64 {
		g := float32(math.Pow(10, gainDB/20))
		for i, v := range p.samples {
			x[i], pk[i] = v*g, p.peaks[i]*g
		}
		lim.reset()
		out = lim.process(out[:0], x, pk)
		out = lim.flush(out)
		return lineLoudness(out, opt.SampleRate)
	}
	g, l := model, measure(model)
	slope := 1.0 // LU of loudness per dB of gain: 1 below the ceiling, less when limited
	for range 4 {
		d := target - l
		if math.Abs(d) < 0.05 {
			break
		}
		next := max(lo, min(hi, g+d/slope))
		if next == g {
			break
		}
		nl := measure(next)
		if math.IsInf(nl, -1) {
			break
		}
		slope = max(0.2, min(1, (nl-l)/(next-g)))
		g, l = next, nl
	}
	return g, slope
}

// lineLoudness is a line's integrated loudness: gated when it is long
// enough for a 400 ms block to pass the gates, else its mean loudness.
func lineLoudness(x []float32, rate int) float64 {
	m := newMeter(rate)
	m.push(x)
	if l := gatedLoudness(m.energy, m.block); !math.IsInf(l, -1) {
		return l
	}
	sum := m.sum
	for _, e := range m.energy {
		sum += e
	}
	if sum <= 0 || len(x) == 0 {
		return math.Inf(-1)
	}
	if l := powerToLoudness(sum / float64(len(x))); l > absoluteGate {
		return l
	}
	return math.Inf(-1)
}

// checkAnalysis rejects analyses that cannot describe audio at rate.
func checkAnalysis(st SegmentStats, rate int) error {
	switch {
	case st.SampleRate != rate:
		return fmt.Errorf("the line's audio is at %d Hz, not the output rate %d Hz", st.SampleRate, rate)
	case st.Samples <= 0 || st.Samples > MaxClipSamples:
		return fmt.Errorf("the line's analysis claims %d samples", st.Samples)
	case st.BlockSamples != blockSamples(rate) ||
		int64(len(st.Power)) != (st.Samples+int64(st.BlockSamples)-1)/int64(st.BlockSamples) ||
		len(st.TruePeak) != len(st.Power):
		return errors.New("the line's loudness analysis does not match its length; synthesise it again")
	}
	return nil
}

// lineGain solves one line's gain to target through the limiter model. A
// line too short for a gated measurement (under 400 ms) is measured
// ungated; a silent one is left alone.
func lineGain(st SegmentStats, target, ceiling float64) float64 {
	tl := newTimeline(st.Samples+int64(st.BlockSamples)-1, st.BlockSamples)
	tl.add(st, 0)
	integrated := gatedLoudness(tl.energy, tl.n)
	if !math.IsInf(integrated, -1) {
		return solveGain(tl, integrated, target, ceiling, limiterRelease)
	}
	var energy float64
	for i, p := range st.Power {
		n := min(int64(st.BlockSamples), st.Samples-int64(i*st.BlockSamples))
		energy += p * float64(n)
	}
	if energy <= 0 || powerToLoudness(energy/float64(st.Samples)) < absoluteGate {
		return 0
	}
	return min(target-powerToLoudness(energy/float64(st.Samples)), maxLimiterBoost)
}

// intervalPeaks returns, for every i, a bound on the true peak between x[i]
// and x[i+1] (x is taken as silent outside): the interpolated maximum
// where a window holds a sample above threshold, and the larger of the two
// samples elsewhere, which is below threshold and so needs no precision.
func (ip *interpolator) intervalPeaks(x []float32, threshold float32) []float32 {
	out := make([]float32, len(x))
	padded := make([]float32, len(x)+tpTaps)
	copy(padded[tpBefore:], x)
	hot := -1 // the last interval whose window holds a sample above threshold
	for j, v := range padded {
		if v > threshold || -v > threshold {
			hot = j
		}
		// the window of interval i is padded[i … i+tpTaps-1]; it is complete at j
		i := j - tpTaps + 1
		if i < 0 || i >= len(x) {
			continue
		}
		a, b := abs32(padded[i+tpBefore]), abs32(padded[i+tpBefore+1])
		out[i] = max(a, b)
		if hot >= i {
			out[i] = max(out[i], ip.between(padded[i:]))
		}
	}
	return out
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// lowpassCutoffs caches the low-pass per rate and bitrate: finding LAME's
// own cutoff means configuring an encoder.
var lowpassCutoffs sync.Map // [2]int{rate, kbps} → float64

// lowpassCutoff is where lines are low-passed before limiting: at most
// maxLowpass of the rate, and just under the encoder's own low-pass.
func lowpassCutoff(rate, kbps int) (float64, error) {
	key := [2]int{rate, kbps}
	if v, ok := lowpassCutoffs.Load(key); ok {
		return v.(float64), nil
	}
	enc, err := newEncoder(rate, kbps, false)
	if err != nil {
		return 0, err
	}
	defer enc.close()
	cutoff := maxLowpass * float64(rate)
	if lp := enc.lowpassHz(); lp > 0 {
		cutoff = min(cutoff, 0.97*lp)
	}
	lowpassCutoffs.Store(key, cutoff)
	return cutoff, nil
}
