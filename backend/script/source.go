package script

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Source is a document after the speakable-text stage: its title and its
// sections in reading order, each holding speakable paragraphs. Both
// writers work from it; Text renders it back for an LLM prompt.
type Source struct {
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
}

// Section is a run of paragraphs under one heading. The first section has
// no Title when the document starts before its first heading.
type Section struct {
	Title      string   `json:"title"`
	Level      int      `json:"level"` // 1–6; 0 for text before any heading
	Paragraphs []string `json:"paragraphs"`
}

// Words counts the words of all paragraphs.
func (s Source) Words() int {
	n := 0
	for _, sec := range s.Sections {
		for _, p := range sec.Paragraphs {
			n += countWords(p)
		}
	}
	return n
}

// Text renders the source as Markdown-like text: "#" headings and
// paragraphs separated by blank lines.
func (s Source) Text() string {
	var b strings.Builder
	for _, sec := range s.Sections {
		if sec.Title != "" {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(strings.Repeat("#", max(1, min(sec.Level, 6))) + " " + sec.Title)
		}
		for _, p := range sec.Paragraphs {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

// PrepareSource is the speakable-text stage for a whole document, between
// ingestion and writing. text is what ingestion produced (paragraphs
// separated by blank lines, headings marked with "#" as in Markdown) or
// text a person pasted (Markdown or not). It keeps the headings as
// sections and drops what is never read aloud: code blocks (fenced or
// indented), shell sessions, tables, man-page running headers, and
// paragraphs made mostly of code. A man page's capitalised section names
// become headings; its option lists keep their descriptions. A sentence that
// introduced removed code ("Run the following command:") is dropped; any
// other trailing colon ends its sentence. Every paragraph and heading then
// goes through Speakable for lang.
func PrepareSource(text, lang string) Source {
	var src Source
	cur := Section{}
	flush := func() {
		if cur.Title != "" || len(cur.Paragraphs) > 0 {
			src.Sections = append(src.Sections, cur)
		}
	}
	skip := false
	for _, blk := range sourceBlocks(text) {
		if skip && blk.kind != blockHeading {
			continue
		}
		switch blk.kind {
		case blockHeading:
			// A man page's synopsis is command syntax from end to end, and
			// its "see also" a list of other pages' names.
			if skip = unsaidManSections[strings.ToUpper(strings.TrimSpace(blk.text))]; skip {
				continue
			}
			title := SayableTitle(blk.text, lang)
			if title == "" {
				continue
			}
			flush()
			cur = Section{Title: title, Level: blk.level}
			if src.Title == "" && blk.level == 1 {
				src.Title = title
			}
		case blockCode:
			// Gone, and the sentence that introduced it was handled with its
			// paragraph (see dropGenericIntro).
		case blockText:
			if reParamEntry.MatchString(blk.text) {
				continue // "input {string} The input to parse.": a reference entry, not a sentence
			}
			if labelHeading(blk.text) {
				// "All tools:" heading a list, as a section title.
				flush()
				cur = Section{Title: SayableTitle(strings.TrimSuffix(blk.text, ":"), lang), Level: 3}
				continue
			}
			p := optionDescription(blk.text)
			if codeShare(p) > 0.3 || codeTable(p) {
				continue
			}
			if p = Speakable(dropGenericIntro(p), lang); p != "" {
				cur.Paragraphs = append(cur.Paragraphs, p)
			}
		}
	}
	flush()
	if src.Title == "" {
		for _, s := range src.Sections {
			if s.Title != "" {
				src.Title = s.Title
				break
			}
		}
	}
	return src
}

// unsaidManSections name a man page's synopsis and "see also" sections,
// in the languages man pages are translated into.
var unsaidManSections = map[string]bool{"SYNOPSIS": true, "ÜBERSICHT": true, "SINOPSIS": true, "SINTASSI": true,
	"SINOSSI": true, "SINOPSE": true, "OVERZICHT": true, "SAMENVATTING": true, "SYNTAX": true, "SYNTAXE": true,
	"SEE ALSO": true, "SIEHE AUCH": true, "VOIR AUSSI": true, "VÉASE TAMBIÉN": true, "VER TAMBIÉN": true,
	"VEDERE ANCHE": true, "VEDI ANCHE": true, "VEJA TAMBÉM": true, "VER TAMBÉM": true, "ZIE OOK": true}

type blockKind int

const (
	blockText blockKind = iota
	blockHeading
	blockCode
)

type block struct {
	kind  blockKind
	level int
	text  string
}

var (
	reATX        = regexp.MustCompile(`^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	reManHeader  = regexp.MustCompile(`^\S+\(\d\w*\)\s.*\S+\(\d\w*\)$`)
	reShellLine  = regexp.MustCompile(`^\s*(\$|%|>>>|\.\.\.|C:\\>|PS>|#\s*(apt|sudo|make|cd|ls|echo|export|cat|git|npm|pip|go)\b)\s`)
	reCodeEnding = regexp.MustCompile(`[;{}()\[\]]\s*$|^\s*[}\])]|^\s*(//|/\*|\*/|<\?|<!--|@|import |from \S+ import|#include|#define|def |func |var |let |const |return\b)`)
)

// sourceBlocks splits text into headings, code and paragraphs. Lines of one
// paragraph are joined, and a word hyphenated across two lines rejoined.
func sourceBlocks(text string) []block {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	lines := strings.Split(text, "\n")
	var out []block
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, classify(para))
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if fence := fenceOf(trimmed); fence != "" {
			flush()
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
			}
			out = append(out, block{kind: blockCode})
			continue
		}
		if trimmed == "" {
			flush()
			continue
		}
		if m := reATX.FindStringSubmatch(line); m != nil {
			flush()
			out = append(out, block{kind: blockHeading, level: len(m[1]), text: m[2]})
			continue
		}
		para = append(para, line)
	}
	flush()
	return out
}

func fenceOf(line string) string {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(line, f) {
			return f
		}
	}
	return ""
}

// classify decides what a paragraph's lines are.
func classify(lines []string) block {
	indented, codey, piped := 0, 0, 0
	for _, l := range lines {
		if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") {
			indented++
		}
		if reShellLine.MatchString(l) || reCodeEnding.MatchString(l) {
			codey++
		}
		if strings.Count(l, "|") >= 2 || strings.HasPrefix(strings.TrimSpace(l), "+--") {
			piped++
		}
	}
	n := len(lines)
	switch {
	case indented == n && n > 0 && !proseLines(lines), codey*2 > n && (n > 1 || codey == 1 && !proseLines(lines)),
		piped*2 > n:
		return block{kind: blockCode}
	}
	first := strings.TrimSpace(lines[0])
	if n == 1 && reManHeader.MatchString(first) {
		return block{kind: blockCode} // "TAR(1) User Commands TAR(1)"
	}
	if n == 1 && manSection(first) {
		return block{kind: blockHeading, level: 2, text: first}
	}
	return block{kind: blockText, text: joinWrapped(lines)}
}

