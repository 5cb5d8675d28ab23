package providers

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	tests := map[string]struct {
		text  string
		limit int
		want  []string
	}{
		"short":              {"Hello there.", 20, []string{"Hello there."}},
		"empty":              {"  ", 20, nil},
		"sentences":          {"One two. Three four! Five six?", 18, []string{"One two.", "Three four!", "Five six?"}},
		"prefer sentence":    {"Aa bb. Cc dd ee ff.", 15, []string{"Aa bb.", "Cc dd ee ff."}},
		"quote after period": {`He said "go." Then left.`, 16, []string{`He said "go."`, "Then left."}},
		"no sentence end":    {"aaa bbb ccc ddd", 8, []string{"aaa bbb", "ccc ddd"}},
		"one long word":      {"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		"multibyte":          {"ééééé ééééé", 6, []string{"ééééé", "ééééé"}},
		"cjk full stops":     {"你好世界。今天很好。", 6, []string{"你好世界。", "今天很好。"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := splitText(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("splitText = %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("One two. Three four! Five six?", 10)
	f.Add("ééé 你好。x", 2)
	f.Add("\xff\xfe a", 1)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 1 || limit > 10000 {
			return
		}
		chunks := splitText(text, limit)
		for _, c := range chunks {
			if c == "" || utf8.RuneCountInString(c) > limit {
				t.Fatalf("bad chunk %q (limit %d)", c, limit)
			}
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		var got strings.Builder
		for _, c := range chunks {
			got.WriteString(squash(c))
		}
		if got.String() != squash(text) {
			t.Fatalf("chunks %q lose text of %q", chunks, text)
		}
	})
}

func BenchmarkSplitText(b *testing.B) {
	text := strings.Repeat("This sentence is part of a long monologue. ", 1000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		splitText(text, openAIMaxInput)
	}
}
