package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
)

// ErrBadWAV is wrapped by every error DecodeWAV returns for input that is
// not usable WAV audio (as opposed to a failing reader).
var ErrBadWAV = errors.New("invalid WAV audio")

// Limits on what DecodeWAV accepts. A TTS line never comes near them; they
// exist so that hostile or broken input fails fast instead of exhausting
// memory.
const (
	// MaxClipSamples caps the decoded length of one clip: 2^25 samples is
	// about 23 minutes at 24 kHz and 128 MiB of float32.
	MaxClipSamples = 1 << 25
	maxChannels    = 32
	minSampleRate  = 1000
	maxSampleRate  = 768000
	// maxSkippedChunk bounds a non-audio chunk (LIST, JUNK, ...) that is
	// read past before the audio.
	maxSkippedChunk = 64 << 20
	// sizePlaceholder: a data chunk size of zero or at least this value is
	// taken as "unknown, read to EOF". Streaming servers write 0xFFFFFFFF;
	// espeak-ng --stdout writes 0x7FFFF000.
	sizePlaceholder = 0x7F000000
)

// wavFormat is the part of a fmt chunk the decoder needs.
type wavFormat struct {
	channels int
	rate     int
	bits     int
	float    bool
}

func (f wavFormat) frameBytes() int { return f.channels * f.bits / 8 }

// DecodeWAV reads a whole WAV stream and returns it as a mono clip
// (channels are averaged). It accepts integer PCM of 8, 16, 24 and 32 bits
// and IEEE float of 32 and 64 bits, including WAVE_FORMAT_EXTENSIBLE and
// RF64. Chunks other than fmt and data are skipped. RIFF and data sizes that
// are placeholders (0, 0xFFFFFFFF, espeak-ng's 0x7FFFF000) mean "read to
// EOF". Errors wrap ErrBadWAV for unusable input; allocation follows the
// bytes actually read, never the sizes a header claims.
func DecodeWAV(r io.Reader) (Clip, error) {
	d := wavDecoder{maxSamples: MaxClipSamples}
	return d.decode(r)
}

// wavDecoder keeps its buffers between calls so that mastering can decode
// segment after segment without fresh allocations. The Clip it returns
// aliases its sample buffer until the next decode.
type wavDecoder struct {
	maxSamples int
	buf        []byte
	samples    []float32
}

func (d *wavDecoder) decode(r io.Reader) (Clip, error) {
	var hdr [12]byte
	n, err := io.ReadFull(r, hdr[:])
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return Clip{}, fmt.Errorf("%w: the response is empty", ErrBadWAV)
	}
	if err != nil && err != io.ErrUnexpectedEOF {
		return Clip{}, fmt.Errorf("reading WAV header: %w", err)
	}
	magic := string(hdr[:4])
	if n < 12 || (magic != "RIFF" && magic != "RF64") || string(hdr[8:12]) != "WAVE" {
		return Clip{}, notWAV(hdr[:n], r)
	}
	var (
		format  wavFormat
		haveFmt bool
		ch      [8]byte
	)
	for {
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return Clip{}, fmt.Errorf("%w: the file ends before any audio data (truncated?)", ErrBadWAV)
			}
			return Clip{}, fmt.Errorf("reading WAV: %w", err)
		}
		id := string(ch[:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		switch id {
		case "fmt ":
			if format, err = readFormat(r, size); err != nil {
				return Clip{}, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return Clip{}, fmt.Errorf("%w: the data chunk comes before the fmt chunk", ErrBadWAV)
			}
			return d.readData(r, format, size)
		default:
			if size > maxSkippedChunk {
				return Clip{}, fmt.Errorf("%w: chunk %q claims %d bytes", ErrBadWAV, printable(ch[:4]), size)
			}
			if err := skip(r, size+size&1); err != nil {
				return Clip{}, fmt.Errorf("%w: chunk %q is truncated", ErrBadWAV, printable(ch[:4]))
			}
		}
	}
}

