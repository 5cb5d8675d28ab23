package template

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"podcastfy/backend/config/strictyaml"
)

// Limits of a template.
const (
	MaxIDLength          = 64
	MaxSpeakers          = 4
	MaxMinutes           = 120
	MaxNameLength        = 80
	MaxDescriptionLength = 2000
	MaxInstructionsBytes = 20000
	MaxSections          = 20
	MaxSectionLength     = 200
	MaxStyleWords        = 12
	MinWordsPerMinute    = 60
	MaxWordsPerMinute    = 300
)

// Providers lists the TTS providers a speaker may name a voice for.
var Providers = []string{"espeak", "openai", "kyutai", "piper"}

// ErrInvalidID is returned by ValidID.
var ErrInvalidID = errors.New("invalid template id")

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	languagePattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
)

// ValidID accepts 1–64 characters of lower-case letters, digits and single
// hyphens between them ("deep-dive", "eli10"), so that an id is also a safe
// file name.
func ValidID(id string) error {
	if len(id) == 0 || len(id) > MaxIDLength || !idPattern.MatchString(id) {
		return fmt.Errorf("%w %q: use 1–%d lower-case letters, digits and hyphens, like deep-dive", ErrInvalidID, clip(id), MaxIDLength)
	}
	return nil
}

// ValidLanguage accepts BCP-47-looking codes: "en", "en-GB", "zh-Hant-TW".
func ValidLanguage(lang string) bool {
	return len(lang) <= 35 && languagePattern.MatchString(lang)
}

// Validate reports every problem of t (joined), each naming its key.
func (t Template) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, strictyaml.Fieldf(path, format, args...))
	}
	if err := ValidID(t.ID); err != nil {
		bad("id", "%v", err)
	}
	checkText := func(path, v string, max int, required bool) {
		switch {
		case strings.TrimSpace(v) == "":
			if required {
				bad(path, "must not be empty")
			}
		case !utf8.ValidString(v):
			bad(path, "is not valid UTF-8 text")
		case len(v) > max:
			bad(path, "is longer than %d bytes", max)
		}
	}
	checkLine := func(path, v string, max int) {
		checkText(path, v, max, true)
		if strings.ContainsFunc(v, unicode.IsControl) {
			bad(path, "must be one line without control characters")
		}
	}
	checkLine("name", t.Name, MaxNameLength)
	checkText("description", t.Description, MaxDescriptionLength, false)
	checkText("llmPromptInstructions", t.LLMPromptInstructions, MaxInstructionsBytes, true)
	if t.TTSConfig != nil {
		checkText("ttsConfig.voiceId", t.TTSConfig.VoiceID, 200, false)
		checkText("ttsConfig.style", t.TTSConfig.Style, 200, false)
	}

	if n := len(t.Speakers); n < 1 || n > MaxSpeakers {
		bad("speakers", "has %d speakers; a template needs 1 to %d", n, MaxSpeakers)
	}
	seen := map[string]bool{}
	for i, sp := range t.Speakers {
		p := fmt.Sprintf("speakers[%d]", i)
		checkLine(p+".name", sp.Name, 40)
		if strings.ContainsAny(sp.Name, ":[]") {
			bad(p+".name", "must not contain ':', '[' or ']' (script lines are \"NAME: text\")")
		}
		key := strings.ToLower(strings.TrimSpace(sp.Name))
		if key != "" && seen[key] {
			bad(p+".name", "%q is used by another speaker", sp.Name)
		}
		seen[key] = true
		checkLine(p+".role", sp.Role, 200)
		for provider, voice := range sp.Voices {
			if !contains(Providers, provider) {
				bad(p+".voices."+provider, "unknown TTS provider %q (known: %s)", provider, strings.Join(Providers, ", "))
				continue
			}
			checkLine(p+".voices."+provider, voice, 200)
		}
		if w := sp.WordsPerMinute; w != 0 && (w < MinWordsPerMinute || w > MaxWordsPerMinute) {
			bad(p+".wordsPerMinute", "%d is out of range (%d to %d, or 0 for the default)", w, MinWordsPerMinute, MaxWordsPerMinute)
		}
	}

	if n := len(t.Structure); n < 1 || n > MaxSections {
		bad("structure", "has %d sections; a template needs 1 to %d", n, MaxSections)
	}
	for i, s := range t.Structure {
		checkLine(fmt.Sprintf("structure[%d]", i), s, MaxSectionLength)
	}
	if len(t.Style) > MaxStyleWords {
		bad("style", "has %d words; at most %d", len(t.Style), MaxStyleWords)
	}
	for i, s := range t.Style {
		checkLine(fmt.Sprintf("style[%d]", i), s, 40)
	}
	if m := t.Minutes; math.IsNaN(m) || m <= 0 || m > MaxMinutes {
		bad("minutes", "%v is out of range (more than 0, at most %d)", m, MaxMinutes)
	}
	if !ValidLanguage(t.Language) {
		bad("language", "%q is not a language code like en or en-GB", t.Language)
	}
	return errors.Join(errs...)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 70 {
		return s[:70] + "…"
	}
	return s
}
