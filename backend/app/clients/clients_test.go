package clients

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/template"
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

// TestServersFromSettings: tts.servers spread lines over the provider's
// own server and the listed ones; a server that is down is routed around.
func TestServersFromSettings(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	fakes := []*ttstest.OpenAI{{Flavour: ttstest.Kokoro}, {Flavour: ttstest.Kokoro}}
	var urls []string
	for _, f := range fakes {
		srv := httptest.NewServer(f)
		defer srv.Close()
		urls = append(urls, srv.URL+"/v1")
	}
	s, err := config.Parse("config.yaml", []byte("tts:\n  provider: openai\n  openai:\n    url: "+downURL+"/v1\n  servers:\n    - url: "+urls[0]+"\n      concurrency: 2\n    - url: "+urls[1]+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	synth, err := Factory{}.Synthesizer("openai", s)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := synth.(interface{ Capacity() int }); !ok || c.Capacity() != 4 {
		t.Fatalf("synthesiser %T is not a pool of 4 slots", synth)
	}
	for range 4 {
		if _, err := synth.Synthesize(context.Background(), tts.Request{Text: "Spread me around.", Voice: "af_heart", Speed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := len(fakes[0].Requests()), len(fakes[1].Requests()); a+b != 4 {
		t.Errorf("the listed servers voiced %d and %d of 4 lines", a, b)
	}
	// Another provider than the current one is that provider alone.
	other, err := Factory{}.Synthesizer("espeak", s)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := other.(*tts.Pool); ok || other.Name() != "espeak" {
		t.Errorf("espeak is %T %q", other, other.Name())
	}
}

// TestOllamaURLsFromSettings: ollama.urls add servers that write sections
// alongside ollama.url's. A holds its first section until B streams one,
// so the script is only written when B takes sections in parallel.
func TestOllamaURLsFromSettings(t *testing.T) {
	a, b := ollamatest.New("llama3.2"), ollamatest.New("llama3.2")
	defer a.Close()
	defer b.Close()
	bStarted := make(chan struct{})
	var once sync.Once
	a.OnChunk(func(chat int, _ string) {
		if chat == 2 {
			<-bStarted
		}
	})
	b.OnChunk(func(int, string) { once.Do(func() { close(bStarted) }) })
	s, err := config.Parse("config.yaml", []byte("ollama:\n  url: "+a.URL+"\n  urls:\n    - url: "+b.URL+"\n      concurrency: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Factory{}.Ollama(s)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	tpl := &template.Template{ID: "duo", Name: "Duo", Language: "en", Minutes: 5,
		Speakers:  []template.Speaker{{Name: "Alex", Role: "host"}, {Name: "Sam", Role: "guest"}},
		Structure: []string{"Introduction", "Main ideas", "Wrap-up"}}
	src := strings.Repeat("Rivers carve valleys over thousands of years. Floods feed the plains with silt. Deltas shrink when dams hold sediment back. ", 60)
	sc, err := o.Write(context.Background(), llm.Request{Source: src, Template: tpl, Minutes: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.LineCount() == 0 || len(a.Chats()) < 2 || len(b.Chats()) == 0 {
		t.Fatalf("%d lines; A answered %d requests, B %d", sc.LineCount(), len(a.Chats()), len(b.Chats()))
	}
}

// TestWhisperKeyFromSettings: whisper.apiKey reaches an OpenAI-compatible
// speech recognition server that requires it.
func TestWhisperKeyFromSettings(t *testing.T) {
	fake := asrtest.NewOpenAI(t, asrtest.Config{APIKey: "sk-asr"})
	s := config.Defaults()
	s.Whisper.Provider, s.Whisper.URL = "openai", fake.URL
	tr, err := Factory{}.Transcriber(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Health(context.Background()); err == nil {
		t.Fatal("health passed without the key the server requires")
	}
	s.Whisper.APIKey = "sk-asr"
	if tr, err = (Factory{}).Transcriber(s); err != nil {
		t.Fatal(err)
	}
	if err := tr.Health(context.Background()); err != nil {
		t.Fatalf("health with the key: %v", err)
	}
}