func readFormat(r io.Reader, size int64) (wavFormat, error) {
	if size < 16 || size > 1024 {
		return wavFormat{}, fmt.Errorf("%w: fmt chunk has an impossible size (%d bytes)", ErrBadWAV, size)
	}
	b := make([]byte, size+size&1)
	if _, err := io.ReadFull(r, b); err != nil {
		return wavFormat{}, fmt.Errorf("%w: fmt chunk is truncated", ErrBadWAV)
	}
	le := binary.LittleEndian
	tag := le.Uint16(b[0:])
	f := wavFormat{
		channels: int(le.Uint16(b[2:])),
		rate:     int(le.Uint32(b[4:])),
		bits:     int(le.Uint16(b[14:])),
	}
	if tag == 0xFFFE { // WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID
		if size < 40 {
			return wavFormat{}, fmt.Errorf("%w: extensible fmt chunk is too short", ErrBadWAV)
		}
		tag = le.Uint16(b[24:])
	}
	switch tag {
	case 1:
		if f.bits != 8 && f.bits != 16 && f.bits != 24 && f.bits != 32 {
			return wavFormat{}, fmt.Errorf("%w: %d-bit integer PCM is not supported (use 8, 16, 24 or 32)", ErrBadWAV, f.bits)
		}
	case 3:
		f.float = true
		if f.bits != 32 && f.bits != 64 {
			return wavFormat{}, fmt.Errorf("%w: %d-bit float PCM is not supported (use 32 or 64)", ErrBadWAV, f.bits)
		}
	default:
		return wavFormat{}, fmt.Errorf("%w: compressed WAV (format tag %#x) is not supported; ask the TTS server for PCM", ErrBadWAV, tag)
	}
	if f.channels < 1 || f.channels > maxChannels {
		return wavFormat{}, fmt.Errorf("%w: %d channels", ErrBadWAV, f.channels)
	}
	if f.rate < minSampleRate || f.rate > maxSampleRate {
		return wavFormat{}, fmt.Errorf("%w: sample rate %d Hz is out of range", ErrBadWAV, f.rate)
	}
	return f, nil
}

// readData converts the data chunk in bounded reads.
func (d *wavDecoder) readData(r io.Reader, f wavFormat, size int64) (Clip, error) {
	toEOF := size == 0 || size >= sizePlaceholder
	frame := f.frameBytes()
	if len(d.buf) == 0 {
		d.buf = make([]byte, 64<<10)
	}
	d.samples = d.samples[:0]
	var got int64 // data bytes read
	carry := 0    // bytes of an incomplete frame at the start of d.buf
	chunk := len(d.buf) - len(d.buf)%frame
	for toEOF || got < size {
		want := chunk - carry
		if !toEOF && int64(want) > size-got {
			want = int(size - got)
		}
		n, err := io.ReadFull(r, d.buf[carry:carry+want])
		got += int64(n)
		avail := carry + n
		whole := avail - avail%frame
		if len(d.samples)+whole/frame > d.maxSamples {
			return Clip{}, fmt.Errorf("%w: more than %d samples (%.0f s at %d Hz) is too long for one clip",
				ErrBadWAV, d.maxSamples, float64(d.maxSamples)/float64(f.rate), f.rate)
		}
		d.samples = appendFrames(d.samples, d.buf[:whole], f)
		carry = copy(d.buf, d.buf[whole:avail])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if !toEOF {
				return Clip{}, fmt.Errorf("%w: audio data ends after %d of the %d bytes the header announces (truncated download?)", ErrBadWAV, got, size)
			}
			break
		}
		if err != nil {
			return Clip{}, fmt.Errorf("reading WAV data: %w", err)
		}
	}
	if len(d.samples) == 0 {
		return Clip{}, fmt.Errorf("%w: the file holds no audio samples", ErrBadWAV)
	}
	return Clip{SampleRate: f.rate, Samples: d.samples}, nil
}

// appendFrames decodes whole frames of b, averaging channels.
func appendFrames(dst []float32, b []byte, f wavFormat) []float32 {
	le := binary.LittleEndian
	if f.channels == 1 && f.bits == 16 && !f.float {
		return appendPCM16(dst, b)
	}
	step := f.bits / 8
	inv := 1 / float32(f.channels)
	for i := 0; i+f.frameBytes() <= len(b); i += f.frameBytes() {
		var sum float32
		for c := 0; c < f.channels; c++ {
			p := b[i+c*step:]
			var v float32
			switch {
			case f.float && step == 4:
				v = finite(math.Float32frombits(le.Uint32(p)))
			case f.float:
				v = finite(float32(math.Float64frombits(le.Uint64(p))))
			case step == 1:
				v = (float32(p[0]) - 128) / 128
			case step == 2:
				v = float32(int16(le.Uint16(p))) / 32768
			case step == 3:
				v = float32(int32(uint32(p[0])<<8|uint32(p[1])<<16|uint32(p[2])<<24)>>8) / 8388608
			default:
				v = float32(int32(le.Uint32(p))) / 2147483648
			}
			sum += v
		}
		dst = append(dst, sum*inv)
	}
	return dst
}

