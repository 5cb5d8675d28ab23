package clients

import (
	"context"
	"net/http/httptest"
	"testing"

	"podcastfy/backend/config"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

// TestPresetFromSettings: with tts.preset set, the synthesiser built from
// the settings talks to the preset's server in its voices.
func TestPresetFromSettings(t *testing.T) {
	fake := &ttstest.OpenAI{Flavour: ttstest.Pocket}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	s, err := config.Parse("config.yaml", []byte("tts:\n  preset: pocket-tts\n  presetUrl: "+srv.URL+"/v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	synth, err := Factory{}.Synthesizer(s.TTS.Provider, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Health(context.Background()); err != nil {
		t.Fatalf("health: %v", err)
	}
	// deep-dive's Alex speaks am_adam on Kokoro-style servers.
	if _, err := synth.Synthesize(context.Background(), tts.Request{Text: "Hello there.", Voice: "am_adam", Speed: 1}); err != nil {
		t.Fatal(err)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Voice != "marius" {
		t.Errorf("requests %+v, want one in Pocket's voice marius", reqs)
	}
	plain := config.Defaults()
	if SynthTag(s, "openai") == SynthTag(plain, "openai") {
		t.Error("the preset does not change the cache tag")
	}
}
