package admin_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/admin"
	"podcastfy/backend/app/clients"
	"podcastfy/backend/apperr"
	"podcastfy/backend/config"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/tts/ttstest"
)

// env is the service over a config.yaml in a temporary folder.
type env struct {
	svc  *admin.Service
	live *config.Live
	path string
}

func newEnv(t *testing.T, edit func(*config.Settings)) env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	s := config.Defaults()
	if edit != nil {
		edit(&s)
	}
	if err := config.Save(path, s); err != nil {
		t.Fatal(err)
	}
	live, err := config.OpenLive(path)
	if err != nil {
		t.Fatal(err)
	}
	f := clients.Factory{Getenv: func(string) string { return "" }}
	return env{svc: admin.New(live, f, nil), live: live, path: path}
}

// closedURL is an http address where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

const (
	ttsKey     = "sk-tts-secret-1234"
	kyutaiKey  = "kyutai-secret-5678"
	whisperKey = "sk-whisper-secret-9012"
)

func withKeys(s *config.Settings) {
	s.TTS.OpenAI.APIKey, s.TTS.Kyutai.APIKey, s.Whisper.APIKey = ttsKey, kyutaiKey, whisperKey
}

func TestSettingsMaskEveryKey(t *testing.T) {
	e := newEnv(t, withKeys)
	got := e.svc.Settings()
	for name, v := range map[string]string{"tts.openai.apiKey": got.TTS.OpenAI.APIKey, "tts.kyutai.apiKey": got.TTS.Kyutai.APIKey, "whisper.apiKey": got.Whisper.APIKey} {
		if v != config.SecretMask {
			t.Errorf("%s = %q, want the mask", name, v)
		}
	}
	// The settings in force keep the keys: masking copied them.
	if e.live.Get().TTS.OpenAI.APIKey != ttsKey {
		t.Error("masking changed the settings in force")
	}
	// An unset key stays empty, so a screen can tell it is not set.
	e2 := newEnv(t, nil)
	if k := e2.svc.Settings().Whisper.APIKey; k != "" {
		t.Errorf("unset whisper key shown as %q", k)
	}
}

func TestSaveKeepsKeysLeftEmptyOrMasked(t *testing.T) {
	e := newEnv(t, withKeys)
	next := e.svc.Settings() // masked, as a client has it
	next.Whisper.APIKey = "" // left empty
	next.TTS.Kyutai.APIKey = "new-kyutai-key"
	next.Generation.Minutes = 7
	saved, err := e.svc.Save(context.Background(), next)
	if err != nil {
		t.Fatal(err)
	}
	if saved.TTS.Kyutai.APIKey != config.SecretMask || saved.Generation.Minutes != 7 {
		t.Errorf("answer = %+v", saved.TTS)
	}
	cur := e.live.Get()
	if cur.TTS.OpenAI.APIKey != ttsKey || cur.Whisper.APIKey != whisperKey || cur.TTS.Kyutai.APIKey != "new-kyutai-key" {
		t.Errorf("keys in force: openai %q, whisper %q, kyutai %q", cur.TTS.OpenAI.APIKey, cur.Whisper.APIKey, cur.TTS.Kyutai.APIKey)
	}
	file, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, []byte(config.SecretMask)) || !bytes.Contains(file, []byte(ttsKey)) {
		t.Errorf("config.yaml lost a key or holds the mask:\n%s", file)
	}
}

func TestSaveReportsTheFirstProblemAtItsKey(t *testing.T) {
	cases := map[string]struct {
		edit  func(*config.Settings)
		field string
	}{
		"url":         {func(s *config.Settings) { s.TTS.OpenAI.URL = "localhost:8880" }, "tts.openai.url"},
		"range":       {func(s *config.Settings) { s.Ollama.Options.TopP = 1.5 }, "ollama.options.top_p"},
		"num_ctx":     {func(s *config.Settings) { s.Ollama.Options.NumCtx = 100 }, "ollama.options.num_ctx"},
		"keep_alive":  {func(s *config.Settings) { s.Ollama.Options.KeepAlive = "soon" }, "ollama.options.keep_alive"},
		"minutes":     {func(s *config.Settings) { s.Generation.Minutes = 0 }, "generation.minutes"},
		"whisper url": {func(s *config.Settings) { s.Whisper.URL = "ftp://x" }, "whisper.url"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			next := e.svc.Settings()
			tc.edit(&next)
			_, err := e.svc.Save(context.Background(), next)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Field != tc.field || ae.Message == "" {
				t.Fatalf("Save = %v (%+v), want invalid_request at %s", err, ae, tc.field)
			}
			if e.live.Get().Generation.Minutes != 5 {
				t.Error("an invalid save changed the settings")
			}
		})
	}
}

