package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// File reads one file — text, Markdown, HTML, PDF or audio — from r. Its
// kind is sniffed from the content; name's extension only tells Markdown
// and HTML from plain text. Errors are *SourceError values naming name.
func (in *Ingester) File(ctx context.Context, name string, r io.Reader) (Document, error) {
	src, err := newReaderInput(r)
	if err == nil {
		var doc Document
		if doc, err = in.file(ctx, name, src, false, func(Progress) {}); err == nil {
			doc.Sources = []SourceInfo{{Name: name, Kind: KindFile, Chars: len([]rune(doc.Text))}}
			return doc, nil
		}
	}
	return Document{}, &SourceError{Name: name, Err: err}
}

// URL fetches and reads one http or https link. Errors are *SourceError
// values naming the link.
func (in *Ingester) URL(ctx context.Context, rawURL string) (Document, error) {
	doc, err := in.url(ctx, rawURL, func(Progress) {})
	if err != nil {
		return Document{}, &SourceError{Name: rawURL, Err: err}
	}
	doc.Sources = []SourceInfo{{Name: firstNonEmpty(doc.Title, rawURL), Kind: KindURL, Chars: len([]rune(doc.Text))}}
	return doc, nil
}

// sniffLen is how much of a file is read before deciding what it is.
const sniffLen = 64 << 10

func (in *Ingester) file(ctx context.Context, name string, src input, audioOnly bool, report func(Progress)) (Document, error) {
	report(Progress{Stage: StageReading, Total: max(src.size, 0)})
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(src.r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return Document{}, failf(ErrInvalidInput, "reading failed: %v", err)
	}
	head = head[:n]
	if n == 0 {
		return Document{}, failf(ErrEmpty, "the file is empty")
	}
	k, err := sniff(name, head)
	if err != nil {
		return Document{}, err
	}
	if audioOnly && k != kindAudio {
		return Document{}, failf(ErrNotAudio, "%s is %s, not a recording; podcastfy reads MP3, WAV, M4A, Ogg, FLAC and WebM audio",
			filepath.Base(name), describe(head))
	}
	rest := io.MultiReader(bytes.NewReader(head), src.r)
	if k == kindAudio {
		return in.audio(ctx, name, head, rest, src.size, report)
	}
	if src.size > in.opts.MaxSourceBytes {
		return Document{}, failf(ErrTooLarge, "the file is %s; the limit is %s", sizeString(src.size), sizeString(in.opts.MaxSourceBytes))
	}
	data, err := readAll(rest, in.opts.MaxSourceBytes, "file")
	if err != nil {
		return Document{}, err
	}
	report(Progress{Stage: StageExtracting})
	return in.extract(ctx, k, name, data, "", nil)
}

// extract turns a document's bytes into a Document.
func (in *Ingester) extract(ctx context.Context, k kind, name string, data []byte, contentType string, pageURL *url.URL) (Document, error) {
	var doc Document
	var err error
	switch k {
	case kindPDF:
		doc, err = pdfDoc(ctx, data)
	case kindHTML:
		if binaryBytes(data) {
			return Document{}, failf(ErrBinary, "%s holds binary data, not a web page", displayName(name))
		}
		doc, err = htmlDoc(data, contentType, pageURL)
	default:
		var s string
		if s, err = decodeText(data); err == nil {
			doc = textDoc(s, k == kindMarkdown)
		}
	}
	if err != nil {
		return Document{}, err
	}
	if strings.TrimSpace(doc.Text) == "" {
		return Document{}, failf(ErrEmpty, "%s contains no readable text", displayName(name))
	}
	doc.Title = firstNonEmpty(doc.Title, titleFromName(name))
	return doc, nil
}

// text reads pasted text, Markdown or not.
func (in *Ingester) text(s string) (Document, error) {
	if int64(len(s)) > in.opts.MaxSourceBytes {
		return Document{}, failf(ErrTooLarge, "the text is %s; the limit is %s", sizeString(int64(len(s))), sizeString(in.opts.MaxSourceBytes))
	}
	doc := textDoc(strings.ToValidUTF8(s, ""), false)
	if strings.TrimSpace(doc.Text) == "" {
		return Document{}, failf(ErrEmpty, "the text is empty")
	}
	return doc, nil
}

// textDoc reads text as Markdown when told so or when it uses Markdown
// syntax, as a page of HTML when it is one, and as plain text otherwise.
func textDoc(s string, isMarkdown bool) Document {
	switch {
	case isMarkdown || looksLikeMarkdown(s):
		return markdown([]byte(s))
	case looksLikeHTML([]byte(s[:min(len(s), 1024)])):
		doc, err := htmlDoc([]byte(s), "text/html; charset=utf-8", nil)
		if err == nil {
			return doc
		}
	}
	return plainText(s).doc("")
}

// titleFromName makes a title from a file name or URL:
// "annual_report-2024.pdf" → "annual report 2024".
func titleFromName(name string) string {
	if u, err := url.Parse(name); err == nil && u.Host != "" {
		base := path.Base(u.Path)
		if base == "/" || base == "." {
			return strings.TrimPrefix(u.Hostname(), "www.")
		}
		name = base
	}
	name = filepath.Base(name)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	return cleanInline(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(name))
}

// displayName shortens a path to its base name for messages.
func displayName(name string) string {
	if strings.Contains(name, "://") {
		return name
	}
	return filepath.Base(name)
}
