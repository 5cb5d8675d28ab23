package providers

import (
	"context"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"testing"

	"podcastfy/backend/template"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
	"podcastfy/templates"
)

// templateVoices returns, for a provider, each built-in template speaker's
// voice ("template/speaker" → voice).
func templateVoices(t *testing.T, provider string) map[string]string {
	t.Helper()
	files, err := fs.Glob(templates.FS, "*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("built-in templates: %v %v", files, err)
	}
	out := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(templates.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := template.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range tpl.Speakers {
			v, ok := sp.Voices[provider]
			if !ok {
				t.Fatalf("%s/%s has no %s voice", tpl.ID, sp.Name, provider)
			}
			out[tpl.ID+"/"+sp.Name] = v
		}
	}
	return out
}

// presetServer is a fake of the preset's server, as hostile as the real
// one about voices it does not have, and the voices it has.
func presetServer(t *testing.T, p Preset) (http.Handler, func() []string) {
	t.Helper()
	switch p.ID {
	case PresetPocketTTS:
		f := &ttstest.OpenAI{Flavour: ttstest.Pocket}
		return f, func() []string { return voicesOf(f.Requests()) }
	case PresetKokoro:
		// Every Kokoro voice the templates name, and nothing else.
		var have []string
		for _, v := range templateVoices(t, NameOpenAI) {
			have = append(have, v)
		}
		f := &ttstest.OpenAI{Flavour: ttstest.Kokoro, Voices: have}
		return f, func() []string { return voicesOf(f.Requests()) }
	case PresetSpeaches:
		f := &ttstest.OpenAI{Flavour: ttstest.Speaches, Models: []string{p.Model}}
		return f, func() []string { return voicesOf(f.Requests()) }
	case PresetPiper:
		voices := map[string]int{}
		for _, v := range piperTemplateVoices {
			voices[v] = 22050
		}
		f := &ttstest.Piper{Voices: voices}
		return f, func() []string {
			var got []string
			for _, r := range f.Requests() {
				got = append(got, r.Voice)
			}
			return got
		}
	case PresetKyutai:
		f := &ttstest.Kyutai{}
		return f, func() []string {
			var got []string
			for _, s := range f.Sessions() {
				if s.Eos { // not the health check, which speaks nothing
					got = append(got, s.Voice)
				}
			}
			return got
		}
	}
	t.Fatalf("no fake for preset %s", p.ID)
	return nil, nil
}

func voicesOf(reqs []ttstest.SpeechRequest) []string {
	var got []string
	for _, r := range reqs {
		got = append(got, r.Voice)
	}
	return got
}

// TestPresetsSpeakEveryTemplate: on each preset's server, every speaker of
// every built-in template speaks, with a voice that server has, through
// the client production builds from the settings.
func TestPresetsSpeakEveryTemplate(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.ID, func(t *testing.T) {
			h, sent := presetServer(t, p)
			srv := serve(t, h)
			url := srv.URL
			if p.Provider == NameOpenAI {
				url += "/v1"
			}
			cfg := p.Apply(Config{}, url)
			s, err := New(p.Provider, cfg, testClient(t), testLog(t))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Health(context.Background()); err != nil {
				t.Fatalf("health: %v", err)
			}
			voices := templateVoices(t, p.Provider)
			for who, voice := range voices {
				clip, err := s.Synthesize(context.Background(), tts.Request{Text: "Hello from " + who + ".", Voice: voice, Speed: 1})
				if err != nil || clip.Duration() < 0.1 {
					t.Errorf("%s (%s): %.2f s, %v", who, voice, clip.Duration(), err)
				}
			}
			got := sent()
			if len(got) != len(voices) {
				t.Fatalf("the server got %d requests, want %d", len(got), len(voices))
			}
			if p.VoiceList != nil {
				listed, err := s.Voices(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range got {
					if !slices.ContainsFunc(listed, func(l tts.Voice) bool { return l.ID == v }) {
						t.Errorf("voice %q was sent but is not in the preset's list", v)
					}
				}
			}
		})
	}
}

// TestPocketVoicesTellSpeakersApart: two speakers of one template never
// share a Pocket TTS voice.
func TestPocketVoicesTellSpeakersApart(t *testing.T) {
	p, _ := PresetByID(PresetPocketTTS)
	byTemplate := map[string]map[string]string{}
	for who, v := range templateVoices(t, NameOpenAI) {
		tpl, speaker, _ := strings.Cut(who, "/")
		if byTemplate[tpl] == nil {
			byTemplate[tpl] = map[string]string{}
		}
		mapped := p.Voice(v)
		for other, ov := range byTemplate[tpl] {
			if ov == mapped {
				t.Errorf("%s: %s and %s both speak as %s", tpl, speaker, other, mapped)
			}
		}
		byTemplate[tpl][speaker] = mapped
	}
	if got := p.Voice("ef_dora"); got != "alba" {
		t.Errorf("an unmapped female Kokoro voice became %q, want alba", got)
	}
	if got := p.Voice("marius"); got != "marius" {
		t.Errorf("a Pocket voice given as is became %q", got)
	}
}

func TestPresetHealthWhenDown(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.ID, func(t *testing.T) {
			// A port nothing listens on.
			srv := serve(t, http.NotFoundHandler())
			url := srv.URL
			srv.Close()
			s, err := New(p.Provider, p.Apply(Config{}, url), testClient(t), testLog(t))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Health(context.Background()); err == nil {
				t.Error("health passed with nothing listening")
			}
		})
	}
}

func TestPresetTable(t *testing.T) {
	var best []string
	seen := map[string]bool{}
	for _, p := range Presets() {
		if seen[p.ID] {
			t.Errorf("preset %s twice", p.ID)
		}
		seen[p.ID] = true
		if p.CPU.Best {
			best = append(best, p.ID)
		}
		if p.Name == "" || p.URL == "" || p.Start == "" || p.CPU.Note == "" || !slices.Contains(Names(), p.Provider) {
			t.Errorf("preset %s is incomplete: %+v", p.ID, p)
		}
		if _, err := New(p.Provider, p.Apply(Config{}, ""), nil, nil); err != nil {
			t.Errorf("preset %s at its default address: %v", p.ID, err)
		}
	}
	if !slices.Equal(best, []string{PresetPocketTTS}) {
		t.Errorf("best without a GPU: %v, want exactly pocket-tts", best)
	}
	if _, err := New(NameOpenAI, Config{OpenAI: OpenAIConfig{URL: "http://127.0.0.1:1"}, Preset: "nope"}, nil, nil); err == nil {
		t.Error("an unknown preset was accepted")
	}
}
