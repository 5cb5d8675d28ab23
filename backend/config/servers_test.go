package config

import (
	"strings"
	"testing"
)

func TestTTSServers(t *testing.T) {
	s, err := Parse("config.yaml", []byte("tts:\n  provider: openai\n  concurrency: 2\n  servers:\n    - url: http://10.0.0.7:8880/v1\n      concurrency: 3\n    - url: http://10.0.0.8:8000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.TTS.Concurrency != 2 || len(s.TTS.Servers) != 2 || s.TTS.Servers[0] != (TTSServer{URL: "http://10.0.0.7:8880/v1", Concurrency: 3}) {
		t.Errorf("tts %+v", s.TTS)
	}
	tests := map[string]struct {
		yaml, want string
	}{
		"espeak has no servers": {"tts:\n  servers:\n    - url: http://a:1\n", "key \"tts.servers\": the espeak provider runs on this computer"},
		"bad address":           {"tts:\n  provider: piper\n  servers:\n    - url: ws://a:1\n", "tts.servers[0].url"},
		"no address":            {"tts:\n  provider: openai\n  servers:\n    - concurrency: 2\n", "tts.servers[0].url"},
		"absurd concurrency":    {"tts:\n  provider: openai\n  servers:\n    - url: http://a:1\n      concurrency: 500\n", "tts.servers[0].concurrency"},
		"negative own":          {"tts:\n  concurrency: -1\n", "tts.concurrency"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("config.yaml", []byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
