package llm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/template"
	"podcastfy/templates"
)

// unspeakable lists what issue 10 found read aloud from real documents:
// code, markup, options, identifiers, operators, paths, links, broken
// hyphenation, a line ending on a colon or starting in lower case.
var unspeakable = []struct {
	name string
	re   *regexp.Regexp
}{
	{"backtick", regexp.MustCompile("`")},
	{"brace", regexp.MustCompile(`[{}]`)},
	{"angle bracket", regexp.MustCompile(`[<>]`)},
	{"call", regexp.MustCompile(`\w\(\)`)},
	{"option", regexp.MustCompile(`(^|[\s(])[-−‐]{1,2}[A-Za-z]`)},
	{"snake_case", regexp.MustCompile(`\w_\w`)},
	{"operator", regexp.MustCompile(`::|->|=|\\`)},
	{"square bracket", regexp.MustCompile(`[\[\]]`)},
	{"hash, pipe or star", regexp.MustCompile(`[#|*]`)},
	{"minus or broken hyphenation", regexp.MustCompile(`−|\p{L}[-‐] \p{Ll}`)},
	{"path", regexp.MustCompile(`(^|\s)~?/\w|\w/\w+/\w`)},
	{"url", regexp.MustCompile(`://|www\.`)},
	{"trailing colon", regexp.MustCompile(`:\s*$`)},
	{"empty parentheses", regexp.MustCompile(`\(\s*\)`)},
	{"lower-case start", regexp.MustCompile(`^\s*\p{Ll}`)},
}

func builtIn(t *testing.T, id string) template.Template {
	t.Helper()
	data, err := templates.FS.ReadFile(id + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse(id+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// corpusDoc reads a corpus file through the real ingester.
func corpusDoc(t *testing.T, path string) ingest.Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := ingest.New(ingest.Options{}, nil).File(context.Background(), filepath.Base(path), f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestCorpusSpeakable writes a script from each real document in
// testdata/corpus (Node.js API references in Markdown, systemd's Markdown
// notes, HTML manuals, man pages typeset to PDF by groff) the way core
// does, and checks every line as a listener would hear it. Set
// PODCASTFY_TRANSCRIPTS to a folder to keep the transcripts for reading.
func TestCorpusSpeakable(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.*[lfd]") // .md, .html, .pdf; not README
	if err != nil || len(paths) < 6 {
		t.Fatalf("corpus: %v %v", paths, err)
	}
	keep := os.Getenv("PODCASTFY_TRANSCRIPTS")
	tpl := builtIn(t, "deep-dive")
	allLines, allBad := 0, 0
	for _, path := range paths {
		name := filepath.Base(path)
		doc := corpusDoc(t, path)
		sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
			Source: doc.Marked(), Title: doc.Title, Template: &tpl, Minutes: 6, Language: "en",
		}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var transcript strings.Builder
		fmt.Fprintf(&transcript, "# %s\n", sc.Title)
		lines, bad := 0, 0
		for _, ch := range sc.Chapters {
			fmt.Fprintf(&transcript, "\n## %s\n", ch.Title)
			for _, l := range ch.Lines {
				lines++
				fmt.Fprintf(&transcript, "%s: %s\n", l.Speaker, l.Text)
				for _, u := range unspeakable {
					if u.re.MatchString(l.Text) {
						bad++
						t.Logf("%s: %s in %q", name, u.name, l.Text)
						break
					}
				}
			}
		}
		allLines += lines
		allBad += bad
		if bad*50 > lines {
			t.Errorf("%s: %d of %d lines hold something no one would say aloud", name, bad, lines)
		}
		if keep != "" {
			os.WriteFile(filepath.Join(keep, name+".txt"), []byte(transcript.String()), 0o644)
		}
	}
	t.Logf("%d of %d lines unspeakable", allBad, allLines)
}

// The podcast is named by the document: a PDF's Title, else a man page's
// NAME line, a page's <title>, a Markdown file's first heading.
func TestCorpusTitles(t *testing.T) {
	tpl := builtIn(t, "deep-dive")
	for name, want := range map[string]string{
		"tar.1.pdf":              "GNU tar: an archiving utility",
		"gzip.1.pdf":             "Gzip, gunzip, zcat - compress or expand files",
		"node-url.md":            "URL",
		"systemd-environment.md": "Known Environment Variables",
		"libffi-basics.html":     "The Basics (libffi: the portable foreign function interface library)",
	} {
		doc := corpusDoc(t, filepath.Join("testdata/corpus", name))
		sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
			Source: doc.Marked(), Title: doc.Title, Template: &tpl, Minutes: 2, Language: "en",
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Title != want {
			t.Errorf("%s: title %q, want %q", name, sc.Title, want)
		}
	}
}

// Chapters of a document with headings are named by its headings.
func TestCorpusChaptersAreHeadings(t *testing.T) {
	tpl := builtIn(t, "deep-dive")
	for _, name := range []string{"node-url.md", "systemd-environment.md", "tar.1.pdf", "base-passwd-users-and-groups.html"} {
		doc := corpusDoc(t, filepath.Join("testdata/corpus", name))
		src := script.PrepareSource(doc.Marked(), "en")
		headings := map[string]bool{}
		for _, s := range src.Sections {
			headings[s.Title] = true
		}
		sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
			Source: doc.Marked(), Title: doc.Title, Template: &tpl, Minutes: 10, Language: "en",
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		body := sc.Chapters[1 : len(sc.Chapters)-1]
		if len(body) < 2 {
			t.Errorf("%s: %d body chapters", name, len(body))
		}
		for _, ch := range body {
			if !headings[ch.Title] {
				t.Errorf("%s: chapter %q is not one of the document's headings", name, ch.Title)
			}
		}
	}
}

// Each built-in template keeps its shape offline: the interview's host asks
// questions, the debate's two sides alternate, the brief is one voice and
// eli10's listener asks what things mean.
func TestCorpusTemplateShapes(t *testing.T) {
	doc := corpusDoc(t, filepath.Join("testdata/corpus", "tar.1.pdf"))
	keep := os.Getenv("PODCASTFY_TRANSCRIPTS")
	for _, id := range []string{"interview", "debate", "brief", "eli10", "critique", "deep-dive"} {
		tpl := builtIn(t, id)
		sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
			Source: doc.Marked(), Title: doc.Title, Template: &tpl, Minutes: 5, Language: "en",
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		questions := map[string]int{}
		speakers := map[string]int{}
		var b strings.Builder
		for _, ch := range sc.Chapters[1 : len(sc.Chapters)-1] {
			fmt.Fprintf(&b, "\n## %s\n", ch.Title)
			for _, l := range ch.Lines {
				fmt.Fprintf(&b, "%s: %s\n", l.Speaker, l.Text)
				speakers[l.Speaker]++
				if strings.HasSuffix(l.Text, "?") {
					questions[l.Speaker]++
				}
			}
		}
		if keep != "" {
			os.WriteFile(filepath.Join(keep, "shape-"+id+".txt"), []byte(b.String()), 0o644)
		}
		switch id {
		case "interview":
			if questions["Taylor"] < 4 || questions["Priya"] > 0 {
				t.Errorf("interview questions %v", questions)
			}
		case "eli10":
			if questions["Mia"] < 4 {
				t.Errorf("eli10 questions %v", questions)
			}
		case "debate":
			if speakers["Riley"] < 3 || speakers["Morgan"] < 3 || speakers["Casey"] < 1 {
				t.Errorf("debate turns %v", speakers)
			}
		case "brief":
			if len(speakers) != 1 {
				t.Errorf("brief voices %v", speakers)
			}
		}
	}
}
