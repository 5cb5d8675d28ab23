package ingest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestPDFReport(t *testing.T) {
	doc, err := pdfDoc(context.Background(), reportPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "Introduction\n\n" +
		"Bees have lived alongside people for thousands of years. The extraction of honey was among the first forms of farming.\n\n" +
		"Wild colonies nest in hollow trees and rock crevices across every continent.\n\n" +
		"Colonies\n\n" +
		"A colony holds one queen, a few hundred drones and tens of thousands of workers. Workers live for about six weeks in summer and the colony replaces them all the time, which is why it survives the winter as a single warm cluster.\n\n" +
		"Harvest\n\n" +
		"Beekeepers take only the surplus honey and leave enough for the colony."
	if doc.Text != want {
		t.Errorf("text:\n%s\n--- want ---\n%s", doc.Text, want)
	}
	if doc.Title != "Living With Bees" {
		t.Errorf("title %q, want the document's Title", doc.Title)
	}
	var titles []string
	for _, s := range doc.Sections {
		titles = append(titles, s.Title)
		if !strings.HasPrefix(doc.Text[s.Offset:], s.Title) {
			t.Errorf("section %q offset %d points at %q", s.Title, s.Offset, doc.Text[s.Offset:min(len(doc.Text), s.Offset+20)])
		}
	}
	if strings.Join(titles, "|") != "Introduction|Colonies|Harvest" {
		t.Errorf("sections %v", titles)
	}
}

func TestPDFText(t *testing.T) {
	tests := []struct {
		name    string
		content string
		form    string
		want    string
	}{
		{"TJ offsets make word spaces, kerning does not",
			"BT /F1 10 Tf 72 700 Td [(Hello)-333(world)-20(s)] TJ ET", "", "Hello worlds"},
		{"separate runs: gap means a space",
			"BT /F1 10 Tf 72 700 Td (Hello) Tj 30 0 Td (there) Tj ET", "", "Hello there"},
		{"separate runs: no gap, one word",
			"BT /F1 10 Tf 72 700 Td (Hel) Tj 15 0 Td (lo) Tj ET", "", "Hello"},
		{"text in a form XObject",
			"BT /F1 10 Tf 72 700 Td (Page text.) Tj ET q /X1 Do Q", "BT /F1 10 Tf 72 500 Td (Form text.) Tj ET",
			"Page text.\n\nForm text."},
		{"rotated stamps are not body text",
			"BT /F1 10 Tf 72 700 Td (Body text.) Tj ET BT /F1 8 Tf 0 1 -1 0 20 300 Tm (arXiv:1234.5678v1 [cs.CL]) Tj ET", "",
			"Body text."},
		{"T* and ' move to the next line",
			"BT /F1 10 Tf 12 TL 72 700 Td (First line) Tj T* (second line) Tj (third line) ' ET", "",
			"First line second line third line"},
		{"escapes and octal codes",
			`BT /F1 10 Tf 72 700 Td (Caf\351 \(open\)) Tj ET`, "", "Café (open)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := pdfDoc(context.Background(), onePagePDF("%PDF-1.4", tt.content, tt.form))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tt.want {
				t.Errorf("got %q, want %q", doc.Text, tt.want)
			}
		})
	}
}

func TestPDFRunningHeaders(t *testing.T) {
	// Five pages; the header carries the page number, the footer is "- n -".
	var objs []string
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>", "")
	var kids []string
	for i := 1; i <= 5; i++ {
		content := "BT /F1 9 Tf 72 760 Td (Journal of Bees, Vol. 3, p. " + strconv.Itoa(100+i) + ") Tj ET " +
			"BT /F1 11 Tf 72 700 Td (Body of page " + strconv.Itoa(i) + " ends here.) Tj ET " +
			"BT /F1 9 Tf 300 40 Td (- " + strconv.Itoa(i) + " -) Tj ET"
		pageObj := len(objs) + 1
		kids = append(kids, strconv.Itoa(pageObj)+" 0 R")
		objs = append(objs,
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "+strconv.Itoa(pageObj+1)+" 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
			"<< /Length "+strconv.Itoa(len(content))+" >>\nstream\n"+content+"\nendstream")
	}
	objs[1] = "<< /Type /Pages /Kids [" + strings.Join(kids, " ") + "] /Count 5 >>"
	doc, err := pdfDoc(context.Background(), rawPDF("%PDF-1.5", objs...))
	if err != nil {
		t.Fatal(err)
	}
	want := "Body of page 1 ends here.\n\nBody of page 2 ends here.\n\nBody of page 3 ends here.\n\nBody of page 4 ends here.\n\nBody of page 5 ends here."
	if doc.Text != want {
		t.Errorf("got\n%s\nwant\n%s", doc.Text, want)
	}
}

