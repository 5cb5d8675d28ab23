package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2/mp3"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// testSpeakers are the voice service's providers in the API tests: the
// real espeak-ng, an OpenAI-compatible server that is not there, a piper
// that speaks only when the test lets it, and kyutai left unconfigured.
type testSpeakers struct {
	espeak, openai tts.Synthesizer
	held           *heldSynth
}

func newTestSpeakers(t *testing.T) *testSpeakers {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	openai, err := providers.New(providers.NameOpenAI, providers.Config{OpenAI: providers.OpenAIConfig{URL: gone.URL}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	espeak, err := providers.New(providers.NameESpeak, providers.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testSpeakers{
		espeak: espeak,
		openai: openai,
		held:   &heldSynth{entered: make(chan struct{}, 1), release: make(chan struct{})},
	}
}

func (s *testSpeakers) Synthesizer(name string) (tts.Synthesizer, error) {
	switch name {
	case providers.NameESpeak:
		return s.espeak, nil
	case providers.NameOpenAI:
		return s.openai, nil
	case providers.NamePiper:
		return s.held, nil
	}
	return nil, errors.New("kyutai: tts.kyutai.url is not set")
}

// heldSynth announces each line on entered and speaks it (a short tone)
// once release is closed.
type heldSynth struct {
	entered chan struct{}
	release chan struct{}
}

func (h *heldSynth) Name() string { return providers.NamePiper }
func (h *heldSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	h.entered <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
		return audio.Clip{}, ctx.Err()
	}
	return (&toneSynth{}).Synthesize(ctx, r)
}
func (h *heldSynth) Voices(context.Context) ([]tts.Voice, error) { return nil, nil }
func (h *heldSynth) Health(context.Context) error                { return nil }

func TestVoicesList(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.do("GET", "/voices", "", nil).want(401, "unauthorized")

	var all voiceListJSON
	tt.do("GET", "/voices", tt.bobTok, nil).want(200).decode(&all)
	if all.Provider != "espeak" || len(all.Voices) < 20 {
		t.Fatalf("the provider in use lists %q with %d voices", all.Provider, len(all.Voices))
	}
	ids := map[string]bool{}
	for _, v := range all.Voices {
		if ids[v.ID] {
			t.Errorf("voice %q is listed twice", v.ID)
		}
		ids[v.ID] = true
	}
	for name, c := range map[string]struct {
		lang  string
		speak func(string) bool
	}{
		"a language": {"de", func(l string) bool { return l == "de" || strings.HasPrefix(l, "de-") }},
		"a region":   {"en-GB", func(l string) bool { return l == "en-gb" || strings.HasPrefix(l, "en-gb-") }},
	} {
		var some voiceListJSON
		tt.do("GET", "/voices?provider=espeak&language="+c.lang, tt.bobTok, nil).want(200).decode(&some)
		if len(some.Voices) == 0 || len(some.Voices) >= len(all.Voices) {
			t.Errorf("%s: %d of %d voices speak %s", name, len(some.Voices), len(all.Voices), c.lang)
		}
		for _, v := range some.Voices {
			if !c.speak(strings.ToLower(v.Language)) {
				t.Errorf("%s: %s lists %+v", name, c.lang, v)
			}
		}
	}
	tt.do("GET", "/voices?provider=festival", tt.bobTok, nil).want(400, "invalid_request:provider")
	tt.do("GET", "/voices?language=not%20a%20language", tt.bobTok, nil).want(400, "invalid_request:language")
	down := tt.do("GET", "/voices?provider=openai", tt.bobTok, nil).want(503, "unavailable")
	if !strings.Contains(string(down.body), "openai") {
		t.Errorf("the unreachable provider is not named: %s", down.body)
	}
	tt.do("GET", "/voices?provider=kyutai", tt.bobTok, nil).want(503, "unavailable")
}

type voiceListJSON struct {
	Provider string      `json:"provider"`
	Voices   []tts.Voice `json:"voices"`
}

func TestVoicePreview(t *testing.T) {
	tt := newTester(t, testOptions{})
	body := map[string]any{"voice": "en-us+f2", "text": "Rivers shape the land.", "speed": 1.25}
	tt.do("POST", "/voices/preview", "", body).want(401, "unauthorized")

	r := tt.do("POST", "/voices/preview", tt.bobTok, body).want(200)
	if ct := r.header.Get("Content-Type"); ct != "audio/mpeg" {
		t.Errorf("Content-Type %q", ct)
	}
	dec, format, err := mp3.Decode(io.NopCloser(bytes.NewReader(r.body)))
	if err != nil {
		t.Fatalf("the preview is not MP3: %v", err)
	}
	n, buf := 0, make([][2]float64, 4096)
	for {
		k, ok := dec.Stream(buf)
		n += k
		if !ok {
			break
		}
	}
	if secs := format.SampleRate.D(n).Seconds(); secs < 0.5 || secs > 10 {
		t.Errorf("the preview lasts %.2f s", secs)
	}

	// A voice of another language than the server's speaks in its own
	// (espeak-ng refuses to read English with a German voice).
	tt.do("POST", "/voices/preview", tt.bobTok, map[string]any{"voice": "de"}).want(200)
	tt.do("POST", "/voices/preview", tt.bobTok, map[string]any{"voice": "de", "language": "en"}).want(503, "unavailable")

	long := strings.Repeat("word ", 101) // 505 characters
	for name, c := range map[string]struct {
		body any
		want string
	}{
		"no voice":         {map[string]any{"text": "Hello."}, "invalid_request:voice"},
		"text too long":    {map[string]any{"voice": "en", "text": long}, "invalid_request:text"},
		"too fast":         {map[string]any{"voice": "en", "speed": 5}, "invalid_request:speed"},
		"speed zero":       {map[string]any{"voice": "en", "speed": 0}, "invalid_request:speed"},
		"unknown field":    {map[string]any{"voice": "en", "pitch": 3}, "unknown_field"},
		"not JSON":         {"voice=en", "invalid_json"},
		"bad provider":     {map[string]any{"voice": "en", "provider": "festival"}, "invalid_request:provider"},
		"bad language":     {map[string]any{"voice": "en", "language": "english please"}, "invalid_request:language"},
		"control in voice": {map[string]any{"voice": "en\x01us"}, "invalid_request:voice"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("POST", "/voices/preview", tt.bobTok, c.body).want(400, c.want)
		})
	}
	huge := `{"voice":"en","text":"` + strings.Repeat("a", MaxJSONBytes) + `"}`
	tt.do("POST", "/voices/preview", tt.bobTok, huge).want(413, "too_large")
	tt.do("POST", "/voices/preview", tt.bobTok, map[string]any{"voice": "", "provider": "openai"}).want(503, "unavailable")
}

// TestVoicePreviewLimits: a user gets a burst of previews, then one per
// interval, and one at a time; other users are not held back.
func TestVoicePreviewLimits(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.clock.freeze()
	hi := map[string]any{"voice": "en", "text": "Hi."}
	// The refusals above spend nothing: only previews that are made count.
	tt.do("POST", "/voices/preview", tt.bobTok, map[string]any{"voice": "en", "speed": 9}).want(400)
	for range 10 {
		tt.do("POST", "/voices/preview", tt.bobTok, hi).want(200)
	}
	r := tt.do("POST", "/voices/preview", tt.bobTok, hi).want(429, "throttled")
	if r.header.Get("Retry-After") != "6" {
		t.Errorf("Retry-After %q, want 6", r.header.Get("Retry-After"))
	}
	tt.do("POST", "/voices/preview", tt.aliceTok, hi).want(200)
	tt.clock.advance(6e9)
	tt.do("POST", "/voices/preview", tt.bobTok, hi).want(200)
	tt.do("POST", "/voices/preview", tt.bobTok, hi).want(429, "throttled")

	// One at a time: alice's second preview is refused while her first is made.
	first := make(chan reply, 1)
	go func() {
		first <- tt.do("POST", "/voices/preview", tt.aliceTok, map[string]any{"voice": "amy", "provider": "piper"})
	}()
	<-tt.speakers.held.entered
	busy := tt.do("POST", "/voices/preview", tt.aliceTok, hi).want(429, "throttled")
	var e errorBody
	json.Unmarshal(busy.body, &e)
	if !strings.Contains(e.Error.Message, "still being made") {
		t.Errorf("busy: %s", e.Error.Message)
	}
	close(tt.speakers.held.release)
	(<-first).want(200)
	tt.do("POST", "/voices/preview", tt.aliceTok, hi).want(200)
}
