package providers

import (
	"os"
	"strings"
	"testing"

	"podcastfy/backend/tts"
)

// fixtureCatalog is a catalogue read from listings captured from
// espeak-ng 1.51 (testdata/).
func fixtureCatalog(t *testing.T) *espeakCatalog {
	t.Helper()
	var c espeakCatalog
	for file, into := range map[string]*[]espeakVoice{"testdata/espeak-voices.txt": &c.voices, "testdata/espeak-variants.txt": &c.variants} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if *into, err = parseESpeakVoices(string(b)); err != nil {
			t.Fatal(err)
		}
	}
	return &c
}

func TestParseESpeakVoices(t *testing.T) {
	c := fixtureCatalog(t)
	if len(c.voices) != 12 || len(c.variants) != 5 {
		t.Fatalf("%d voices, %d variants; want 12 and 5", len(c.voices), len(c.variants))
	}
	byLang := map[string]espeakVoice{}
	for _, v := range c.voices {
		byLang[v.Lang] = v
	}
	cmn := byLang["cmn"]
	if cmn.Name != "Chinese (Mandarin, latin as English)" || cmn.File != "sit/cmn" || cmn.Gender != "male" || cmn.Priority != 5 ||
		len(cmn.Others) != 2 || cmn.Others[1] != (espeakLang{"zh", 5}) {
		t.Errorf("cmn = %+v", cmn)
	}
	if chr := byLang["chr-us-qaaa-x-west"]; chr.File != "iro/chr" || chr.Name != "Cherokee" {
		t.Errorf("overflowing language column misread: %+v", chr)
	}
	if en := byLang["en-us"]; en.Priority != 2 || en.Others[0] != (espeakLang{"en", 3}) {
		t.Errorf("en-us = %+v", en)
	}
	if v := c.variants[0]; v.variantID() != "Alicia" || v.Gender != "female" {
		t.Errorf("variant = %+v (id %q)", v, v.variantID())
	}
}

func TestParseESpeakVoicesRejectsJunk(t *testing.T) {
	for name, in := range map[string]string{"empty": "", "error text": "Error: something\n", "html": "<html></html>"} {
		if _, err := parseESpeakVoices(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzParseESpeakVoices(f *testing.F) {
	b, err := os.ReadFile("testdata/espeak-voices.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("Pty Language\n 5  x --/M n f (a 1)(b")
	f.Add("Pty\n5 a b c d e f g\n\n-1 x y z w")
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := parseESpeakVoices(s)
		if err != nil {
			return
		}
		for _, v := range vs {
			if v.Lang == "" || v.File == "" {
				t.Fatalf("voice with empty fields: %+v", v)
			}
		}
	})
}

func TestESpeakResolve(t *testing.T) {
	c := fixtureCatalog(t)
	e := NewESpeak(ESpeakConfig{}, nil)
	tests := map[string]struct {
		req     tts.Request
		wantArg string
		wantErr []string
	}{
		"language code":                 {req: tts.Request{Voice: "en-us"}, wantArg: "gmw/en-US"},
		"upper case":                    {req: tts.Request{Voice: "EN-US"}, wantArg: "gmw/en-US"},
		"file path":                     {req: tts.Request{Voice: "roa/fr-BE"}, wantArg: "roa/fr-BE"},
		"voice name with spaces":        {req: tts.Request{Voice: "English (America)"}, wantArg: "gmw/en-US"},
		"voice name as listed":          {req: tts.Request{Voice: "English_(America)"}, wantArg: "gmw/en-US"},
		"other language, best priority": {req: tts.Request{Voice: "zh"}, wantArg: "sit/cmn"},
		"variant case fixed":            {req: tts.Request{Voice: "en-us+F3"}, wantArg: "gmw/en-US+f3"},
		"variant by file name":          {req: tts.Request{Voice: "en-us+alicia"}, wantArg: "gmw/en-US+Alicia"},
		"language picks voice":          {req: tts.Request{Language: "fr"}, wantArg: "roa/fr"},
		"regional language picks voice": {req: tts.Request{Language: "fr-BE"}, wantArg: "roa/fr-BE"},
		"unlisted region falls back":    {req: tts.Request{Language: "en-AU"}, wantArg: "gmw/en"},
		"no voice, no language":         {req: tts.Request{}, wantArg: "gmw/en"},
		"voice matching language":       {req: tts.Request{Voice: "en-us", Language: "en-GB"}, wantArg: "gmw/en-US"},
		"unknown voice suggests": {req: tts.Request{Voice: "en-uss"},
			wantErr: []string{`espeak TTS (voice "en-uss"): espeak-ng has no voice or language "en-uss" (did you mean "en-us"`}},
		"unknown variant": {req: tts.Request{Voice: "en-us+f9"},
			wantErr: []string{`no voice variant "f9" (did you mean "f3", "m3"?)`}},
		"language it cannot speak": {req: tts.Request{Language: "tlh"},
			wantErr: []string{`espeak-ng has no voice for language "tlh"`}},
		"voice in another language": {req: tts.Request{Voice: "en-us+f3", Language: "de"},
			wantErr: []string{`(voice "en-us+f3"): this voice speaks English (America) (en-us), not the requested language "de"; use a de voice such as "de"`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, arg, err := e.resolve(c, tc.req)
			if len(tc.wantErr) == 0 {
				if err != nil || arg != tc.wantArg {
					t.Errorf("arg = %q, %v; want %q", arg, err, tc.wantArg)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error (arg %q)", arg)
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestForeignScript(t *testing.T) {
	c := fixtureCatalog(t)
	voice := func(id string) espeakVoice {
		v, ok := c.find(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		return v
	}
	tests := map[string]struct {
		text, voice, want string
	}{
		"english text":                {"Hello, world!", "en-us", ""},
		"accented latin":              {"Ça va très bien, merci.", "en-us", ""},
		"chinese for english voice":   {"你好，世界。今天天气很好。", "en-us", "Chinese (Han)"},
		"chinese for mandarin":        {"你好，世界。", "cmn", ""},
		"russian for english":         {"Привет, как дела?", "en-gb", "Cyrillic"},
		"russian for russian":         {"Привет, как дела?", "ru", ""},
		"mostly english, one word":    {"The word Привет means hello in Russian, you know.", "en-us", ""},
		"kanji and kana for japanese": {"こんにちは世界", "ja", ""},
		"digits only":                 {"1234 5678", "ru", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := foreignScript(tc.text, voice(tc.voice)); got != tc.want {
				t.Errorf("foreignScript = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	ids := []string{"en-us", "en-gb", "en-gb-scotland", "fr-fr", "de"}
	tests := map[string]string{
		"en-uss": "en-us",
		"en-uk":  "en-us,en-gb",
		"french": "",
		"de-de":  "de",
	}
	for in, want := range tests {
		if got := strings.Join(suggest(in, ids), ","); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
