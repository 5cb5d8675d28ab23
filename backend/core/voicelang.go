package core

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"podcastfy/backend/apperr"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
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

// checkVoices asks the request's TTS provider whether it can speak now and
// which voices it has, and fits the speakers' voices to the language
// (fitVoices). A provider that does not answer is an error at tts.
func (s *Service) checkVoices(ctx context.Context, req Request, tpl template.Template, asked map[string]string) (Request, []Problem) {
	syn, err := s.deps.Synths.Synthesizer(req.TTS)
	if err != nil { // normalise found it a moment ago
		return req, []Problem{{Field: FieldTTS, Code: apperr.Invalid, Severity: SeverityError, Message: err.Error()}}
	}
	// A provider that runs on this machine (espeak-ng) answers as fast as
	// the machine's load allows, so it is waited for (up to
	// checkRunTimeout) rather than held to the budget for servers: a busy
	// machine must not turn "no voice speaks this language" into "did not
	// answer".
	if !tts.RunsLocally(syn) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, PreflightBudget)
		defer cancel()
	}
	key := syn.Name()
	if t, ok := syn.(interface{ CacheTag() string }); ok {
		key += "\x00" + t.CacheTag()
	}
	_, err = s.checks.do(ctx, "health\x00"+key, checkTTL, func(ctx context.Context) (any, error) {
		return nil, syn.Health(ctx)
	})
	switch {
	case timedOut(ctx, err):
		return req, []Problem{noAnswer(FieldTTS, "The "+syn.Name()+" voices")}
	case err != nil:
		return req, []Problem{{Field: FieldTTS, Code: apperr.Unavailable, Severity: SeverityError,
			Message: fmt.Sprintf("the %s voices are not available: %v", syn.Name(), err)}}
	}
	v, err := s.checks.do(ctx, "voices\x00"+key, checkTTL, func(ctx context.Context) (any, error) {
		return syn.Voices(ctx)
	})
	if err != nil {
		return req, nil // without the list, the voices are taken on trust
	}
	return fitVoices(req, tpl, syn.Name(), v.([]tts.Voice), asked)
}

// fitVoices checks each speaker's voice against the provider's voice list
// for the request's language. A voice the list says speaks another
// language is swapped for one that speaks it (the same gender first, each
// speaker another voice while the list has enough), unless the person
// chose it: that is a warning at the speaker's voice. No voice of the
// provider speaking the language at all is an error at language. Voices the
// list does not know, or a list without languages, are taken on trust.
func fitVoices(req Request, tpl template.Template, provider string, list []tts.Voice, asked map[string]string) (Request, []Problem) {
	want := primaryLanguage(req.Language)
	if want == "" || !slices.ContainsFunc(list, func(v tts.Voice) bool { return v.Language != "" }) {
		return req, nil
	}
	var speaking []tts.Voice
	for _, v := range list {
		if primaryLanguage(v.Language) == want {
			speaking = append(speaking, v)
		}
	}
	if len(speaking) == 0 {
		return req, []Problem{{Field: FieldLanguage, Code: apperr.Invalid, Severity: SeverityError,
			Message: fmt.Sprintf("no %s voice speaks %q; choose another language, or voices that speak it in the settings", provider, req.Language)}}
	}
	find := func(id string) (tts.Voice, bool) {
		base, _, _ := strings.Cut(id, "+")
		for _, v := range list {
			if strings.EqualFold(v.ID, id) || strings.EqualFold(v.ID, base) {
				return v, true
			}
		}
		return tts.Voice{}, false
	}
	resolved := speakerVoices(tpl, req)
	used := map[string]bool{}
	for _, v := range resolved {
		used[strings.ToLower(v)] = true
	}
	var probs []Problem
	out, cloned := req, false
	for _, sp := range tpl.Speakers {
		id := resolved[strings.ToLower(sp.Name)]
		cur, ok := find(id)
		if !ok || cur.Language == "" || primaryLanguage(cur.Language) == want {
			continue
		}
		if lookupFold(asked, sp.Name) != "" {
			probs = append(probs, Problem{Field: FieldVoices + "." + sp.Name, Code: CodeVoiceLanguage, Severity: SeverityWarning,
				Message: fmt.Sprintf("the voice %s of %s speaks %s, not %s", id, sp.Name, cur.Language, req.Language)})
			continue
		}
		pick := pickVoice(speaking, cur.Gender, used)
		used[strings.ToLower(pick.ID)] = true
		if provider == providers.NameESpeak {
			if _, variant, ok := strings.Cut(id, "+"); ok {
				pick.ID += "+" + variant // the variant keeps the speaker's pitch and gender
			}
		}
		if !cloned { // the request's map is the caller's
			out.Voices, cloned = maps.Clone(req.Voices), true
			if out.Voices == nil {
				out.Voices = map[string]string{}
			}
		}
		out.Voices[sp.Name] = pick.ID
	}
	return out, probs
}

// pickVoice is a voice of the right language for a speaker: one not used
// yet of the same gender, else one not used yet, else the first.
func pickVoice(speaking []tts.Voice, gender string, used map[string]bool) tts.Voice {
	for _, same := range []bool{true, false} {
		for _, v := range speaking {
			if !used[strings.ToLower(v.ID)] && (!same || gender != "" && strings.EqualFold(v.Gender, gender)) {
				return v
			}
		}
	}
	return speaking[0]
}
