package templates

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"math"
	"os/exec"
	"slices"
	"testing"

	"podcastfy/backend/template"
)

// Every built-in template's speakers are told apart by ear: with the
// espeak-ng voices they name, each pair is at least three semitones apart in
// median pitch (a different gender is far more). Measured on real espeak-ng
// output with an autocorrelation pitch tracker.
func TestBuiltInVoicesAreDistinct(t *testing.T) {
	files, err := fs.Glob(FS, "*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	pitch := map[string]float64{}
	for _, f := range files {
		data, _ := FS.ReadFile(f)
		tpl, err := template.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range tpl.Speakers {
			for _, b := range tpl.Speakers[i+1:] {
				pa, pb := voicePitch(t, pitch, a.Voices["espeak"]), voicePitch(t, pitch, b.Voices["espeak"])
				st := 12 * math.Abs(math.Log2(pa/pb))
				t.Logf("%s: %s (%s, %.0f Hz) and %s (%s, %.0f Hz): %.1f semitones", tpl.ID, a.Name, a.Voices["espeak"], pa,
					b.Name, b.Voices["espeak"], pb, st)
				if st < 3 {
					t.Errorf("%s: %s and %s sound alike: %.1f semitones apart", tpl.ID, a.Name, b.Name, st)
				}
			}
		}
	}
}

const sample = "Welcome back to the show. Today we are talking about rivers, how they carve valleys, and why deltas are so fertile."

// voicePitch synthesises the sample with an espeak-ng voice and returns its
// median pitch in hertz (cached per voice).
func voicePitch(t *testing.T, cache map[string]float64, voice string) float64 {
	t.Helper()
	if p, ok := cache[voice]; ok {
		return p
	}
	out, err := exec.Command("espeak-ng", "-v", voice, "--stdout", sample).Output()
	if err != nil {
		t.Fatalf("espeak-ng -v %s: %v (install espeak-ng: make deps)", voice, err)
	}
	rate, pcm := wavPCM(t, out)
	p := medianPitch(pcm, rate)
	if p == 0 {
		t.Fatalf("no voiced speech found for %s", voice)
	}
	cache[voice] = p
	return p
}

// wavPCM reads a 16-bit mono WAV's rate and samples. espeak-ng writes a
// streaming header whose sizes are unset, so the data runs to the end.
func wavPCM(t *testing.T, b []byte) (int, []float64) {
	if len(b) < 44 || !bytes.Equal(b[:4], []byte("RIFF")) {
		t.Fatalf("not a WAV file (%d bytes)", len(b))
	}
	rate := int(binary.LittleEndian.Uint32(b[24:28]))
	i := bytes.Index(b, []byte("data"))
	if i < 0 {
		t.Fatal("WAV without data")
	}
	data := b[i+8:]
	pcm := make([]float64, len(data)/2)
	for j := range pcm {
		pcm[j] = float64(int16(binary.LittleEndian.Uint16(data[2*j:]))) / 32768
	}
	return rate, pcm
}

// medianPitch tracks pitch frame by frame (40 ms frames, 10 ms hop) by
// normalised autocorrelation between 60 and 400 Hz, keeps confidently
// voiced, loud frames, and returns their median.
func medianPitch(pcm []float64, rate int) float64 {
	frame, hop := rate*40/1000, rate*10/1000
	minLag, maxLag := rate/400, rate/60
	var peak float64
	for _, v := range pcm {
		peak = max(peak, math.Abs(v))
	}
	var f0s []float64
	for start := 0; start+frame+maxLag < len(pcm); start += hop {
		x := pcm[start : start+frame+maxLag]
		energy := 0.0
		for _, v := range x[:frame] {
			energy += v * v
		}
		if math.Sqrt(energy/float64(frame)) < 0.1*peak {
			continue
		}
		best, bestLag := 0.0, 0
		for lag := minLag; lag <= maxLag; lag++ {
			var num, e1, e2 float64
			for k := 0; k < frame; k++ {
				num += x[k] * x[k+lag]
				e1 += x[k] * x[k]
				e2 += x[k+lag] * x[k+lag]
			}
			if r := num / math.Sqrt(e1*e2+1e-12); r > best {
				best, bestLag = r, lag
			}
		}
		if best > 0.7 && bestLag > 0 {
			f0s = append(f0s, float64(rate)/float64(bestLag))
		}
	}
	if len(f0s) < 10 {
		return 0
	}
	slices.Sort(f0s)
	return f0s[len(f0s)/2]
}
