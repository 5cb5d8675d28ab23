package providers

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

func newOpenAI(t *testing.T, url string, cfg OpenAIConfig) *OpenAISpeech {
	t.Helper()
	cfg.URL = url
	o, err := NewOpenAI(cfg, testClient(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func approx(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestOpenAISynthesize(t *testing.T) {
	speaches := "speaches-ai/Kokoro-82M-v1.0-ONNX"
	tests := map[string]struct {
		fake   *ttstest.OpenAI
		suffix string // appended to the server URL
		cfg    OpenAIConfig
		req    tts.Request
		want   ttstest.SpeechRequest
	}{
		"kokoro wav, streamed sizes": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro},
			req:  tts.Request{Text: "Hello there.", Voice: "af_heart", Speed: 1},
			want: ttstest.SpeechRequest{Model: "tts-1", Voice: "af_heart", ResponseFormat: "wav"},
		},
		"kokoro pcm, URL with /v1/": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro}, suffix: "/v1/",
			cfg:  OpenAIConfig{Format: "pcm", Model: "kokoro"},
			req:  tts.Request{Text: "Hello there, pcm.", Voice: "af_bella(2)+af_sky"},
			want: ttstest.SpeechRequest{Model: "kokoro", Voice: "af_bella(2)+af_sky", ResponseFormat: "pcm"},
		},
		"kokoro default voice maps to an OpenAI name": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro},
			req:  tts.Request{Text: "Default voice."},
			want: ttstest.SpeechRequest{Model: "tts-1", Voice: "alloy", ResponseFormat: "wav"},
		},
		"speaches with key and model, double speed": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Speaches, APIKey: "sk-1"},
			cfg:  OpenAIConfig{Model: speaches, APIKey: "sk-1"},
			req:  tts.Request{Text: "Fast speech here.", Voice: "af_heart", Speed: 2},
			want: ttstest.SpeechRequest{Model: speaches, Voice: "af_heart", ResponseFormat: "wav", Auth: "Bearer sk-1"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, tc.fake)
			o := newOpenAI(t, srv.URL+tc.suffix, tc.cfg)
			clip, err := o.Synthesize(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if clip.SampleRate != 24000 {
				t.Errorf("rate = %d, want 24000", clip.SampleRate)
			}
			if want := ttstest.Duration(tc.req.Text, tc.req.Speed); !approx(clip.Duration(), want, 0.001) {
				t.Errorf("duration = %.3f s, want %.3f s", clip.Duration(), want)
			}
			reqs := tc.fake.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Model != tc.want.Model || got.Voice != tc.want.Voice || got.ResponseFormat != tc.want.ResponseFormat || got.Auth != tc.want.Auth {
				t.Errorf("request = %+v, want %+v", got, tc.want)
			}
			if got.Input == nil || *got.Input != tc.req.Text {
				t.Errorf("input = %v, want %q", got.Input, tc.req.Text)
			}
			wantSpeed := tc.req.Speed
			if wantSpeed == 0 {
				wantSpeed = 1
			}
			if got.Speed == nil || *got.Speed != wantSpeed {
				t.Errorf("speed = %v, want %v", got.Speed, wantSpeed)
			}
		})
	}
}

