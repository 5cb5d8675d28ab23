package audio

import (
	"math"
	"testing"
)

// Every rate and bitrate Options.Validate accepts is one LAME encodes as asked.
func TestEncoderAcceptsValidOptions(t *testing.T) {
	for _, rate := range []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000} {
		for _, kbps := range mp3Bitrates(rate) {
			opt := Options{SampleRate: rate, BitrateKbps: kbps, TargetLUFS: -16, TruePeakDBTP: -1}
			if err := opt.Validate(); err != nil {
				t.Fatalf("%d Hz %d kbps: %v", rate, kbps, err)
			}
			enc, err := newEncoder(rate, kbps, false)
			if err != nil {
				t.Errorf("%d Hz %d kbps: %v", rate, kbps, err)
				continue
			}
			enc.close()
		}
	}
}

// Encoding then decoding with libmp3lame's own decoder gives back whole
// frames: the encoder's delay and the samples, less the last frame, which
// the decoder holds until a next header would confirm it (Master's check
// loses only tail silence to that).
func TestEncoderDecoderRoundTrip(t *testing.T) {
	enc, err := newEncoder(24000, 64, true)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.close()
	dec, err := newDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer dec.close()
	in := sine(24000, 440, -6, 1)
	var decoded []float32
	for _, chunk := range [][]float32{in[:10000], in[10000:]} {
		mp3, err := enc.encode(chunk)
		if err != nil {
			t.Fatal(err)
		}
		pcm, err := dec.decode(mp3)
		if err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, pcm...)
	}
	last, err := enc.flush()
	if err != nil {
		t.Fatal(err)
	}
	pcm, err := dec.decode(last)
	if err != nil {
		t.Fatal(err)
	}
	decoded = append(decoded, pcm...)
	if len(decoded) < len(in)-576 || len(decoded) > len(in)+4*576 || len(decoded)%576 != 0 {
		t.Errorf("decoded %d samples from %d", len(decoded), len(in))
	}
	if tag := enc.lameTag(); len(tag) < 100 || tag[0] != 0xFF {
		t.Errorf("LAME tag frame % x", tag[:min(8, len(tag))])
	}
	if peak := 20 * math.Log10(float64(maxAbs(decoded))); math.Abs(peak-(-6)) > 0.5 {
		t.Errorf("decoded peak %.2f dBFS, want about -6", peak)
	}
}
