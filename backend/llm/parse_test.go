package llm

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"podcastfy/backend/script"
)

func TestExtractJSON(t *testing.T) {
	obj := `{"title":"a {b}","chapters":[{"lines":[{"speaker":"A","text":"say \"}\" now"}]}]}`
	tests := map[string]struct {
		in, want string
		err      error // errNotJSON, errTruncated, or nil; "malformed" below
		bad      bool
	}{
		"bare":            {in: obj, want: obj},
		"spaces":          {in: "\n  " + obj + "\n", want: obj},
		"fenced":          {in: "```json\n" + obj + "\n```", want: obj},
		"prose around":    {in: "Sure! Here it is:\n" + obj + "\nHope that helps {really}.", want: obj},
		"brace in prose":  {in: "Use {curly} braces: " + obj, want: obj},
		"think block":     {in: "<think>maybe {\"x\": 1} first</think>" + obj, want: obj},
		"no json":         {in: "I cannot help with that.", err: errNotJSON},
		"empty":           {in: "", err: errNotJSON},
		"array only":      {in: `[1,2,3]`, err: errNotJSON},
		"truncated":       {in: obj[:40], err: errTruncated},
		"truncated fence": {in: "```json\n" + obj[:60], err: errTruncated},
		"malformed":       {in: `{"title": "a",}`, bad: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := extractJSON(tc.in)
			switch {
			case tc.bad:
				if err == nil || !strings.Contains(err.Error(), "malformed") {
					t.Fatalf("got %q %v", got, err)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %q %v, want %v", got, err, tc.err)
				}
			case err != nil || got != tc.want:
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
}

func TestParseScript(t *testing.T) {
	sc, err := parseScript(`{"title":"T","lines":[{"speaker":"A","text":"Hi."}]}`)
	if err != nil || len(sc.Chapters) != 1 || sc.Chapters[0].Lines[0].Text != "Hi." {
		t.Fatalf("bare lines: %+v %v", sc, err)
	}
	if _, err := parseScript(`{"chapters":[{"lines":"no"}]}`); err == nil || !strings.Contains(err.Error(), "required shape") {
		t.Fatalf("wrong shape: %v", err)
	}
}

func TestTidy(t *testing.T) {
	sc, _ := parseScript(`{"chapters":[{"title":" a ","lines":[{"speaker":"alex","text":"  Hi  there "},{"speaker":"Sam","text":"  "}]},{"title":"b","lines":[{"speaker":"Sam","text":""}]}]}`)
	tidy(&sc, []string{"Alex", "Sam"})
	if len(sc.Chapters) != 1 || len(sc.Chapters[0].Lines) != 1 || sc.Chapters[0].Lines[0] != (script.Line{Speaker: "Alex", Text: "Hi there"}) {
		t.Fatalf("%+v", sc)
	}
}

func FuzzExtractJSON(f *testing.F) {
	for _, s := range []string{
		`{"title":"x","chapters":[]}`, "```json\n{\"a\":1}\n```", `pre {"a":"}"} post`, `{"a":`, `{{{{`,
		`<think>{</think>{"a":[1,{"b":2}]}`, `"\"{\\"`, `{"a":"\u00e9"}`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := extractJSON(in)
		if err != nil {
			return
		}
		var v map[string]json.RawMessage
		if json.Unmarshal([]byte(got), &v) != nil {
			t.Fatalf("extracted %q from %q is not an object", got, in)
		}
		if !strings.Contains(in, got) {
			t.Fatalf("extracted %q is not part of %q", got, in)
		}
		parseScript(in) // must not panic
	})
}
