package core

import (
	"maps"
	"testing"
)

// A language the template's voices do not speak picks voices that do, when
// the request is checked: the variants (pitch, gender) stay, and a voice the
// person chose stays too.
func TestLanguagePicksVoicesThatSpeakIt(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	cases := []struct {
		lang   string
		voices map[string]string
		want   map[string]string
	}{
		{"de", nil, map[string]string{"Alex": "de+m3", "Sam": "de+f3"}},
		{"fr-FR", map[string]string{"Sam": "fr+f5"}, map[string]string{"Alex": "fr-fr+m3", "Sam": "fr+f5"}},
		{"en-GB", nil, nil},
	}
	for _, c := range cases {
		req, err := h.svc.normalise(Request{Owner: "u", Text: riverText, Language: c.lang, TTS: "espeak", TemplateID: "deep-dive", Voices: c.voices}, false)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(req.Voices, c.want) && !(len(c.want) == 0 && len(req.Voices) == 0) {
			t.Errorf("%s: voices %v, want %v", c.lang, req.Voices, c.want)
		}
	}
}
