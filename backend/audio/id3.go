package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Tags are the podcast's ID3 metadata. Empty fields are left out.
type Tags struct {
	Title   string // TIT2
	Artist  string // TPE1: the hosts
	Album   string // TALB: the show
	Date    string // TDRC: an ISO 8601 date such as 2025-01-31
	Comment string // COMM
}

const (
	id3MaxText = 64 << 10 // bytes kept of one text value
	// id3MaxTOC is how many children one CTOC frame can list.
	id3MaxTOC = 255
)

// buildID3 returns an ID3v2.4 tag: text frames, TLEN, and when there are
// chapters a top-level ordered CTOC followed by one CHAP per chapter (start
// and end in milliseconds, each with an embedded TIT2).
func buildID3(t Tags, lengthMS int64, chapters []ChapterMark, rate int) ([]byte, error) {
	var frames bytes.Buffer
	for _, f := range []struct{ id, text string }{
		{"TIT2", t.Title}, {"TPE1", t.Artist}, {"TALB", t.Album}, {"TDRC", t.Date},
	} {
		if v := id3Text(f.text); v != "" {
			writeFrame(&frames, f.id, textFrame(v))
		}
	}
	if v := id3Text(t.Comment); v != "" {
		// encoding, language, empty description (NUL-terminated), text
		body := append([]byte{3, 'e', 'n', 'g', 0}, v...)
		writeFrame(&frames, "COMM", body)
	}
	writeFrame(&frames, "TLEN", textFrame(strconv.FormatInt(lengthMS, 10)))
	if len(chapters) > 0 {
		toc := []byte("toc\x00")
		toc = append(toc, 0x03) // top-level, ordered
		n := min(len(chapters), id3MaxTOC)
		toc = append(toc, byte(n))
		for i := range chapters[:n] {
			toc = append(toc, chapterID(i)...)
			toc = append(toc, 0)
		}
		writeFrame(&frames, "CTOC", toc)
		for i, c := range chapters {
			body := append([]byte(chapterID(i)), 0)
			body = binary.BigEndian.AppendUint32(body, uint32(samplesToMS(c.Start, rate)))
			body = binary.BigEndian.AppendUint32(body, uint32(samplesToMS(c.End, rate)))
			body = binary.BigEndian.AppendUint32(body, 0xFFFFFFFF) // no byte offsets
			body = binary.BigEndian.AppendUint32(body, 0xFFFFFFFF)
			var sub bytes.Buffer
			writeFrame(&sub, "TIT2", textFrame(id3Text(c.Title)))
			writeFrame(&frames, "CHAP", append(body, sub.Bytes()...))
		}
	}
	if frames.Len() >= 1<<28 {
		return nil, fmt.Errorf("the ID3 tag would be %d bytes, over ID3v2's limit", frames.Len())
	}
	tag := []byte{'I', 'D', '3', 4, 0, 0}
	tag = appendSyncsafe(tag, frames.Len())
	return append(tag, frames.Bytes()...), nil
}

func chapterID(i int) string { return "chp" + strconv.Itoa(i) }

// textFrame is a UTF-8 (encoding 3) text frame body.
func textFrame(s string) []byte { return append([]byte{3}, s...) }

// writeFrame appends an ID3v2.4 frame: ID, syncsafe size, no flags.
func writeFrame(b *bytes.Buffer, id string, body []byte) {
	b.WriteString(id)
	b.Write(appendSyncsafe(nil, len(body)))
	b.Write([]byte{0, 0})
	b.Write(body)
}

// appendSyncsafe appends n as 4 bytes of 7 bits each (n < 2^28).
func appendSyncsafe(b []byte, n int) []byte {
	return append(b, byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F))
}

// id3Text makes s safe for a text frame: valid UTF-8 without NULs (which
// separate values in ID3v2.4) or other control characters, bounded length.
func id3Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7F:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > id3MaxText {
		s = strings.ToValidUTF8(s[:id3MaxText], "")
	}
	return s
}

func samplesToMS(n int64, rate int) int64 {
	if rate <= 0 {
		return 0
	}
	return (n*1000 + int64(rate)/2) / int64(rate)
}
