package script

import (
	"strings"
	"unicode/utf8"
)

// Bounds of one spoken line, whatever the text looks like: a line longer
// than this is cut into several lines of the same speaker. A line is one
// TTS request and one caption cue, so its length bounds both; 120 words is
// under a minute of speech.
const (
	MaxLineWords = 120
	MaxLineRunes = 900
)

// SplitLong cuts text (words separated by single spaces, as Normalize
// leaves them) into pieces of at most maxWords words and maxRunes
// characters. It cuts after a sentence end if the piece's second half has
// one, else after a clause mark (, ; : –), else between words; a single
// word longer than maxRunes is cut between characters. Text within the
// bounds comes back whole.
func SplitLong(text string, maxWords, maxRunes int) []string {
	if fits(text, maxWords, maxRunes) {
		return []string{text}
	}
	var out []string
	var piece []string
	runes := 0
	flush := func(n int) {
		out = append(out, strings.Join(piece[:n], " "))
		piece = append(piece[:0], piece[n:]...)
		runes = 0
		for _, w := range piece {
			runes += utf8.RuneCountInString(w) + 1
		}
	}
	for w := range strings.FieldsSeq(text) {
		for utf8.RuneCountInString(w) > maxRunes {
			if len(piece) > 0 {
				flush(len(piece))
			}
			cut := byteOffset(w, maxRunes)
			out = append(out, w[:cut])
			w = w[cut:]
		}
		n := utf8.RuneCountInString(w) + 1
		for len(piece) > 0 && (len(piece)+1 > maxWords || runes+n > maxRunes+1) {
			flush(cutPoint(piece))
		}
		piece = append(piece, w)
		runes += n
	}
	for len(piece) > 0 {
		flush(len(piece))
	}
	return out
}

// fits reports whether text is within the bounds.
func fits(text string, maxWords, maxRunes int) bool {
	return utf8.RuneCountInString(text) <= maxRunes && countWords(text) <= maxWords
}

// cutPoint is how many of piece's words the piece keeps: up to the last
// sentence end in its second half, else the last clause mark there, else
// all of them.
func cutPoint(piece []string) int {
	half := len(piece) / 2
	for _, marks := range []string{".!?…。！？", ",;:–—、，；："} {
		for i := len(piece) - 1; i >= max(half, 1)-1 && i >= 0; i-- {
			w := strings.TrimRight(piece[i], `"'”’)]»`)
			if r, _ := utf8.DecodeLastRuneInString(w); strings.ContainsRune(marks, r) {
				return i + 1
			}
		}
	}
	return len(piece)
}

// byteOffset is the byte offset of rune n in s.
func byteOffset(s string, n int) int {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// boundLines cuts every line longer than the bounds into several lines of
// the same speaker.
func (ch *Chapter) boundLines() {
	var out []Line
	for i, l := range ch.Lines {
		parts := SplitLong(l.Text, MaxLineWords, MaxLineRunes)
		if len(parts) == 1 {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = append(make([]Line, 0, len(ch.Lines)+len(parts)), ch.Lines[:i]...)
		}
		for _, p := range parts {
			out = append(out, Line{Speaker: l.Speaker, Text: p})
		}
	}
	if out != nil {
		ch.Lines = out
	}
}
