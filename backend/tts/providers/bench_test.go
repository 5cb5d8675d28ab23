package providers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

// benchSpeak synthesises one line per iteration and reports how many
// seconds of audio come out per second of wall time.
func benchSpeak(b *testing.B, s tts.Synthesizer, req tts.Request) {
	b.Helper()
	var audioSec float64
	start := time.Now()
	for b.Loop() {
		clip, err := s.Synthesize(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		audioSec += clip.Duration()
	}
	b.ReportMetric(audioSec/time.Since(start).Seconds(), "x-realtime")
}

// BenchmarkESpeakSynthesize measures the real espeak-ng engine (process
// start, synthesis, WAV decode).
func BenchmarkESpeakSynthesize(b *testing.B) {
	benchSpeak(b, NewESpeak(ESpeakConfig{}, nil), tts.Request{Text: sentence, Voice: "en-us+f3"})
}

// BenchmarkOpenAIOverhead measures our side of an OpenAI-compatible call
// (JSON, HTTP, streamed WAV decode) against the instant Kokoro fake.
func BenchmarkOpenAIOverhead(b *testing.B) {
	srv := httptest.NewServer(&ttstest.OpenAI{})
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	o, err := NewOpenAI(OpenAIConfig{URL: srv.URL}, &http.Client{Transport: tr}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchSpeak(b, o, tts.Request{Text: strings.Repeat(sentence+" ", 10)})
}

// BenchmarkKyutaiOverhead measures one WebSocket stream (dial, Ready, one
// message per word, msgpack decode of 80 ms frames) against the fake.
func BenchmarkKyutaiOverhead(b *testing.B) {
	srv := httptest.NewServer(&ttstest.Kyutai{})
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	k, err := NewKyutai(KyutaiConfig{URL: srv.URL}, &http.Client{Transport: tr}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchSpeak(b, k, tts.Request{Text: sentence})
}
