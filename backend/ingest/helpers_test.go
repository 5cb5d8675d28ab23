package ingest

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reportPages is the body of the generated report, page by page. Page 2
// ends mid-sentence and page 3 goes on; page 1 hyphenates "extraction".
var reportPages = [][]string{
	{"Introduction", "Bees have lived alongside people for thousands of years. The extrac-",
		"tion of honey was among the first forms of farming.", "",
		"Wild colonies nest in hollow trees and rock crevices across every continent."},
	{"Colonies", "A colony holds one queen, a few hundred drones and tens of thousands",
		"of workers. Workers live for about six weeks in summer and the colony",
		"replaces them all the time, which is why it"},
	{"survives the winter as a single warm cluster.", "",
		"Harvest", "Beekeepers take only the surplus honey and leave enough for the colony."},
}

var headings = map[string]bool{"Introduction": true, "Colonies": true, "Harvest": true}

// reportPDF lays out reportPages with a running header, a page-number
// footer, large headings and a document title.
func reportPDF(t testing.TB) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle("Living With Bees", true)
	p.SetHeaderFunc(func() {
		p.SetFont("Helvetica", "", 9)
		p.CellFormat(0, 8, "The Bee Report 2024", "", 1, "C", false, 0, "")
		p.Ln(6)
	})
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Helvetica", "", 9)
		p.CellFormat(0, 10, fmt.Sprintf("Page %d of %d", p.PageNo(), len(reportPages)), "", 0, "C", false, 0, "")
	})
	for _, page := range reportPages {
		p.AddPage()
		for _, line := range page {
			switch {
			case line == "":
				p.Ln(8)
			case headings[line]:
				p.SetFont("Helvetica", "B", 20)
				p.CellFormat(0, 12, line, "", 1, "L", false, 0, "")
			default:
				p.SetFont("Times", "", 12)
				p.CellFormat(0, 6, line, "", 1, "L", false, 0, "")
			}
		}
	}
	return output(t, p)
}

func output(t testing.TB, p *fpdf.Fpdf) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encryptedPDF is protected with RC4; an empty user password means anyone
// may open it and only the owner password restricts it.
func encryptedPDF(t testing.TB, userPassword string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetProtection(fpdf.CnProtectPrint, userPassword, "owner-secret")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Cell(0, 10, "Confidential words about bees.")
	return output(t, p)
}

// scannedPDF is what a scanner makes: pages that are only images.
func scannedPDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 120, 160))
	for y := 20; y < 140; y += 8 { // "lines of text" as grey bars
		for x := 10; x < 110; x++ {
			img.Set(x, y, color.Gray{Y: 60})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngData)
	for i := 0; i < 2; i++ {
		p.AddPage()
		p.ImageOptions("scan", 10, 10, 190, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	return output(t, p)
}

// rawPDF writes a PDF whose objects are given in order (object 1 must be
// the catalog), with a correct cross-reference table.
func rawPDF(header string, objects ...string) []byte {
	var b bytes.Buffer
	b.WriteString(header + "\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// onePagePDF is a one-page PDF drawing content with font F1 (Helvetica,
// every glyph 500/1000 em wide) and form XObject X1 drawing form.
func onePagePDF(header, content, form string) []byte {
	widths := strings.TrimSpace(strings.Repeat("500 ", 95))
	stream := func(s string, dict string) string {
		return fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(s), dict, s)
	}
	return rawPDF(header,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "+
			"/Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths ["+widths+"] >>",
		stream(content, ""),
		stream(form, "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 0 -100] /Resources << /Font << /F1 4 0 R >> >>"),
	)
}
