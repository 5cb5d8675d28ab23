package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// A Stream's MP3 is made of pieces encoded apart (chunk.go) and put end to
// end at frame boundaries, so it carries one Info/LAME tag of its own
// instead of one encoder's: this file reads frame headers, cuts encoded
// bytes into whole frames and writes that tag.

// mp3Format is what every frame of a Stream's MP3 shares.
type mp3Format struct {
	rate, kbps int
	samples    int // per frame
}

// frameLength checks that h starts a Layer III frame of format f (mono,
// no CRC) and returns its length in bytes.
func (f mp3Format) frameLength(h []byte) (int, error) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return 0, errors.New("not an MP3 frame header")
	}
	version := (h[1] >> 3) & 3 // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
	layer := (h[1] >> 1) & 3   // 1: Layer III
	rates := map[byte][3]int{3: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 0: {11025, 12000, 8000}}
	r, ok := rates[version]
	ri := int(h[2]>>2) & 3
	bi := int(h[2] >> 4)
	if !ok || layer != 1 || ri == 3 || bi == 0 || bi == 15 || h[3]>>6 != 3 {
		return 0, fmt.Errorf("frame header % x is not mono MPEG Layer III", h[:4])
	}
	bitrates := []int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	if version != 3 {
		bitrates = []int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	}
	if r[ri] != f.rate || bitrates[bi] != f.kbps {
		return 0, fmt.Errorf("frame of %d Hz at %d kbps in an MP3 of %d Hz at %d kbps", r[ri], bitrates[bi], f.rate, f.kbps)
	}
	pad := int(h[2]>>1) & 1
	n := 144 * f.kbps * 1000 / f.rate
	if version != 3 {
		n = 72 * f.kbps * 1000 / f.rate
	}
	return n + pad, nil
}

// cutFrames returns the first n whole frames of b and how long they are.
// Fewer than n frames, or bytes that are not frames of f, are an error.
func (f mp3Format) cutFrames(b []byte, n int) ([]byte, error) {
	pos := 0
	for i := 0; i < n; i++ {
		size, err := f.frameLength(b[pos:])
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
		if pos+size > len(b) {
			return nil, fmt.Errorf("frame %d is cut short", i+1)
		}
		pos += size
	}
	return b[:pos], nil
}

// countFrames checks that b is whole frames of f and counts them.
func (f mp3Format) countFrames(b []byte) (int, error) {
	n, pos := 0, 0
	for pos < len(b) {
		size, err := f.frameLength(b[pos:])
		if err != nil {
			return 0, fmt.Errorf("frame %d: %w", n+1, err)
		}
		if pos+size > len(b) {
			return 0, fmt.Errorf("frame %d is cut short", n+1)
		}
		pos += size
		n++
	}
	return n, nil
}

// crc16 is the CRC the LAME tag uses (CRC-16/ARC: polynomial 0x8005,
// reflected, starting at 0).
type crc16 uint16

var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xA001
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

func (c crc16) update(b []byte) crc16 {
	v := uint16(c)
	for _, x := range b {
		v = v>>8 ^ crc16Table[byte(v)^x]
	}
	return crc16(v)
}

// The Info tag's fields, as offsets from the "Info" marker (see LAME's
// VbrTag.c and the LAME tag specification).
const (
	infoFrames    = 8   // frames after the tag frame, big-endian uint32
	infoBytes     = 12  // bytes of the whole stream, tag frame included
	infoTOC       = 16  // 100 seek points
	infoDelay     = 141 // 12 bits encoder delay, 12 bits padding
	infoMusicLen  = 148 // bytes of the whole stream again
	infoMusicCRC  = 152 // CRC of the frames after the tag frame
	infoTagCRC    = 154 // CRC of the tag frame up to here
	infoTagLength = 156
)

// infoTemplate is what LAME writes in the tag frame at one rate and
// bitrate (its version, settings, lowpass), with the "Info" marker's offset.
type infoTemplate struct {
	frame  []byte
	marker int
	delay  int
}

var infoTemplates sync.Map // mp3Format → infoTemplate

