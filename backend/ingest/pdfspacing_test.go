package ingest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// Word spacing against pdftotext on PDFs made by real typesetters: man
// pages typeset by groff (through Ghostscript's ps2pdf, and by groff's own
// PDF driver) and a LaTeX document. The packages come from the Makefile's
// APT_PACKAGES (groff, ghostscript, poppler-utils, texlive-latex-base).

// typeset runs a shell pipeline that writes a PDF to out.
func typeset(t *testing.T, pipeline string, env ...string) []byte {
	t.Helper()
	cmd := exec.Command("sh", "-c", pipeline)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("%s: %v %s (install the Makefile's APT_PACKAGES: make deps)", pipeline, err, stderr.String())
	}
	return out
}

// wordsOf normalises text into words: lower case, punctuation trimmed.
func wordsOf(s string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// glued counts our words that pdftotext reads as two neighbouring words.
func glued(ours, ref []string) (n int, examples []string) {
	known := map[string]bool{}
	for _, w := range ref {
		known[w] = true
	}
	pairs := map[string]bool{}
	for i := 1; i < len(ref); i++ {
		pairs[ref[i-1]+ref[i]] = true
	}
	for _, w := range ours {
		if !known[w] && pairs[w] {
			n++
			if len(examples) < 8 {
				examples = append(examples, w)
			}
		}
	}
	return n, examples
}

func TestPDFWordSpacingLikePdftotext(t *testing.T) {
	dir := t.TempDir()
	tex := filepath.Join(dir, "doc.tex")
	os.WriteFile(tex, []byte(latexDoc), 0o644)
	pdfs := map[string][]byte{}
	for _, man := range []string{"tar.1", "gzip.1", "find.1"} {
		src := filepath.Join("testdata", "man", man)
		pdfs[man+" groff+ps2pdf"] = typeset(t, "groff -man -Tps "+src+" | ps2pdf - -")
		pdfs[man+" gropdf"] = typeset(t, "groff -man -Tpdf "+src)
	}
	typeset(t, "cd "+dir+" && pdflatex -interaction=batchmode doc.tex >/dev/null && cat doc.pdf")
	pdfs["LaTeX"], _ = os.ReadFile(filepath.Join(dir, "doc.pdf"))
	for name, data := range pdfs {
		doc, err := pdfDoc(context.Background(), data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join(dir, "x.pdf")
		os.WriteFile(path, data, 0o644)
		ref := typeset(t, "pdftotext "+path+" -")
		ours, theirs := wordsOf(doc.Text), wordsOf(string(ref))
		n, ex := glued(ours, theirs)
		split, sx := glued(theirs, ours) // a word of pdftotext's that we read as two
		t.Logf("%s: %d words, %d glued %v, %d split %v", name, len(ours), n, ex, split, sx)
		if float64(n) > 0.002*float64(len(ours)) || float64(split) > 0.002*float64(len(ours)) || len(ours) < len(theirs)*8/10 {
			t.Errorf("%s: %d of %d words glued (%v), %d split (%v); pdftotext reads %d words", name, n, len(ours), ex, split, sx, len(theirs))
		}
	}
}

const latexDoc = `\documentclass{article}
\title{Rivers and Their Valleys}
\author{A. Writer}
\begin{document}
\maketitle
\section{How rivers carve valleys}
Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons,
and the speed of the water decides how much sediment it can carry. Fast rivers move boulders; slow
rivers drop fine silt where the current weakens, building terraces, levees and wide flood plains.
Justified paragraphs stretch and shrink the spaces between words, which is exactly what a text
extractor has to read correctly: typographers call the result rivers of white, appropriately enough.
\section{Deltas and the sea}
Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are
some of the most fertile land on Earth, and some of the most densely populated. Their channels
wander, split and rejoin; engineers who try to pin them in place learn how quickly they move.
\end{document}
`
