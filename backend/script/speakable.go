package script

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Speakable rewrites one line of prose so that a voice can read it the way
// a person would, in the language lang (a BCP-47 tag; empty means English).
// It is the speakable-text stage: both writers apply it to every sentence
// they take from a source and to every line they write, and core applies it
// again to every line just before synthesis, so it must be idempotent and
// cheap. What it does, in order:
//
//   - invisible and typographic characters normalised (soft hyphens, no-break
//     spaces, ligatures, Unicode hyphens and minus signs), HTML entities decoded;
//   - words hyphenated across a line break rejoined ("initial- ization");
//   - markup removed: tags, Markdown emphasis, links (their label stays),
//     images, footnote marks, heading and list markers, backticks;
//   - URLs become their site name; escape sequences ("\n") are named;
//     file paths become the file's name; command-line options lose their
//     dashes and values; code identifiers are read as words ("fs.readFile()"
//     → "fs read file", "OPENSSL_CONF" → "openssl conf") and tokens that are
//     mostly symbols are dropped;
//   - abbreviations, numbers, dates, times, versions, currencies, units,
//     percentages, ordinals and ranges written out for the language (en, de,
//     fr, es, it, pt, nl; other languages keep their digits);
//   - operators and symbols said as words or dropped; empty brackets and
//     dangling punctuation removed; a trailing colon becomes a full stop; the
//     line starts with a capital letter.
//
// It returns "" when nothing speakable is left.
func Speakable(text, lang string) string {
	lang = baseLang(lang)
	s := normalizeChars(text)
	s = speakCodeSpans(s, lang)
	s = rejoinHyphens(s)
	s = stripMarkup(s)
	s = speakURLs(s)
	s = speakEscapes(s, lang)
	s = speakPaths(s)
	s = speakOptions(s)
	s = speakCode(s)
	s = expandAbbrevs(s, lang)
	s = speakHash(s, lang)
	s = expandNumbers(s, lang)
	s = speakSymbols(s, lang)
	return tidy(s)
}

// normalizeChars decodes entities and replaces characters that are
// invisible or typographic with the plain ones the later steps expect.
func normalizeChars(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u00AD', r == '\u200B', r == '\u200C', r == '\u200D', r == '\u2060', r == '\uFEFF', r == utf8.RuneError:
		case r == '\u2010', r == '\u2011', r == '\u2012', r == '\u2212', r == '\uFE63', r == '\uFF0D':
			b.WriteByte('-') // hyphens and the minus sign
		case r == '\t', r == '\n', r == '\r', unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Co, r):
			b.WriteByte(' ')
		case r >= '\uFB00' && r <= '\uFB06':
			b.WriteString(ligatureText[r-'\uFB00'])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var ligatureText = []string{"ff", "fi", "fl", "ffi", "ffl", "st", "st"}

// reBrokenHyphen finds a word split at a line end: "initial- ization". A
// following conjunction keeps the hyphen ("pre- and post-war").
var reBrokenHyphen = regexp.MustCompile(`(\p{L}{2,})- +(\p{Ll}+)`)

var keepHyphenBefore = map[string]bool{"and": true, "or": true, "und": true, "oder": true, "et": true,
	"ou": true, "y": true, "o": true, "e": true, "en": true, "of": true, "to": true, "bis": true, "nor": true}

// reBrokenCaps finds a capitalised name split at a line end: "MAN-
// ROFFOPT".
var reBrokenCaps = regexp.MustCompile(`\b(\p{Lu}{2,})- +(\p{Lu}{2,})\b`)

func rejoinHyphens(s string) string {
	if !strings.Contains(s, "- ") {
		return s
	}
	s = reBrokenCaps.ReplaceAllString(s, "$1$2")
	return reBrokenHyphen.ReplaceAllStringFunc(s, func(m string) string {
		p := reBrokenHyphen.FindStringSubmatch(m)
		if keepHyphenBefore[p[2]] {
			return m
		}
		return p[1] + p[2]
	})
}

