package core

import (
	"log/slog"
	"maps"
	"testing"

	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
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

// The providers the job service builds say whether they run on this
// machine through every wrapper (the settings tag, retries, a pool of
// servers): espeak-ng does and is waited for by the preflight; a voice
// server is held to the budget, alone or pooled with espeak-ng.
func TestLocalProvidersSeenThroughWrappers(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg := providers.Config{Piper: providers.PiperConfig{URL: "http://127.0.0.1:1"}}
	synths := &Synths{
		New: func(name string) (tts.Synthesizer, error) { return providers.New(name, cfg, nil, log) },
		Tag: func(name string) string { return "settings-of-" + name },
	}
	for name, want := range map[string]bool{"espeak": true, "piper": false} {
		syn, err := synths.Synthesizer(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := tts.RunsLocally(syn); got != want {
			t.Errorf("%s (%T) runs locally: %v, want %v", name, syn, got, want)
		}
	}
	espeak := func() tts.Synthesizer { return providers.NewESpeak(providers.ESpeakConfig{}, log) }
	piper, err := providers.New("piper", cfg, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		eps  []tts.Endpoint
		want bool
	}{
		"espeak only":   {[]tts.Endpoint{{Synth: espeak()}, {Synth: espeak()}}, true},
		"with a server": {[]tts.Endpoint{{Synth: espeak()}, {Synth: piper}}, false},
	} {
		pool, err := tts.NewPool(tc.eps, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := tts.RunsLocally(tts.WithRetry(pool, tts.RetryPolicy{})); got != tc.want {
			t.Errorf("a pool of %s runs locally: %v, want %v", name, got, tc.want)
		}
	}
}
