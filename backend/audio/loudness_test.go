package audio

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// integratedOf measures a clip the way Master measures a podcast.
func integratedOf(c Clip) float64 {
	st := Analyze(c)
	tl := newTimeline(st.Samples, st.BlockSamples)
	tl.add(st, 0)
	return gatedLoudness(tl.energy, tl.n)
}

// concat joins parts of a test signal: each is a sine level in dBFS
// (math.Inf(-1) for silence) held for some seconds.
type part struct{ dBFS, seconds float64 }

func concat(rate int, freq float64, parts ...part) Clip {
	var s []float32
	for _, p := range parts {
		if math.IsInf(p.dBFS, -1) {
			s = append(s, make([]float32, int(p.seconds*float64(rate)))...)
			continue
		}
		s = append(s, sine(rate, freq, p.dBFS, p.seconds)...)
	}
	return Clip{SampleRate: rate, Samples: s}
}

// EBU Tech 3341's test signals are stereo, each channel carrying the
// sine; BS.1770 sums the channels' powers, so the same sine in a mono file
// reads 10·log10(2) ≈ 3.01 LU lower. These are the 3341 cases with that
// offset applied, as ffmpeg's ebur128 reports them for mono files, with
// every duration divided by four (gating depends on the proportions).
func TestLoudnessTech3341Mono(t *testing.T) {
	const stereoToMono = -3.0103
	tests := map[string]struct {
		parts  []part
		stereo float64 // the 3341 expectation for the stereo signal
	}{
		"case 1: -23 dBFS":       {[]part{{-23, 5}}, -23},
		"case 2: -33 dBFS":       {[]part{{-33, 5}}, -33},
		"case 3: relative gate":  {[]part{{-36, 2.5}, {-23, 15}, {-36, 2.5}}, -23},
		"case 4: absolute gate":  {[]part{{-72, 2.5}, {-36, 2.5}, {-23, 15}, {-36, 2.5}, {-72, 2.5}}, -23},
		"case 5: stepped levels": {[]part{{-26, 5}, {-20, 5.025}, {-26, 5}}, -23},
		// The blocks that straddle the edges pass the gates too: 47 whole
		// blocks and, on each side, ones with 3/4, 1/2 and 1/4 of the tone.
		"silence around the signal": {[]part{{math.Inf(-1), 2}, {-23, 5}, {math.Inf(-1), 2}}, -23 + 10*math.Log10(50.0/53)},
	}
	for name, tc := range tests {
		for _, rate := range []int{24000, 44100, 48000} {
			t.Run(fmt.Sprintf("%s/%d", name, rate), func(t *testing.T) {
				got := integratedOf(concat(rate, 1000, tc.parts...))
				if want := tc.stereo + stereoToMono; math.Abs(got-want) > 0.1 {
					t.Errorf("integrated %.2f LUFS, want %.2f ± 0.1", got, want)
				}
			})
		}
	}
	if got := integratedOf(concat(24000, 1000, part{-75, 5})); !math.IsInf(got, -1) {
		t.Errorf("a signal under the absolute gate reads %.2f LUFS, want -Inf", got)
	}
}

// At 48 kHz the derived coefficients are BS.1770-4's published ones; at
// the other rates the filter's response matches the 48 kHz one.
func TestKWeighting(t *testing.T) {
	k := newKWeighting(48000)
	got := []float64{k.b0, k.b1, k.b2, k.a1, k.a2, k.d1, k.d2}
	want := []float64{1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585,
		-1.99004745483398, 0.99007225036621}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-7 {
			t.Errorf("coefficient %d = %.14f, want %.14f", i, got[i], want[i])
		}
	}
	response := func(rate int, freq float64) float64 {
		return integratedOf(Clip{SampleRate: rate, Samples: sine(rate, freq, -20, 1)})
	}
	for _, rate := range []int{16000, 22050, 24000, 44100} {
		for _, tc := range []struct{ freq, tol float64 }{{25, 0.1}, {100, 0.1}, {1000, 0.05}, {4000, 0.15}, {7000, 0.25}} {
			if d := response(rate, tc.freq) - response(48000, tc.freq); math.Abs(d) > tc.tol {
				t.Errorf("%g Hz at %d Hz reads %.3f dB off the 48 kHz filter", tc.freq, rate, d)
			}
		}
	}
}

