package core

import (
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"

	"podcastfy/backend/apperr"
)

// fieldOf returns the code and field of a validation error.
func fieldOf(t *testing.T, err error) (string, string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *apperr.Error", err, err)
	}
	return e.Code, e.Field
}

func TestCleanTitle(t *testing.T) {
	for name, tc := range map[string]struct {
		in, want string
		ok       bool
	}{
		"trimmed":              {"  Part 465  ", "Part 465", true},
		"inner spaces":         {"A   new\u00a0 name", "A new name", true},
		"empty stays empty":    {"   ", "", true},
		"200 characters":       {strings.Repeat("é", 200), strings.Repeat("é", 200), true},
		"emoji":                {"Ünïcödé 🎙", "Ünïcödé 🎙", true},
		"201 characters":       {strings.Repeat("a", 201), "", false},
		"line break":           {"one\ntwo", "", false},
		"tab":                  {"one\ttwo", "", false},
		"NUL":                  {"a\x00b", "", false},
		"right-to-left ovrd":   {"evil\u202Egpj.exe", "", false},
		"left-to-right embed":  {"a\u202Ab", "", false},
		"first strong isolate": {"a\u2068b", "", false},
		"pop isolate":          {"a\u2069b", "", false},
		"zero width space":     {"a\u200Bb", "", false},
		"invalid UTF-8":        {"a\xffb", "", false},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := CleanTitle(tc.in)
			if !tc.ok {
				if err == nil {
					t.Fatalf("CleanTitle(%q) = %q, want an error", tc.in, got)
				}
				if code, field := fieldOf(t, err); code != apperr.Invalid || field != FieldTitle {
					t.Errorf("code %q field %q, want invalid_request title", code, field)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("CleanTitle(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestCleanURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a?b=c#d": "https://example.org/a?b=c#d",
		"HTTPS://Example.ORG/Path":    "https://example.org/Path",
		" http://192.168.1.5:8080/ ":  "http://192.168.1.5:8080/",
	} {
		if got, err := CleanURL(in); err != nil || got != want {
			t.Errorf("CleanURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "file:///etc/passwd", "javascript:alert(1)", "https:///x", "//example.org",
		"http://[::1", "https://user:secret@example.org/", "https://e.org/\x7f", "https://e.org/a\u202Eb",
		"https://e.org/" + strings.Repeat("a", MaxURLBytes)} {
		got, err := CleanURL(in)
		if err == nil {
			t.Errorf("CleanURL(%q) = %q, want an error", in, got)
			continue
		}
		if code, field := fieldOf(t, err); code != apperr.Invalid || field != FieldSources {
			t.Errorf("CleanURL(%q): code %q field %q, want invalid_request sources", in, code, field)
		}
	}
}

// FuzzCleanURL: whatever is accepted is a lower-case http(s) address with a
// host and no user name, and cleaning it again changes nothing.
func FuzzCleanURL(f *testing.F) {
	for _, seed := range []string{"https://example.org/a?b=c#d", "http://192.168.1.5:8080/", "file:///etc/passwd",
		"https:///x", "javascript:alert(1)", "http://[::1", "//example.org", " https://e.org ", "HTTPS://E.ORG/", "http://u@e.org"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := CleanURL(raw)
		if err != nil {
			return
		}
		u, perr := url.Parse(got)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
			t.Errorf("CleanURL(%q) accepted %q", raw, got)
		}
		if again, err := CleanURL(got); err != nil || again != got {
			t.Errorf("CleanURL(%q) = %q, %v; not stable", got, again, err)
		}
	})
}

func TestCheckRequestFields(t *testing.T) {
	base := Request{Owner: "u", Text: "Some text to talk about."}
	for name, tc := range map[string]struct {
		edit  func(r *Request)
		field string
	}{
		"no text nor sources":  {func(r *Request) { r.Text = "  " }, FieldText},
		"text not UTF-8":       {func(r *Request) { r.Text = "a\xff" }, FieldText},
		"title too long":       {func(r *Request) { r.Title = strings.Repeat("t", 201) }, FieldTitle},
		"title with override":  {func(r *Request) { r.Title = "a\u202Db" }, FieldTitle},
		"minutes too short":    {func(r *Request) { r.Minutes = 0.4 }, FieldMinutes},
		"minutes too long":     {func(r *Request) { r.Minutes = 121 }, FieldMinutes},
		"minutes negative":     {func(r *Request) { r.Minutes = -3 }, FieldMinutes},
		"minutes NaN":          {func(r *Request) { r.Minutes = math.NaN() }, FieldMinutes},
		"focus too long":       {func(r *Request) { r.Focus = strings.Repeat("f", MaxFocusRunes+1) }, FieldFocus},
		"template not a name":  {func(r *Request) { r.TemplateID = "a\nb" }, FieldTemplate},
		"language not a code":  {func(r *Request) { r.Language = "english please" }, FieldLanguage},
		"writer unknown":       {func(r *Request) { r.Writer = "gpt" }, FieldWriter},
		"tts too long":         {func(r *Request) { r.TTS = strings.Repeat("x", 300) }, FieldTTS},
		"voice empty":          {func(r *Request) { r.Voices = map[string]string{"Alex": " "} }, FieldVoices},
		"too many sources":     {func(r *Request) { r.Sources = make([]Source, MaxSources+1) }, FieldSources},
		"source of no kind":    {func(r *Request) { r.Sources = []Source{{Kind: "ftp"}} }, FieldSources},
		"file without path":    {func(r *Request) { r.Sources = []Source{{Kind: "file"}} }, FieldSources},
		"page not http":        {func(r *Request) { r.Sources = []Source{{Kind: "url", URL: "file:///etc/passwd"}} }, FieldSources},
		"page with a password": {func(r *Request) { r.Sources = []Source{{Kind: "url", URL: "https://a:b@e.org"}} }, FieldSources},
	} {
		t.Run(name, func(t *testing.T) {
			req := base
			tc.edit(&req)
			_, err := CheckRequest(req)
			if err == nil {
				t.Fatal("accepted")
			}
			if code, field := fieldOf(t, err); code != apperr.Invalid || field != tc.field {
				t.Errorf("code %q field %q, want invalid_request %q (%v)", code, field, tc.field, err)
			}
		})
	}
}

func TestCheckRequestCleans(t *testing.T) {
	got, err := CheckRequest(Request{Owner: "u", Title: "  Part 2 ", Minutes: 120, Language: "en-GB", Writer: "extractive",
		Sources: []Source{{Kind: "url", Name: "HTTP://Example.org/x", URL: "HTTP://Example.org/x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Part 2" || got.Sources[0].URL != "http://example.org/x" || got.Sources[0].Name != "http://example.org/x" {
		t.Errorf("cleaned to %+v", got)
	}
}
