package ingest

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pageNumber matches the lines that only number a page: "12", "- 12 -",
// "Page 3 of 10", "p. 4", "iv".
var pageNumber = regexp.MustCompile(`(?i)^(?:(?:page|p\.|seite|pagina|página)\s*)?\d{1,4}(?:\s*(?:of|/|von|de)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^x{0,3}(?:ix|iv|v?i{0,3})$`)

// removeRunning drops running headers and footers: the top or bottom line
// of a page when it only numbers the page, or when the same line (digits
// aside) sits at that edge on at least 40% of the pages. A second pass
// catches two-line headers, but then only exact repeats set apart from the
// body by a wider gap count, so body text that merely starts alike
// ("Chapter 2 …") stays.
func removeRunning(pages [][]pdfLine) [][]pdfLine {
	lay := measure(pages)
	out := make([][]pdfLine, len(pages))
	for i, p := range pages {
		out[i] = slices.Clone(p)
	}
	need := max(2, int(math.Ceil(0.4*float64(len(pages)))))
	for pass := 0; pass < 2; pass++ {
		key := func(s string) string {
			if pass == 0 {
				return runningKey(s)
			}
			return strings.ToLower(s)
		}
		for _, top := range []bool{true, false} {
			counts := map[string]int{}
			for _, p := range out {
				if i := edgeLine(p, top); i >= 0 {
					counts[key(p[i].text)]++
				}
			}
			for pi, p := range out {
				i := edgeLine(p, top)
				if i < 0 {
					continue
				}
				t := p[i].text
				repeated := len(pages) >= 2 && len(t) <= 150 && counts[key(t)] >= need
				if pass > 0 {
					repeated = repeated && isolated(p, i, 1.5*lay.leading)
				}
				if pageNumber.MatchString(t) || repeated {
					out[pi] = slices.Delete(p, i, i+1)
				}
			}
		}
	}
	return out
}

// edgeLine is the index of the highest (top) or lowest line on a page.
func edgeLine(p []pdfLine, top bool) int {
	best := -1
	for i, l := range p {
		if best < 0 || top && l.y > p[best].y || !top && l.y < p[best].y {
			best = i
		}
	}
	return best
}

// isolated reports whether line i is farther than gap from every other line.
func isolated(p []pdfLine, i int, gap float64) bool {
	for j, l := range p {
		if j != i && math.Abs(l.y-p[i].y) <= gap {
			return false
		}
	}
	return true
}

// runningKey compares header lines while ignoring page numbers in them.
func runningKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsDigit(r):
			return '#'
		case unicode.IsSpace(r):
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// layout holds a document's typical metrics.
type layout struct {
	body    float64 // most common font size, by characters
	leading float64 // most common distance between body lines
}

func measure(pages [][]pdfLine) layout {
	sizes := map[float64]int{}
	for _, p := range pages {
		for _, l := range p {
			sizes[math.Round(l.size*2)/2] += utf8.RuneCountInString(l.text)
		}
	}
	var lay layout
	best := 0
	for s, n := range sizes {
		if n > best || n == best && s < lay.body {
			lay.body, best = s, n
		}
	}
	gaps := map[float64]int{}
	for _, p := range pages {
		for i := 1; i < len(p); i++ {
			g := math.Round((p[i-1].y-p[i].y)*2) / 2
			if g > 0 && math.Abs(p[i].size-lay.body) < 0.5 && math.Abs(p[i-1].size-lay.body) < 0.5 {
				gaps[g]++
			}
		}
	}
	best = 0
	for g, n := range gaps {
		if n > best || n == best && g < lay.leading {
			lay.leading, best = g, n
		}
	}
	if lay.leading == 0 || lay.leading > 2.5*lay.body {
		lay.leading = 1.2 * lay.body // too few lines to tell
	}
	return lay
}

// assemble joins lines into paragraphs and headings. A paragraph ends at a
// wider gap than the usual leading, a jump up the page (a new column), a
// first-line indent, or a short line ending a sentence; it runs on across a
// page break unless the page ended a sentence. Lines in type 20% larger
// than the body are headings.
func assemble(pages [][]pdfLine) Document {
	lay := measure(pages)
	var b builder
	var para, head string
	var headSize float64
	flushHead := func() {
		if head != "" {
			level := 2
			switch {
			case headSize >= 1.6*lay.body:
				level = 1
			case headSize < 1.2*lay.body && strings.ToUpper(head) != head:
				level = 3 // a bold subheading in body type
			}
			b.heading(level, head)
			head = ""
		}
	}
	flushPara := func() {
		if para != "" {
			b.write(para)
			b.end()
			para = ""
		}
	}
	for _, p := range pages {
		left, right := margins(p, lay.body)
		var prev *pdfLine
		for i := range p {
			l := &p[i]
			if l.size >= 1.2*lay.body && utf8.RuneCountInString(l.text) <= 150 && hasLetter(l.text) || boldHeading(l, left) {
				flushPara()
				if head != "" && (l.size != headSize || prev == nil || prev.y-l.y > 2*l.size) {
					flushHead()
				}
				head, headSize = joinLines(head, l.text), l.size
				prev = l
				continue
			}
			flushHead()
			switch {
			case prev == nil:
				if endsSentence(para) {
					flushPara()
				}
			case prev.y-l.y > 1.5*lay.leading, l.y > prev.y+lay.leading,
				l.x > left+0.8*l.size && l.x > prev.x+0.8*l.size,
				endsSentence(prev.text) && prev.x1 < right-4*l.size:
				flushPara()
			}
			para = joinLines(para, l.text)
			prev = l
		}
	}
	flushHead()
	flushPara()
	return b.doc("")
}

// boldHeading: a short bold line at the left margin that does not read as
// a sentence or an option ("DESCRIPTION", "Operation modifiers") — how man
// pages and many reports set their headings in body-size type.
func boldHeading(l *pdfLine, left float64) bool {
	if !l.bold || l.x > left+2*l.size || len(strings.Fields(l.text)) > 8 || !hasLetter(l.text) ||
		endsSentence(l.text) || strings.HasSuffix(l.text, ",") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(l.text)
	return unicode.IsUpper(first) || unicode.IsDigit(first)
}

// margins are the page's leftmost start and rightmost end of body lines.
func margins(p []pdfLine, body float64) (left, right float64) {
	left, right = math.Inf(1), math.Inf(-1)
	for _, l := range p {
		if math.Abs(l.size-body) < 0.5 {
			left, right = min(left, l.x), max(right, l.x1)
		}
	}
	return left, right
}

// joinLines puts b after a, rejoining a word hyphenated across the break
// ("extrac-" + "tion") when the next line starts in lower case.
func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	last, size := utf8.DecodeLastRuneInString(a)
	if last == '-' || last == '\u00AD' || last == '\u2010' || last == '\x02' {
		before, _ := utf8.DecodeLastRuneInString(a[:len(a)-size])
		first, _ := utf8.DecodeRuneInString(b)
		if unicode.IsLetter(before) && unicode.IsLower(first) {
			return a[:len(a)-size] + b
		}
	}
	return a + " " + b
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’»)]`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, ":")
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
