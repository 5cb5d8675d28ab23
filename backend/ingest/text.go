package ingest

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// builder assembles clean text: blocks (paragraphs, headings, list items)
// separated by blank lines, whitespace collapsed, headings recorded as
// Sections at their byte offsets.
type builder struct {
	out      strings.Builder
	para     strings.Builder // the block being built
	sections []Section
}

// write adds inline text to the current block.
func (b *builder) write(s string) {
	b.para.WriteString(s)
}

// end closes the current block, if it has any words.
func (b *builder) end() {
	p := cleanInline(b.para.String())
	b.para.Reset()
	if p == "" {
		return
	}
	if b.out.Len() > 0 {
		b.out.WriteString("\n\n")
	}
	b.out.WriteString(p)
}

// heading closes the current block and adds a heading block and Section.
func (b *builder) heading(level int, title string) {
	b.end()
	title = cleanInline(title)
	if title == "" {
		return
	}
	if b.out.Len() > 0 {
		b.out.WriteString("\n\n")
	}
	b.sections = append(b.sections, Section{Title: title, Level: level, Offset: b.out.Len()})
	b.out.WriteString(title)
}

// doc closes the last block and returns the text and sections.
func (b *builder) doc(title string) Document {
	b.end()
	return Document{Title: title, Text: b.out.String(), Sections: b.sections}
}

// firstHeading is the first level-1 heading, else the first heading.
func firstHeading(secs []Section) string {
	for _, s := range secs {
		if s.Level == 1 {
			return s.Title
		}
	}
	if len(secs) > 0 {
		return secs[0].Title
	}
	return ""
}

// cleanInline makes one block speakable: control and invisible characters
// dropped (soft hyphens, zero-width spaces, byte-order marks), typographic
// ligatures spelled out, every run of white space a single space.
func cleanInline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r == '\u00AD', r == '\u200B', r == '\u200C', r == '\u200D', r == '\u2060', r == '\uFEFF',
			unicode.IsControl(r), unicode.Is(unicode.Co, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if lig, ok := ligatures[r]; ok {
			b.WriteString(lig)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var ligatures = map[rune]string{
	'\uFB00': "ff", '\uFB01': "fi", '\uFB02': "fl", '\uFB03': "ffi", '\uFB04': "ffl", '\uFB05': "st", '\uFB06': "st",
}

// decodeText turns file bytes into UTF-8: a byte-order mark (UTF-8 or
// UTF-16) is honoured, valid UTF-8 is taken as it is, and other text is read
// as Windows-1252. Bytes with NULs or many control characters are binary.
func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		u, err := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", failf(ErrBinary, "the UTF-16 text could not be decoded: %v", err)
		}
		b = u
	}
	if !utf8.Valid(b) {
		if binaryBytes(b) {
			return "", failf(ErrBinary, "the file holds binary data, not text — is it the right file?")
		}
		u, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", failf(ErrBinary, "the text is in an unknown encoding: %v", err)
		}
		b = u
	}
	if binaryBytes(b) {
		return "", failf(ErrBinary, "the file holds binary data, not text — is it the right file?")
	}
	return string(b), nil
}

// binaryBytes looks at up to 64 KiB: any NUL, or more than 1% control
// bytes other than white space, means binary.
func binaryBytes(b []byte) bool {
	b = b[:min(len(b), 64<<10)]
	ctrl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v', c == 0x7F:
			ctrl++
		}
	}
	return ctrl*100 > len(b)
}

// plainText splits text into paragraphs at blank lines and joins the
// hard-wrapped lines inside each.
func plainText(s string) *builder {
	var b builder
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" || strings.Trim(line, "-=*_~#. \t") == "" && len(strings.TrimSpace(line)) >= 3 {
			b.end() // blank line, or a rule of dashes, stars or equals signs
			continue
		}
		b.write(line + " ")
	}
	return &b
}

// manNameHeadings name a man page's NAME section in the languages man
// pages are translated into.
var manNameHeadings = map[string]bool{"NAME": true, "BEZEICHNUNG": true, "NOM": true, "NOMBRE": true,
	"NOME": true, "NAAM": true}

// manPageTitle is a man page's title, from its NAME section: "tar − an
// archiving utility". It is "" for any other document.
func manPageTitle(doc Document) string {
	for i, s := range doc.Sections {
		if i > 1 {
			break
		}
		if !manNameHeadings[strings.ToUpper(s.Title)] {
			continue
		}
		rest := strings.TrimLeft(doc.Text[min(len(doc.Text), s.Offset+len(s.Title)):], "\n ")
		line, _, _ := strings.Cut(rest, "\n\n")
		if len(line) > 120 || !strings.ContainsAny(line, "-−‐–—") {
			return ""
		}
		return line
	}
	return ""
}
