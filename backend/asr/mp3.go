package asr

import (
	"bytes"
	"encoding/binary"
)

// mp3Frame is the part of an MPEG audio frame header the estimate needs.
type mp3Frame struct {
	mpeg1      bool
	layer      int // 1, 2 or 3
	bitrate    int // bits per second
	sampleRate int
	mono       bool
	length     int // bytes, header included
}

// samples is how many samples per channel one frame holds.
func (f mp3Frame) samples() int {
	switch {
	case f.layer == 1:
		return 384
	case f.layer == 2 || f.mpeg1:
		return 1152
	}
	return 576
}

var (
	// kbps by [version row][layer-1][index]; row 0 MPEG-1, row 1 MPEG-2/2.5.
	mp3Bitrates = [2][3][16]int{
		{
			{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0},
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
			{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
		},
		{
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
		},
	}
	mp3Rates = [4][3]int{ // by version bits, sample-rate index
		{11025, 12000, 8000},  // MPEG-2.5
		{},                    // reserved
		{22050, 24000, 16000}, // MPEG-2
		{44100, 48000, 32000}, // MPEG-1
	}
)

// parseFrame decodes a 4-byte MPEG audio header, rejecting reserved values
// (which also rules out AAC's ADTS headers, whose layer bits are 00).
func parseFrame(h []byte) (mp3Frame, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return mp3Frame{}, false
	}
	version := int(h[1]>>3) & 3
	layerBits := int(h[1]>>1) & 3
	brIndex := int(h[2] >> 4)
	srIndex := int(h[2]>>2) & 3
	if version == 1 || layerBits == 0 || brIndex == 0 || brIndex == 15 || srIndex == 3 {
		return mp3Frame{}, false
	}
	f := mp3Frame{
		mpeg1:      version == 3,
		layer:      4 - layerBits,
		sampleRate: mp3Rates[version][srIndex],
		mono:       h[3]>>6 == 3,
	}
	row := 1
	if f.mpeg1 {
		row = 0
	}
	f.bitrate = mp3Bitrates[row][f.layer-1][brIndex] * 1000
	padding := int(h[2]>>1) & 1
	if f.layer == 1 {
		f.length = (12*f.bitrate/f.sampleRate + padding) * 4
	} else {
		f.length = f.samples()/8*f.bitrate/f.sampleRate + padding
	}
	return f, f.length > 4
}

// frameAt reports whether an MPEG audio frame header starts at i and, when
// the head holds it, the next frame's header follows where it should.
func frameAt(head []byte, i int) bool {
	f, ok := parseFrame(head[i:])
	if !ok {
		return false
	}
	next := i + f.length
	if next+4 <= len(head) {
		_, ok = parseFrame(head[next:])
	}
	return ok
}

// findFrame finds the first frame at or after off, scanning at most 4 KiB of
// junk between a tag and the audio.
func findFrame(head []byte, off int) (int, bool) {
	for i := off; i >= 0 && i <= min(len(head)-4, off+4096); i++ {
		if frameAt(head, i) {
			return i, true
		}
	}
	return 0, false
}

// mp3Duration reads the frame count from a Xing/Info or VBRI header when
// there is one, and otherwise assumes a constant bitrate.
func mp3Duration(head []byte, size int64) (float64, bool) {
	start := 0
	if bytes.HasPrefix(head, []byte("ID3")) {
		if start = id3End(head); start < 0 || start >= len(head) {
			return 0, false
		}
	}
	off, ok := findFrame(head, start)
	if !ok {
		return 0, false
	}
	f, _ := parseFrame(head[off:])
	if frames := vbrFrames(head[off:], f); frames > 0 {
		return float64(frames) * float64(f.samples()) / float64(f.sampleRate), true
	}
	audio := size - int64(off)
	if audio <= 0 {
		return 0, false
	}
	return float64(audio) * 8 / float64(f.bitrate), true
}

// vbrFrames returns the frame count a Xing/Info or VBRI header declares, or 0.
func vbrFrames(frame []byte, f mp3Frame) uint32 {
	side := 17
	switch {
	case f.mpeg1 && !f.mono:
		side = 32
	case !f.mpeg1 && f.mono:
		side = 9
	}
	x := 4 + side
	if x+12 <= len(frame) {
		tag := string(frame[x : x+4])
		flags := binary.BigEndian.Uint32(frame[x+4 : x+8])
		if (tag == "Xing" || tag == "Info") && flags&1 != 0 {
			return binary.BigEndian.Uint32(frame[x+8 : x+12])
		}
	}
	const vbri = 4 + 32
	if vbri+18 <= len(frame) && string(frame[vbri:vbri+4]) == "VBRI" {
		return binary.BigEndian.Uint32(frame[vbri+14 : vbri+18])
	}
	return 0
}
