package audio

import (
	"fmt"
	"math"
	"testing"
)

// errorDB compares got with want over the interior (away from the edges,
// where the filter sees the zero padding) and returns the error power
// relative to want's, in dB.
func errorDB(got, want []float32, margin int) float64 {
	var e, s float64
	for i := margin; i < len(want)-margin && i < len(got); i++ {
		d := float64(got[i] - want[i])
		e += d * d
		s += float64(want[i]) * float64(want[i])
	}
	return 10 * math.Log10(e/s)
}

func TestResampleAccuracy(t *testing.T) {
	tests := []struct {
		in, out int
		freq    float64
		maxErr  float64 // dB
	}{
		{22050, 24000, 1000, -70},
		{22050, 24000, 8000, -70},
		{24000, 44100, 1000, -70},
		{24000, 44100, 9000, -65},
		{16000, 24000, 440, -65},
		{44100, 24000, 3000, -70},
		{48000, 24000, 1000, -70},
		{22050, 24001, 1000, -70}, // ratio beyond the phase table: rounded phases
		{8000, 44100, 300, -70},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d→%d@%g", tc.in, tc.out, tc.freq), func(t *testing.T) {
			const seconds = 0.5
			in := Clip{SampleRate: tc.in, Samples: sine(tc.in, tc.freq, -6, seconds)}
			got := Resample(in, tc.out)
			wantLen := (len(in.Samples)*tc.out + tc.in - 1) / tc.in
			if got.SampleRate != tc.out || len(got.Samples) != wantLen {
				t.Fatalf("got %d samples at %d Hz, want %d at %d Hz", len(got.Samples), got.SampleRate, wantLen, tc.out)
			}
			want := sine(tc.out, tc.freq, -6, float64(len(got.Samples))/float64(tc.out))
			if e := errorDB(got.Samples, want, tc.out/20); e > tc.maxErr {
				t.Errorf("error %.1f dB, want below %.0f dB", e, tc.maxErr)
			}
		})
	}
}

// Content above the output's Nyquist frequency must not fold back.
func TestResampleRejectsAliases(t *testing.T) {
	for _, tc := range []struct {
		in, out int
		freq    float64
	}{{48000, 24000, 15000}, {44100, 24000, 13500}, {24000, 16000, 9000}} {
		c := Resample(Clip{SampleRate: tc.in, Samples: sine(tc.in, tc.freq, 0, 0.5)}, tc.out)
		var e float64
		for _, v := range c.Samples[tc.out/20 : len(c.Samples)-tc.out/20] {
			e += float64(v) * float64(v)
		}
		level := 10 * math.Log10(e/float64(len(c.Samples)-tc.out/10)/0.5)
		if level > -50 {
			t.Errorf("%d→%d: a %g Hz tone comes out at %.1f dB, want below -50", tc.in, tc.out, tc.freq, level)
		}
	}
}

func TestResampleEdgeCases(t *testing.T) {
	c := Clip{SampleRate: 24000, Samples: []float32{1, 2}}
	if got := Resample(c, 24000); &got.Samples[0] != &c.Samples[0] {
		t.Error("same-rate resampling copied the clip")
	}
	if got := Resample(Clip{SampleRate: 0, Samples: []float32{1}}, 24000); got.SampleRate != 0 {
		t.Error("a clip without a rate was resampled")
	}
	if got := Resample(Clip{SampleRate: 22050}, 24000); got.SampleRate != 24000 || len(got.Samples) != 0 {
		t.Errorf("empty clip: %+v", got)
	}
	// DC stays DC: every phase has unity gain.
	dc := make([]float32, 2205)
	for i := range dc {
		dc[i] = 0.5
	}
	got := Resample(Clip{SampleRate: 22050, Samples: dc}, 24000)
	for i := 100; i < len(got.Samples)-100; i++ {
		if math.Abs(float64(got.Samples[i])-0.5) > 1e-5 {
			t.Fatalf("DC sample %d = %v", i, got.Samples[i])
		}
	}
}

func BenchmarkResample(b *testing.B) {
	for _, r := range [][2]int{{22050, 24000}, {24000, 44100}} {
		b.Run(fmt.Sprintf("%d→%d", r[0], r[1]), func(b *testing.B) {
			c := Clip{SampleRate: r[0], Samples: speechLike(r[0], 10, 1)}
			b.ResetTimer()
			for range b.N {
				Resample(c, r[1])
			}
			b.ReportMetric(10*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
		})
	}
}
