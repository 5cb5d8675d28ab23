package llm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

// The Ollama writer, given a real document, sends each of its paragraphs
// (after the speakable stage) to exactly one section call, in the
// document's order, and names the chapters by the document's headings —
// against a fake model that misplans its outline, repeats itself and
// writes markup.
func TestCorpusOllamaCoversEachPartOnce(t *testing.T) {
	keep := os.Getenv("PODCASTFY_TRANSCRIPTS")
	tpl := builtIn(t, "deep-dive")
	for _, name := range []string{"systemd-environment.md", "node-path.md", "base-passwd-users-and-groups.html", "lang/man.de.1.pdf"} {
		t.Run(name, func(t *testing.T) {
			doc := corpusDoc(t, filepath.Join("testdata/corpus", name))
			lang := "en"
			if strings.HasPrefix(name, "lang/") {
				lang = "de"
			}
			srv := ollamatest.New("llama3.2")
			t.Cleanup(srv.Close)
			srv.SetQuirks(ollamatest.Quirks{Misplan: true, Repeat: true, Markup: true})
			o, err := llm.NewOllama(llm.OllamaConfig{Host: srv.URL, Model: "llama3.2", IdleTimeout: 10 * time.Second}, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(o.Close)
			sc, err := o.Write(context.Background(), llm.Request{Source: doc.Marked(), Title: doc.Title, Template: &tpl,
				Minutes: 12, Language: lang}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []string // each section call's source, in order
			for _, c := range srv.Chats() {
				user := c.Messages[1].Content
				_, rest, ok := strings.Cut(user, "Source text for this section (use only facts from it):\n<<<\n")
				if len(c.Messages) > 2 || !ok {
					continue // the outline, the frame, or a follow-up of a section already counted
				}
				block, _, _ := strings.Cut(rest, "\n>>>")
				blocks = append(blocks, block)
			}
			// The paragraphs the calls carry, in call order, are the
			// document's, in its order: none twice, none left out.
			var sent, want []string
			for _, b := range blocks {
				for _, p := range strings.Split(b, "\n\n") {
					if !strings.HasPrefix(p, "#") {
						sent = append(sent, p)
					}
				}
			}
			src := script.PrepareSource(doc.Marked(), lang)
			headings := map[string]bool{}
			for _, sec := range src.Sections {
				headings[sec.Title] = true
				want = append(want, sec.Paragraphs...)
			}
			if !slices.Equal(sent, want) {
				for i := range min(len(sent), len(want)) {
					if sent[i] != want[i] {
						t.Fatalf("paragraph %d of %d sent is %.60q, the document's is %.60q", i+1, len(sent), sent[i], want[i])
					}
				}
				t.Fatalf("%d paragraphs sent of the document's %d", len(sent), len(want))
			}
			var b strings.Builder
			for _, ch := range sc.Chapters[1 : len(sc.Chapters)-1] {
				fmt.Fprintf(&b, "\n## %s\n", ch.Title)
				for _, l := range ch.Lines {
					fmt.Fprintf(&b, "%s: %s\n", l.Speaker, l.Text)
				}
				// A chapter that only goes on with a section already named says
				// so, or is numbered.
				heading, _ := strings.CutSuffix(ch.Title, ", continued")
				if !headings[heading] && !strings.HasPrefix(ch.Title, "Part ") {
					t.Errorf("chapter %q is not one of the document's headings", ch.Title)
				}
			}
			if len(blocks) < 3 || len(sc.Chapters) != len(blocks)+2 {
				t.Errorf("%d section calls for %d chapters", len(blocks), len(sc.Chapters))
			}
			if keep != "" {
				os.WriteFile(filepath.Join(keep, "ollama-"+filepath.Base(name)+".txt"), []byte("# "+sc.Title+"\n"+b.String()), 0o644)
			}
			seen := map[string]bool{}
			for _, ch := range sc.Chapters {
				if seen[ch.Title] {
					t.Errorf("chapter title %q twice", ch.Title)
				}
				seen[ch.Title] = true
			}
		})
	}
}
