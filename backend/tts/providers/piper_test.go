package providers

import (
	"context"
	"errors"
	"testing"

	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

func newPiper(t *testing.T, url string) *Piper {
	t.Helper()
	p, err := NewPiper(PiperConfig{URL: url}, testClient(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPiperSynthesize(t *testing.T) {
	tests := map[string]struct {
		legacy   bool
		req      tts.Request
		wantRate int
		wantLS   float64 // 0: length_scale absent
	}{
		"v1.5 medium voice":          {false, tts.Request{Text: "Hello from Piper.", Voice: "en_US-lessac-medium", Speed: 1}, 22050, 0},
		"v1.5 low voice, fast":       {false, tts.Request{Text: "Quick words.", Voice: "en_US-lessac-low", Speed: 2}, 16000, 0.5},
		"v1.4 falls back to POST /":  {true, tts.Request{Text: "Old server.", Voice: "en_US-lessac-medium"}, 22050, 0},
		"unknown voice uses default": {false, tts.Request{Text: "Who speaks?", Voice: "xx_XX-nobody"}, 16000, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fake := &ttstest.Piper{Legacy: tc.legacy}
			c := count(fake)
			p := newPiper(t, serve(t, c).URL)
			for i := range 2 { // the second call must go straight to the route that worked
				clip, err := p.Synthesize(context.Background(), tc.req)
				if err != nil {
					t.Fatal(err)
				}
				if clip.SampleRate != tc.wantRate {
					t.Errorf("rate = %d, want %d", clip.SampleRate, tc.wantRate)
				}
				if want := ttstest.Duration(tc.req.Text, tc.req.Speed); !approx(clip.Duration(), want, 0.001) {
					t.Errorf("call %d: duration = %.3f s, want %.3f", i, clip.Duration(), want)
				}
			}
			wantSynth, wantRoot := 2, 0
			if tc.legacy {
				wantSynth, wantRoot = 1, 2
			}
			if c.n("POST /synthesize") != wantSynth || c.n("POST /") != wantRoot {
				t.Errorf("POST /synthesize ×%d, POST / ×%d; want ×%d, ×%d", c.n("POST /synthesize"), c.n("POST /"), wantSynth, wantRoot)
			}
			reqs := fake.Requests()
			if len(reqs) != 2 || reqs[0].Text != tc.req.Text || reqs[0].Voice != tc.req.Voice {
				t.Fatalf("requests = %+v", reqs)
			}
			switch ls := reqs[0].LengthScale; {
			case tc.wantLS == 0 && ls != nil:
				t.Errorf("length_scale = %v, want none", *ls)
			case tc.wantLS != 0 && (ls == nil || *ls != tc.wantLS):
				t.Errorf("length_scale = %v, want %v", ls, tc.wantLS)
			}
		})
	}
}

func TestPiperErrors(t *testing.T) {
	tests := map[string]struct {
		faults    []ttstest.Fault
		req       tts.Request
		wantErr   []string
		wantCalls int
	}{
		"flask HTML 500 is retried, then reported": {
			faults:    []ttstest.Fault{ttstest.ServerError, ttstest.ServerError, ttstest.ServerError},
			req:       tts.Request{Text: "Hi.", Voice: "en_US-lessac-medium"},
			wantErr:   []string{`piper TTS (voice "en_US-lessac-medium"): 500 Internal Server Error (HTML page: "Internal Server Error The server encountered an internal error and was unable to complete your request.`},
			wantCalls: 3,
		},
		"HTML 500 once, then audio": {
			faults: []ttstest.Fault{ttstest.ServerError}, req: tts.Request{Text: "Hi."}, wantCalls: 2,
		},
		"empty text is refused before sending": {
			req: tts.Request{Text: "   "}, wantErr: []string{"no text to speak"},
		},
		"empty body": {
			faults: []ttstest.Fault{ttstest.EmptyBody}, req: tts.Request{Text: "Hi."}, wantErr: []string{"empty audio"}, wantCalls: 1,
		},
		"HTML page instead of WAV": {
			faults: []ttstest.Fault{ttstest.HTMLBody}, req: tts.Request{Text: "Hi."}, wantErr: []string{"answered 200 with an HTML page instead of audio"}, wantCalls: 1,
		},
		"truncated WAV": {
			faults: []ttstest.Fault{ttstest.TruncatedWAV}, req: tts.Request{Text: "Hello truncated."},
			wantErr: []string{"invalid WAV audio", "truncated"}, wantCalls: 1,
		},
		"dropped connection is retried": {
			faults: []ttstest.Fault{ttstest.Drop}, req: tts.Request{Text: "Hi."}, wantCalls: 2,
		},
		"negative speed": {
			req: tts.Request{Text: "Hi.", Speed: -1}, wantErr: []string{"speed -1 is out of range"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fake := &ttstest.Piper{}
			fake.Fail(tc.faults...)
			c := count(fake)
			p := tts.WithRetry(newPiper(t, serve(t, c).URL), fastRetry)
			clip, err := p.Synthesize(context.Background(), tc.req)
			if n := c.n("POST /synthesize"); n != tc.wantCalls {
				t.Errorf("%d requests, want %d", n, tc.wantCalls)
			}
			checkAudioOrError(t, clip, err, tc.wantErr)
		})
	}
}

func TestPiperCancel(t *testing.T) {
	fake := &ttstest.Piper{}
	fake.Fail(ttstest.Hang)
	c := count(fake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelOnStart(c, cancel)
	_, err := tts.WithRetry(newPiper(t, serve(t, c).URL), fastRetry).Synthesize(ctx, tts.Request{Text: "Never."})
	if !errors.Is(err, context.Canceled) || c.n("POST /synthesize") != 1 {
		t.Errorf("err = %v after %d requests; want context.Canceled after 1", err, c.n("POST /synthesize"))
	}
}

func TestPiperVoicesAndHealth(t *testing.T) {
	for name, legacy := range map[string]bool{"v1.5": false, "v1.4": true} {
		t.Run(name, func(t *testing.T) {
			fake := &ttstest.Piper{Legacy: legacy, Voices: map[string]int{"de_DE-thorsten-high": 22050, "en_GB-alan-low": 16000}}
			c := count(fake)
			p := newPiper(t, serve(t, c).URL)
			vs, err := p.Voices(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 2 || vs[0].ID != "de_DE-thorsten-high" || vs[0].Language != "de-DE" || vs[1].ID != "en_GB-alan-low" {
				t.Errorf("voices = %+v", vs)
			}
			if err := p.Health(context.Background()); err != nil {
				t.Errorf("Health = %v", err)
			}
			if legacy && c.n("GET /voices") != 2 || !legacy && c.n("GET /info") != 1 {
				t.Errorf("health used /info ×%d, /voices ×%d", c.n("GET /info"), c.n("GET /voices"))
			}
		})
	}
}

func FuzzParsePiperVoices(f *testing.F) {
	for _, s := range []string{`{"a":{"language":{"code":"en_US"}}}`, `{"a":{}}`, `{}`, `{"a":1}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parsePiperVoices(b)
		if err != nil && vs != nil {
			t.Fatal("voices returned with an error")
		}
	})
}