func TestOpenAIErrors(t *testing.T) {
	tests := map[string]struct {
		fake      *ttstest.OpenAI
		faults    []ttstest.Fault
		cfg       OpenAIConfig
		req       tts.Request
		wantErr   []string // substrings; none means success
		wantCalls int      // POST /v1/audio/speech requests
	}{
		"kokoro unknown voice is a 400 naming it": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro}, req: tts.Request{Text: "Hi.", Voice: "zz"},
			wantErr: []string{`openai TTS (voice "zz"): 400 Voice 'zz' not found. Available voices: af_bella`}, wantCalls: 1,
		},
		"kokoro unsupported model": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro}, cfg: OpenAIConfig{Model: "foo"}, req: tts.Request{Text: "Hi."},
			wantErr: []string{"400 Unsupported model: foo"}, wantCalls: 1,
		},
		"speaches model not installed": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Speaches}, cfg: OpenAIConfig{Model: "tts-1"}, req: tts.Request{Text: "Hi."},
			wantErr: []string{"404 Model 'tts-1' is not installed locally"}, wantCalls: 1,
		},
		"speaches without key": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Speaches, APIKey: "k"}, req: tts.Request{Text: "Hi."},
			wantErr: []string{"403 API key required"}, wantCalls: 1,
		},
		"kokoro 500 then success": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro}, faults: []ttstest.Fault{ttstest.ServerError},
			req: tts.Request{Text: "Retry me."}, wantCalls: 2,
		},
		"kokoro 500 every time": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Kokoro}, faults: []ttstest.Fault{ttstest.ServerError, ttstest.ServerError, ttstest.ServerError},
			req: tts.Request{Text: "Hi."}, wantErr: []string{"500 Error generating audio: model inference failed"}, wantCalls: 3,
		},
		"speaches 500": {
			fake: &ttstest.OpenAI{Flavour: ttstest.Speaches}, cfg: OpenAIConfig{Model: "speaches-ai/Kokoro-82M-v1.0-ONNX"},
			faults: []ttstest.Fault{ttstest.ServerError, ttstest.ServerError, ttstest.ServerError},
			req:    tts.Request{Text: "Hi."}, wantErr: []string{"500 Internal Server Error"}, wantCalls: 3,
		},
		"proxy HTML 502 is retried": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.ProxyHTML, ttstest.ProxyHTML, ttstest.ProxyHTML},
			req: tts.Request{Text: "Hi."}, wantErr: []string{`502 Bad Gateway (HTML page: "502 Bad Gateway nginx/1.22.1")`}, wantCalls: 3,
		},
		"HTML page with 200": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.HTMLBody},
			req: tts.Request{Text: "Hi."}, wantErr: []string{`answered 200 with an HTML page instead of audio: "Please sign in"`}, wantCalls: 1,
		},
		"empty body": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.EmptyBody},
			req: tts.Request{Text: "Hi."}, wantErr: []string{"empty audio"}, wantCalls: 1,
		},
		"empty pcm body": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.EmptyBody}, cfg: OpenAIConfig{Format: "pcm"},
			req: tts.Request{Text: "Hi."}, wantErr: []string{"empty audio"}, wantCalls: 1,
		},
		"truncated WAV": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.TruncatedWAV},
			req: tts.Request{Text: "Hello truncated."}, wantErr: []string{"invalid WAV audio", "truncated"}, wantCalls: 1,
		},
		"dropped connection then success": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.Drop},
			req: tts.Request{Text: "Hi."}, wantCalls: 2,
		},
		"dropped connection every time": {
			fake: &ttstest.OpenAI{}, faults: []ttstest.Fault{ttstest.Drop, ttstest.Drop, ttstest.Drop},
			req: tts.Request{Text: "Hi."}, wantErr: []string{"connection dropped after"}, wantCalls: 3,
		},
		"speed out of range is caught before sending": {
			fake: &ttstest.OpenAI{}, req: tts.Request{Text: "Hi.", Speed: 5}, wantErr: []string{"speed 5 is out of range"},
		},
		"empty text": {
			fake: &ttstest.OpenAI{}, req: tts.Request{Text: " \n"}, wantErr: []string{"no text to speak"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.fake.Fail(tc.faults...)
			c := count(tc.fake)
			srv := serve(t, c)
			o := tts.WithRetry(newOpenAI(t, srv.URL, tc.cfg), fastRetry)
			clip, err := o.Synthesize(context.Background(), tc.req)
			if n := c.n("POST /v1/audio/speech"); n != tc.wantCalls {
				t.Errorf("%d speech requests, want %d", n, tc.wantCalls)
			}
			checkAudioOrError(t, clip, err, tc.wantErr)
		})
	}
}

