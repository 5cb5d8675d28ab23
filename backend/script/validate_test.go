package script

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var speakers = []string{"Alex", "Sam Lee"}

func oneLine(speaker, text string) Script {
	return Script{Title: "T", Chapters: []Chapter{{Title: "Intro", Lines: []Line{{Speaker: speaker, Text: text}}}}}
}

func TestValidate(t *testing.T) {
	tests := map[string]struct {
		script Script
		want   []string // substrings of the error; nil means valid
	}{
		"clean":                {oneLine("Alex", "Rivers carve valleys over thousands of years."), nil},
		"case-insensitive":     {oneLine(" sam lee ", "It costs 3.5 dollars, or about 20% less."), nil},
		"trailing colon name":  {oneLine("Alex:", "Hello there."), nil},
		"parentheses are fine": {oneLine("Alex", "The Nile (the longest river) flows north."), nil},
		"colon in prose":       {oneLine("Alex", "Note: this matters. The ratio is 3:2."), nil},
		"no chapters":          {Script{Title: "T"}, []string{"the script has no lines"}},
		"empty chapter only":   {Script{Chapters: []Chapter{{Title: "x"}}}, []string{"the script has no lines"}},
		"empty chapter among": {Script{Chapters: []Chapter{{Title: "a", Lines: []Line{{"Alex", "Hi."}}}, {Title: "b"}}},
			[]string{"chapter 2 has no lines"}},
		"unknown speaker": {oneLine("Bob", "Hi."), []string{`chapter 1, line 1 has the unknown speaker "Bob": use one of "Alex", "Sam Lee"`}},
		"missing speaker": {oneLine("", "Hi."), []string{"has no speaker"}},
		"empty text":      {oneLine("Alex", "   "), []string{"chapter 1, line 1 has empty text"}},
		"punctuation":     {oneLine("Alex", "..."), []string{"nothing to say aloud"}},
		"tag":             {oneLine("Alex", "Hello <break time=\"1s\"/> there."), []string{`the tag "<break time=\"1s\"/>"`}},
		"ssml speak":      {oneLine("Alex", "<speak>Hi</speak>"), []string{"tag"}},
		"bold":            {oneLine("Alex", "This is **key**."), []string{"asterisks"}},
		"action":          {oneLine("Alex", "*laughs* That is funny."), []string{"asterisks"}},
		"heading":         {oneLine("Alex", "# Chapter one"), []string{"hash"}},
		"stage direction": {oneLine("Alex", "[music fades] Welcome back."), []string{"square brackets"}},
		"laughs":          {oneLine("Alex", "That is funny (laughs) really."), []string{`stage direction "(laughs)"`}},
		"clears throat":   {oneLine("Alex", "(clears throat) Right."), []string{"stage direction"}},
		"own label":       {oneLine("Alex", "Alex: hello."), []string{`label "Alex:"`}},
		"other label":     {oneLine("Alex", "Hello. Sam Lee: hi."), []string{`label "Sam Lee:"`}},
		"generic label":   {oneLine("Alex", "Host: welcome."), []string{`label "Host:"`}},
		"url":             {oneLine("Alex", "See https://example.com/a for more."), []string{"URL", "name the site"}},
		"www":             {oneLine("Alex", "Visit www.example.com today."), []string{"URL"}},
		"backticks":       {oneLine("Alex", "Run `ls` now."), []string{"backticks"}},
		"braces":          {oneLine("Alex", "Hello {name}."), []string{"curly braces"}},
		"entity":          {oneLine("Alex", "Salt &amp; pepper."), []string{"HTML entity"}},
		"bullet":          {oneLine("Alex", "- first point"), []string{"bullet"}},
		"control":         {oneLine("Alex", "Hi\x00there"), []string{"control"}},
		"invalid utf8":    {oneLine("Alex", "Hi \xff there"), []string{"invalid characters"}},
		"several": {Script{Chapters: []Chapter{
			{Title: "a", Lines: []Line{{"Alex", "Fine."}, {"Zed", "**x**"}}},
		}}, []string{"chapter 1, line 2 has the unknown speaker", "chapter 1, line 2 contains asterisks"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.script.Validate(speakers)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			details := verr.Details()
			for _, w := range tc.want {
				if !strings.Contains(details, w) {
					t.Errorf("details %q lack %q", details, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "the script is not usable: ") {
				t.Errorf("error %q", err)
			}
		})
	}
}

func TestValidateNoSpeakers(t *testing.T) {
	err := oneLine("Alex", "Hi.").Validate(nil)
	if err == nil || !strings.Contains(err.Error(), "names no speakers") {
		t.Fatalf("got %v", err)
	}
}

func TestValidationErrorIsBounded(t *testing.T) {
	var s Script
	ch := Chapter{Title: "x"}
	for range 500 {
		ch.Lines = append(ch.Lines, Line{Speaker: "Nobody", Text: "<b>x</b>"})
	}
	s.Chapters = append(s.Chapters, ch)
	var verr *ValidationError
	if !errors.As(s.Validate(speakers), &verr) {
		t.Fatal("want ValidationError")
	}
	if len(verr.Problems) != maxProblems || verr.More != 1000-maxProblems {
		t.Fatalf("problems %d, more %d", len(verr.Problems), verr.More)
	}
	if !strings.Contains(verr.Error(), "and 995 more") || !strings.Contains(verr.Details(), "and 950 more") {
		t.Fatalf("error %q", verr.Error())
	}
}

func TestNormalize(t *testing.T) {
	s := Script{
		Title:   "  A   title \n",
		Summary: "sum\tmary ",
		Chapters: []Chapter{{Title: " Intro ", Lines: []Line{
			{Speaker: " alex ", Text: "  Hello \n  world  "},
			{Speaker: "SAM LEE:", Text: "Sam Lee: hi there."},
			{Speaker: "Alex", Text: "Sam Lee: not mine, kept."},
			{Speaker: "Bob ", Text: "x"},
		}}},
	}
	s.Normalize(speakers)
	want := Script{
		Title:   "A title",
		Summary: "sum mary",
		Chapters: []Chapter{{Title: "Intro", Lines: []Line{
			{Speaker: "Alex", Text: "Hello world"},
			{Speaker: "Sam Lee", Text: "hi there."},
			{Speaker: "Alex", Text: "Sam Lee: not mine, kept."},
			{Speaker: "Bob", Text: "x"},
		}}},
	}
	got, _ := json.Marshal(s)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Fatalf("got  %s\nwant %s", got, exp)
	}
}

func FuzzValidate(f *testing.F) {
	seeds := []string{
		`{"title":"t","chapters":[{"title":"a","lines":[{"speaker":"Alex","text":"Hello."}]}]}`,
		`{"chapters":[{"lines":[{"speaker":"alex","text":"<b>**x**</b> [music] (laughs) https://x.y"}]}]}`,
		`{"chapters":[{"lines":[{"speaker":"Sam Lee","text":"Alex: hi \u0000 &amp; {x} # h"}]},{"lines":[]}]}`,
		`{"chapters":[]}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var s Script
		if json.Unmarshal([]byte(data), &s) != nil {
			return
		}
		err := s.Validate(speakers)
		var verr *ValidationError
		if err != nil && (!errors.As(err, &verr) || len(verr.Problems) == 0 || len(verr.Problems) > maxProblems) {
			t.Fatalf("bad error %v", err)
		}
		s.Normalize(speakers)
		if err == nil {
			// Normalising a valid script keeps it valid.
			if err := s.Validate(speakers); err != nil {
				t.Fatalf("normalised valid script became invalid: %v", err)
			}
		}
	})
}
