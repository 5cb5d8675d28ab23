package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// wavFile builds a WAV byte stream. Sizes left at -1 are computed.
type wavFile struct {
	magic      string // RIFF (default) or RF64
	tag        uint16 // 1 PCM, 3 float, 0xFFFE extensible
	subTag     uint16 // for extensible
	channels   int
	rate       int
	bits       int
	riffSize   int64
	dataSize   int64
	extra      []byte // chunks between fmt and data
	data       []byte
	dataFirst  bool // put data before fmt
	truncateAt int  // cut the stream here when > 0
}

func (w wavFile) bytes() []byte {
	le := binary.LittleEndian
	var fmtBody []byte
	fmtBody = le.AppendUint16(fmtBody, w.tag)
	fmtBody = le.AppendUint16(fmtBody, uint16(w.channels))
	fmtBody = le.AppendUint32(fmtBody, uint32(w.rate))
	fmtBody = le.AppendUint32(fmtBody, uint32(w.rate*w.channels*w.bits/8))
	fmtBody = le.AppendUint16(fmtBody, uint16(w.channels*w.bits/8))
	fmtBody = le.AppendUint16(fmtBody, uint16(w.bits))
	if w.tag == 0xFFFE {
		fmtBody = le.AppendUint16(fmtBody, 22)
		fmtBody = le.AppendUint16(fmtBody, uint16(w.bits))
		fmtBody = le.AppendUint32(fmtBody, 0)
		fmtBody = le.AppendUint16(fmtBody, w.subTag)
		fmtBody = append(fmtBody, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
	}
	chunk := func(id string, size int64, body []byte) []byte {
		b := []byte(id)
		if size < 0 {
			size = int64(len(body))
		}
		b = le.AppendUint32(b, uint32(size))
		return append(b, body...)
	}
	fmtChunk := chunk("fmt ", -1, fmtBody)
	dataChunk := chunk("data", w.dataSize, w.data)
	var body []byte
	if w.dataFirst {
		body = append(append(body, dataChunk...), fmtChunk...)
	} else {
		body = append(append(append(body, fmtChunk...), w.extra...), dataChunk...)
	}
	magic := w.magic
	if magic == "" {
		magic = "RIFF"
	}
	riff := w.riffSize
	if riff < 0 {
		riff = int64(4 + len(body))
	}
	out := le.AppendUint32([]byte(magic), uint32(riff))
	out = append(append(out, "WAVE"...), body...)
	if w.truncateAt > 0 {
		out = out[:w.truncateAt]
	}
	return out
}

func pcm16(vals ...int16) []byte {
	var b []byte
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

func mono16(data []byte) wavFile {
	return wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: -1, dataSize: -1, data: data}
}

func TestDecodeWAVFormats(t *testing.T) {
	le := binary.LittleEndian
	f32 := func(vals ...float32) []byte {
		var b []byte
		for _, v := range vals {
			b = le.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	f64 := func(vals ...float64) []byte {
		var b []byte
		for _, v := range vals {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	list := []byte("LIST\x05\x00\x00\x00INFOx\x00") // odd size, padded
	tests := map[string]struct {
		wav  wavFile
		rate int
		want []float32
	}{
		"16-bit mono":          {mono16(pcm16(0, 16384, -32768, 32767)), 22050, []float32{0, 0.5, -1, 32767.0 / 32768}},
		"8-bit unsigned":       {wavFile{tag: 1, channels: 1, rate: 8000, bits: 8, riffSize: -1, dataSize: -1, data: []byte{128, 192, 0, 255}}, 8000, []float32{0, 0.5, -1, 127.0 / 128}},
		"24-bit":               {wavFile{tag: 1, channels: 1, rate: 48000, bits: 24, riffSize: -1, dataSize: -1, data: []byte{0, 0, 0x40, 0, 0, 0xC0, 0xFF, 0xFF, 0xFF}}, 48000, []float32{0.5, -0.5, -1.0 / 8388608}},
		"32-bit int":           {wavFile{tag: 1, channels: 1, rate: 16000, bits: 32, riffSize: -1, dataSize: -1, data: le.AppendUint32(le.AppendUint32(nil, 1<<30), 0x80000000)}, 16000, []float32{0.5, -1}},
		"32-bit float":         {wavFile{tag: 3, channels: 1, rate: 24000, bits: 32, riffSize: -1, dataSize: -1, data: f32(0.25, -0.75, float32(math.NaN()), float32(math.Inf(1)))}, 24000, []float32{0.25, -0.75, 0, 0}},
		"64-bit float":         {wavFile{tag: 3, channels: 1, rate: 24000, bits: 64, riffSize: -1, dataSize: -1, data: f64(0.125, -0.5)}, 24000, []float32{0.125, -0.5}},
		"stereo downmix":       {wavFile{tag: 1, channels: 2, rate: 44100, bits: 16, riffSize: -1, dataSize: -1, data: pcm16(16384, 0, -16384, -16384)}, 44100, []float32{0.25, -0.5}},
		"extensible float":     {wavFile{tag: 0xFFFE, subTag: 3, channels: 1, rate: 24000, bits: 32, riffSize: -1, dataSize: -1, data: f32(0.5)}, 24000, []float32{0.5}},
		"streamed 0xFFFFFFFF":  {wavFile{tag: 1, channels: 1, rate: 24000, bits: 16, riffSize: 0xFFFFFFFF, dataSize: 0xFFFFFFFF, data: pcm16(1, 2, 3)}, 24000, []float32{1.0 / 32768, 2.0 / 32768, 3.0 / 32768}},
		"espeak placeholders":  {wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: 0x7FFFF024, dataSize: 0x7FFFF000, data: pcm16(-2, 2)}, 22050, []float32{-2.0 / 32768, 2.0 / 32768}},
		"zero data size":       {wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: 0, dataSize: 0, data: pcm16(7)}, 22050, []float32{7.0 / 32768}},
		"LIST chunk skipped":   {wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: -1, dataSize: -1, extra: list, data: pcm16(100)}, 22050, []float32{100.0 / 32768}},
		"RF64":                 {wavFile{magic: "RF64", tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: 0xFFFFFFFF, dataSize: 0xFFFFFFFF, extra: append([]byte("ds64\x1c\x00\x00\x00"), make([]byte, 28)...), data: pcm16(5)}, 22050, []float32{5.0 / 32768}},
		"trailing chunk after": {wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: -1, dataSize: 2, data: append(pcm16(9), "LIST\x00\x00\x00\x00"...)}, 22050, []float32{9.0 / 32768}},
		"partial last frame":   {wavFile{tag: 1, channels: 1, rate: 22050, bits: 16, riffSize: -1, dataSize: 0xFFFFFFFF, data: append(pcm16(3), 0x01)}, 22050, []float32{3.0 / 32768}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// One byte at a time exercises the reads that straddle frames.
			for _, r := range []io.Reader{bytes.NewReader(tc.wav.bytes()), iotest.OneByteReader(bytes.NewReader(tc.wav.bytes()))} {
				c, err := DecodeWAV(r)
				if err != nil {
					t.Fatalf("DecodeWAV: %v", err)
				}
				if c.SampleRate != tc.rate {
					t.Errorf("rate %d, want %d", c.SampleRate, tc.rate)
				}
				if len(c.Samples) != len(tc.want) {
					t.Fatalf("samples %v, want %v", c.Samples, tc.want)
				}
				for i := range tc.want {
					if math.Abs(float64(c.Samples[i]-tc.want[i])) > 1e-7 {
						t.Errorf("sample %d = %v, want %v", i, c.Samples[i], tc.want[i])
					}
				}
			}
		})
	}
}

