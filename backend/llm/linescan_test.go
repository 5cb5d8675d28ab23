package llm

import (
	"slices"
	"testing"
)

// feedIn gives the scanner text in chunks of n bytes (0: at once).
func feedIn(text string, n int) []rawLine {
	sc := newLineScanner()
	if n <= 0 {
		return sc.feed(text)
	}
	var out []rawLine
	for i := 0; i < len(text); i += n {
		out = append(out, sc.feed(text[i:min(len(text), i+n)])...)
	}
	return out
}

func TestLineScanner(t *testing.T) {
	ab := []rawLine{{"Alex", "Hi {there}, \"Sam\"."}, {"Sam", "Hello."}}
	tests := map[string]struct {
		answer string
		want   []rawLine
	}{
		"plain":       {`{"lines":[{"speaker":"Alex","text":"Hi {there}, \"Sam\"."},{"speaker":"Sam","text":"Hello."}],"summary":"x"}`, ab},
		"think first": {`<think>{"lines":[{"speaker":"X","text":"no"}]}</think>{"lines":[{"speaker":"Alex","text":"Hi {there}, \"Sam\"."},{"speaker":"Sam","text":"Hello."}]}`, ab},
		"fenced with prose": {"Sure!\n```json\n{\"summary\":\"x\", \"Lines\" : [ {\"speaker\":\"Alex\",\"text\":\"Hi {there}, \\\"Sam\\\".\"} , {\"name\":\"Sam\",\"line\":\"Hello.\"} ]}\n```\nEnjoy {the show}",
			ab},
		"strings and name keys":     {`{"dialogue":["Alex: Hi.",{"Sam":"Hello."}]}`, []rawLine{{"", "Alex: Hi."}, {"Sam", "Hello."}}},
		"nested chapters":           {`{"chapters":[{"title":"A","lines":[{"speaker":"Alex","text":"One."}]},{"title":"B","lines":[{"speaker":"Sam","text":"Two."}]}]}`, []rawLine{{"Alex", "One."}, {"Sam", "Two."}}},
		"cut off":                   {`{"lines":[{"speaker":"Alex","text":"One."},{"speaker":"Sam","text":"Tw`, []rawLine{{"Alex", "One."}}},
		"text arrays are not lines": {`{"lines":[{"speaker":"Alex","text":["One.","Two."],"tags":[{"a":1}]}]}`, []rawLine{{"Alex", "One. Two."}}},
		"no lines key":              {`{"text":[{"speaker":"Alex","text":"One."}],"summary":"x"}`, nil},
		"not json":                  {"Here is the dialogue: Alex says hi.", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{0, 1, 2, 3, 7, 64} {
				if got := feedIn(tc.answer, n); !slices.Equal(got, tc.want) {
					t.Fatalf("in chunks of %d: %q, want %q", n, got, tc.want)
				}
			}
		})
	}
}

// Where the stream is cut into chunks never changes the lines found.
func FuzzLineScanner(f *testing.F) {
	f.Add(`{"lines":[{"speaker":"Alex","text":"Hi {there}, \"Sam\"."},{"speaker":"Sam","text":"Hello."}],"summary":"x"}`, 3)
	f.Add(`<think>{</think>{"dialogue":["Alex: Hi.",{"Sam":"Hello."}]}`, 1)
	f.Add(`{"chapters":[{"lines":[{"speaker":"A","text":"\\"}"}]}]}`, 5)
	f.Fuzz(func(t *testing.T, answer string, n int) {
		whole := feedIn(answer, 0)
		if got := feedIn(answer, n%17); !slices.Equal(got, whole) {
			t.Fatalf("in chunks of %d: %q, at once: %q", n%17, got, whole)
		}
	})
}