var (
	reComment   = regexp.MustCompile(`<!--.*?(-->|$)`)
	reAngle     = regexp.MustCompile(`</?([A-Za-z][\w:.-]*)([^<>]*)>`)
	reMdImage   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	reMdLink    = regexp.MustCompile(`\[([^\[\]]+)\](?:\([^)]*\)|\[[^\]]*\])`)
	reFootnote  = regexp.MustCompile(`\[\^?[\w]{0,3}\d+(?:[,–-]\s*\d+)*\]|\[(?i:edit|citation needed|clarification needed|source)\]`)
	reStrong    = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	reEm        = regexp.MustCompile(`(^|[\s(])[*_]([^*_\s][^*_]*?)[*_]([\s).,;:!?]|$)`)
	reStrike    = regexp.MustCompile(`~~[^~]*~~`)
	reLinePrefx = regexp.MustCompile(`^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,3}[.)]\s+(?:\p{Lu}|$))`)
)

// htmlTags are the element names removed with their brackets; any other
// "<word>" is a placeholder ("<file>") and keeps its word.
var htmlTags = map[string]bool{}

func init() {
	for t := range strings.FieldsSeq(`a abbr b big blockquote body br center cite code dd del div dl dt em
		figcaption figure font footer h1 h2 h3 h4 h5 h6 head header hr html i img ins kbd li link mark meta nav
		ol p pre q s samp section small span strong style sub sup table tbody td th thead title tr tt u ul var
		script article aside details summary main speak break prosody emphasis say-as voice audio phoneme
		lang mark`) {
		htmlTags[t] = true
	}
}

// stripMarkup removes markup and keeps the words inside it.
func stripMarkup(s string) string {
	if strings.Contains(s, "<") {
		s = reComment.ReplaceAllString(s, " ")
		s = reAngle.ReplaceAllStringFunc(s, func(m string) string {
			p := reAngle.FindStringSubmatch(m)
			if htmlTags[strings.ToLower(p[1])] {
				return " "
			}
			if strings.TrimSpace(p[2]) == "" || strings.ContainsAny(p[2], " ") && !strings.Contains(p[2], "=") {
				return " " + strings.TrimSpace(p[1]+p[2]) + " " // a placeholder: <file>, <new name>
			}
			return " "
		})
	}
	if strings.Contains(s, "[") {
		s = reMdImage.ReplaceAllString(s, " ")
		s = reMdLink.ReplaceAllString(s, "$1")
		s = reFootnote.ReplaceAllString(s, "")
	}
	if strings.ContainsAny(s, "*_") {
		s = reStrong.ReplaceAllString(s, "$1$2")
		s = reEm.ReplaceAllString(s, "$1$2$3")
	}
	if strings.Contains(s, "~~") {
		s = reStrike.ReplaceAllString(s, " ")
	}
	s = strings.ReplaceAll(s, "`", " ")
	return reLinePrefx.ReplaceAllStringFunc(s, func(m string) string {
		// A numbered item keeps its capital letter: "1. Open the file".
		if r, _ := utf8.DecodeLastRuneInString(m); unicode.IsUpper(r) {
			return string(r)
		}
		return ""
	})
}

var reCodeSpan = regexp.MustCompile("`([^`]+)`")

// symbolNames say a symbol that a text quotes as code: "the literal string
// `:`" → "the literal string colon".
var symbolNames = map[rune]string{':': "colon", '@': "at sign", '?': "question mark", '#': "hash sign",
	'/': "slash", '.': "dot", ',': "comma", ';': "semicolon", '=': "equals sign", '&': "ampersand",
	'%': "percent sign", '*': "asterisk", '-': "dash", '_': "underscore", '\\': "backslash", '|': "pipe",
	'~': "tilde", '$': "dollar sign", '!': "exclamation mark", '+': "plus sign", '<': "less-than sign",
	'>': "greater-than sign", '^': "caret", '\'': "quote", '"': "double quote"}