func TestDecodeWAVBadInput(t *testing.T) {
	good := mono16(pcm16(1, 2, 3, 4)).bytes()
	withFmt := func(mod func(w *wavFile)) []byte {
		w := mono16(pcm16(1, 2))
		mod(&w)
		return w.bytes()
	}
	tests := map[string]struct {
		in   []byte
		hint string
	}{
		"empty body":          {nil, "empty"},
		"HTML error page":     {[]byte("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"), "HTML page"},
		"JSON error":          {[]byte(`{"detail":"voice not found"}`), "JSON"},
		"MP3 instead":         {append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), make([]byte, 40)...), "MP3"},
		"too short":           {[]byte("RIFF\x00"), "RIFF/WAVE"},
		"not WAVE":            {[]byte("RIFF\x10\x00\x00\x00AVI LIST"), "RIFF/WAVE"},
		"header only":         {good[:12], "ends before any audio"},
		"truncated fmt":       {good[:30], "fmt chunk is truncated"},
		"truncated data":      {good[:len(good)-3], "ends after 5 of the 8 bytes"},
		"data before fmt":     {withFmt(func(w *wavFile) { w.dataFirst = true }), "before the fmt"},
		"zero channels":       {withFmt(func(w *wavFile) { w.channels = 0 }), "0 channels"},
		"65535 channels":      {withFmt(func(w *wavFile) { w.channels = 65535 }), "65535 channels"},
		"zero sample rate":    {withFmt(func(w *wavFile) { w.rate = 0 }), "sample rate 0"},
		"absurd sample rate":  {withFmt(func(w *wavFile) { w.rate = 4_000_000_000 }), "out of range"},
		"12-bit":              {withFmt(func(w *wavFile) { w.bits = 12 }), "12-bit"},
		"zero bits":           {withFmt(func(w *wavFile) { w.bits = 0 }), "0-bit"},
		"16-bit float":        {withFmt(func(w *wavFile) { w.tag, w.bits = 3, 16 }), "16-bit float"},
		"MPEG in WAV":         {withFmt(func(w *wavFile) { w.tag = 0x55 }), "compressed"},
		"huge unknown chunk":  {withFmt(func(w *wavFile) { w.extra = []byte("JUNK\xF0\xFF\xFF\xFF") }), "claims"},
		"truncated LIST":      {withFmt(func(w *wavFile) { w.extra = []byte("LIST\x40\x00\x00\x00ab"); w.data = nil; w.dataSize = 0 })[:50], "truncated"},
		"no samples":          {withFmt(func(w *wavFile) { w.data = nil; w.dataSize = 0 }), "no audio samples"},
		"absurd data size":    {withFmt(func(w *wavFile) { w.dataSize = 0x7EFFFFFF }), "truncated"},
		"fmt chunk too small": {[]byte("RIFF\x20\x00\x00\x00WAVEfmt \x04\x00\x00\x00\x01\x00\x01\x00"), "impossible size"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeWAV(bytes.NewReader(tc.in))
			if !errors.Is(err, ErrBadWAV) {
				t.Fatalf("err = %v, want ErrBadWAV", err)
			}
			if !strings.Contains(err.Error(), tc.hint) {
				t.Errorf("err = %q, want it to mention %q", err, tc.hint)
			}
		})
	}
}

