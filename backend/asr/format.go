package asr

import (
	"bytes"
	"encoding/binary"
	"time"
)

// SniffLen is how many leading bytes DetectFormat and EstimateDuration want
// to see; fewer work, with less certainty.
const SniffLen = 64 << 10

// Formats DetectFormat recognises, as file extensions.
var Formats = []string{"mp3", "wav", "m4a", "ogg", "flac", "webm"}

// DetectFormat recognises audio by its magic bytes, never by a file name:
// MPEG audio (with or without an ID3v2 tag), RIFF/RF64 WAVE, MP4/M4A (ftyp
// with an audio or generic brand), Ogg, FLAC and WebM (EBML with the webm
// doctype). It returns the usual extension.
func DetectFormat(head []byte) (ext string, ok bool) {
	switch {
	case len(head) >= 12 && (bytes.HasPrefix(head, []byte("RIFF")) || bytes.HasPrefix(head, []byte("RF64"))) &&
		bytes.Equal(head[8:12], []byte("WAVE")):
		return "wav", true
	case bytes.HasPrefix(head, []byte("OggS")):
		return "ogg", true
	case bytes.HasPrefix(head, []byte("fLaC")):
		return "flac", true
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")):
		if mp4Brands[string(head[8:12])] {
			return "m4a", true
		}
		return "", false
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		// The EBML header names its DocType near the start.
		if bytes.Contains(head[:min(len(head), 64)], []byte("webm")) {
			return "webm", true
		}
		return "", false
	case bytes.HasPrefix(head, []byte("ID3")):
		end := id3End(head)
		if end < 0 || end >= len(head) {
			// A tag bigger than the head (cover art) is almost always MP3.
			return "mp3", end >= 0
		}
		if bytes.HasPrefix(head[end:], []byte("fLaC")) {
			return "flac", true
		}
		if _, ok := findFrame(head, end); ok {
			return "mp3", true
		}
		return "", false
	}
	if len(head) >= 4 && frameAt(head, 0) {
		return "mp3", true
	}
	return "", false
}

// mp4Brands are ftyp major brands of files that carry audio (HEIF images
// and other ISO-BMFF kinds are left out).
var mp4Brands = map[string]bool{
	"M4A ": true, "M4B ": true, "M4P ": true, "mp41": true, "mp42": true,
	"isom": true, "iso2": true, "iso4": true, "iso5": true, "iso6": true,
	"dash": true, "3gp4": true, "3gp5": true, "3gp6": true, "3g2a": true,
	"qt  ": true, "MSNV": true, "f4a ": true, "f4v ": true, "avc1": true,
}

// id3End returns the offset just after an ID3v2 tag at the start of head,
// or -1 if the tag header is malformed.
func id3End(head []byte) int {
	// "ID3", major version 2–4, revision 0, no undefined flag bits.
	if len(head) < 10 || head[3] < 2 || head[3] > 4 || head[4] != 0 || head[5]&0x0F != 0 {
		return -1
	}
	n := 0
	for _, b := range head[6:10] {
		if b&0x80 != 0 {
			return -1
		}
		n = n<<7 | int(b)
	}
	end := 10 + n
	if head[5]&0x10 != 0 { // footer present
		end += 10
	}
	return end
}

// EstimateDuration guesses how many seconds of audio size bytes hold, from
// the first bytes of the file: WAV exactly from its header, FLAC exactly from
// STREAMINFO, MP3 from the Xing/VBRI frame count or else the first frame's
// bitrate; anything else from the size at a conservatively low bitrate, so
// the guess errs long. exact reports whether the figure came from a header.
func EstimateDuration(head []byte, size int64) (seconds float64, exact bool) {
	if size <= 0 {
		return 0, false
	}
	ext, _ := DetectFormat(head)
	switch ext {
	case "wav":
		if d, ok := wavDuration(head, size); ok {
			return d, true
		}
	case "flac":
		if d, ok := flacDuration(head); ok {
			return d, true
		}
	case "mp3":
		if d, ok := mp3Duration(head, size); ok {
			return d, false
		}
	}
	const conservativeBitrate = 32_000 // bits per second
	return float64(size) * 8 / conservativeBitrate, false
}

// Budget is the time a server is given to transcribe audio of the estimated
// length: a minute for loading the model and uploading, plus three times the
// audio's duration, which covers a CPU-only server running a medium model.
func Budget(seconds float64) time.Duration {
	return time.Minute + time.Duration(3*seconds*float64(time.Second))
}

func wavDuration(head []byte, size int64) (float64, bool) {
	rf64 := bytes.HasPrefix(head, []byte("RF64"))
	var byteRate uint32
	var ds64Data uint64
	for off := 12; off+8 <= len(head); {
		id := string(head[off : off+4])
		n := binary.LittleEndian.Uint32(head[off+4 : off+8])
		body := off + 8
		switch id {
		case "ds64":
			if rf64 && body+16 <= len(head) {
				ds64Data = binary.LittleEndian.Uint64(head[body+8 : body+16])
			}
		case "fmt ":
			if body+12 > len(head) {
				return 0, false
			}
			byteRate = binary.LittleEndian.Uint32(head[body+8 : body+12])
		case "data":
			if byteRate == 0 {
				return 0, false
			}
			avail := uint64(size) - uint64(body)
			if size < int64(body) {
				avail = 0
			}
			data := uint64(n)
			if rf64 && n == 0xFFFFFFFF && ds64Data > 0 {
				data = ds64Data
			}
			// Streamed WAVs carry placeholder sizes (0, 0xFFFFFFFF, espeak-ng's
			// 0x7FFFF000): trust the file size then.
			if data == 0 || data > avail {
				data = avail
			}
			return float64(data) / float64(byteRate), true
		}
		next := int64(body) + int64(n) + int64(n&1)
		if next > int64(len(head)) {
			return 0, false
		}
		off = int(next)
	}
	return 0, false
}

func flacDuration(head []byte) (float64, bool) {
	off := 0
	if bytes.HasPrefix(head, []byte("ID3")) {
		if off = id3End(head); off < 0 {
			return 0, false
		}
	}
	// "fLaC", then the STREAMINFO block header (type 0, length 34).
	b := head[min(off, len(head)):]
	if len(b) < 8+18 || !bytes.HasPrefix(b, []byte("fLaC")) || b[4]&0x7F != 0 {
		return 0, false
	}
	si := b[8:]
	rate := uint32(si[10])<<12 | uint32(si[11])<<4 | uint32(si[12])>>4
	total := uint64(si[13]&0x0F)<<32 | uint64(binary.BigEndian.Uint32(si[14:18]))
	if rate == 0 || total == 0 {
		return 0, false
	}
	return float64(total) / float64(rate), true
}
