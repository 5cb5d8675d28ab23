package llm

import (
	"slices"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []string
	}{
		"simple":        {"One two. Three four! Five six?", []string{"One two.", "Three four!", "Five six?"}},
		"abbreviations": {"Dr. Smith met Mr. Jones at 5 p.m. yesterday. They talked.", []string{"Dr. Smith met Mr. Jones at 5 p.m. yesterday.", "They talked."}},
		"us":            {"The U.S. Army and the U.K. Navy met. Then they left.", []string{"The U.S. Army and the U.K. Navy met.", "Then they left."}},
		"eg lowercase":  {"Fruit, e.g. apples, is good. Eat it.", []string{"Fruit, e.g. apples, is good.", "Eat it."}},
		"decimals":      {"It grew 3.5 percent. Then 0.2 more.", []string{"It grew 3.5 percent.", "Then 0.2 more."}},
		"initials":      {"J. R. R. Tolkien wrote it. Really.", []string{"J. R. R. Tolkien wrote it.", "Really."}},
		"quotes":        {`He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		"ellipsis":      {"Wait... What now? Nothing.", []string{"Wait...", "What now?", "Nothing."}},
		"domain":        {"Visit example.com today. Bye.", []string{"Visit example.com today.", "Bye."}},
		"heading line":  {"A Title\nThe first sentence goes here and it is long enough to count.", []string{"A Title", "The first sentence goes here and it is long enough to count."}},
		"wrapped lines": {"This sentence is wrapped over two lines because the\nsource was hard wrapped at seventy columns. Next.", []string{"This sentence is wrapped over two lines because the source was hard wrapped at seventy columns.", "Next."}},
		"paragraphs":    {"No stop here\n\nNew paragraph", []string{"No stop here", "New paragraph"}},
		"cjk":           {"我们走吧。好的！", []string{"我们走吧。", "好的！"}},
		"no terminator": {"just words without an end", []string{"just words without an end"}},
		"empty":         {"  \n\n ", nil},
		"etc ends":      {"Apples, pears, etc. The rest is fine.", []string{"Apples, pears, etc.", "The rest is fine."}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := splitSentences(tc.in); !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{"Dr. A. B. c. D.", "x.\n\ny", "?!.…", "a.b. C", "\xff. \xfe", "。。", "am 3. Oktober", "simple. » Voir", "z. B. x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, lang := range []string{"en", "de", "fr", "es", "it", "pt", "nl"} {
			for _, s := range splitSentencesIn(in, lang) {
				if s == "" {
					t.Fatalf("empty sentence from %q in %s", in, lang)
				}
			}
		}
	})
}
