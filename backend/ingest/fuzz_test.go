package ingest

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkDoc asserts what every extractor promises: valid UTF-8, no control
// characters but newlines, sections pointing at their titles.
func checkDoc(t *testing.T, doc Document) {
	t.Helper()
	if !utf8.ValidString(doc.Text) {
		t.Fatalf("invalid UTF-8: %q", doc.Text)
	}
	for _, r := range doc.Text {
		if r < 0x20 && r != '\n' || r == 0x7f {
			t.Fatalf("control character %U in %q", r, doc.Text)
		}
	}
	for _, s := range doc.Sections {
		if s.Offset < 0 || s.Offset > len(doc.Text) || !strings.HasPrefix(doc.Text[s.Offset:], s.Title) {
			t.Fatalf("section %+v does not point at its title", s)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	f.Add(readTestdata(f, "everything.md"))
	for _, s := range []string{"# a\n\n## b", "```\nx", "| a |\n|---|", "<div>\n*x*", "[a]: <", "---\ntitle: x\n---",
		"> > > deep", "1. a\n   - b\n     1. c", "~~~~\n~~~", "a\\\nb", "&#0; &#xD800; &bogus;", "* [ ] [x]", "<!--", "[^1]\n\n[^1]: x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, markdown(data))
	})
}

func FuzzHTML(f *testing.F) {
	f.Add(readTestdata(f, "article.html"))
	for _, s := range []string{"<p>x", "<h1>a<h2>b", "<table><td>x", "<svg><text>x</text></svg>", "<sup>1</sup>",
		"<html lang=", "<meta property=og:title content=\"T\">", "<p hidden>x</p><p>y</p>", "\xff\xfe<\x00p\x00>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := htmlDoc(data, "", nil)
		if err == nil {
			checkDoc(t, doc)
		}
	})
}

func FuzzPDF(f *testing.F) {
	report := reportPDF(f)
	content := "BT /F1 10 Tf 72 700 Td [(Hello)-333(world)] TJ ET q /X1 Do Q"
	form := "BT /F1 10 Tf 72 500 Td (Form) Tj ET /X1 Do"
	seeds := [][]byte{
		report, report[:len(report)/3], encryptedPDF(f, "pw"), encryptedPDF(f, ""), scannedPDF(f),
		onePagePDF("%PDF-1.4", content, form), // the form draws itself
		onePagePDF("%PDF-2.0", "BT /F1 10 Tf 1 0 0 1 72 700 Tm (x) ' (y) \" ET", ""),
		onePagePDF("%PDF-1.4", "BT /F9 10 Tf (no such font) Tj ET Q Q Q cm Tm TJ", ""),
		rawPDF("%PDF-1.4", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 9 >>"),
		rawPDF("%PDF-1.4", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 3 0 R /Contents 3 0 R >>"),
		[]byte("%PDF-1.7\n%%EOF\n"), []byte("%PDF-"), nil,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := pdfDoc(context.Background(), data)
		if err == nil {
			checkDoc(t, doc)
		}
	})
}

func FuzzSniffAndDecode(f *testing.F) {
	for _, s := range []string{"", "plain", "\xef\xbb\xbf# md", "\xff\xfe\x00", "%PDF-1.4", "ID3\x03\x00\x00\x00\x00\x00\x00",
		"RIFF\x00\x00\x00\x00WAVE", "<!doctype html>", "\x00\x01", "caf\xe9"} {
		f.Add(s, "file.txt")
	}
	f.Fuzz(func(t *testing.T, data, name string) {
		if _, err := sniff(name, []byte(data)); err != nil && !strings.Contains(err.Error(), ":") {
			t.Fatalf("unhelpful error %v", err)
		}
		if s, err := decodeText([]byte(data)); err == nil {
			checkDoc(t, plainText(s).doc(""))
		}
	})
}
