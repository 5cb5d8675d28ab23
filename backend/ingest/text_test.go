package ingest

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"utf-8", []byte("Grüße, café"), "Grüße, café", nil},
		{"utf-8 bom", []byte("\xEF\xBB\xBFHello"), "Hello", nil},
		{"utf-16le bom", []byte("\xFF\xFEH\x00i\x00 \x00\xE9\x00"), "Hi é", nil},
		{"utf-16be bom", []byte("\xFE\xFF\x00H\x00i"), "Hi", nil},
		{"windows-1252", []byte("caf\xe9 \x93quoted\x94 \x80 5"), "café “quoted” € 5", nil},
		{"nul bytes", []byte("text\x00with\x00nuls"), "", ErrBinary},
		{"control soup", []byte("\x01\x02\x03\x04\x05 abc \x06\x07\x08\x0e\x0f"), "", ErrBinary},
		{"invalid utf-8 binary", []byte{0x89, 0x01, 0x02, 0x00, 0xff, 0xfe, 0x10}, "", ErrBinary},
		{"form feeds are text", []byte("page one\fpage two"), "page one\fpage two", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeText(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("decodeText = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestCleanInline(t *testing.T) {
	tests := map[string]string{
		"  many   spaces\tand\ttabs \n newlines ": "many spaces and tabs newlines",
		"soft\u00ADhyphen and zero\u200Bwidth":    "softhyphen and zerowidth",
		"\uFB01nd the \uFB02ow":                   "find the flow",
		"nbsp\u00A0here\u2003em":                  "nbsp here em",
		"bell\x07 and \uFEFFbom":                  "bell and bom",
		"private \uE000use":                       "private use",
		"":                                        "",
	}
	for in, want := range tests {
		if got := cleanInline(in); got != want {
			t.Errorf("cleanInline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainText(t *testing.T) {
	in := "Title line\r\n\r\nA paragraph that was\nhard wrapped at\nforty columns.\n\n-----\n\n  Second   paragraph.\n\n\n\n"
	doc := plainText(in).doc("")
	want := "Title line\n\nA paragraph that was hard wrapped at forty columns.\n\nSecond paragraph."
	if doc.Text != want {
		t.Errorf("got %q, want %q", doc.Text, want)
	}
}

func TestLooksLikeMarkdown(t *testing.T) {
	yes := []string{"# Title\n\ntext", "intro\n## Part two\n", "```\ncode\n```", "see [docs](https://x.y)",
		"a **bold** claim", "| a | b |\n|---|---|\n| 1 | 2 |", "- [ ] todo"}
	no := []string{"Just a sentence.", "#hashtag at start", "price: 5*3 = 15", "email me (soon)", "1. first\n2. second",
		"C# is a language", "a - b - c"}
	for _, s := range yes {
		if !looksLikeMarkdown(s) {
			t.Errorf("%q should look like Markdown", s)
		}
	}
	for _, s := range no {
		if looksLikeMarkdown(s) {
			t.Errorf("%q should not look like Markdown", s)
		}
	}
}

func TestMarkdown(t *testing.T) {
	doc := markdown(readTestdata(t, "everything.md"))
	golden(t, "everything.md.txt", doc.Text)
	if doc.Title != "Everything & More" {
		t.Errorf("title %q, want the front matter's", doc.Title)
	}
	for _, bad := range []string{"#", "```", "~~~", "|", "](", "**", "__", "never read", "http", "<", ">", "[^", "footnote text",
		"struck", "tomato.png", "alert", "comment", "author:", "[x]", "[ ]", "\\*"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("the text still contains %q", bad)
		}
	}
	var got []string
	for _, s := range doc.Sections {
		got = append(got, strings.Repeat("#", s.Level)+" "+s.Title)
		if !strings.HasPrefix(doc.Text[s.Offset:], s.Title) {
			t.Errorf("section %q offset %d is wrong", s.Title, s.Offset)
		}
	}
	want := "# The Garden Guide|# Setext heading|## Another setext heading|## Planting|### Harvest & Storage"
	if strings.Join(got, "|") != want {
		t.Errorf("sections %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestMarkdownTitle(t *testing.T) {
	tests := map[string]string{
		"## Second level first\n\n# The H1\n":   "The H1",
		"## Only a second level\n\ntext":        "Only a second level",
		"no headings at all":                    "",
		"---\ntitle: 'Quoted'\n---\n# Heading":  "Quoted",
		"---\nnot: closed\n# Heading\n":         "Heading",
		"\xEF\xBB\xBF---\ntitle: BOM\n---\ntxt": "BOM",
	}
	for in, want := range tests {
		if got := markdown([]byte(in)).Title; got != want {
			t.Errorf("title of %q = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLArticle(t *testing.T) {
	doc, err := htmlDoc(readTestdata(t, "article.html"), "text/html", nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "article.html.txt", doc.Text)
	if doc.Title != "How Bees Talk" || doc.Language != "en" {
		t.Errorf("title %q language %q", doc.Title, doc.Language)
	}
	for _, want := range []string{"waggle dance on the comb", "roughly one second", "Round dances and sickle dances",
		"tiny microphones", "encode in movement"} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("the article lost %q", want)
		}
	}
	for _, bad := range []string{"cookies", "Subscribe", "Sponsored", "Advertisement", "Most read", "All rights reserved",
		"First!", "tracker", "font-family", "def waggle", "Distance", "movement.1", "Privacy"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("the text contains page clutter %q", bad)
		}
	}
}

func TestHTMLFallbackAndCharset(t *testing.T) {
	// Too short for readability: the body is read without its chrome.
	page := "<html><head><title>Tiny</title></head><body><nav>Home | About</nav>" +
		"<p>Caf\xe9 notes.</p><div hidden>secret</div><p style=\"display:none\">hidden too</p>" +
		"<footer>Footer text</footer></body></html>"
	doc, err := htmlDoc([]byte(page), "text/html; charset=windows-1252", nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != "Café notes." || doc.Title != "Tiny" {
		t.Errorf("got %q titled %q", doc.Text, doc.Title)
	}
}

func TestGoldenFilesExist(t *testing.T) {
	for _, name := range []string{"everything.md", "article.html", "everything.md.txt", "article.html.txt"} {
		if _, err := os.Stat("testdata/" + name); err != nil {
			t.Error(err)
		}
	}
}