// Our meter against ffmpeg's ebur128 filter on the same files.
func TestLoudnessMatchesFFmpeg(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, c Clip) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteWAV(f, c); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// About 25 s of espeak-ng speech with pauses between the lines, at its
	// native 22050 Hz and resampled to the output rates.
	var speech []float32
	for _, l := range espeakLines {
		speech = append(speech, espeak(t, l.voice, l.text).Samples...)
		speech = append(speech, make([]float32, 22050*3/10)...)
	}
	native := Clip{SampleRate: 22050, Samples: speech}
	tests := map[string]struct {
		clip Clip
		tol  float64
	}{
		"1 kHz sine at -23 dBFS, 24 kHz": {concat(24000, 1000, part{-23, 10}), 0.1},
		"3341 case 5 shape, 48 kHz":      {concat(48000, 1000, part{-26, 5}, part{-20, 5}, part{-26, 5}), 0.1},
		"espeak-ng speech, 22050 Hz":     {native, 0.3},
		"espeak-ng speech, 24 kHz":       {Resample(native, 24000), 0.3},
		"espeak-ng speech, 44.1 kHz":     {Resample(native, 44100), 0.3},
	}
	i := 0
	for name, tc := range tests {
		i++
		t.Run(name, func(t *testing.T) {
			ours := integratedOf(tc.clip)
			theirs := ebur128(t, write(fmt.Sprintf("%d.wav", i), tc.clip)).I
			t.Logf("ours %.2f LUFS, ffmpeg %.2f LUFS", ours, theirs)
			if math.Abs(ours-theirs) > tc.tol {
				t.Errorf("we measure %.2f LUFS, ffmpeg ebur128 %.2f LUFS (tolerance %.1f LU)", ours, theirs, tc.tol)
			}
		})
	}
}

// Measuring a podcast from its lines' cached stats must agree with
// measuring the joined audio, though lines start off the 100 ms grid.
func TestTimelineMatchesJoinedAudio(t *testing.T) {
	rate := 24000
	var joined []float32
	tl := newTimeline(0, blockSamples(rate))
	var stats []SegmentStats
	var starts []int64
	for i := range 6 {
		joined = append(joined, make([]float32, 7919+i*1013)...) // odd gaps
		line := speechLike(rate, 1.5+float64(i)*0.37, uint64(i))
		line = append(line, sine(rate, 300, -10-float64(i), 0.3)...)
		starts = append(starts, int64(len(joined)))
		stats = append(stats, Analyze(Clip{SampleRate: rate, Samples: line}))
		joined = append(joined, line...)
	}
	tl = newTimeline(int64(len(joined)), blockSamples(rate))
	for i, st := range stats {
		tl.add(st, starts[i])
	}
	fromStats := gatedLoudness(tl.energy, tl.n)
	direct := integratedOf(Clip{SampleRate: rate, Samples: joined})
	if math.Abs(fromStats-direct) > 0.05 {
		t.Errorf("from the lines' stats %.3f LUFS, from the joined audio %.3f LUFS", fromStats, direct)
	}
}

func TestAnalyze(t *testing.T) {
	c := Clip{SampleRate: 24000, Samples: sine(24000, 6000, -6, 0.25)}
	// 6 kHz at 24 kHz with phase 0: samples hit 0, ±A alternately, so the
	// sample peak is the true peak; shift by 1/8 cycle to hide it.
	for i := range c.Samples {
		c.Samples[i] = float32(math.Pow(10, -6.0/20) * math.Sin(2*math.Pi*6000*float64(i)/24000+math.Pi/4))
	}
	st := Analyze(c)
	if st.SampleRate != 24000 || st.Samples != 6000 || st.BlockSamples != 2400 || len(st.Power) != 3 || len(st.TruePeak) != 3 {
		t.Fatalf("stats shape: %+v", st)
	}
	samplePeak := 20 * math.Log10(float64(maxAbs(c.Samples)))
	truePeak := 20 * math.Log10(st.TruePeak[1])
	if math.Abs(samplePeak-(-9.01)) > 0.05 || math.Abs(truePeak-(-6)) > 0.15 {
		t.Errorf("sample peak %.2f dBFS (want -9.01), true peak %.2f dBTP (want -6)", samplePeak, truePeak)
	}
	// The last, partial block is the mean over its own length.
	st = Analyze(Clip{SampleRate: 24000, Samples: sine(24000, 1000, -6, 0.25)})
	if r := st.Power[2] / st.Power[1]; math.Abs(r-1) > 0.02 {
		t.Errorf("partial block power %.4g vs full %.4g", st.Power[2], st.Power[1])
	}
}

func maxAbs(x []float32) float32 {
	var m float32
	for _, v := range x {
		m = max(m, v, -v)
	}
	return m
}

func BenchmarkAnalyze(b *testing.B) {
	for _, rate := range []int{24000, 44100} {
		b.Run(fmt.Sprint(rate), func(b *testing.B) {
			c := Clip{SampleRate: rate, Samples: speechLike(rate, 10, 2)}
			b.ResetTimer()
			for range b.N {
				Analyze(c)
			}
			b.ReportMetric(10*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
		})
	}
}

// Synthesis workers call Resample, WriteWAV, DecodeWAV and Analyze in
// parallel; they share no state (the race detector watches this test).
func TestWorkerFunctionsConcurrently(t *testing.T) {
	src := Clip{SampleRate: 22050, Samples: speechLike(22050, 1, 7)}
	want := Analyze(Resample(src, 24000))
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			c := Resample(src, 24000)
			var buf bytes.Buffer
			if err := WriteWAV(&buf, c); err != nil {
				errs <- err
				return
			}
			if _, err := DecodeWAV(&buf); err != nil {
				errs <- err
				return
			}
			if got := Analyze(c); !reflect.DeepEqual(got, want) {
				errs <- fmt.Errorf("concurrent Analyze differs")
				return
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
