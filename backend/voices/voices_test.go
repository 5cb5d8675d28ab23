package voices

import (
	"context"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

func TestSpeaks(t *testing.T) {
	for _, c := range []struct {
		voice, want string
		ok          bool
	}{
		{"en-us", "en", true},
		{"en-GB", "en-gb", true},
		{"en_GB", "en-GB", true},
		{"en-gb-scotland", "en-GB", true},
		{"en-us", "en-GB", false},
		{"en", "en-GB", false},
		{"eo", "e", false},
		{"de", "de", true},
		{"cmn-latn-pinyin", "cmn", true},
	} {
		if got := Speaks(c.voice, c.want); got != c.ok {
			t.Errorf("Speaks(%q, %q) = %v, want %v", c.voice, c.want, got, c.ok)
		}
	}
}

// namedVoices is a provider that names voices and says the language of
// some of them.
type namedVoices struct{}

func (namedVoices) Name() string { return "openai" }
func (namedVoices) Synthesize(context.Context, tts.Request) (audio.Clip, error) {
	return audio.Clip{}, nil
}
func (namedVoices) Health(context.Context) error { return nil }
func (namedVoices) Voices(context.Context) ([]tts.Voice, error) {
	return []tts.Voice{{ID: "alloy", Name: "alloy"}, {ID: "ff_siwis", Name: "Siwis", Language: "fr-FR"}, {ID: "af_bella", Name: "Bella", Language: "en-US"}}, nil
}

type oneSource struct{ syn tts.Synthesizer }

func (s oneSource) Synthesizer(string) (tts.Synthesizer, error) { return s.syn, nil }

// TestListKeepsVoicesOfUnknownLanguage: a language filter keeps the voices
// that speak it and those the provider says nothing about.
func TestListKeepsVoicesOfUnknownLanguage(t *testing.T) {
	s := New(oneSource{namedVoices{}}, func() Defaults { return Defaults{Provider: "openai", Language: "en"} }, Options{})
	got, err := s.List(context.Background(), "", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Provider != "openai" || len(got.Voices) != 2 || got.Voices[0].ID != "alloy" || got.Voices[1].ID != "af_bella" {
		t.Errorf("List = %+v", got)
	}
	// The empty-audio provider: the preview says so rather than sending silence.
	if _, err := s.Preview(context.Background(), "u1", PreviewRequest{Voice: "alloy"}); apperr.CodeOf(err) != apperr.Unavailable {
		t.Errorf("no audio: %v, want unavailable", err)
	}
}
