package llm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"podcastfy/backend/llm"
	"podcastfy/backend/script"
)

// englishGlue are English words the writer itself might add to a title or
// a line of a podcast in another language.
var englishGlue = regexp.MustCompile(`\b(and|Part|Today's|text|Introduction|Wrap-up|point|percent)\b`)

// TestCorpusLanguages writes a script from the same manual (man-db's man(1),
// typeset by groff) in German, French, Spanish, Italian, Portuguese and
// Dutch, and checks every line and title as a listener of that language
// would hear it: nothing unspeakable, no English glue, no sentence cut at
// an abbreviation or an ordinal.
func TestCorpusLanguages(t *testing.T) {
	keep := os.Getenv("PODCASTFY_TRANSCRIPTS")
	tpl := builtIn(t, "deep-dive")
	allLines, allBad := 0, 0
	for _, lang := range []string{"de", "fr", "es", "it", "pt", "nl"} {
		t.Run(lang, func(t *testing.T) {
			name := "man." + lang + ".1.pdf"
			doc := corpusDoc(t, filepath.Join("testdata/corpus/lang", name))
			sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
				Source: doc.Marked(), Title: doc.Title, Template: &tpl, Minutes: 6, Language: lang,
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var transcript strings.Builder
			fmt.Fprintf(&transcript, "# %s\n", sc.Title)
			if englishGlue.MatchString(sc.Title) {
				t.Errorf("title %q", sc.Title)
			}
			lines, bad := 0, 0
			for _, ch := range sc.Chapters {
				fmt.Fprintf(&transcript, "\n## %s\n", ch.Title)
				if englishGlue.MatchString(ch.Title) {
					t.Errorf("chapter title %q", ch.Title)
				}
				for _, l := range ch.Lines {
					lines++
					fmt.Fprintf(&transcript, "%s: %s\n", l.Speaker, l.Text)
					for _, u := range append(unspeakable, cutShort...) {
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
		})
	}
	t.Logf("%d of %d lines unspeakable", allBad, allLines)
}

// cutShort finds a line that ends where a sentence was cut at an
// abbreviation or an ordinal, or that keeps digits a voice would have to
// guess at.
var cutShort = []struct {
	name string
	re   *regexp.Regexp
}{
	{"cut at an abbreviation", regexp.MustCompile(`(^|\s)(z|d|u|c|bzw|vgl|ggf|bijv|ca|Sr|Dr|Mme)\.$`)},
	{"ordinal cut off", regexp.MustCompile(`(^|\s)\d{1,2}\.$`)},
	{"digits", regexp.MustCompile(`(^|\s)\d+([\s.,;:!?]|$)`)},
}

// Titles the offline writer makes up (the source has no headings) are in
// the source's language: its key words as written ("Handbuchseiten"), joined
// by its own "and" — never "Die and bienen" — even when the podcast's
// language was left at the template's English.
func TestTitlesInTheSourcesLanguage(t *testing.T) {
	and := map[string]string{"de": "und", "fr": "et", "es": "y", "it": "e", "pt": "e", "nl": "en"}
	tpl := builtIn(t, "deep-dive")
	tpl.Structure = nil // no sections to name the chapters by
	for lang, conj := range and {
		doc := corpusDoc(t, filepath.Join("testdata/corpus/lang", "man."+lang+".1.pdf"))
		var paras []string
		for _, s := range script.PrepareSource(doc.Marked(), lang).Sections {
			paras = append(paras, s.Paragraphs...)
		}
		// The same text without its headings, nor its NAME line (which would
		// title the podcast).
		src := strings.Join(paras[1:], "\n\n")
		asks := []string{lang, ""}
		if lang == "nl" {
			asks = asks[:1] // half of the Dutch manual is untranslated English
		}
		for _, asked := range asks {
			sc, err := llm.NewExtractive().Write(context.Background(), llm.Request{
				Source: src, Template: &tpl, Minutes: 8, Language: asked,
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			titles := []string{sc.Title}
			for _, ch := range sc.Chapters {
				if ch.Title != "Introduction" && ch.Title != "Wrap-up" { // the English frame when asked in English
					titles = append(titles, ch.Title)
				}
			}
			if len(titles) < 3 {
				t.Fatalf("%s: titles %q", lang, titles)
			}
			for _, title := range titles {
				words := strings.Fields(title)
				if englishGlue.MatchString(title) || len(words) != 3 && len(words) != 1 || len(words) == 3 && words[1] != conj {
					t.Errorf("%s (asked %q): title %q", lang, asked, title)
				}
				if lang == "de" && len(words) == 3 && strings.ToLower(words[2]) == words[2] && !strings.Contains(src, " "+words[2]+" ") {
					t.Errorf("de: %q is not written so in the source", words[2])
				}
			}
			t.Logf("%s (asked %q): %q", lang, asked, titles)
		}
	}
}