// proseLines: indented lines that read as sentences (a quoted letter, an
// indented man-page paragraph), not code.
func proseLines(lines []string) bool {
	words, letters, all := 0, 0, 0
	for _, l := range lines {
		words += len(strings.Fields(l))
		for _, r := range l {
			if !unicode.IsSpace(r) {
				all++
				if unicode.IsLetter(r) {
					letters++
				}
			}
		}
	}
	return words >= 6*len(lines) && letters*100 >= all*85
}

// manSection: a short line of capital letters, like a man page's "SEE
// ALSO" (never an identifier such as "TAR_ATIME").
func manSection(s string) bool {
	if len(strings.Fields(s)) > 3 || utf8.RuneCountInString(s) < 4 {
		return false
	}
	for i, r := range s {
		// A hyphen joins two capital words ("EXIT-STATUS"), never starts one.
		if !unicode.IsUpper(r) && r != ' ' && (r != '-' || i == 0 || strings.HasSuffix(s, "-")) {
			return false
		}
	}
	return true
}

// reNumberedItem is an item of a table of numbered codes ("0 Successful
// program execution. 1 Usage error."), which ingestion joins into one
// paragraph: read aloud, the numbers run into the words.
var reNumberedItem = regexp.MustCompile(`(^|[.\s])\d{1,3}\s+\p{Lu}`)

// codeTable: a paragraph that starts with a numbered item and holds another.
func codeTable(p string) bool {
	if p == "" || p[0] < '0' || p[0] > '9' {
		return false
	}
	return len(reNumberedItem.FindAllStringIndex(p, 3)) >= 2
}

// joinWrapped joins a paragraph's hard-wrapped lines.
func joinWrapped(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if b.Len() == 0 {
			b.WriteString(l)
			continue
		}
		s := b.String()
		last, size := utf8.DecodeLastRuneInString(s)
		first, _ := utf8.DecodeRuneInString(l)
		if (last == '-' || last == '\u2010' || last == '\u00AD') && unicode.IsLower(first) {
			if before, _ := utf8.DecodeLastRuneInString(s[:len(s)-size]); unicode.IsLetter(before) {
				b.Reset()
				b.WriteString(s[:len(s)-size] + l)
				continue
			}
		}
		b.WriteByte(' ')
		b.WriteString(l)
	}
	return b.String()
}

// reOptionItem is a man-page or --help option list entry: the options and
// their arguments, then the description.
var reOptionItem = regexp.MustCompile(`^(?:[-−‐]{1,2}[A-Za-z0-9?][\w-]*(?:[= ]?(?:<[^>]*>|\[[^\]]*\]|[A-Z][A-Z_]*\b|\{[^}]*\}))?[,\s]*)+`)

