package providers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

func newKyutai(t *testing.T, url, key string) *Kyutai {
	t.Helper()
	k, err := NewKyutai(KyutaiConfig{URL: url, APIKey: key}, testClient(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKyutaiSynthesize(t *testing.T) {
	tests := map[string]struct {
		url       func(base string) string
		key       string
		keys      []string
		voice     string
		wantVoice string
		wantKey   string
	}{
		"ws URL, default key, named voice": {
			url: func(b string) string { return "ws" + strings.TrimPrefix(b, "http") }, voice: "expresso/ex03-ex01_happy_001_channel1_334s.wav",
			wantVoice: "expresso/ex03-ex01_happy_001_channel1_334s.wav", wantKey: "public_token",
		},
		"http URL with path, own key, default voice": {
			url: func(b string) string { return b + "/api/tts_streaming" }, key: "secret", keys: []string{"secret"},
			wantKey: "secret",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fake := &ttstest.Kyutai{Keys: tc.keys}
			k := newKyutai(t, tc.url(serve(t, fake).URL), tc.key)
			text := "Hello from   the Kyutai\nfake server."
			clip, err := k.Synthesize(context.Background(), tts.Request{Text: text, Voice: tc.voice})
			if err != nil {
				t.Fatal(err)
			}
			words := strings.Fields(text)
			if clip.SampleRate != 24000 || len(clip.Samples) != len(words)*ttstest.KyutaiFramesPerWord*ttstest.KyutaiFrame {
				t.Errorf("clip: %d Hz, %d samples; want 24000 Hz, %d", clip.SampleRate, len(clip.Samples), len(words)*2*1920)
			}
			s := fake.Sessions()
			if len(s) != 1 {
				t.Fatalf("%d sessions, want 1", len(s))
			}
			if strings.Join(s[0].Words, "|") != strings.Join(words, "|") || !s[0].Eos {
				t.Errorf("server got words %q, Eos %v; want %q and Eos", s[0].Words, s[0].Eos, words)
			}
			if s[0].Voice != tc.wantVoice || s[0].Key != tc.wantKey || s[0].Format != "PcmMessagePack" {
				t.Errorf("session = %+v", s[0])
			}
		})
	}
}

func TestKyutaiErrors(t *testing.T) {
	tests := map[string]struct {
		key          string
		faults       []ttstest.Fault
		text         string
		wantErr      []string // none: success
		wantSessions int      // WebSocket upgrades
		wantDials    int      // HTTP requests, upgrades or not
	}{
		"bad key is a 401 before the upgrade": {
			key: "wrong", text: "Hi.", wantErr: []string{`kyutai TTS (voice "v.wav"): 401 Unauthorized: the server refused the API key`}, wantDials: 1,
		},
		"no free channels, then a channel": {
			faults: []ttstest.Fault{ttstest.Busy}, text: "Hi there.", wantSessions: 2, wantDials: 2,
		},
		"no free channels every time": {
			faults: []ttstest.Fault{ttstest.Busy, ttstest.Busy, ttstest.Busy}, text: "Hi.",
			wantErr: []string{"server error: no free channels"}, wantSessions: 3, wantDials: 3,
		},
		"server error is not retried": {
			faults: []ttstest.Fault{ttstest.ServerError}, text: "Hi.",
			wantErr: []string{"server error: internal error"}, wantSessions: 1, wantDials: 1,
		},
		"dropped mid-stream, then fine": {
			faults: []ttstest.Fault{ttstest.Drop}, text: "Some words to speak.", wantSessions: 2, wantDials: 2,
		},
		"dropped every time": {
			faults: []ttstest.Fault{ttstest.Drop, ttstest.Drop, ttstest.Drop}, text: "Some words to speak.",
			wantErr: []string{"kyutai TTS", "closed", "before"}, wantSessions: 3, wantDials: 3,
		},
		"empty text": {text: " \t", wantErr: []string{"no text to speak"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fake := &ttstest.Kyutai{}
			fake.Fail(tc.faults...)
			c := count(fake)
			k := tts.WithRetry(newKyutai(t, serve(t, c).URL, tc.key), fastRetry)
			clip, err := k.Synthesize(context.Background(), tts.Request{Text: tc.text, Voice: "v.wav"})
			if n := len(fake.Sessions()); n != tc.wantSessions {
				t.Errorf("%d sessions, want %d", n, tc.wantSessions)
			}
			if n := c.n("GET /api/tts_streaming"); n != tc.wantDials {
				t.Errorf("%d dials, want %d", n, tc.wantDials)
			}
			checkAudioOrError(t, clip, err, tc.wantErr)
		})
	}
}

func TestKyutaiServerDown(t *testing.T) {
	srv := serve(t, &ttstest.Kyutai{})
	url := srv.URL
	srv.Close()
	_, err := newKyutai(t, url, "").Synthesize(context.Background(), tts.Request{Text: "Hi."})
	if !tts.Retryable(err) || !strings.Contains(err.Error(), "kyutai TTS: cannot open ws://127.0.0.1") {
		t.Errorf("err = %v, want a retryable 'cannot open'", err)
	}
}

func TestKyutaiCancel(t *testing.T) {
	fake := &ttstest.Kyutai{}
	fake.Fail(ttstest.Hang) // Ready, then silence
	c := count(fake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelOnStart(c, cancel)
	_, err := tts.WithRetry(newKyutai(t, serve(t, c).URL, ""), fastRetry).Synthesize(ctx, tts.Request{Text: "Never heard."})
	if !errors.Is(err, context.Canceled) || tts.Retryable(err) {
		t.Errorf("err = %v, want context.Canceled, not retryable", err)
	}
	if n := c.n("GET /api/tts_streaming"); n != 1 {
		t.Errorf("%d dials, want 1", n)
	}
}

func TestKyutaiStalledServer(t *testing.T) {
	fake := &ttstest.Kyutai{}
	fake.Fail(ttstest.Hang, ttstest.Hang)
	k := newKyutai(t, serve(t, fake).URL, "")
	k.idle = 20 * time.Millisecond
	_, err := tts.WithRetry(k, tts.RetryPolicy{Attempts: 2, Initial: time.Millisecond}).Synthesize(context.Background(), tts.Request{Text: "Silence."})
	if !tts.Retryable(err) || !strings.Contains(err.Error(), "the server sent nothing for 20ms (stalled)") {
		t.Errorf("err = %v, want a retryable stall", err)
	}
	if n := len(fake.Sessions()); n != 2 {
		t.Errorf("%d sessions, want 2 (retried once)", n)
	}
}

func TestKyutaiUpgradeRefused(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "503 Service Unavailable: loading model", http.StatusServiceUnavailable)
	}))
	_, err := newKyutai(t, srv.URL, "").Synthesize(context.Background(), tts.Request{Text: "Hi."})
	if !tts.Retryable(err) || !strings.Contains(err.Error(), "kyutai TTS: 503 503 Service Unavailable: loading model") {
		t.Errorf("err = %v", err)
	}
}

