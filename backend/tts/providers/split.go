package providers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitText cuts text into chunks of at most limit runes, preferring
// sentence ends, then whitespace, and cutting mid-word only when a single
// word is longer than the limit. Chunks are trimmed and never empty.
func splitText(text string, limit int) []string {
	text = strings.TrimSpace(text)
	var chunks []string
	for utf8.RuneCountInString(text) > limit {
		cut := cutPoint(text, limit)
		if c := strings.TrimSpace(text[:cut]); c != "" {
			chunks = append(chunks, c)
		}
		text = strings.TrimSpace(text[cut:])
	}
	if text != "" {
		chunks = append(chunks, text)
	}
	return chunks
}

// cutPoint returns a byte offset at most limit runes into s where a chunk
// should end: after the last sentence end, else at the last space, else at
// the limit.
func cutPoint(s string, limit int) int {
	end, n := 0, 0 // byte offset just past `limit` runes
	for i := range s {
		if n == limit {
			end = i
			break
		}
		n++
	}
	lastSentence, lastSpace := -1, -1
	for i, r := range s[:end] {
		if strings.ContainsRune("。！？", r) { // CJK text has no spaces after sentences
			lastSentence = i + utf8.RuneLen(r)
			continue
		}
		if !unicode.IsSpace(r) {
			continue
		}
		lastSpace = i
		if i > 0 && isSentenceEnd(s[:i]) {
			lastSentence = i
		}
	}
	switch {
	case lastSentence > 0:
		return lastSentence
	case lastSpace > 0:
		return lastSpace
	}
	return end
}

// isSentenceEnd reports whether s ends a sentence: terminal punctuation,
// possibly followed by closing quotes or brackets.
func isSentenceEnd(s string) bool {
	s = strings.TrimRight(s, `"')]»”’`)
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…。！？", r)
}
