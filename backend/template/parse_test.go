package template

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"podcastfy/templates"
)

const validYAML = `id: test-show
name: Test show
description: A show for tests.
llmPromptInstructions: |-
  Talk about the source.
  Be nice.
ttsConfig:
  voiceId: en-us+m3
  style: calm
speakers:
  - name: Ann
    role: Host
    voices:
      espeak: en-us+f3
      openai: af_heart
  - name: Bob
    role: Guest
    voices: {piper: en_US-lessac-medium}
    wordsPerMinute: 160
structure: [Intro, Middle, End]
style: [warm]
minutes: 4.5
language: en-GB
`

func TestParseValid(t *testing.T) {
	got, err := Parse("test-show.yaml", []byte(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	want := Template{
		ID: "test-show", Name: "Test show", Description: "A show for tests.",
		LLMPromptInstructions: "Talk about the source.\nBe nice.",
		TTSConfig:             &TTSConfig{VoiceID: "en-us+m3", Style: "calm"},
		Speakers: []Speaker{
			{Name: "Ann", Role: "Host", Voices: map[string]string{"espeak": "en-us+f3", "openai": "af_heart"}},
			{Name: "Bob", Role: "Guest", Voices: map[string]string{"piper": "en_US-lessac-medium"}, WordsPerMinute: 160},
		},
		Structure: []string{"Intro", "Middle", "End"},
		Style:     []string{"warm"},
		Minutes:   4.5,
		Language:  "en-GB",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

// replace swaps one line of validYAML, to make each bad case.
func replace(old, new string) string {
	if !strings.Contains(validYAML, old) {
		panic("test setup: " + old + " not in validYAML")
	}
	return strings.Replace(validYAML, old, new, 1)
}

func TestParseErrors(t *testing.T) {
	cases := map[string]struct {
		yaml string
		want string // substring of the error
	}{
		"unknown top key":       {replace("minutes: 4.5\n", "minutes: 4.5\ncolour: red\n"), `t.yaml:23: unknown key "colour"`},
		"unknown nested key":    {replace("    role: Guest\n", "    role: Guest\n    voice: x\n"), `t.yaml:18: unknown key "speakers[1].voice"`},
		"unknown provider":      {replace("      openai: af_heart\n", "      openai: af_heart\n      festival: kal\n"), `t.yaml:16: key "speakers[0].voices.festival": unknown TTS provider`},
		"minutes too long":      {replace("minutes: 4.5", "minutes: 500"), `t.yaml:22: key "minutes": 500 is out of range`},
		"minutes zero":          {replace("minutes: 4.5", "minutes: 0"), `t.yaml:22: key "minutes"`},
		"minutes not number":    {replace("minutes: 4.5", "minutes: long"), `t.yaml:22: key "minutes": expected a number, found "long"`},
		"minutes NaN":           {replace("minutes: 4.5", "minutes: .nan"), `t.yaml:22: key "minutes"`},
		"wpm not int":           {replace("wordsPerMinute: 160", "wordsPerMinute: 1.5"), `t.yaml:19: key "speakers[1].wordsPerMinute": expected a whole number`},
		"wpm out of range":      {replace("wordsPerMinute: 160", "wordsPerMinute: 1000"), `t.yaml:19: key "speakers[1].wordsPerMinute": 1000 is out of range`},
		"bad id":                {replace("id: test-show", "id: ../etc"), `t.yaml:1: key "id": invalid template id`},
		"upper id":              {replace("id: test-show", "id: Test"), `t.yaml:1: key "id"`},
		"empty name":            {replace("name: Test show", "name: ''"), `t.yaml:2: key "name": must not be empty`},
		"missing instructions":  {replace("llmPromptInstructions: |-\n  Talk about the source.\n  Be nice.\n", ""), `t.yaml: key "llmPromptInstructions": must not be empty`},
		"duplicate speaker":     {replace("name: Bob", "name: ann"), `t.yaml:16: key "speakers[1].name": "ann" is used by another speaker`},
		"colon in speaker name": {replace("name: Bob", "name: 'Bob: Jr'"), `t.yaml:16: key "speakers[1].name": must not contain ':'`},
		"no speakers":           {replace("speakers:\n", "speakers: []\nx:\n"), `unknown key "x"`},
		"empty speakers":        {strings.Replace(validYAML[:strings.Index(validYAML, "speakers:")], "", "", 1) + "speakers: []\nstructure: [a]\nminutes: 1\nlanguage: en\n", `key "speakers": has 0 speakers`},
		"empty structure":       {replace("structure: [Intro, Middle, End]", "structure: []"), `t.yaml:20: key "structure": has 0 sections`},
		"bad language":          {replace("language: en-GB", "language: english please"), `t.yaml:23: key "language": "english please" is not a language code`},
		"duplicate key":         {replace("style: [warm]", "style: [warm]\nstyle: [cold]"), `t.yaml:22: key "style" appears twice (first on line 21)`},
		"wrong kind":            {replace("structure: [Intro, Middle, End]", "structure: Intro"), `t.yaml:20: key "structure": expected a list, found "Intro"`},
		"mapping for text":      {replace("name: Test show", "name: {a: b}"), `t.yaml:2: key "name": expected text, found a mapping`},
		"syntax error":          {replace("style: [warm]", "style: [warm"), `t.yaml:`},
		"tab indentation":       {replace("    role: Guest", "\trole: Guest"), `t.yaml:16: found a tab character`},
		"not a mapping":         {"- a\n- b\n", `t.yaml:1: the file: expected a mapping of keys, found a list`},
		"empty file":            {"", `t.yaml: key "id"`},
		"merge key":             {replace("minutes: 4.5", "<<: {minutes: 3}"), `unknown key "<<"`},
		"too large":             {validYAML + "# " + strings.Repeat("x", MaxFileBytes), `larger than`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded; want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q\ndoes not contain %q", err, tc.want)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	y := replace("minutes: 4.5", "minutes: 500")
	y = strings.Replace(y, "language: en-GB", "language: '!'", 1)
	_, err := Parse("t.yaml", []byte(y))
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{`t.yaml:22: key "minutes"`, `t.yaml:23: key "language"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestAliasBombRefused(t *testing.T) {
	y := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 8 {
		name := string(rune('b' + i))
		y += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	y += "structure: *" + prev + "\n"
	_, err := Parse("bomb.yaml", []byte(y))
	if err == nil || !strings.Contains(err.Error(), "bomb.yaml:") {
		t.Fatalf("got %v; want an error naming the file", err)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	want, err := Parse("t.yaml", []byte(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("again.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip changed the template:\n%+v\n%+v", got, want)
	}
}

func TestBuiltinTemplates(t *testing.T) {
	names, err := fs.Glob(templates.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Template{}
	for _, name := range names {
		data, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := Parse(name, data)
		if err != nil {
			t.Errorf("built-in %v", err)
			continue
		}
		if name != tpl.ID+".yaml" {
			t.Errorf("%s holds id %q; the file must be named <id>.yaml", name, tpl.ID)
		}
		for _, sp := range tpl.Speakers {
			for _, p := range Providers {
				if sp.Voices[p] == "" {
					t.Errorf("%s: speaker %s has no %s voice", name, sp.Name, p)
				}
			}
		}
		if len(tpl.LLMPromptInstructions) < 400 {
			t.Errorf("%s: instructions are only %d bytes; the LLM needs real guidance", name, len(tpl.LLMPromptInstructions))
		}
		for _, sp := range tpl.Speakers {
			if !strings.Contains(tpl.LLMPromptInstructions, sp.Name) {
				t.Errorf("%s: instructions never mention speaker %s", name, sp.Name)
			}
		}
		ids[tpl.ID] = tpl
	}
	for _, id := range []string{"deep-dive", "brief", "debate", "interview", "critique", "eli10"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("built-in template %q is missing", id)
		}
	}
	if b, ok := ids["brief"]; ok && (len(b.Speakers) != 1 || b.Minutes >= 3) {
		t.Errorf("brief must have one host and be under 3 minutes, has %d speakers and %v minutes", len(b.Speakers), b.Minutes)
	}
}

func TestValidID(t *testing.T) {
	cases := map[string]bool{
		"deep-dive": true, "eli10": true, "a": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "Deep": false, "a_b": false, "-a": false,
		"a-": false, "a--b": false, "..": false, "a/b": false, "a\x00": false, "é": false,
	}
	for id, ok := range cases {
		if err := ValidID(id); (err == nil) != ok {
			t.Errorf("ValidID(%q) = %v, want ok=%v", id, err, ok)
		}
	}
}

func TestValidLanguage(t *testing.T) {
	cases := map[string]bool{"en": true, "en-GB": true, "zh-Hant-TW": true, "fil": true, "": false, "e": false, "english": false, "en_GB": false, "en-": false}
	for lang, ok := range cases {
		if ValidLanguage(lang) != ok {
			t.Errorf("ValidLanguage(%q) = %v, want %v", lang, !ok, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(validYAML))
	f.Add([]byte(""))
	f.Add([]byte("id: x\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("speakers:\n  - name: A\n    voices: {espeak: en}\n"))
	f.Add([]byte("minutes: !!float 1e309\n"))
	f.Add([]byte("\xff\xfe"))
	if names, err := fs.Glob(templates.FS, "*.yaml"); err == nil {
		for _, n := range names {
			if data, err := fs.ReadFile(templates.FS, n); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := tpl.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid template: %v", err)
		}
		out, err := Marshal(tpl)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalize(again), normalize(tpl)) {
			t.Fatalf("round trip changed the template:\n%#v\n%#v", again, tpl)
		}
	})
}

// normalize makes empty and nil collections compare equal.
func normalize(t Template) Template {
	if len(t.Style) == 0 {
		t.Style = nil
	}
	for i := range t.Speakers {
		if len(t.Speakers[i].Voices) == 0 {
			t.Speakers[i].Voices = nil
		}
	}
	if t.TTSConfig != nil && *t.TTSConfig == (TTSConfig{}) {
		t.TTSConfig = nil
	}
	return t
}