// labelHeading: a short label ending in a colon on its own, like "All
// tools:" or "`systemd-nspawn`:" before a list; never one that only
// introduces what follows ("For example:").
func labelHeading(p string) bool {
	if !strings.HasSuffix(p, ":") || len(strings.Fields(p)) > 4 || strings.ContainsAny(p[:len(p)-1], ".:;!?") {
		return false
	}
	return !reIntroWord.MatchString(p)
}

var reIntroWord = regexp.MustCompile(`(?i)\b(following|below|example|examples|e\.g|like|such as|output|usage|syntax|note|run|type|enter)\b`)

// reParamEntry is an API reference's parameter or return entry:
// "`input` {string} The input", "Returns: {URL}".
var reParamEntry = regexp.MustCompile("^(?:`?[\\w.$]+`?\\s*(?:<[^>]*>\\s*)?\\{[^}]*\\}|Returns:?\\s*\\{[^}]*\\}|Type:\\s*\\{[^}]*\\})")

// optionDescription keeps an option entry's description: "--check-device
// Check device numbers." → "Check device numbers."
func optionDescription(p string) string {
	if p == "" || !strings.ContainsRune("-−‐", []rune(p)[0]) {
		return p
	}
	rest := strings.TrimSpace(reOptionItem.ReplaceAllString(p, ""))
	if rest == p {
		return p
	}
	return rest
}

// codeShare is the share of a paragraph's tokens that are code: options,
// paths, identifiers, symbol-heavy tokens.
func codeShare(p string) float64 {
	fields := strings.Fields(p)
	if len(fields) == 0 {
		return 0
	}
	code := 0
	for _, f := range fields {
		f = strings.Trim(f, `.,;:!?"'()`)
		switch {
		case f == "":
		case symbolHeavy(f), strings.HasPrefix(f, "--"), strings.HasPrefix(f, "/") && len(f) > 1,
			strings.Contains(f, "_") && !strings.HasPrefix(f, "_"), strings.Contains(f, "::"), strings.Contains(f, "->"),
			strings.Contains(f, "()"), strings.Contains(f, "="):
			code++
		}
	}
	return float64(code) / float64(len(fields))
}

// reGenericIntro recognises a sentence that only introduces what follows,
// which is not read aloud: "For example:", "Run the following command:".
var reGenericIntro = regexp.MustCompile(`(?i)(^|[.!?]\s+)([^.!?]*\b(following|below|as follows|for example|e\.g\.|like this|like so|example|examples|run|type|enter|output|prints?|shows?|looks like|command|code|snippet|syntax|usage|zum Beispiel|folgende|par exemple|suivant|por ejemplo|siguiente|ad esempio|seguente|por exemplo|seguinte|bijvoorbeeld|volgende)\b[^.!?]*|[^.!?\s]+(\s+[^.!?\s]+){0,3}):\s*$`)

// dropGenericIntro removes a final introducing sentence; other trailing
// colons are left for Speakable, which ends the sentence there.
func dropGenericIntro(p string) string {
	if !strings.HasSuffix(strings.TrimSpace(p), ":") {
		return p
	}
	return strings.TrimSpace(reGenericIntro.ReplaceAllString(p, "$1"))
}

var reSectionNumber = regexp.MustCompile(`^(\d+\.)*\d+\.?\s+`)

// SayableTitle makes a heading into a chapter title a voice can say: the
// speakable stage applied, a man page's capitals in sentence case ("SEE
// ALSO" → "See also"), no final full stop, at most eight words (cut at a
// colon or dash when longer).
func SayableTitle(h, lang string) string {
	h = strings.TrimSpace(h)
	if manSection(h) {
		r, size := utf8.DecodeRuneInString(h) // "ÜBERSICHT" → "Übersicht"
		h = string(unicode.ToUpper(r)) + strings.ToLower(h[size:])
	}
	if i := strings.IndexByte(h, '('); i > 0 && strings.HasSuffix(h, ")") && (strings.ContainsAny(h[i:], ",[") || !strings.Contains(h[i:], " ")) {
		h = h[:i] // "new URL(input[, base])": the name, not its parameters
	}
	// "2.1 The Basics": the document's numbering, not a title to say.
	if m := reSectionNumber.FindString(h); m != "" && len(m) < len(h) {
		h = h[len(m):]
	}
	t := Speakable(h, lang)
	t = strings.TrimRight(t, ".:;, ")
	words := strings.Fields(t)
	if len(words) > 8 {
		for _, sep := range []string{": ", " — ", " – ", " - ", ", ", " ("} {
			if i := strings.Index(t, sep); i > 0 && len(strings.Fields(t[:i])) >= 2 {
				t = t[:i]
				break
			}
		}
		if words = strings.Fields(t); len(words) > 8 {
			t = strings.Join(words[:8], " ")
		}
	}
	return strings.TrimRight(t, ".:;,( ")
}
