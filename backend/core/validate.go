package core

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/ingest"
	"podcastfy/backend/template"
)

// The limits of a request. Each lives here only: the doors refuse with
// these checks, never with copies of them.
const (
	MaxTitleRunes = 200
	MinMinutes    = 0.5
	MaxMinutes    = 120
	MaxFocusRunes = 4000
	// MaxSources bounds the sources (files, recordings, pages) of one podcast.
	MaxSources  = 20
	MaxURLBytes = 2048
	// maxNameBytes bounds the names a request picks things by (template,
	// language, writer, TTS provider, voice).
	maxNameBytes = 200
)

// Writers a request may ask for ("" takes the settings').
var writers = []string{"auto", "ollama", "extractive"}

// Request field names, as the requests of every door spell them; an
// *apperr.Error about one of them carries the name in Field.
const (
	FieldText     = "text"
	FieldTitle    = "title"
	FieldTemplate = "template"
	FieldMinutes  = "minutes"
	FieldLanguage = "language"
	FieldFocus    = "focus"
	FieldVoices   = "voices"
	FieldWriter   = "writer"
	FieldTTS      = "tts"
	FieldSources  = "sources"
)

// CleanTitle is the one rule for a podcast's title, at generation and at
// rename in every door: surrounding spaces go and inner runs of spaces
// become one; at most MaxTitleRunes
// characters; no control or format characters (line breaks, tabs, and the
// invisible bidirectional overrides U+202A–U+202E and U+2066–U+2069 that
// would make a title read differently from what it is). "" stays "": the
// caller decides whether a title is required.
func CleanTitle(title string) (string, error) {
	switch {
	case !utf8.ValidString(title):
		return "", apperr.Field(FieldTitle, "the title is not valid text")
	case strings.ContainsFunc(title, hidden):
		return "", apperr.Field(FieldTitle, "the title must be one line without control or invisible formatting characters")
	}
	t := strings.Join(strings.Fields(title), " ")
	if utf8.RuneCountInString(t) > MaxTitleRunes {
		return "", apperr.Field(FieldTitle, "the title is longer than %d characters", MaxTitleRunes)
	}
	return t, nil
}

// hidden reports control (Cc) and format (Cf) characters.
func hidden(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// CleanURL is the one check of a web page a podcast is made from: an
// absolute http or https address with a host, without a user name or
// password (they would be kept in job files and logs), of at most
// MaxURLBytes, with no control characters. The scheme and host come back
// lower-cased. Whether the page may be fetched (no private addresses for
// LAN clients) is decided when the job fetches it.
func CleanURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", apperr.Field(FieldSources, "a web page source has no address")
	}
	if len(raw) > MaxURLBytes || !utf8.ValidString(raw) || strings.ContainsFunc(raw, hidden) {
		return "", apperr.Field(FieldSources, "a web address must be one line of at most %d bytes", MaxURLBytes)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", apperr.Field(FieldSources, "%q is not a web address", clipText(raw))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", apperr.Field(FieldSources, "%q is not a web page: use an http:// or https:// address", clipText(raw))
	case u.Hostname() == "":
		return "", apperr.Field(FieldSources, "%q names no host", clipText(raw))
	case u.User != nil:
		return "", apperr.Field(FieldSources, "%q holds a user name or password; podcastfy reads public pages only", clipText(raw))
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// CheckSourceCount refuses more than MaxSources sources.
func CheckSourceCount(n int) error {
	if n > MaxSources {
		return apperr.Field(FieldSources, "%d sources were given; a podcast is made from at most %d", n, MaxSources)
	}
	return nil
}

// CheckWriter refuses a writer that is not "", auto, ollama or extractive.
func CheckWriter(w string) error {
	if w != "" && !slices.Contains(writers, w) {
		return apperr.Field(FieldWriter, "unknown writer %q: use auto, ollama or extractive", clipText(w))
	}
	return nil
}

// CheckRequest checks every field that needs nothing looked up (the
// template, the speakers and the TTS provider are checked by Start), and
// returns the request cleaned: title trimmed, addresses normalised. A door
// calls it to refuse a request before accepting its uploads; Start calls
// it again.
func CheckRequest(req Request) (Request, error) { return checkRequest(req, false) }

// checkRequest is CheckRequest; when planning (Preflight), a file or
// recording may be named without a path (an upload the client has not sent
// yet), and the text and sources may both be empty (a form not yet filled).
func checkRequest(req Request, planning bool) (Request, error) {
	var err error
	req.Text = strings.TrimSpace(req.Text)
	if !utf8.ValidString(req.Text) {
		return req, apperr.Field(FieldText, "the text is not valid UTF-8")
	}
	if req.Title, err = CleanTitle(req.Title); err != nil {
		return req, err
	}
	if math.IsNaN(req.Minutes) || req.Minutes != 0 && (req.Minutes < MinMinutes || req.Minutes > MaxMinutes) {
		return req, apperr.Field(FieldMinutes, "the length must be between %g and %g minutes", MinMinutes, float64(MaxMinutes))
	}
	if utf8.RuneCountInString(req.Focus) > MaxFocusRunes || !utf8.ValidString(req.Focus) {
		return req, apperr.Field(FieldFocus, "the focus instructions are longer than %d characters", MaxFocusRunes)
	}
	for _, f := range []struct{ field, value string }{
		{FieldTemplate, req.TemplateID}, {FieldLanguage, req.Language}, {FieldWriter, req.Writer}, {FieldTTS, req.TTS},
	} {
		if !shortName(f.value) {
			return req, apperr.Field(f.field, "%s must be a short name", f.field)
		}
	}
	if req.Language != "" && !template.ValidLanguage(req.Language) {
		return req, apperr.Field(FieldLanguage, "%q is not a language code like en or en-GB", req.Language)
	}
	if err := CheckWriter(req.Writer); err != nil {
		return req, err
	}
	for name, voice := range req.Voices {
		if !shortName(name) || strings.TrimSpace(voice) == "" || !shortName(voice) {
			return req, apperr.Field(FieldVoices, "the voice for speaker %q is not a voice name", clipText(name))
		}
	}
	if req.Sources, err = checkSources(req.Sources, planning); err != nil {
		return req, err
	}
	// A plan of a form still empty says what will run; only a start needs
	// something to make the podcast from.
	if req.Text == "" && len(req.Sources) == 0 && !planning {
		return req, apperr.Field(FieldText, "there is nothing to make a podcast from: give a text, files or web pages")
	}
	return req, nil
}

// checkSources checks each source's kind and what it needs, and returns
// them with their addresses cleaned. When planning, files may have no path.
func checkSources(srcs []Source, planning bool) ([]Source, error) {
	if err := CheckSourceCount(len(srcs)); err != nil {
		return nil, err
	}
	out := make([]Source, len(srcs))
	for i, s := range srcs {
		switch s.Kind {
		case ingest.KindFile, ingest.KindAudio:
			if s.Path == "" && !planning {
				return nil, apperr.Field(FieldSources, "source %d has no file", i+1)
			}
		case ingest.KindURL:
			u, err := CleanURL(s.URL)
			if err != nil {
				return nil, err
			}
			if s.Name == s.URL {
				s.Name = u
			}
			s.URL = u
		default:
			return nil, apperr.Field(FieldSources, "source %d has the unknown kind %q (use file, url or audio)", i+1, clipText(s.Kind))
		}
		out[i] = s
	}
	return out, nil
}

func shortName(s string) bool {
	return len(s) <= maxNameBytes && utf8.ValidString(s) && !strings.ContainsFunc(s, hidden)
}

// clipText shortens a value quoted back in a message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
