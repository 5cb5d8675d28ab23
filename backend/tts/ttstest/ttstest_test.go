package ttstest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/vmihailenco/msgpack/v5"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// These tests pin the fakes to protocols.md with raw HTTP and WebSocket
// clients, independently of the providers that use them.

func post(t *testing.T, url, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestKokoroStreamsWAVWithPlaceholderSizes(t *testing.T) {
	srv := httptest.NewServer(&OpenAI{Flavour: Kokoro})
	defer srv.Close()
	resp, b := post(t, srv.URL+"/v1/audio/speech", `{"input":"Hello there.","response_format":"wav"}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || resp.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	if binary.LittleEndian.Uint32(b[4:]) != 0xFFFFFFFF || binary.LittleEndian.Uint32(b[40:]) != 0xFFFFFFFF {
		t.Error("RIFF/data sizes are not 0xFFFFFFFF")
	}
	clip, err := audio.DecodeWAV(bytes.NewReader(b))
	if err != nil || clip.SampleRate != OpenAIRate || len(clip.Samples) != int(Duration("Hello there.", 1)*OpenAIRate+0.5) {
		t.Errorf("clip %d Hz × %d samples, %v", clip.SampleRate, len(clip.Samples), err)
	}
}

func TestOpenAIFakeErrorBodies(t *testing.T) {
	tests := map[string]struct {
		fake       *OpenAI
		body       string
		wantStatus int
		wantBody   string
	}{
		"kokoro unknown voice": {&OpenAI{Flavour: Kokoro}, `{"input":"x","voice":"zz","response_format":"wav"}`, 400,
			`{"detail":{"error":"validation_error","message":"Voice 'zz' not found. Available voices: af_bella, af_heart, af_sky, am_adam, am_michael, bf_emma, bf_isabella, bm_george","type":"invalid_request_error"}}`},
		"kokoro bad model": {&OpenAI{Flavour: Kokoro}, `{"input":"x","model":"foo"}`, 400,
			`{"detail":{"error":"invalid_model","message":"Unsupported model: foo","type":"invalid_request_error"}}`},
		"kokoro speed 422": {&OpenAI{Flavour: Kokoro}, `{"input":"x","speed":5}`, 422,
			`{"detail":[{"loc":["body","speed"],"msg":"Input should be less than or equal to 4","type":"less_than_equal"}]}`},
		"speaches needs model and voice": {&OpenAI{Flavour: Speaches}, `{"input":"x"}`, 422,
			`{"detail":[{"loc":["body","model"],"msg":"Field required","type":"missing"},{"loc":["body","voice"],"msg":"Field required","type":"missing"}]}`},
		"speaches model not installed": {&OpenAI{Flavour: Speaches}, `{"input":"x","model":"m","voice":"v"}`, 404,
			"{\"detail\":\"Model 'm' is not installed locally. You can download the model using `POST /v1/models`\"}"},
		"speaches key": {&OpenAI{Flavour: Speaches, APIKey: "k"}, `{}`, 403,
			`{"detail":"API key required. Please provide an API key using the Authorization header with Bearer scheme."}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(tc.fake)
			defer srv.Close()
			resp, b := post(t, srv.URL+"/v1/audio/speech", tc.body)
			if resp.StatusCode != tc.wantStatus || strings.TrimSpace(string(b)) != tc.wantBody {
				t.Errorf("got %d %s\nwant %d %s", resp.StatusCode, b, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

func TestPiperFake(t *testing.T) {
	srv := httptest.NewServer(&Piper{})
	defer srv.Close()
	resp, b := post(t, srv.URL+"/synthesize", `{"text":"Hello.","voice":"en_US-lessac-medium"}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || string(b[:4]) != "RIFF" {
		t.Errorf("synthesize: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), b[:4])
	}
	resp, b = post(t, srv.URL+"/synthesize", `{"text":""}`)
	if resp.StatusCode != 500 || !strings.Contains(string(b), "<title>500 Internal Server Error</title>") {
		t.Errorf("empty text: %d %s", resp.StatusCode, b)
	}
	if resp, _ := post(t, srv.URL+"/", `{"text":"x"}`); resp.StatusCode != 405 {
		t.Errorf("v1.5 POST / = %d, want 405", resp.StatusCode)
	}
	legacy := httptest.NewServer(&Piper{Legacy: true})
	defer legacy.Close()
	if resp, _ := post(t, legacy.URL+"/synthesize", `{"text":"x"}`); resp.StatusCode != 404 {
		t.Errorf("v1.4 POST /synthesize = %d, want 404", resp.StatusCode)
	}
}

func TestKyutaiFakeProtocol(t *testing.T) {
	fake := &Kyutai{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ws := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/tts_streaming?voice=v.wav&format=PcmMessagePack"
	ctx := context.Background()

	_, resp, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: http.Header{"Kyutai-Api-Key": {"bad"}}})
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("bad key: %v, %v", resp, err)
	}
	if b, _ := io.ReadAll(resp.Body); len(b) != 0 {
		t.Errorf("401 body = %q, want empty", b)
	}

	conn, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: http.Header{"Kyutai-Api-Key": {"public_token"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	read := func() (map[string]any, []byte) {
		t.Helper()
		typ, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if typ != websocket.MessageBinary {
			t.Fatalf("message type %v", typ)
		}
		var m map[string]any
		if err := msgpack.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m, b
	}
	if m, _ := read(); m["type"] != "Ready" {
		t.Fatalf("first message %v, want Ready", m)
	}
	if m, _ := read(); m["type"] != "Text" || m["text"] != "" || m["start_s"] != 0.0 {
		t.Fatalf("second message %v, want the empty 0/0 Text", m)
	}
	for _, w := range []any{map[string]string{"type": "Text", "text": "Hello"}, map[string]string{"type": "Eos"}} {
		b, _ := msgpack.Marshal(w)
		if err := conn.Write(ctx, websocket.MessageBinary, b); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := read(); m["type"] != "Text" || m["text"] != "Hello" || m["stop_s"] != 0.16 {
		t.Errorf("word timing %v", m)
	}
	for range KyutaiFramesPerWord {
		m, raw := read()
		pcm, _ := m["pcm"].([]any)
		if m["type"] != "Audio" || len(pcm) != KyutaiFrame {
			t.Fatalf("audio message %v with %d samples", m["type"], len(pcm))
		}
		if _, ok := pcm[0].(float32); !ok || !bytes.Contains(raw, []byte{0xdc, 0x07, 0x80}) { // array16 of 1920
			t.Errorf("pcm is not a msgpack float32 array (%T)", pcm[0])
		}
	}
	_, _, err = conn.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("after Eos: %v, want a normal close", err)
	}
	if s := fake.Sessions(); len(s) != 1 || s[0].Voice != "v.wav" || !s[0].Eos || s[0].Words[0] != "Hello" {
		t.Errorf("sessions = %+v", s)
	}
}

func TestSynth(t *testing.T) {
	boom := errors.New("boom")
	s := &Synth{Rate: 16000}
	s.Fail(boom)
	if _, err := s.Synthesize(context.Background(), tts.Request{Text: "a"}); !errors.Is(err, boom) {
		t.Errorf("first call: %v, want boom", err)
	}
	clip, err := s.Synthesize(context.Background(), tts.Request{Text: "hello", Speed: 2})
	if err != nil || clip.SampleRate != 16000 || len(clip.Samples) != int(Duration("hello", 2)*16000+0.5) {
		t.Errorf("clip %d Hz × %d, %v", clip.SampleRate, len(clip.Samples), err)
	}
	if _, err := s.Synthesize(context.Background(), tts.Request{Text: " "}); err == nil {
		t.Error("empty text accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Synthesize(ctx, tts.Request{Text: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if n := len(s.Calls()); n != 4 || s.Name() != "fake" {
		t.Errorf("%d calls, name %q", n, s.Name())
	}
}
