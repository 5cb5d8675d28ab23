package api

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	adminsvc "podcastfy/backend/admin"
	"podcastfy/backend/config"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/tts/ttstest"
)

const (
	secretTTS     = "sk-tts-never-leaves-9f3a"
	secretKyutai  = "kyutai-never-leaves-77c1"
	secretWhisper = "sk-asr-never-leaves-12ab"
)

// secretKeys puts a key in every key setting.
func secretKeys(s *config.Settings) {
	s.TTS.OpenAI.APIKey, s.TTS.Kyutai.APIKey, s.Whisper.APIKey = secretTTS, secretKyutai, secretWhisper
}

// noSecret fails when a response's bytes hold any key in clear.
func noSecret(t *testing.T, r reply) {
	t.Helper()
	for _, k := range []string{secretTTS, secretKyutai, secretWhisper} {
		if bytes.Contains(r.body, []byte(k)) {
			t.Fatalf("%s leaked a key: %s", r.what, r.body)
		}
	}
}

func TestAdminRoutesAreForAdministrators(t *testing.T) {
	tt := newTester(t, testOptions{config: secretKeys})
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/settings"}, {"PUT", "/admin/settings"}, {"GET", "/admin/health"},
		{"GET", "/admin/models"}, {"GET", "/admin/models/context"},
	} {
		var body any
		if c.method == "PUT" {
			body = map[string]any{"writer": "ollama"}
		}
		r := tt.do(c.method, c.path, tt.bobTok, body).want(http.StatusForbidden, "forbidden")
		noSecret(t, r)
		tt.do(c.method, c.path, "", body).want(http.StatusUnauthorized)
	}
	if w := tt.live.Get().Writer; w != "auto" {
		t.Errorf("a non-admin's PUT changed the writer to %q", w)
	}
}