func TestOpenAIServerDown(t *testing.T) {
	srv := serve(t, http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	o := tts.WithRetry(newOpenAI(t, url, OpenAIConfig{}), fastRetry)
	_, err := o.Synthesize(context.Background(), tts.Request{Text: "Hi.", Voice: "af_heart"})
	pe, ok := errors.AsType[*tts.ProviderError](err)
	if !ok || !pe.Retryable || !strings.Contains(err.Error(), `openai TTS (voice "af_heart"): cannot reach http://127.0.0.1`) {
		t.Errorf("err = %v, want a retryable 'cannot reach' ProviderError", err)
	}
}

func TestOpenAICancel(t *testing.T) {
	fake := &ttstest.OpenAI{}
	fake.Fail(ttstest.Hang)
	c := count(fake)
	srv := serve(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelOnStart(c, cancel)
	_, err := tts.WithRetry(newOpenAI(t, srv.URL, OpenAIConfig{}), fastRetry).Synthesize(ctx, tts.Request{Text: "Never."})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if tts.Retryable(err) {
		t.Error("a cancelled request must not be retryable")
	}
	if n := c.n("POST /v1/audio/speech"); n != 1 {
		t.Errorf("%d requests, want 1 (no retry after cancel)", n)
	}
}

func TestOpenAISplitsLongInput(t *testing.T) {
	fake := &ttstest.OpenAI{MaxInput: openAIMaxInput}
	srv := serve(t, fake)
	sentence := "This sentence is part of a very long monologue that must be split. "
	text := strings.Repeat(sentence, 150) // ~10 000 characters
	clip, err := newOpenAI(t, srv.URL, OpenAIConfig{}).Synthesize(context.Background(), tts.Request{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	var joined []string
	var want float64
	for _, r := range reqs {
		if !strings.HasSuffix(*r.Input, "split.") {
			t.Errorf("chunk does not end at a sentence: …%q", (*r.Input)[len(*r.Input)-20:])
		}
		joined = append(joined, *r.Input)
		want += ttstest.Duration(*r.Input, 1)
	}
	if strings.Join(joined, " ") != strings.TrimSpace(text) {
		t.Error("chunks do not add up to the text")
	}
	if !approx(clip.Duration(), want, 0.001) {
		t.Errorf("duration %.3f s, want %.3f s (all chunks joined)", clip.Duration(), want)
	}
}

func TestOpenAIVoices(t *testing.T) {
	tests := map[string]struct {
		fake *ttstest.OpenAI
		want []string
	}{
		"kokoro objects": {&ttstest.OpenAI{Voices: []string{"bf_emma", "af_heart"}}, []string{"af_heart", "bf_emma"}},
		"kokoro legacy":  {&ttstest.OpenAI{Voices: []string{"af_heart"}, LegacyVoices: true}, []string{"af_heart"}},
		"no endpoint":    {&ttstest.OpenAI{Flavour: ttstest.Speaches}, openAIVoices},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, tc.fake)
			vs, err := newOpenAI(t, srv.URL, OpenAIConfig{}).Voices(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Errorf("voices = %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestParseOpenAIVoices(t *testing.T) {
	tests := map[string]struct {
		body    string
		want    string
		wantErr bool
	}{
		"objects":         {`{"voices":[{"id":"b","name":"B"},{"id":"a","name":"A","language":"en-us"}]}`, "a/A/en-us,b/B/", false},
		"strings":         {`{"voices":["x","","y"]}`, "x/x/,y/y/", false},
		"name only":       {`{"voices":[{"name":"n"}]}`, "n/n/", false},
		"no voices field": {`{"data":[]}`, "", true},
		"not json":        {`<html>`, "", true},
		"bad entry":       {`{"voices":[42]}`, "", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			vs, err := parseOpenAIVoices([]byte(tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.ID+"/"+v.Name+"/"+v.Language)
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func FuzzParseOpenAIVoices(f *testing.F) {
	for _, s := range []string{`{"voices":["a"]}`, `{"voices":[{"id":"a"}]}`, `{"voices":null}`, `[]`, `{"voices":[[]]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parseOpenAIVoices(b)
		for _, v := range vs {
			if err == nil && v.ID == "" {
				t.Fatalf("voice without id from %q", b)
			}
		}
	})
}

func TestOpenAIHealth(t *testing.T) {
	for name, fake := range map[string]*ttstest.OpenAI{
		"kokoro (voices)":   {Flavour: ttstest.Kokoro},
		"speaches (models)": {Flavour: ttstest.Speaches},
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, fake)
			if err := newOpenAI(t, srv.URL, OpenAIConfig{}).Health(context.Background()); err != nil {
				t.Errorf("Health = %v", err)
			}
		})
	}
	t.Run("forbidden", func(t *testing.T) {
		srv := serve(t, &ttstest.OpenAI{Flavour: ttstest.Speaches, APIKey: "k"})
		err := newOpenAI(t, srv.URL, OpenAIConfig{}).Health(context.Background())
		if err == nil || !strings.Contains(err.Error(), "403 API key required") {
			t.Errorf("Health = %v, want the 403", err)
		}
	})
}

func TestNewOpenAIConfig(t *testing.T) {
	tests := map[string]struct {
		cfg     OpenAIConfig
		wantErr string
		base    string
	}{
		"root":         {OpenAIConfig{URL: "http://h:8880"}, "", "http://h:8880/v1"},
		"v1 slash":     {OpenAIConfig{URL: "http://h:8880/v1/"}, "", "http://h:8880/v1"},
		"sub path":     {OpenAIConfig{URL: "https://h/tts"}, "", "https://h/tts/v1"},
		"empty":        {OpenAIConfig{}, "no server URL", ""},
		"no scheme":    {OpenAIConfig{URL: "h:8880"}, "want http or https", ""},
		"bad format":   {OpenAIConfig{URL: "http://h", Format: "mp3"}, `format "mp3" is not supported`, ""},
		"query purged": {OpenAIConfig{URL: "http://h/?x=1"}, "", "http://h/v1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, err := NewOpenAI(tc.cfg, http.DefaultClient, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || o.base != tc.base {
				t.Errorf("base = %v (%v), want %s", o, err, tc.base)
			}
		})
	}
}
