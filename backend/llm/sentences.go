package llm

import (
	"strings"

	"podcastfy/backend/script"
	"unicode"
	"unicode/utf8"
)

// splitSentences cuts text into sentences. A sentence ends at . ! ? … (or
// their CJK forms) followed by a space and a word that does not start in
// lower case, unless the dot belongs to an abbreviation, an initial or a
// number. A blank line always ends a sentence, and so does a line break
// after a short unpunctuated line (a heading or a list item). Whitespace
// inside a sentence is collapsed.
func splitSentences(text string) []string { return splitSentencesIn(text, "") }

// splitSentencesIn is splitSentences with the abbreviations and ordinals
// of language lang (see abbreviationsFor).
func splitSentencesIn(text, lang string) []string {
	var out []string
	for _, para := range paragraphs(text) {
		out = splitParagraph(para, lang, out)
	}
	return out
}

// paragraphs splits at blank lines and after heading-like lines.
func paragraphs(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		heading := len(strings.Fields(line)) < 8 && !endsSentence(line)
		if heading {
			flush()
			cur.WriteString(line)
			flush()
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

func endsSentence(line string) bool {
	line = strings.TrimRight(line, `"'”’)]»`)
	r, _ := utf8.DecodeLastRuneInString(line)
	return isTerminator(r) || r == ':' || r == ';' || r == ','
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '。', '！', '？':
		return true
	}
	return false
}

// spacedGuillemet is the length of a run of spaces and a closing » or ›
// at the start of s, or 0.
func spacedGuillemet(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case r == ' ' || r == '\u00a0' || r == '\u202f':
			n += size
			continue
		case (r == '»' || r == '›') && n > 0:
			return n + size
		}
		return 0
	}
	return 0
}

func isCJKTerminator(r rune) bool { return r == '。' || r == '！' || r == '？' }

// isCloser: a closing quote or bracket right after a terminator, in the
// typographies of the supported languages ("…", «…», „…“, »…«, ‚…‘).
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '“', '‘', '›', '«', '‹':
		return true
	}
	return false
}

// splitParagraph appends the sentences of one paragraph to out.
func splitParagraph(p, lang string, out []string) []string {
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if !isTerminator(r) {
			continue
		}
		// Take the whole run of terminators and closing quotes ("?!", ".”).
		end := i
		for end < len(p) {
			r2, s2 := utf8.DecodeRuneInString(p[end:])
			if !isTerminator(r2) && !isCloser(r2) {
				// French sets its closing guillemet off by a space: "simple. »".
				if g := spacedGuillemet(p[end:]); g > 0 {
					end += g
					continue
				}
				break
			}
			end += s2
		}
		next := end
		for next < len(p) && (p[next] == ' ' || p[next] == '\t') {
			next++
		}
		switch {
		case next == len(p):
		case isCJKTerminator(r):
		case next == end: // "3.14", "U.S.A", "example.com"
			i = end
			continue
		case r == '.' && !dotEndsSentence(p[start:i-size], p[next:], lang):
			i = end
			continue
		default:
			if nr, _ := utf8.DecodeRuneInString(p[next:]); unicode.IsLower(nr) {
				i = end
				continue
			}
		}
		out = appendSentence(out, p[start:end])
		start, i = next, next
	}
	return appendSentence(out, p[start:])
}

// dotEndsSentence decides about a '.' followed by a space: before is the
// sentence so far (without the dot), after the text after the space.
func dotEndsSentence(before, after, lang string) bool {
	word := before[strings.LastIndexAny(before, " \t(\"'“‘«„")+1:]
	if abbreviationsFor(lang)[strings.ToLower(word)] {
		return false
	}
	if n := utf8.RuneCountInString(word); n == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		// An initial ("J. R. R. Tolkien"), or outside English one letter of
		// a spaced abbreviation ("z. B.", "d. h.", "p. ex.", "p. ej.").
		if unicode.IsUpper(r) || unicode.IsLower(r) && baseLanguage(lang) != "en" {
			return false
		}
	}
	if ordinalDot(word, after, lang) {
		return false
	}
	nr, _ := utf8.DecodeRuneInString(after)
	return !unicode.IsLower(nr)
}

// appendSentence appends s with its whitespace collapsed. A "sentence"
// too long for one spoken line (text without punctuation, a list of words)
// goes in pieces of at most maxCandidateWords, so every writer gets spans
// it can choose, fit and speak.
func appendSentence(out []string, s string) []string {
	if s = strings.Join(strings.Fields(s), " "); s == "" {
		return out
	}
	if utf8.RuneCountInString(s) <= script.MaxLineRunes && len(strings.Fields(s)) <= script.MaxLineWords {
		return append(out, s)
	}
	return append(out, script.SplitLong(s, maxCandidateWords, script.MaxLineRunes/2)...)
}
