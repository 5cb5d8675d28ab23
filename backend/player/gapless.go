package player

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"
)

// decoderDelay is the MP3 synthesis filterbank's delay: a decoder's output
// lags the encoder's input by this many samples on top of the encoder's own
// delay. The LAME tag's figures leave it out; every gapless decoder (LAME's
// own, mpg123, FFmpeg) adds it.
const decoderDelay = 529

// gapless says where the audio the file was made from lies in the decoded
// stream: the decoder also yields the Info frame (as silence), the
// encoder's delay and the filterbank's, and the padding of the last frame.
// The captions and chapters are computed from exact sample offsets before
// encoding, so positions are reported in that timeline.
type gapless struct {
	skip  int // decoded samples before the first sample of the audio
	total int // samples of audio; 0 when the tag does not say
}

// readGapless reads the LAME (or FFmpeg) Info tag in the first frame of an
// MP3 file. A file without one (or with one that does not hold together)
// gives the zero value: the decoded stream is taken as it is, as before.
func readGapless(r io.ReaderAt) gapless {
	off, err := firstFrameOffset(r)
	if err != nil {
		return gapless{}
	}
	// The longest Info frame we read is 4 (header) + 32 (side info) + 120
	// (Xing fields) + 36 (LAME extension) bytes.
	var frame [4 + 32 + 120 + 36]byte
	n, err := r.ReadAt(frame[:], off)
	if err != nil && !errors.Is(err, io.EOF) {
		return gapless{}
	}
	g, err := parseInfoFrame(frame[:n])
	if err != nil {
		return gapless{}
	}
	return g
}

// firstFrameOffset is where the first MPEG frame starts: right after an
// ID3v2 tag, where go-mp3 starts too.
func firstFrameOffset(r io.ReaderAt) (int64, error) {
	var h [10]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return 0, err
	}
	if string(h[:3]) != "ID3" {
		return 0, nil
	}
	for _, b := range h[6:10] {
		if b&0x80 != 0 {
			return 0, errors.New("ID3v2 size is not syncsafe")
		}
	}
	size := int64(h[6])<<21 | int64(h[7])<<14 | int64(h[8])<<7 | int64(h[9])
	off := 10 + size
	if h[5]&0x10 != 0 { // a footer follows the tag
		off += 10
	}
	return off, nil
}

// parseInfoFrame reads the encoder delay and padding from a Layer III frame
// holding a Xing/Info tag with a LAME extension (LAME, and FFmpeg's "Lavc"
// and "Lavf", write the same layout).
func parseInfoFrame(f []byte) (gapless, error) {
	if len(f) < 4 || f[0] != 0xFF || f[1]&0xE0 != 0xE0 {
		return gapless{}, errors.New("no frame header")
	}
	version, layer := (f[1]>>3)&3, (f[1]>>1)&3
	if version == 1 || layer != 1 || (f[2]>>2)&3 == 3 {
		return gapless{}, errors.New("not a Layer III frame")
	}
	mono := f[3]>>6 == 3
	var side, perFrame int
	switch {
	case version == 3 && mono:
		side, perFrame = 17, 1152
	case version == 3:
		side, perFrame = 32, 1152
	case mono:
		side, perFrame = 9, 576
	default:
		side, perFrame = 17, 576
	}
	p := 4 + side
	if len(f) < p+8 {
		return gapless{}, errors.New("frame too short for a Xing tag")
	}
	if id := string(f[p : p+4]); id != "Xing" && id != "Info" {
		return gapless{}, errors.New("no Xing/Info tag")
	}
	flags := binary.BigEndian.Uint32(f[p+4:])
	p += 8
	frames := -1
	if flags&1 != 0 {
		if len(f) < p+4 {
			return gapless{}, errors.New("Xing frame count cut short")
		}
		frames = int(binary.BigEndian.Uint32(f[p:]))
		p += 4
	}
	for _, field := range []struct {
		flag uint32
		size int
	}{{2, 4}, {4, 100}, {8, 4}} { // bytes, table of contents, quality
		if flags&field.flag != 0 {
			p += field.size
		}
	}
	// The LAME extension: a 9-byte encoder name, then 12 bytes of settings,
	// then delay and padding as two 12-bit numbers.
	if len(f) < p+24 {
		return gapless{}, errors.New("no LAME extension")
	}
	if name := string(f[p : p+4]); name != "LAME" && name != "Lavc" && name != "Lavf" {
		return gapless{}, fmt.Errorf("unknown encoder %q in the Info tag", name)
	}
	v := int(f[p+21])<<16 | int(f[p+22])<<8 | int(f[p+23])
	delay, padding := v>>12, v&0xFFF
	g := gapless{skip: perFrame + delay + decoderDelay}
	if frames > 0 {
		// frames counts the audio frames, not the Info frame.
		g.total = max(0, frames*perFrame-delay-padding)
	}
	return g, nil
}

// trimmed is the decoded stream without what gapless says is not audio:
// sample 0 is the first sample the file was made from, so positions agree
// with captions computed before encoding.
type trimmed struct {
	dec  beep.StreamSeekCloser
	skip int
	n    int // length
	pos  int
}

// settle is how far before a seek target the decoder is sent: go-mp3 primes
// the frame it seeks to instead of decoding the one before, so its first
// frame after a seek is approximate; decoding one frame more and dropping
// it makes the samples from the target on exact.
const settle = 1152

// trim wraps dec according to g. The stream is left at its start.
func trim(dec beep.StreamSeekCloser, g gapless) (beep.StreamSeekCloser, error) {
	if g.skip == 0 && g.total == 0 {
		return dec, nil
	}
	n := dec.Len() - g.skip
	if g.total > 0 {
		n = min(n, g.total)
	}
	if n <= 0 {
		// A tag that does not fit the file is not trusted.
		return dec, nil
	}
	t := &trimmed{dec: dec, skip: g.skip, n: n}
	if err := t.Seek(0); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *trimmed) Stream(samples [][2]float64) (int, bool) {
	left := t.n - t.pos
	if left <= 0 {
		return 0, false
	}
	if len(samples) > left {
		samples = samples[:left]
	}
	k, ok := t.dec.Stream(samples)
	t.pos += k
	return k, ok || k > 0
}

func (t *trimmed) Err() error    { return t.dec.Err() }
func (t *trimmed) Len() int      { return t.n }
func (t *trimmed) Position() int { return t.pos }
func (t *trimmed) Close() error  { return t.dec.Close() }

// Seek moves to sample p of the audio; the decoder settles first.
func (t *trimmed) Seek(p int) error {
	if p < 0 || p > t.n {
		return fmt.Errorf("seek to sample %d of %d", p, t.n)
	}
	target := p + t.skip
	from := max(0, target-settle)
	if err := t.dec.Seek(from); err != nil {
		return err
	}
	var buf [512][2]float64
	for drop := target - from; drop > 0; {
		k, ok := t.dec.Stream(buf[:min(drop, len(buf))])
		drop -= k
		if !ok && drop > 0 {
			if err := t.dec.Err(); err != nil {
				return err
			}
			return fmt.Errorf("the decoded stream ends before sample %d", target)
		}
	}
	t.pos = p
	return nil
}