func TestPDFErrors(t *testing.T) {
	report := reportPDF(t)
	tests := []struct {
		name     string
		data     []byte
		is       error
		contains string
	}{
		{"password protected", encryptedPDF(t, "user-secret"), ErrEncrypted, "protected by a password"},
		{"scanned", scannedPDF(t), ErrNoTextLayer, "OCR"},
		{"truncated", report[:len(report)/2], ErrUnsupported, "not a readable PDF"},
		{"garbage after the header", []byte("%PDF-1.4\n" + strings.Repeat("garbage ", 100) + "\n%%EOF\n"), ErrUnsupported, "not a readable PDF"},
		{"no pages", rawPDF("%PDF-1.4", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), ErrEmpty, "no pages"},
		{"broken content stream", onePagePDF("%PDF-1.4", "BT /F1 10 Tf 72 700 Td (unterminated", ""), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := pdfDoc(context.Background(), tt.data)
			if tt.is == nil {
				if err == nil && strings.TrimSpace(doc.Text) == "" {
					t.Fatal("no error and no text")
				}
				return
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.contains)
			}
		})
	}
}

// TestPDFOwnerPasswordOnly: a file anyone may open but that is encrypted
// must give its text or say it is encrypted, never decryption noise. (The
// parser cannot decrypt 40-bit RC4, fpdf's only cipher, so today it says so.)
func TestPDFOwnerPasswordOnly(t *testing.T) {
	doc, err := pdfDoc(context.Background(), encryptedPDF(t, ""))
	if err != nil {
		if !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "unprotected copy") {
			t.Fatalf("err = %v", err)
		}
		return
	}
	if doc.Text != "Confidential words about bees." {
		t.Fatalf("text %q", doc.Text)
	}
}

func TestPDFRepairedHeaders(t *testing.T) {
	content := "BT /F1 10 Tf 72 700 Td (Still readable.) Tj ET"
	tests := map[string][]byte{
		"PDF 2.0":            onePagePDF("%PDF-2.0", content, ""),
		"no line break":      onePagePDF("%PDF-1.4 %\xe2\xe3\xcf\xd3", content, ""),
		"padding after EOF":  append(onePagePDF("%PDF-1.4", content, ""), make([]byte, 600)...),
		"junk before header": append([]byte("JUNK"), onePagePDF("%PDF-1.4", content, "")...),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			doc, err := pdfDoc(context.Background(), data)
			if err != nil || doc.Text != "Still readable." {
				t.Fatalf("got %q, %v", doc.Text, err)
			}
		})
	}
}

func TestJoinLines(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"", "first", "first"},
		{"the extrac-", "tion", "the extraction"},
		{"soft\u00ADhy\u00AD", "phen", "soft\u00ADhyphen"},
		{"a well-", "Known name", "a well- Known name"},
		{"range 1990-", "1995", "range 1990- 1995"},
		{"ends.", "Next", "ends. Next"},
		{"en\u2010", "dash", "endash"},
	}
	for _, tt := range tests {
		if got := joinLines(tt.a, tt.b); got != tt.want {
			t.Errorf("joinLines(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPageNumberPattern(t *testing.T) {
	for _, s := range []string{"12", "- 12 -", "— 3 —", "Page 3", "page 3 of 10", "p. 4", "iv", "Seite 2 von 9", "3/10"} {
		if !pageNumber.MatchString(s) {
			t.Errorf("%q is a page number", s)
		}
	}
	for _, s := range []string{"Chapter 3", "12 apples", "The end.", "2024 report", "mix"} {
		if pageNumber.MatchString(s) {
			t.Errorf("%q is not a page number", s)
		}
	}
}

func TestPDFCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pdfDoc(ctx, reportPDF(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