func appendPCM16(dst []float32, b []byte) []float32 {
	n := len(b) / 2
	start := len(dst)
	dst = grow(dst, n)
	out := dst[start : start+n]
	for i := range out {
		out[i] = float32(int16(uint16(b[2*i])|uint16(b[2*i+1])<<8)) / 32768
	}
	return dst
}

// grow extends s by n elements, reusing capacity when it can.
func grow(s []float32, n int) []float32 {
	if cap(s)-len(s) >= n {
		return s[:len(s)+n]
	}
	return append(s, make([]float32, n)...)
}

// finite maps NaN and ±Inf, which some float engines emit on failure, to silence.
func finite(v float32) float32 {
	if v != v || v > math.MaxFloat32 || v < -math.MaxFloat32 {
		return 0
	}
	return v
}

// DecodePCM16LE turns headerless signed 16-bit little-endian mono PCM into a
// clip (an OpenAI-compatible server's response_format "pcm"). A trailing odd
// byte is ignored.
func DecodePCM16LE(data []byte, rate int) Clip {
	return Clip{SampleRate: rate, Samples: appendPCM16(nil, data[:len(data)&^1])}
}

// FromFloat32LE turns headerless little-endian float32 mono samples (Kyutai's
// raw Pcm frames) into a clip. NaN and infinite samples become silence and a
// trailing partial sample is ignored.
func FromFloat32LE(data []byte, rate int) Clip {
	s := make([]float32, len(data)/4)
	for i := range s {
		s[i] = finite(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
	}
	return Clip{SampleRate: rate, Samples: s}
}

// WriteWAV writes c as a 16-bit mono PCM WAV file with exact sizes.
// Samples outside [-1, 1] are clipped.
func WriteWAV(w io.Writer, c Clip) error {
	if c.SampleRate < minSampleRate || c.SampleRate > maxSampleRate {
		return fmt.Errorf("writing WAV: sample rate %d Hz is out of range", c.SampleRate)
	}
	dataBytes := int64(len(c.Samples)) * 2
	if dataBytes > math.MaxUint32-36 {
		return fmt.Errorf("writing WAV: %d samples do not fit in a WAV file", len(c.Samples))
	}
	var h [44]byte
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+dataBytes))
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1)
	le.PutUint16(h[22:], 1)
	le.PutUint32(h[24:], uint32(c.SampleRate))
	le.PutUint32(h[28:], uint32(c.SampleRate*2))
	le.PutUint16(h[32:], 2)
	le.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(dataBytes))
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("writing WAV: %w", err)
	}
	buf := make([]byte, 0, 32<<10)
	for len(c.Samples) > 0 {
		n := min(len(c.Samples), cap(buf)/2)
		buf = buf[:2*n]
		for i, s := range c.Samples[:n] {
			v := int16(math.Round(float64(max(-32768, min(32767, s*32768)))))
			le.PutUint16(buf[2*i:], uint16(v))
		}
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("writing WAV: %w", err)
		}
		c.Samples = c.Samples[n:]
	}
	return nil
}

// notWAV explains what arrived instead of WAV, reading a little more of it
// for the message.
func notWAV(head []byte, r io.Reader) error {
	more := make([]byte, 64)
	n, _ := io.ReadFull(r, more)
	b := append(head, more[:n]...)
	t := strings.ToLower(string(bytes.TrimLeft(b, " \t\r\n\ufeff")))
	hint := ""
	switch {
	case strings.HasPrefix(t, "<") || strings.Contains(t, "html"):
		hint = " (it looks like an HTML page: the server probably returned an error page)"
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		hint = " (it looks like JSON: the server probably returned an error message)"
	case strings.HasPrefix(t, "id3") || len(b) > 1 && b[0] == 0xFF && b[1]&0xE0 == 0xE0:
		hint = " (it looks like MP3: ask the server for WAV)"
	case strings.HasPrefix(t, "oggs"):
		hint = " (it looks like Ogg: ask the server for WAV)"
	}
	return fmt.Errorf("%w: the response does not start with a RIFF/WAVE header%s; it begins %q", ErrBadWAV, hint, printable(b[:min(len(b), 40)]))
}

func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			return '.'
		}
		return r
	}, string(b))
}

func skip(r io.Reader, n int64) error {
	_, err := io.CopyN(io.Discard, r, n)
	return err
}