func TestAdminSettingsMaskKeysAndKeepThem(t *testing.T) {
	tt := newTester(t, testOptions{config: secretKeys})
	r := tt.do("GET", "/admin/settings", tt.aliceTok, nil).want(http.StatusOK)
	noSecret(t, r)
	var got config.Settings
	r.decode(&got)
	if got.TTS.OpenAI.APIKey != config.SecretMask || got.Whisper.APIKey != config.SecretMask || got.Ollama.Options.NumCtx != 8192 {
		t.Fatalf("GET /admin/settings = %+v", got)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	// Sent back as read, with one key cleared to empty and one typed anew.
	got.Generation.Minutes = 12
	got.Whisper.APIKey = ""
	got.TTS.Kyutai.APIKey = "typed-anew"
	r = tt.do("PUT", "/admin/settings", tt.aliceTok, got).want(http.StatusOK)
	noSecret(t, r)
	if bytes.Contains(r.body, []byte("typed-anew")) {
		t.Fatalf("the new key came back in clear: %s", r.body)
	}
	cur := tt.live.Get()
	if cur.Generation.Minutes != 12 || cur.TTS.OpenAI.APIKey != secretTTS || cur.Whisper.APIKey != secretWhisper || cur.TTS.Kyutai.APIKey != "typed-anew" {
		t.Errorf("in force after PUT: minutes %v, keys %q %q %q", cur.Generation.Minutes, cur.TTS.OpenAI.APIKey, cur.Whisper.APIKey, cur.TTS.Kyutai.APIKey)
	}

	// A key left out of the body is kept too; other keys take defaults.
	tt.do("PUT", "/admin/settings", tt.aliceTok, map[string]any{"writer": "extractive"}).want(http.StatusOK)
	if cur := tt.live.Get(); cur.Writer != "extractive" || cur.Generation.Minutes != 5 || cur.TTS.OpenAI.APIKey != secretTTS {
		t.Errorf("after a partial PUT: %+v", cur)
	}
}

func TestAdminSettingsProblemsAtTheirKey(t *testing.T) {
	tt := newTester(t, testOptions{})
	for body, want := range map[string]string{
		`{"tts":{"openai":{"url":"localhost:8880"}}}`:  "invalid_request:tts.openai.url",
		`{"ollama":{"options":{"top_p":1.5}}}`:         "invalid_request:ollama.options.top_p",
		`{"ollama":{"options":{"num_ctx":64}}}`:        "invalid_request:ollama.options.num_ctx",
		`{"whisper":{"url":"ftp://x"}}`:                "invalid_request:whisper.url",
		`{"server":{"port":70000}}`:                    "invalid_request:server.port",
		`{"generation":{"minutes":"five"}}`:            "wrong_type:generation.minutes",
		`{"tts":{"preset":"nope"}}`:                    "invalid_request:tts.preset",
		`{"ollama":{"options":{"keep_alive":"soon"}}}`: "invalid_request:ollama.options.keep_alive",
	} {
		tt.do("PUT", "/admin/settings", tt.aliceTok, body).want(http.StatusBadRequest, want)
	}
	tt.do("PUT", "/admin/settings", tt.aliceTok, `{"colour":"red"}`).want(http.StatusBadRequest, "unknown_field")
	if m := tt.live.Get().Generation.Minutes; m != 5 {
		t.Errorf("a refused PUT changed the settings: minutes %v", m)
	}
}

func TestAdminHealthAndStatusAfterSave(t *testing.T) {
	ol := ollamatest.New("llama3.2")
	defer ol.Close()
	kokoro := httptest.NewServer(&ttstest.OpenAI{})
	defer kokoro.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	tt := newTester(t, testOptions{config: func(s *config.Settings) {
		secretKeys(s)
		s.Writer, s.Ollama.URL, s.Whisper.URL = "auto", ol.URL, closed
	}})
	states := func() map[string]adminsvc.Health {
		r := tt.do("GET", "/admin/health", tt.aliceTok, nil).want(http.StatusOK)
		noSecret(t, r)
		var list struct{ Services []adminsvc.Health }
		r.decode(&list)
		out := map[string]adminsvc.Health{}
		for _, h := range list.Services {
			out[h.Name] = h
		}
		return out
	}
	hs := states()
	if hs["ollama"].State != "ok" || hs["espeak"].State != "ok" || hs["openai"].State != "unused" {
		t.Errorf("health = %+v", hs)
	}
	if w := hs["whisper-asr"]; w.State != "optional" || !strings.HasPrefix(w.Message, "Could not reach "+closed+": nothing is listening") {
		t.Errorf("whisper = %+v", w)
	}

	var cur config.Settings
	tt.do("GET", "/admin/settings", tt.aliceTok, nil).want(http.StatusOK).decode(&cur)
	cur.TTS.Provider, cur.TTS.OpenAI.URL = "openai", kokoro.URL+"/v1"
	tt.do("PUT", "/admin/settings", tt.aliceTok, cur).want(http.StatusOK)
	hs = states()
	if hs["openai"].State != "ok" || hs["espeak"].State != "unused" || !strings.Contains(hs["espeak"].Message, "OpenAI-compatible") {
		t.Errorf("after switching to openai: %+v", hs)
	}

	doc := tt.doc()
	for path, schema := range map[string]string{"/admin/models": "ModelList", "/admin/models/context": "ModelContext", "/admin/settings": "Settings"} {
		var v any
		tt.do("GET", path, tt.aliceTok, nil).want(http.StatusOK).decode(&v)
		for _, problem := range checkSchema(doc, map[string]any{"$ref": "#/components/schemas/" + schema}, v, schema) {
			t.Errorf("%s: %s", path, problem)
		}
	}
	var models modelList
	tt.do("GET", "/admin/models", tt.aliceTok, nil).want(http.StatusOK).decode(&models)
	if len(models.Models) != 1 || models.Models[0].Name != "llama3.2:latest" {
		t.Errorf("models = %+v", models)
	}
	var info struct{ ModelLength, NumCtx, SourceChars int }
	tt.do("GET", "/admin/models/context", tt.aliceTok, nil).want(http.StatusOK).decode(&info)
	if info.ModelLength != 131072 || info.NumCtx != 8192 || info.SourceChars <= 0 {
		t.Errorf("context = %+v", info)
	}

	cur.Ollama.URL = closed
	tt.do("PUT", "/admin/settings", tt.aliceTok, cur).want(http.StatusOK)
	r := tt.do("GET", "/admin/models", tt.aliceTok, nil).want(http.StatusServiceUnavailable, "unavailable")
	var e errorBody
	if json.Unmarshal(r.body, &e); !strings.HasPrefix(e.Error.Message, "Could not reach "+closed+": nothing is listening") {
		t.Errorf("models with Ollama down: %s", r.body)
	}
}

func TestResetPassword(t *testing.T) {
	tt := newTester(t, testOptions{})
	path := "/users/" + tt.bob.ID + "/password"
	tt.do("POST", path, tt.bobTok, map[string]string{"password": "bob-new-pass-1"}).want(http.StatusForbidden, "forbidden")
	tt.do("POST", path, tt.aliceTok, map[string]string{"password": "short"}).want(http.StatusBadRequest, "invalid_request:password")
	tt.do("POST", path, tt.aliceTok, map[string]string{}).want(http.StatusBadRequest, "invalid_request:password")
	tt.do("POST", "/users/no-such-user/password", tt.aliceTok, map[string]string{"password": "bob-new-pass-1"}).want(http.StatusNotFound, "not_found")
	tt.do("POST", path, tt.aliceTok, map[string]string{"password": "bob-new-pass-1"}).want(http.StatusNoContent)
	// Bob's old session ended; the new password logs in, the old does not.
	tt.do("GET", "/me", tt.bobTok, nil).want(http.StatusUnauthorized)
	tt.do("POST", "/auth/login", "", map[string]string{"username": "bob", "password": password}).want(http.StatusUnauthorized)
	tt.do("POST", "/auth/login", "", map[string]string{"username": "bob", "password": "bob-new-pass-1"}).want(http.StatusOK)
}