func TestDecodeWAVReaderError(t *testing.T) {
	boom := errors.New("connection reset")
	w := mono16(pcm16(1, 2, 3)).bytes()
	_, err := DecodeWAV(io.MultiReader(bytes.NewReader(w[:46]), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) || errors.Is(err, ErrBadWAV) {
		t.Fatalf("err = %v, want the reader's error, not ErrBadWAV", err)
	}
}

// A header may claim gigabytes; memory must follow the bytes that arrive.
func TestDecodeWAVNoAllocationFromHeader(t *testing.T) {
	w := mono16(pcm16(1, 2, 3))
	w.dataSize = 0x7EFFFFFF
	in := w.bytes()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := DecodeWAV(bytes.NewReader(in))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadWAV) {
		t.Fatalf("err = %v, want a truncation error", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("decoding a 50-byte file allocated %d bytes", grew)
	}
}

// An endless stream stops at the sample cap instead of exhausting memory.
func TestDecodeWAVCap(t *testing.T) {
	w := mono16(nil)
	w.dataSize = 0xFFFFFFFF
	endless := io.MultiReader(bytes.NewReader(w.bytes()), zeroReader{})
	d := wavDecoder{maxSamples: 100_000}
	_, err := d.decode(endless)
	if !errors.Is(err, ErrBadWAV) || !strings.Contains(err.Error(), "too long") {
		t.Fatalf("err = %v, want a too-long error", err)
	}
	if cap(d.samples) > 4*100_000 {
		t.Errorf("decoder holds %d samples for a cap of 100000", cap(d.samples))
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestWriteWAVRoundTrip(t *testing.T) {
	in := Clip{SampleRate: 24000, Samples: []float32{0, 0.5, -0.5, 1, -1, 1.5, -2, 12345.0 / 32768}}
	var buf bytes.Buffer
	if err := WriteWAV(&buf, in); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 44+2*len(in.Samples) {
		t.Fatalf("WAV is %d bytes, want %d", buf.Len(), 44+2*len(in.Samples))
	}
	out, err := DecodeWAV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 0.5, -0.5, 32767.0 / 32768, -1, 32767.0 / 32768, -1, 12345.0 / 32768}
	if out.SampleRate != 24000 || len(out.Samples) != len(want) {
		t.Fatalf("got %d Hz, %d samples", out.SampleRate, len(out.Samples))
	}
	for i := range want {
		if out.Samples[i] != want[i] {
			t.Errorf("sample %d = %v, want %v", i, out.Samples[i], want[i])
		}
	}
	if err := WriteWAV(io.Discard, Clip{SampleRate: 0, Samples: []float32{0}}); err == nil {
		t.Error("WriteWAV accepted a zero sample rate")
	}
}

func TestRawPCM(t *testing.T) {
	c := DecodePCM16LE(append(pcm16(16384, -32768), 0x7F), 24000)
	if c.SampleRate != 24000 || len(c.Samples) != 2 || c.Samples[0] != 0.5 || c.Samples[1] != -1 {
		t.Errorf("DecodePCM16LE = %+v", c)
	}
	var f []byte
	for _, v := range []float32{0.25, float32(math.NaN()), -1} {
		f = binary.LittleEndian.AppendUint32(f, math.Float32bits(v))
	}
	c = FromFloat32LE(append(f, 1, 2), 24000)
	if len(c.Samples) != 3 || c.Samples[0] != 0.25 || c.Samples[1] != 0 || c.Samples[2] != -1 {
		t.Errorf("FromFloat32LE = %+v", c)
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(mono16(pcm16(1, -1, 300)).bytes())
	f.Add(wavFile{tag: 0xFFFE, subTag: 1, channels: 3, rate: 48000, bits: 24, riffSize: -1, dataSize: -1, data: make([]byte, 27)}.bytes())
	f.Add(wavFile{tag: 3, channels: 2, rate: 24000, bits: 32, riffSize: 0xFFFFFFFF, dataSize: 0xFFFFFFFF, data: make([]byte, 20)}.bytes())
	f.Add(wavFile{tag: 1, channels: 1, rate: 8000, bits: 8, riffSize: -1, dataSize: -1, extra: []byte("LIST\x03\x00\x00\x00abc\x00"), data: []byte{1, 2, 3}}.bytes())
	f.Add([]byte("<html>error</html>"))
	f.Add([]byte{})
	f.Add(mono16(pcm16(1, 2, 3)).bytes()[:47])
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := DecodeWAV(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrBadWAV) {
				t.Fatalf("error %v does not wrap ErrBadWAV", err)
			}
			return
		}
		if len(c.Samples) == 0 || len(c.Samples) > len(in) {
			t.Fatalf("%d samples from %d bytes", len(c.Samples), len(in))
		}
		if c.SampleRate < minSampleRate || c.SampleRate > maxSampleRate {
			t.Fatalf("rate %d", c.SampleRate)
		}
		for _, v := range c.Samples {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("non-finite sample %v", v)
			}
		}
	})
}
