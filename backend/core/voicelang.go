package core

import (
	"strings"

	"podcastfy/backend/template"
	"podcastfy/backend/tts/providers"
)

// voicesForLanguage gives each speaker left without a chosen voice one that
// speaks the request's language, when the template's espeak-ng voice speaks
// another: "en-us+f2" for German becomes "de+f2", keeping the variant (its
// pitch and gender), so the speakers stay as distinct as the template made
// them. It runs when the request is checked, before any work starts. Other
// providers name voices that do not say their language, so they keep the
// template's (or the person's) choice.
func voicesForLanguage(voices map[string]string, tpl template.Template, provider, lang string) map[string]string {
	want := primaryLanguage(lang)
	if provider != providers.NameESpeak || want == "" {
		return voices
	}
	out := make(map[string]string, len(voices)+len(tpl.Speakers))
	for k, v := range voices {
		out[k] = v
	}
	changed := false
	for _, sp := range tpl.Speakers {
		if lookupFold(voices, sp.Name) != "" {
			continue
		}
		base, variant, _ := strings.Cut(sp.Voices[provider], "+")
		if base == "" || primaryLanguage(base) == want {
			continue
		}
		v := strings.ToLower(strings.TrimSpace(lang))
		if variant != "" {
			v += "+" + variant
		}
		out[sp.Name] = v
		changed = true
	}
	if !changed {
		return voices
	}
	return out
}

// primaryLanguage is a BCP-47 tag's language: "en-GB" → "en".
func primaryLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}