// templateFor has LAME encode one frame of silence and keeps the tag it
// writes for it, whose counts and CRCs writeInfo replaces.
func templateFor(f mp3Format) (infoTemplate, error) {
	if v, ok := infoTemplates.Load(f); ok {
		return v.(infoTemplate), nil
	}
	enc, err := newEncoder(f.rate, f.kbps, true)
	if err != nil {
		return infoTemplate{}, err
	}
	defer enc.close()
	if _, err := enc.encode(make([]float32, f.samples)); err != nil {
		return infoTemplate{}, err
	}
	if _, err := enc.flush(); err != nil {
		return infoTemplate{}, err
	}
	t := infoTemplate{frame: enc.lameTag(), delay: enc.delay()}
	if len(t.frame) == 0 {
		// At low bitrates a frame is too small for the tag: LAME writes
		// none, and neither does a Stream.
		infoTemplates.Store(f, t)
		return t, nil
	}
	for i := 4; i+4 <= len(t.frame); i++ {
		if string(t.frame[i:i+4]) == "Info" {
			t.marker = i
			break
		}
	}
	if t.marker == 0 || t.marker+infoTagLength > len(t.frame) {
		return infoTemplate{}, errors.New("libmp3lame wrote no Info tag")
	}
	infoTemplates.Store(f, t)
	return t, nil
}

// placeholder is the silent frame that holds the tag's place while the
// stream grows: the tag frame's header, then zeros, as LAME writes it.
func (t infoTemplate) placeholder() []byte {
	if len(t.frame) == 0 {
		return nil
	}
	p := make([]byte, len(t.frame))
	copy(p, t.frame[:4])
	return p
}

// info is the Info/LAME tag of a finished stream: frames audio frames of
// bytes bytes in all (tag excluded), whose last frame holds padding samples
// past the end, and whose frames have CRC music.
func (t infoTemplate) info(frames int, bytes int64, padding int, music crc16) ([]byte, error) {
	if len(t.frame) == 0 {
		return nil, nil
	}
	total := bytes + int64(len(t.frame))
	if padding < 0 || padding > 0xFFF || t.delay > 0xFFF || total > 0xFFFFFFFF {
		return nil, fmt.Errorf("the MP3 cannot be tagged (delay %d, padding %d, %d bytes)", t.delay, padding, total)
	}
	tag := append([]byte(nil), t.frame...)
	x := tag[t.marker:]
	binary.BigEndian.PutUint32(x[infoFrames:], uint32(frames))
	binary.BigEndian.PutUint32(x[infoBytes:], uint32(total))
	for i := range 100 {
		// Frames are all but the same size, so the i-th percent of the
		// playing time starts i % into the bytes.
		x[infoTOC+i] = byte(min(255, 256*i/100))
	}
	x[infoDelay] = byte(t.delay >> 4)
	x[infoDelay+1] = byte(t.delay<<4) | byte(padding>>8)
	x[infoDelay+2] = byte(padding)
	binary.BigEndian.PutUint32(x[infoMusicLen:], uint32(total))
	binary.BigEndian.PutUint16(x[infoMusicCRC:], uint16(music))
	binary.BigEndian.PutUint16(x[infoTagCRC:], uint16(crc16(0).update(tag[:t.marker+infoTagCRC])))
	return tag, nil
}

// FramesStart returns where the first audio frame of an MP3 a Stream made
// begins: after the ID3v2 tag, if any, and the Info frame, if any.
func FramesStart(r io.ReaderAt) (int64, error) {
	var h [10]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return 0, fmt.Errorf("reading the MP3: %w", err)
	}
	var pos int64
	if string(h[:3]) == "ID3" {
		for _, b := range h[6:10] {
			if b&0x80 != 0 {
				return 0, errors.New("the MP3's ID3 tag has a bad size")
			}
		}
		pos = 10 + (int64(h[6])<<21 | int64(h[7])<<14 | int64(h[8])<<7 | int64(h[9]))
		if h[5]&0x10 != 0 {
			pos += 10 // footer
		}
	}
	frame := make([]byte, 64)
	if _, err := r.ReadAt(frame, pos); err != nil {
		return 0, fmt.Errorf("reading the MP3's first frame: %w", err)
	}
	if frame[0] != 0xFF || frame[1]&0xE0 != 0xE0 {
		return 0, errors.New("the MP3 has no frame after its ID3 tag")
	}
	size, err := anyFrameLength(frame)
	if err != nil {
		return 0, err
	}
	// The tag sits where the side information ends: 17 bytes of it in an
	// MPEG-1 mono frame, 9 below, after a CRC when there is one.
	at := 4 + 9
	if (frame[1]>>3)&3 == 3 {
		at = 4 + 17
	}
	if frame[1]&1 == 0 {
		at += 2
	}
	if m := string(frame[at : at+4]); m == "Info" || m == "Xing" {
		return pos + int64(size), nil
	}
	return pos, nil
}

// anyFrameLength is the length of the Layer III frame h starts, whatever
// its rate and bitrate.
func anyFrameLength(h []byte) (int, error) {
	for _, rate := range []int{44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000} {
		for _, kbps := range mp3Bitrates(rate) {
			if n, err := (mp3Format{rate: rate, kbps: kbps}).frameLength(h); err == nil {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("frame header % x is not mono MPEG Layer III", h[:4])
}
