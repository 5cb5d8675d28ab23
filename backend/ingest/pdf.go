package ingest

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// pdfDoc extracts a PDF's text page by page, in page order, with running
// headers, footers and page numbers removed, hyphenated line ends joined and
// large-type lines kept as headings. Encrypted files that open with an empty
// password are read; others, and files with no text layer (scans), are
// refused with errors that say what to do.
func pdfDoc(ctx context.Context, data []byte) (doc Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = Document{}, failf(ErrUnsupported, "the PDF is damaged and could not be read (%v)", r)
		}
	}()
	data = repairPDF(data)
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, pdfOpenError(err, data)
	}
	encrypted := !r.Trailer().Key("Encrypt").IsNull()
	var pages [][]pdfLine
	var firstErr error
	failed := 0
	for _, page := range pageList(r) {
		if err := ctx.Err(); err != nil {
			return Document{}, err
		}
		ls, err := pageLines(page)
		if err != nil {
			failed++
			firstErr = firstNonNilErr(firstErr, err)
		}
		pages = append(pages, ls)
	}
	switch {
	case len(pages) == 0:
		return Document{}, failf(ErrEmpty, "the PDF has no pages")
	case failed == len(pages) && encrypted:
		return Document{}, failf(ErrEncrypted, "the PDF is encrypted in a way podcastfy cannot read (%v) — print or save an unprotected copy and use that", firstErr)
	case failed == len(pages):
		return Document{}, failf(ErrUnsupported, "the PDF is damaged and its pages could not be read (%v)", firstErr)
	}
	all := pageText(pages)
	if strings.TrimSpace(all) == "" {
		return Document{}, failf(ErrNoTextLayer,
			"none of its %d pages has a text layer, so it is probably scanned images — run OCR on it first (for example `ocrmypdf in.pdf out.pdf`) and use the result", len(pages))
	}
	if encrypted && !readable(all) {
		return Document{}, failf(ErrEncrypted, "the PDF is encrypted and its text could not be decrypted — print or save an unprotected copy and use that")
	}
	doc = assemble(removeRunning(pages))
	doc.Title = firstNonEmpty(infoTitle(r), manPageTitle(doc), firstHeading(doc.Sections))
	return doc, nil
}

// Limits on a page tree, against hostile files whose trees loop.
const (
	maxPages     = 20_000
	maxTreeDepth = 32
)

// pageList walks the page tree in order. Unlike pdf.Reader.Page, it stops
// at loops, and it does not trust the Count entries.
func pageList(r *pdf.Reader) []pdf.Page {
	var out []pdf.Page
	visits := 0
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		visits++
		if depth > maxTreeDepth || visits > 4*maxPages || len(out) >= maxPages {
			return
		}
		kids := v.Key("Kids")
		switch {
		case v.Key("Type").Name() == "Page" || kids.Kind() != pdf.Array && !v.Key("Contents").IsNull():
			out = append(out, pdf.Page{V: v})
		case kids.Kind() == pdf.Array:
			for i := 0; i < kids.Len(); i++ {
				walk(kids.Index(i), depth+1)
			}
		}
	}
	walk(r.Trailer().Key("Root").Key("Pages"), 0)
	return out
}

// pageLines reads one page, turning the parser's panics into an error.
func pageLines(page pdf.Page) (ls []pdfLine, err error) {
	defer func() {
		if r := recover(); r != nil {
			ls, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return lines(pageRuns(page)), nil
}

func pdfOpenError(err error, data []byte) error {
	switch {
	case err == pdf.ErrInvalidPassword:
		return failf(ErrEncrypted, "the PDF is protected by a password — open it in a PDF viewer, enter the password, and print or save an unprotected copy")
	case bytes.Contains(data, []byte("/Encrypt")):
		return failf(ErrEncrypted, "the PDF is encrypted in a way podcastfy cannot read (%v) — print or save an unprotected copy and use that", err)
	}
	return failf(ErrUnsupported, "the file is not a readable PDF (%v)", err)
}

// repairPDF works around the parser's strictness about the first and last
// bytes: PDF 2.0 headers, a header without a line break, junk before the
// header, and padding after the final %%EOF. It copies only when needed.
func repairPDF(data []byte) []byte {
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		data = data[i:]
	}
	if len(data) >= 9 && (data[5] != '1' || data[7] > '7' || data[8] != '\n' && data[8] != '\r') {
		data = bytes.Clone(data)
		copy(data, "%PDF-1.7\n")
	}
	tail := data[max(0, len(data)-2048):]
	if i := bytes.LastIndex(tail, []byte("%%EOF")); i >= 0 && len(tail)-i > 100 {
		data = data[:len(data)-len(tail)+i+5]
	}
	return data
}

// readable reports whether text looks like language rather than the noise
// a failed decryption leaves: mostly letters, digits, spaces, punctuation.
func readable(s string) bool {
	good, all := 0, 0
	for _, r := range s {
		all++
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || unicode.IsPunct(r) {
			good++
		}
	}
	return all == 0 || good*100 >= all*85
}

func pageText(pages [][]pdfLine) string {
	var b strings.Builder
	for _, p := range pages {
		for _, l := range p {
			b.WriteString(l.text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var junkTitle = regexp.MustCompile(`(?i)^(untitled|microsoft word - .*|.*\.(docx?|odt|pdf|tex|dvi|indd|pages|rtf)|document\d*|title)$`)

// infoTitle is the document information dictionary's Title, unless it is
// one of the placeholders editors leave there.
func infoTitle(r *pdf.Reader) string {
	t := cleanInline(r.Trailer().Key("Info").Key("Title").Text())
	if t == "" || junkTitle.MatchString(t) || !readable(t) {
		return ""
	}
	return t
}

func firstNonNilErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
