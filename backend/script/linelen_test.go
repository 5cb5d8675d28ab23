package script

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Every piece is within the bounds, no word is lost or reordered, and cuts
// fall after a sentence end or a clause mark when the piece has one.
func TestSplitLong(t *testing.T) {
	words := func(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	cases := map[string]struct {
		text     string
		words    int
		runes    int
		pieces   int
		firstEnd string // how the first piece ends
	}{
		"short stays whole":    {"Rivers shape the land.", 10, 100, 1, "land."},
		"no punctuation":       {words(250, "river"), 100, 10000, 3, "river"},
		"cut after a sentence": {words(70, "water") + ". " + words(70, "stone"), 100, 10000, 2, "water."},
		"cut after a comma":    {words(70, "water") + ", " + words(70, "stone"), 100, 10000, 2, "water,"},
		"giant word":           {strings.Repeat("x", 2500), 100, 900, 3, "x"},
		"long words":           {words(50, strings.Repeat("y", 40)), 100, 900, 3, "y"},
		"multibyte":            {strings.Repeat("日本語", 500), 100, 900, 2, "語"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := SplitLong(c.text, c.words, c.runes)
			if len(got) != c.pieces {
				t.Fatalf("%d pieces, want %d", len(got), c.pieces)
			}
			for i, p := range got {
				if n := len(strings.Fields(p)); n > c.words || utf8.RuneCountInString(p) > c.runes || !utf8.ValidString(p) {
					t.Fatalf("piece %d: %d words, %d runes, valid %v", i, n, utf8.RuneCountInString(p), utf8.ValidString(p))
				}
			}
			if !strings.HasSuffix(got[0], c.firstEnd) {
				t.Errorf("first piece ends %q, want …%q", got[0][max(0, len(got[0])-12):], c.firstEnd)
			}
			joined := strings.Join(got, " ")
			if strings.Contains(c.text, " ") && joined != c.text || !strings.Contains(c.text, " ") && strings.ReplaceAll(joined, " ", "") != c.text {
				t.Errorf("the pieces do not give back the text")
			}
		})
	}
}

// Normalize cuts an over-long line into lines of the same speaker, in
// place, and leaves the other lines as they were.
func TestNormalizeBoundsLines(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("the delta grows ", 100)) // 300 words
	s := Script{Chapters: []Chapter{{Title: "One", Lines: []Line{
		{Speaker: "Alex", Text: "Hello."}, {Speaker: "sam", Text: long}, {Speaker: "Alex", Text: "Bye."},
	}}}}
	s.Normalize([]string{"Alex", "Sam"})
	lines := s.Chapters[0].Lines
	if len(lines) != 5 || lines[0].Text != "Hello." || lines[4].Text != "Bye." {
		t.Fatalf("lines %+v", lines)
	}
	for _, l := range lines[1:4] {
		if l.Speaker != "Sam" || countWords(l.Text) > MaxLineWords {
			t.Fatalf("piece %+v", l)
		}
	}
	if s.Words() != 302 {
		t.Fatalf("%d words, want 302", s.Words())
	}
}

func FuzzSplitLong(f *testing.F) {
	f.Add("Rivers shape the land, they cross. Over years", 5, 20)
	f.Add(strings.Repeat("ab ", 40), 3, 7)
	f.Fuzz(func(t *testing.T, text string, maxWords, maxRunes int) {
		if maxWords < 1 || maxWords > 200 || maxRunes < 4 || maxRunes > 2000 || !utf8.ValidString(text) {
			return
		}
		text = strings.Join(strings.Fields(text), " ")
		for _, p := range SplitLong(text, maxWords, maxRunes) {
			if len(strings.Fields(p)) > maxWords || utf8.RuneCountInString(p) > maxRunes {
				t.Fatalf("piece %q over %d words / %d runes", p, maxWords, maxRunes)
			}
		}
	})
}