func TestSavePresetPicksItsProvider(t *testing.T) {
	e := newEnv(t, nil)
	next := e.svc.Settings()
	next.TTS.Preset = "pocket-tts" // the provider select still says espeak
	if _, err := e.svc.Save(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	if p := e.live.Get().TTS.Provider; p != "openai" {
		t.Errorf("provider = %q, want openai", p)
	}
}

func byName(t *testing.T, hs []admin.Health, name string) admin.Health {
	t.Helper()
	for _, h := range hs {
		if h.Name == name {
			return h
		}
	}
	t.Fatalf("no %s in %+v", name, hs)
	return admin.Health{}
}

func TestHealthUsedUnusedAndPlainWords(t *testing.T) {
	ollamaURL, whisperURL := closedURL(t), closedURL(t)
	kokoro := httptest.NewServer(&ttstest.OpenAI{})
	defer kokoro.Close()
	e := newEnv(t, func(s *config.Settings) {
		s.Writer = "ollama"
		s.Ollama.URL = ollamaURL
		s.TTS.Provider = "openai"
		s.TTS.OpenAI.URL = kokoro.URL + "/v1"
		s.Whisper.URL = whisperURL
	})
	hs := e.svc.Health(context.Background())
	if len(hs) != 6 {
		t.Fatalf("%d services, want ollama, 4 voices, whisper: %+v", len(hs), hs)
	}
	o := byName(t, hs, "ollama")
	want := "Could not reach " + ollamaURL + ": nothing is listening there."
	if o.State != admin.StateDown || !strings.HasPrefix(o.Message, want) {
		t.Errorf("ollama = %+v, want down with %q", o, want)
	}
	if k := byName(t, hs, "openai"); k.State != admin.StateOK || k.URL != kokoro.URL+"/v1" {
		t.Errorf("openai = %+v", k)
	}
	for _, name := range []string{"espeak", "kyutai", "piper"} {
		if h := byName(t, hs, name); h.State != admin.StateUnused || !strings.HasPrefix(h.Message, "Not used") {
			t.Errorf("%s = %+v, want unused", name, h)
		}
	}
	w := byName(t, hs, "whisper-asr")
	if w.State != admin.StateOptional || !strings.HasPrefix(w.Message, "Could not reach "+whisperURL+": nothing is listening") || !strings.Contains(w.Message, "only to turn recordings into text") {
		t.Errorf("whisper = %+v", w)
	}
	for _, h := range hs {
		if strings.Contains(h.Message, "dial tcp") || strings.Contains(h.Message, "connect:") {
			t.Errorf("%s shows a raw dial error: %q", h.Name, h.Message)
		}
	}
}

func TestHealthAutoWriterAndPreset(t *testing.T) {
	o := ollamatest.New("llama3.2")
	defer o.Close()
	pocketURL := closedURL(t)
	e := newEnv(t, func(s *config.Settings) {
		s.Writer = "auto"
		s.Ollama.URL = o.URL
		s.TTS.Provider, s.TTS.Preset, s.TTS.PresetURL = "openai", "pocket-tts", pocketURL+"/v1"
	})
	hs := e.svc.Health(context.Background())
	if h := byName(t, hs, "ollama"); h.State != admin.StateOK {
		t.Errorf("ollama = %+v", h)
	}
	p := byName(t, hs, "openai")
	if p.Label != "Pocket TTS (Kyutai)" || p.URL != pocketURL+"/v1" || p.State != admin.StateDown ||
		!strings.HasPrefix(p.Message, "Could not reach "+pocketURL+"/v1: nothing is listening") {
		t.Errorf("pocket = %+v", p)
	}
	if h := byName(t, hs, "espeak"); !strings.Contains(h.Message, "Pocket TTS") {
		t.Errorf("espeak = %+v, want it to say the voices come from Pocket TTS", h)
	}

	// With the model missing under auto: optional, not an error.
	next := e.svc.Settings()
	next.Ollama.Model = "qwen2.5:7b"
	if _, err := e.svc.Save(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	h := byName(t, e.svc.Health(context.Background()), "ollama")
	if h.State != admin.StateOptional || !strings.Contains(h.Message, "qwen2.5") || !strings.Contains(h.Message, "offline writer") {
		t.Errorf("missing model under auto = %+v", h)
	}

	next.Writer = "extractive"
	if _, err := e.svc.Save(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	if h := byName(t, e.svc.Health(context.Background()), "ollama"); h.State != admin.StateUnused {
		t.Errorf("ollama under the offline writer = %+v", h)
	}
}

func TestExplain(t *testing.T) {
	cases := map[string]struct {
		err  error
		want string
	}{
		"dns":     {&net.DNSError{Name: "kokoro.lan", Err: "no such host", IsNotFound: true}, `Could not reach http://kokoro.lan:8880: no computer is called "kokoro.lan" on this network.`},
		"timeout": {context.DeadlineExceeded, "http://kokoro.lan:8880 did not answer within 5s."},
		"other":   {errors.New("the model llama3.2 is not pulled"), "The model llama3.2 is not pulled."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := admin.Explain(tc.err, "http://kokoro.lan:8880", admin.HealthTimeout)
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("Explain = %q, want %q…", got, tc.want)
			}
		})
	}
}

// Every client, however it wraps a refused connection, is explained alike.
func TestHealthUnreachableInPlainWordsForEveryProvider(t *testing.T) {
	cases := map[string]func(s *config.Settings, url string){
		"openai":     func(s *config.Settings, url string) { s.TTS.Provider, s.TTS.OpenAI.URL = "openai", url+"/v1" },
		"kyutai":     func(s *config.Settings, url string) { s.TTS.Provider, s.TTS.Kyutai.URL = "kyutai", url },
		"piper":      func(s *config.Settings, url string) { s.TTS.Provider, s.TTS.Piper.URL = "piper", url },
		"openai-asr": func(s *config.Settings, url string) { s.Whisper.Provider, s.Whisper.URL = "openai", url },
		"whispercpp": func(s *config.Settings, url string) { s.Whisper.Provider, s.Whisper.URL = "whispercpp", url },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			url := closedURL(t)
			e := newEnv(t, func(s *config.Settings) { s.Writer, s.Whisper.URL = "extractive", url; edit(s, url) })
			found := false
			for _, h := range e.svc.Health(context.Background()) {
				if h.State == admin.StateUnused || h.State == admin.StateOK {
					continue
				}
				found = true
				if !strings.HasPrefix(h.Message, "Could not reach "+h.URL+": nothing is listening") || !strings.HasPrefix(h.URL, url) {
					t.Errorf("%s = %+v", h.Name, h)
				}
			}
			if !found {
				t.Error("nothing reported down")
			}
		})
	}
}
