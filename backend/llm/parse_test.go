package llm

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
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

func TestParseSection(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    []rawLine
		summary string
		err     string
	}{
		"schema":       {in: `{"lines":[{"speaker":"Alex","text":"Hi."}],"summary":"S."}`, want: []rawLine{{"Alex", "Hi."}}, summary: "S."},
		"extra fields": {in: `{"mood":"x","lines":[{"speaker":"Alex","text":"Hi.","emotion":"warm","id":3}]}`, want: []rawLine{{"Alex", "Hi."}}},
		"strings":      {in: `{"lines":["Alex: Hi.", "Sam: Hey."]}`, want: []rawLine{{"", "Alex: Hi."}, {"", "Sam: Hey."}}},
		"name keys":    {in: `{"lines":[{"Alex":"Hi."}]}`, want: []rawLine{{"Alex", "Hi."}}},
		"other names":  {in: `{"Dialogue":[{"Name":"Sam","Line":"Yo."}]}`, want: []rawLine{{"Sam", "Yo."}}},
		"no speaker":   {in: `{"lines":[{"text":"Hi."}]}`, want: []rawLine{{"", "Hi."}}},
		"chapters":     {in: `{"chapters":[{"lines":[{"speaker":"Alex","text":"Hi."}]}]}`, want: []rawLine{{"Alex", "Hi."}}},
		"skips junk":   {in: `{"lines":[1,null,{"speaker":"Alex"},{"speaker":"Alex","text":"Hi."}]}`, want: []rawLine{{"Alex", "Hi."}}},
		"cut off":      {in: `{"lines":[{"speaker":"Alex","text":"Hi."},{"speaker":"Sam","text":"We were`, want: []rawLine{{"Alex", "Hi."}}},
		"no lines":     {in: `{"summary":"x","lines":[]}`, err: "no \"lines\""},
		"no json":      {in: `Sure! Alex: hi`, err: "no JSON"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseSection(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %+v %v", got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got.lines, tc.want) || got.summary != tc.summary {
				t.Fatalf("got %+v %v", got, err)
			}
		})
	}
}

func TestParseOutline(t *testing.T) {
	out, err := parseOutline(`{"title":"T","sections":[{"title":"A","points":["x"," "]},{"name":"B","points":"y"},{}],"extra":1}`)
	if err != nil || out.title != "T" || len(out.sections) != 3 || out.sections[0].points[0] != "x" || len(out.sections[0].points) != 1 ||
		out.sections[1].title != "B" || out.sections[1].points[0] != "y" || out.sections[2].title != "" {
		t.Fatalf("%+v %v", out, err)
	}
	if _, err := parseOutline(`{"title":"T"}`); err == nil {
		t.Fatal("an outline without sections parsed")
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
		parseSection(in) // must not panic
		parseOutline(in)
	})
}
