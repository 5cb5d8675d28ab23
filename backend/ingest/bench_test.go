package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// Extraction throughput; b.SetBytes makes go test print MB/s of input.

func BenchmarkExtractMarkdown(b *testing.B) {
	data := bytes.Repeat(readTestdata(b, "everything.md"), 100)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		markdown(data)
	}
}

func BenchmarkExtractHTML(b *testing.B) {
	page := string(readTestdata(b, "article.html"))
	i := strings.Index(page, "<h2>Round dances")
	j := strings.Index(page, "</article>")
	data := []byte(page[:i] + strings.Repeat(page[i:j], 60) + page[j:])
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := htmlDoc(data, "text/html; charset=utf-8", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractPDF(b *testing.B) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetHeaderFunc(func() {
		p.SetFont("Helvetica", "", 9)
		p.CellFormat(0, 8, "Running header", "", 1, "C", false, 0, "")
	})
	line := "Honey bees share the location of flowers with a dance on the comb, and their sisters read it."
	for page := 1; page <= 40; page++ {
		p.AddPage()
		p.SetFont("Helvetica", "B", 18)
		p.CellFormat(0, 10, fmt.Sprintf("Chapter %d", page), "", 1, "L", false, 0, "")
		p.SetFont("Times", "", 11)
		for i := 0; i < 40; i++ {
			p.CellFormat(0, 5.5, line, "", 1, "L", false, 0, "")
		}
	}
	data := output(b, p)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := pdfDoc(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractPlainText(b *testing.B) {
	data := []byte(strings.Repeat("A line of plain text that was hard wrapped\nat a fixed width, then a blank line.\n\n", 5000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s, err := decodeText(data)
		if err != nil {
			b.Fatal(err)
		}
		plainText(s).doc("")
	}
}
