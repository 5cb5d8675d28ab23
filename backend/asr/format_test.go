package asr_test

import (
	"encoding/binary"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

// clips returns the spoken fixture in every format, generating it once.
func clips(t *testing.T) map[string][]byte {
	t.Helper()
	clipsOnce.Do(func() {
		wav := asrtest.Speech(t, "Hello and welcome. This is a short test of speech recognition.")
		m := map[string][]byte{"wav": wav}
		for _, ext := range []string{"mp3", "ogg", "flac", "m4a", "webm"} {
			m[ext] = asrtest.Encode(t, wav, ext)
		}
		clipsByExt = m
	})
	if clipsByExt == nil {
		t.Fatal("the speech fixtures could not be made (see the first failing test)")
	}
	return clipsByExt
}

var (
	clipsOnce  sync.Once
	clipsByExt map[string][]byte
)

// wavSeconds is the true length of a canonical 44-byte-header WAV.
func wavSeconds(wav []byte) float64 {
	byteRate := binary.LittleEndian.Uint32(wav[28:32])
	return float64(len(wav)-44) / float64(byteRate)
}

func TestDetectFormat(t *testing.T) {
	c := clips(t)
	for _, ext := range asr.Formats {
		t.Run(ext, func(t *testing.T) {
			got, ok := asr.DetectFormat(c[ext])
			if !ok || got != ext {
				t.Fatalf("asr.DetectFormat(%s fixture) = %q, %v", ext, got, ok)
			}
		})
	}
	rf64 := slices.Clone(c["wav"])
	copy(rf64, "RF64")
	adts := []byte{0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC, 0x21}
	notAudio := map[string][]byte{
		"empty":      nil,
		"text":       []byte("Hello, this is plain text that happens to be long enough."),
		"png":        []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"pdf":        []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
		"jpeg":       {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'},
		"aac adts":   adts,
		"heic":       []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"matroska":   []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"),
		"id3 junk":   append([]byte("ID3\x04\x00\x00\x00\x00\x00\x05"), []byte("xxxxxjunkjunkjunk")...),
		"bad id3":    []byte("ID3\x04\x00\x00\xff\xff\xff\xff"),
		"riff avi":   []byte("RIFF\x00\x00\x00\x00AVI LIST"),
		"zip":        []byte("PK\x03\x04\x14\x00\x00\x00"),
		"short sync": {0xFF, 0xFB},
	}
	for name, head := range notAudio {
		t.Run(name, func(t *testing.T) {
			if ext, ok := asr.DetectFormat(head); ok {
				t.Fatalf("asr.DetectFormat(%s) = %q, want not audio", name, ext)
			}
		})
	}
	if ext, ok := asr.DetectFormat(rf64); !ok || ext != "wav" {
		t.Errorf("RF64: %q %v", ext, ok)
	}
	bigTag := append([]byte("ID3\x04\x00\x00\x00\x10\x00\x00"), make([]byte, 100)...) // 256 KiB tag
	if ext, ok := asr.DetectFormat(bigTag); !ok || ext != "mp3" {
		t.Errorf("ID3 tag larger than the head: %q %v, want mp3", ext, ok)
	}
}

func TestEstimateDuration(t *testing.T) {
	c := clips(t)
	real := wavSeconds(c["wav"])
	tests := []struct {
		ext       string
		tolerance float64 // relative; negative = the estimate may only err long
		exact     bool
	}{
		{"wav", 0.001, true},
		{"flac", 0.01, true},
		{"mp3", 0.10, false},
		{"ogg", -1, false},
		{"m4a", -1, false},
		{"webm", -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			data := c[tt.ext]
			got, exact := asr.EstimateDuration(data[:min(len(data), asr.SniffLen)], int64(len(data)))
			if exact != tt.exact {
				t.Errorf("exact = %v, want %v", exact, tt.exact)
			}
			if tt.tolerance < 0 {
				if got < real {
					t.Errorf("estimate %.2fs is shorter than the audio (%.2fs); it must err long", got, real)
				}
				return
			}
			if math.Abs(got-real)/real > tt.tolerance {
				t.Errorf("estimate %.3fs, real %.3fs", got, real)
			}
		})
	}

	t.Run("streamed wav sizes", func(t *testing.T) {
		for _, placeholder := range []uint32{0xFFFFFFFF, 0x7FFFF000, 0} {
			w := slices.Clone(c["wav"])
			binary.LittleEndian.PutUint32(w[4:8], placeholder)
			binary.LittleEndian.PutUint32(w[40:44], placeholder)
			got, exact := asr.EstimateDuration(w, int64(len(w)))
			if !exact || math.Abs(got-real) > 0.01 {
				t.Errorf("placeholder %#x: %.3fs exact=%v, want %.3fs", placeholder, got, exact, real)
			}
		}
	})
	t.Run("truncated head falls back", func(t *testing.T) {
		got, exact := asr.EstimateDuration(c["wav"][:20], 1_000_000)
		if exact || got != 250 {
			t.Errorf("got %v %v, want 250s from 32 kbit/s", got, exact)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if got, _ := asr.EstimateDuration(nil, 0); got != 0 {
			t.Errorf("got %v", got)
		}
	})
}

func TestBudget(t *testing.T) {
	if got := asr.Budget(0); got != time.Minute {
		t.Errorf("asr.Budget(0) = %v", got)
	}
	if got := asr.Budget(600); got != 31*time.Minute {
		t.Errorf("asr.Budget(10 min) = %v, want 31m", got)
	}
}

func FuzzDetectFormat(f *testing.F) {
	for _, seed := range [][]byte{
		[]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00\x44\xac\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"),
		[]byte("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64"),
		[]byte("fLaC\x00\x00\x00\x22"),
		[]byte("OggS"), []byte("\x00\x00\x00\x1cftypM4A "), {0x1a, 0x45, 0xdf, 0xa3},
		{0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0}, []byte("RF64\xff\xff\xff\xffWAVEds64"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		ext, ok := asr.DetectFormat(head)
		if ok != slices.Contains(asr.Formats, ext) {
			t.Fatalf("DetectFormat = %q, %v", ext, ok)
		}
		for _, size := range []int64{int64(len(head)), int64(len(head)) * 7, 1} {
			d, _ := asr.EstimateDuration(head, size)
			if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
				t.Fatalf("EstimateDuration = %v for size %d", d, size)
			}
		}
	})
}