// speakCodeSpans handles text quoted as code (between backticks, as
// ingestion keeps Markdown's inline code): a span of symbols alone is named
// in English, or dropped in other languages; other spans lose their
// backticks and are read by the steps that follow.
func speakCodeSpans(s, lang string) string {
	if !strings.Contains(s, "`") {
		return s
	}
	return reCodeSpan.ReplaceAllStringFunc(s, func(m string) string {
		inner := strings.TrimSpace(m[1 : len(m)-1])
		if strings.ContainsFunc(inner, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return inner
		}
		if strings.Trim(inner, `'"`) == "" {
			return " " // an empty string literal, which the sentence names
		}
		var names []string
		for _, r := range inner {
			if n, ok := symbolNames[r]; ok && lang == "en" && utf8.RuneCountInString(inner) <= 3 {
				names = append(names, n)
			} else {
				return " "
			}
		}
		return " " + strings.Join(names, " ") + " "
	})
}

func expandAbbrevs(s, lang string) string {
	re := abbrevRes[lang]
	if re == nil || !strings.Contains(s, ".") && lang != "fr" {
		return s
	}
	lw := languages[lang]
	found := false
	for a := range lw.abbrevs {
		if strings.Contains(s, a) {
			found = true
			break
		}
	}
	if !found {
		return s // the common case, without the large regexp
	}
	// Twice: neighbours share the space between them.
	for range 2 {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			p := re.FindStringSubmatch(m)
			return p[1] + lw.abbrevs[p[2]] + p[3]
		})
	}
	return s
}

var (
	reEmptyParens = regexp.MustCompile(`[(\[]\s*[,.;:/!?\-'"‘’“”«»„‹›]*\s*[)\]]`)
	reSpaceQuote  = regexp.MustCompile(`(\S)\s+"([.,;:!?)]|$)`)
	reSpaceBefore = regexp.MustCompile(`\s+([,.;:!?)…])`)
	reSpaceAfter  = regexp.MustCompile(`([(])\s+`)
	rePunctRun    = regexp.MustCompile(`([,;:])\s*([,;:.!?])`)
	reDotRun      = regexp.MustCompile(`([^.])\.\s*\.([^.]|$)`)
	reQuoteEmpty  = regexp.MustCompile(`"\s*"|“\s*”|'\s*'|‘\s*’|«\s*»|„\s*“|»\s*«|‹\s*›|‚\s*‘`)
)

// tidy fixes the spacing and punctuation the removals leave behind.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for range 3 {
		before := s
		// Each rule only where its characters occur: this runs on every
		// sentence of a long source.
		if strings.ContainsAny(s, "([") {
			s = reEmptyParens.ReplaceAllString(s, "")
			s = reSpaceAfter.ReplaceAllString(s, "$1")
		}
		if strings.ContainsAny(s, `"'“‘«„»‹‚`) {
			s = reQuoteEmpty.ReplaceAllString(s, "")
			s = reSpaceQuote.ReplaceAllString(s, `$1"$2`)
		}
		if spaceBeforePunct(s) {
			s = reSpaceBefore.ReplaceAllString(s, "$1")
		}
		if strings.ContainsAny(s, ",;:") {
			s = rePunctRun.ReplaceAllString(s, "$2")
		}
		if strings.Contains(s, "..") || strings.Contains(s, ". .") {
			s = reDotRun.ReplaceAllString(s, "$1.$2")
		}
		s = strings.Join(strings.Fields(s), " ")
		if s == before {
			break
		}
	}
	s = strings.TrimLeft(s, ",.;:!?)-–— ")
	if strings.HasSuffix(s, ":") {
		// It introduced something that is not read aloud (a code block, a
		// table): end the sentence instead of running into the next.
		s = strings.TrimRight(s, ": ") + "."
	}
	s = strings.TrimRight(s, ",;(-–— ")
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return capitalizeFirst(s)
}

// spaceBeforePunct: a space before , . ; : ! ? ) or an ellipsis.
func spaceBeforePunct(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] == ' ' && strings.IndexByte(",.;:!?)", s[i]) >= 0 {
			return true
		}
	}
	return strings.Contains(s, " …")
}

// capitalizeFirst upper-cases the first letter when it is lower case.
func capitalizeFirst(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			if unicode.IsLower(r) {
				return s[:i] + string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
			}
			return s
		}
		if unicode.IsDigit(r) {
			return s
		}
	}
	return s
}