func TestKyutaiHealthAndVoices(t *testing.T) {
	fake := &ttstest.Kyutai{}
	srv := serve(t, fake)
	if err := newKyutai(t, srv.URL, "").Health(context.Background()); err != nil {
		t.Errorf("Health = %v", err)
	}
	if s := fake.Sessions(); len(s) != 1 || len(s[0].Words) != 0 {
		t.Errorf("health sessions = %+v, want one without text", s)
	}
	err := newKyutai(t, srv.URL, "nope").Health(context.Background())
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Health with a bad key = %v, want 401", err)
	}
	vs, err := newKyutai(t, srv.URL, "").Voices(context.Background())
	if err != nil || len(vs) < 5 || vs[0].ID != kyutaiDefault {
		t.Errorf("Voices = %v, %v", vs, err)
	}
	for _, v := range vs {
		if !strings.Contains(v.ID, "/") || (!strings.HasSuffix(v.ID, ".wav") && !strings.HasSuffix(v.ID, ".mp3")) {
			t.Errorf("voice %q is not a tts-voices path", v.ID)
		}
	}
}

func TestNewKyutaiConfig(t *testing.T) {
	tests := map[string]struct{ in, want, wantErr string }{
		"ws":        {"ws://h:8080", "ws://h:8080/api/tts_streaming", ""},
		"https":     {"https://h/", "wss://h/api/tts_streaming", ""},
		"with path": {"http://h:8080/api/tts_streaming", "ws://h:8080/api/tts_streaming", ""},
		"ftp":       {"ftp://h", "", "want ws or wss or http or https"},
		"empty":     {"", "", "no server URL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			k, err := NewKyutai(KyutaiConfig{URL: tc.in}, nil, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || k.url != tc.want {
				t.Errorf("url = %v (%v), want %s", k, err, tc.want)
			}
		})
	}
}
