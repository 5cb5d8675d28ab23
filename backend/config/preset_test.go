package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestTTSPreset(t *testing.T) {
	// One line picks the server; the provider follows.
	s, err := Parse("config.yaml", []byte("tts:\n  preset: pocket-tts\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.TTS.Provider != "openai" || s.TTS.Preset != "pocket-tts" || s.TTS.PresetURL != "" {
		t.Errorf("tts %+v, want the openai provider for pocket-tts", s.TTS)
	}
	s, err = Parse("config.yaml", []byte("tts:\n  provider: espeak\n  preset: piper\n  presetUrl: http://10.0.0.5:5000\n"))
	if err != nil || s.TTS.Provider != "piper" {
		t.Fatalf("%+v, %v", s.TTS, err)
	}

	tests := map[string]struct {
		yaml, want string
	}{
		"unknown preset": {"tts:\n  preset: elevenlabs\n", `config.yaml:2: key "tts.preset": unknown voice server "elevenlabs"`},
		"bad address":    {"tts:\n  preset: kokoro\n  presetUrl: ftp://x\n", "tts.presetUrl"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("config.yaml", []byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}

	// A settings screen that picks a preset picks the provider with it.
	live, err := OpenLive(filepath.Join(t.TempDir(), "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s = Defaults()
	s.TTS.Preset = "kyutai"
	if err := live.Save(s); err != nil {
		t.Fatal(err)
	}
	if got := live.Get().TTS; got.Provider != "kyutai" || got.Preset != "kyutai" {
		t.Errorf("saved %+v, want the kyutai provider", got)
	}
	// Settings written without that step are refused.
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "runs on the kyutai provider") {
		t.Errorf("preset kyutai with provider espeak: %v", err)
	}
}
