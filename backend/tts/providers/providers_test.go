package providers

import (
	"context"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/tts"
)

func TestNew(t *testing.T) {
	cfg := Config{
		OpenAI: OpenAIConfig{URL: "http://127.0.0.1:8880"},
		Kyutai: KyutaiConfig{URL: "ws://127.0.0.1:8080"},
		Piper:  PiperConfig{URL: "http://127.0.0.1:5000"},
	}
	for _, name := range append(Names(), " Piper ", "ESPEAK") {
		t.Run(name, func(t *testing.T) {
			s, err := New(name, cfg, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ToLower(strings.TrimSpace(name)); s.Name() != want {
				t.Errorf("Name = %q, want %q", s.Name(), want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := map[string]struct {
		name    string
		cfg     Config
		wantErr string
	}{
		"unknown provider": {"elevenlabs", Config{}, `unknown TTS provider "elevenlabs" (use one of: espeak, openai, kyutai, piper)`},
		"openai no URL":    {"openai", Config{}, "openai TTS: no server URL configured"},
		"kyutai bad URL":   {"kyutai", Config{Kyutai: KyutaiConfig{URL: "::"}}, "kyutai TTS: bad server URL"},
		"piper bad scheme": {"piper", Config{Piper: PiperConfig{URL: "ws://h"}}, "want http or https"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := New(tc.name, tc.cfg, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// TestFactoryWithRetryEndToEnd is the path core takes: build by name, wrap
// with retries, speak.
func TestFactoryWithRetryEndToEnd(t *testing.T) {
	s, err := New("espeak", Config{}, nil, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	s = tts.WithRetry(s, tts.RetryPolicy{Attempts: 2, Initial: time.Millisecond})
	clip, err := s.Synthesize(context.Background(), tts.Request{Text: "Hello.", Voice: "en-gb", Speed: 1})
	if err != nil || clip.SampleRate != 22050 || clip.Duration() < 0.2 {
		t.Errorf("clip %d Hz %.2f s, err %v", clip.SampleRate, clip.Duration(), err)
	}
}
