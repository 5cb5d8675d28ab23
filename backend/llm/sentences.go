package llm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a dot without ending a sentence ("Dr. Smith").
// "etc" is left out on purpose: it usually does end the sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true,
	"st": true, "mt": true, "ft": true, "vs": true, "cf": true, "al": true, "approx": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "dept": true, "est": true, "fig": true,
	"figs": true, "no": true, "nos": true, "vol": true, "pp": true, "ed": true, "eds": true,
	"rev": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "gov": true,
	"sen": true, "rep": true, "pres": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true,
	"dec": true, "e.g": true, "i.e": true, "u.s": true, "u.k": true, "e.u": true, "a.m": true,
	"p.m": true, "ph.d": true, "b.c": true, "a.d": true, "ca": true, "viz": true, "resp": true,
}

// splitSentences cuts text into sentences. A sentence ends at . ! ? … (or
// their CJK forms) followed by a space and a word that does not start in
// lower case, unless the dot belongs to an abbreviation, an initial or a
// number. A blank line always ends a sentence, and so does a line break
// after a short unpunctuated line (a heading or a list item). Whitespace
// inside a sentence is collapsed.
func splitSentences(text string) []string {
	var out []string
	for _, para := range paragraphs(text) {
		out = splitParagraph(para, out)
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

func isCJKTerminator(r rune) bool { return r == '。' || r == '！' || r == '？' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»':
		return true
	}
	return false
}

// splitParagraph appends the sentences of one paragraph to out.
func splitParagraph(p string, out []string) []string {
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
		case r == '.' && !dotEndsSentence(p[start:i-size], p[next:]):
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
func dotEndsSentence(before, after string) bool {
	word := before[strings.LastIndexAny(before, " \t(\"'“‘")+1:]
	if abbreviations[strings.ToLower(word)] {
		return false
	}
	if n := utf8.RuneCountInString(word); n == 1 {
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
			return false // an initial: "J. R. R. Tolkien"
		}
	}
	nr, _ := utf8.DecodeRuneInString(after)
	return !unicode.IsLower(nr)
}

func appendSentence(out []string, s string) []string {
	if s = strings.Join(strings.Fields(s), " "); s != "" {
		out = append(out, s)
	}
	return out
}
