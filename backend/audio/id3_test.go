package audio

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

type id3Frame struct {
	id   string
	body []byte
}

// syncsafe reads a 28-bit size, failing on a byte with its top bit set.
func syncsafe(b []byte) (int, error) {
	n := 0
	for _, c := range b[:4] {
		if c&0x80 != 0 {
			return 0, fmt.Errorf("size byte %#x is not syncsafe", c)
		}
		n = n<<7 | int(c)
	}
	return n, nil
}

// parseFrames walks ID3v2.4 frames, as a reader would.
func parseFrames(b []byte) ([]id3Frame, error) {
	var frames []id3Frame
	for len(b) > 0 {
		if len(b) < 10 {
			return nil, fmt.Errorf("%d stray bytes", len(b))
		}
		id := string(b[:4])
		for _, c := range id {
			if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
				return nil, fmt.Errorf("bad frame ID %q", id)
			}
		}
		size, err := syncsafe(b[4:8])
		if err != nil {
			return nil, err
		}
		if b[8] != 0 || b[9] != 0 || 10+size > len(b) {
			return nil, fmt.Errorf("frame %s: flags %x %x, size %d of %d", id, b[8], b[9], size, len(b)-10)
		}
		frames = append(frames, id3Frame{id, b[10 : 10+size]})
		b = b[10+size:]
	}
	return frames, nil
}

func parseID3(tag []byte) ([]id3Frame, error) {
	if len(tag) < 10 || string(tag[:3]) != "ID3" || tag[3] != 4 || tag[4] != 0 || tag[5] != 0 {
		return nil, fmt.Errorf("bad header % x", tag[:min(10, len(tag))])
	}
	size, err := syncsafe(tag[6:10])
	if err != nil {
		return nil, err
	}
	if size != len(tag)-10 {
		return nil, fmt.Errorf("header says %d bytes, tag has %d", size, len(tag)-10)
	}
	return parseFrames(tag[10:])
}

// text decodes a UTF-8 text frame.
func text(t *testing.T, f id3Frame) string {
	t.Helper()
	if len(f.body) == 0 || f.body[0] != 3 {
		t.Fatalf("%s: not a UTF-8 text frame: % x", f.id, f.body)
	}
	return string(f.body[1:])
}

func TestID3Tag(t *testing.T) {
	long := strings.Repeat("Ünïcödé chapter ", 20) // > 127 bytes: a size needing two syncsafe bytes
	tags := Tags{Title: "Episode 1: Sound", Artist: "Ada, Max", Album: "The Show", Date: "2025-03-14", Comment: strings.Repeat("c", 300)}
	chapters := []ChapterMark{{"Intro", 0, 24000}, {long, 24000, 48012}, {"End", 48012, 96000}}
	tag, err := buildID3(tags, 4000, chapters, 24000)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := parseID3(tag)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range frames {
		ids = append(ids, f.id)
	}
	if got := strings.Join(ids, " "); got != "TIT2 TPE1 TALB TDRC COMM TLEN CTOC CHAP CHAP CHAP" {
		t.Fatalf("frames %s", got)
	}
	for i, want := range []string{tags.Title, tags.Artist, tags.Album, tags.Date} {
		if got := text(t, frames[i]); got != want {
			t.Errorf("%s = %q, want %q", frames[i].id, got, want)
		}
	}
	if got := string(frames[4].body); got != "\x03eng\x00"+tags.Comment {
		t.Errorf("COMM body %q", got)
	}
	if got := text(t, frames[5]); got != "4000" {
		t.Errorf("TLEN = %q", got)
	}
	if got := string(frames[6].body); got != "toc\x00\x03\x03chp0\x00chp1\x00chp2\x00" {
		t.Errorf("CTOC body %q", got)
	}
	wantMS := [][2]uint32{{0, 1000}, {1000, 2001}, {2001, 4000}}
	for i, f := range frames[7:] {
		id := fmt.Sprintf("chp%d\x00", i)
		b := f.body
		if !strings.HasPrefix(string(b), id) {
			t.Fatalf("CHAP %d starts %q", i, b)
		}
		b = b[len(id):]
		be := binary.BigEndian
		if start, end := be.Uint32(b), be.Uint32(b[4:]); start != wantMS[i][0] || end != wantMS[i][1] {
			t.Errorf("CHAP %d spans %d–%d ms, want %v", i, start, end, wantMS[i])
		}
		if be.Uint32(b[8:]) != 0xFFFFFFFF || be.Uint32(b[12:]) != 0xFFFFFFFF {
			t.Errorf("CHAP %d byte offsets % x", i, b[8:16])
		}
		sub, err := parseFrames(b[16:])
		if err != nil || len(sub) != 1 || sub[0].id != "TIT2" {
			t.Fatalf("CHAP %d sub-frames %v, %v", i, sub, err)
		}
		if got := text(t, sub[0]); got != strings.TrimSpace(chapters[i].Title) {
			t.Errorf("CHAP %d title %q", i, got)
		}
	}
}

func TestID3TextIsSanitised(t *testing.T) {
	tag, err := buildID3(Tags{Title: " A\x00B\x01C\xff\xfeD\n", Artist: "   ", Comment: ""}, 1, nil, 24000)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := parseID3(tag)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2 || frames[0].id != "TIT2" || frames[1].id != "TLEN" {
		t.Fatalf("frames %v: empty fields must be left out", frames)
	}
	if got := text(t, frames[0]); got != "ABC\uFFFDD" {
		t.Errorf("title %q", got)
	}
}

func FuzzID3(f *testing.F) {
	f.Add("Title", "Artist", "Chapter", "Comment", int64(1000))
	f.Add("", "\x00\x00", strings.Repeat("é", 200), "\xff", int64(0))
	f.Fuzz(func(t *testing.T, title, artist, chapter, comment string, ms int64) {
		ms = max(0, ms%(1<<31))
		chapters := []ChapterMark{{chapter, 0, ms}, {title, ms, ms + 1}}
		tag, err := buildID3(Tags{Title: title, Artist: artist, Comment: comment}, ms, chapters, 1000)
		if err != nil {
			t.Fatal(err)
		}
		frames, err := parseID3(tag)
		if err != nil {
			t.Fatal(err)
		}
		for _, fr := range frames {
			switch fr.id {
			case "TIT2":
				if got := text(t, fr); got != id3Text(title) || got == "" {
					t.Errorf("TIT2 %q from %q", got, title)
				}
			case "CHAP":
				if _, err := parseFrames(fr.body[strings.IndexByte(string(fr.body), 0)+17:]); err != nil {
					t.Error(err)
				}
			}
		}
	})
}
