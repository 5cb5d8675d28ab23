package asr_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

// fakeFor starts the fake speaking provider's protocol.
func fakeFor(t *testing.T, provider string, cfg asrtest.Config) *asrtest.Server {
	switch provider {
	case asr.ProviderWhisperASR:
		return asrtest.NewWhisperASR(t, cfg)
	case asr.ProviderOpenAI:
		return asrtest.NewOpenAI(t, cfg)
	case asr.ProviderWhisperCpp:
		return asrtest.NewWhisperCpp(t, cfg)
	}
	t.Fatalf("no fake for %q", provider)
	return nil
}

func newTranscriber(t *testing.T, provider, url string) asr.Transcriber {
	t.Helper()
	tr, err := asr.New(provider, url, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

var providers = []string{asr.ProviderWhisperASR, asr.ProviderOpenAI, asr.ProviderWhisperCpp}

func TestTranscribe(t *testing.T) {
	wav := clips(t)["wav"]
	real := wavSeconds(wav)
	for _, provider := range providers {
		t.Run(provider, func(t *testing.T) {
			fake := fakeFor(t, provider, asrtest.Config{})
			tr := newTranscriber(t, provider, fake.URL+"/")
			if tr.Name() != provider {
				t.Errorf("Name() = %q", tr.Name())
			}
			got, err := tr.Transcribe(context.Background(), "dir/talk.wav", bytes.NewReader(wav), int64(len(wav)), asr.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != asrtest.DefaultText {
				t.Errorf("Text = %q, want %q", got.Text, asrtest.DefaultText)
			}
			if len(got.Segments) != 2 || got.Segments[0].Text != "Hello and welcome." || got.Segments[0].Start != 0 {
				t.Errorf("Segments = %+v", got.Segments)
			}
			if math.Abs(got.Duration-real) > 0.05 {
				t.Errorf("Duration = %.2f, want %.2f", got.Duration, real)
			}
			if got.Language == "" {
				t.Error("no language")
			}
			reqs := fake.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if !bytes.Equal(reqs[0].File, wav) || reqs[0].FileName != "talk.wav" {
				t.Errorf("file %q (%d bytes) was sent, want talk.wav (%d bytes)", reqs[0].FileName, len(reqs[0].File), len(wav))
			}
		})
	}
}

// TestRequestFields pins the wire names each protocol needs.
func TestRequestFields(t *testing.T) {
	wav := clips(t)["wav"]
	tests := []struct {
		name     string
		provider string
		opts     asr.Options
		check    func(t *testing.T, r asrtest.Request)
	}{
		{"whisper-asr defaults", asr.ProviderWhisperASR, asr.Options{}, func(t *testing.T, r asrtest.Request) {
			want := map[string]string{"output": "json", "task": "transcribe", "encode": "true", "language": "", "word_timestamps": ""}
			for k, v := range want {
				if got := r.Query.Get(k); got != v {
					t.Errorf("query %s = %q, want %q", k, got, v)
				}
			}
			if r.Path != "/asr" || len(r.Fields) != 0 {
				t.Errorf("path %s, form fields %v: options belong in the query", r.Path, r.Fields)
			}
		}},
		{"whisper-asr options", asr.ProviderWhisperASR, asr.Options{Language: "de", Task: "translate", WordTimestamps: true},
			func(t *testing.T, r asrtest.Request) {
				if r.Query.Get("language") != "de" || r.Query.Get("task") != "translate" || r.Query.Get("word_timestamps") != "true" {
					t.Errorf("query = %v", r.Query)
				}
			}},
		{"whisper.cpp detects unless told", asr.ProviderWhisperCpp, asr.Options{}, func(t *testing.T, r asrtest.Request) {
			if got := r.Fields["language"]; len(got) != 1 || got[0] != "auto" {
				t.Errorf("language = %v, want [auto]: the server would assume English", got)
			}
			if got := r.Fields["response_format"]; len(got) != 1 || got[0] != "verbose_json" {
				t.Errorf("response_format = %v", got)
			}
			if r.Fields["translate"] != nil {
				t.Errorf("translate = %v", r.Fields["translate"])
			}
		}},
		{"whisper.cpp translate", asr.ProviderWhisperCpp, asr.Options{Language: "fr", Task: "translate"}, func(t *testing.T, r asrtest.Request) {
			if r.Fields["language"][0] != "fr" || r.Fields["translate"][0] != "true" {
				t.Errorf("fields = %v", r.Fields)
			}
		}},
		{"openai", asr.ProviderOpenAI, asr.Options{Language: "en", WordTimestamps: true}, func(t *testing.T, r asrtest.Request) {
			if r.Path != "/v1/audio/transcriptions" {
				t.Errorf("path %s", r.Path)
			}
			if r.Fields["model"][0] != "whisper-1" || r.Fields["response_format"][0] != "verbose_json" || r.Fields["language"][0] != "en" {
				t.Errorf("fields = %v", r.Fields)
			}
			if g := strings.Join(r.Fields["timestamp_granularities[]"], ","); g != "segment,word" {
				t.Errorf("timestamp_granularities[] = %q", g)
			}
		}},
		{"openai translate", asr.ProviderOpenAI, asr.Options{Language: "de", Task: "translate"}, func(t *testing.T, r asrtest.Request) {
			if r.Path != "/v1/audio/translations" || r.Fields["language"] != nil {
				t.Errorf("path %s fields %v: translations take no language", r.Path, r.Fields)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeFor(t, tt.provider, asrtest.Config{})
			tr := newTranscriber(t, tt.provider, fake.URL)
			if _, err := tr.Transcribe(context.Background(), "a.wav", bytes.NewReader(wav), int64(len(wav)), tt.opts); err != nil {
				t.Fatal(err)
			}
			reqs := fake.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if ct := reqs[0].Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
				t.Errorf("Content-Type %q", ct)
			}
			if reqs[0].Header.Get("Content-Length") == "" && reqs[0].Header.Get("Transfer-Encoding") != "" {
				t.Error("the upload was chunked; it must carry a Content-Length")
			}
			tt.check(t, reqs[0])
		})
	}
}

func TestResponseShapes(t *testing.T) {
	wav := clips(t)["wav"]
	real := wavSeconds(wav)
	tests := []struct {
		name     string
		provider string
		cfg      asrtest.Config
		opts     asr.Options
	}{
		{"whisper-asr faster_whisper key order, words", asr.ProviderWhisperASR, asrtest.Config{Engine: "faster_whisper"}, asr.Options{WordTimestamps: true}},
		{"whisper-asr openai_whisper words", asr.ProviderWhisperASR, asrtest.Config{}, asr.Options{WordTimestamps: true}},
		{"localai nanoseconds", asr.ProviderOpenAI, asrtest.Config{LocalAI: true}, asr.Options{}},
		{"whisper.cpp translate", asr.ProviderWhisperCpp, asrtest.Config{}, asr.Options{Task: "translate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeFor(t, tt.provider, tt.cfg)
			got, err := newTranscriber(t, tt.provider, fake.URL).
				Transcribe(context.Background(), "a.wav", bytes.NewReader(wav), int64(len(wav)), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != asrtest.DefaultText || len(got.Segments) != 2 {
				t.Fatalf("got %+v", got)
			}
			last := got.Segments[1]
			if math.Abs(last.End-real) > 0.05 || last.Start <= 0 || last.Start >= last.End {
				t.Errorf("last segment %+v; the audio is %.2fs", last, real)
			}
		})
	}
}

func TestTranscribeErrors(t *testing.T) {
	c := clips(t)
	down := closedURL(t)
	tests := []struct {
		name     string
		provider string
		cfg      asrtest.Config
		url      string // overrides the fake's
		audio    []byte
		is       error
		status   int
		contains []string
	}{
		{"whisper-asr down", asr.ProviderWhisperASR, asrtest.Config{}, down, c["wav"], asr.ErrUnavailable, 0,
			[]string{"Whisper ASR Webservice is not reachable at " + down, "docker run"}},
		{"whisper.cpp down", asr.ProviderWhisperCpp, asrtest.Config{}, down, c["wav"], asr.ErrUnavailable, 0,
			[]string{"whisper.cpp server is not reachable at " + down, "whisper-server"}},
		{"openai down", asr.ProviderOpenAI, asrtest.Config{}, down, c["wav"], asr.ErrUnavailable, 0,
			[]string{"not reachable at " + down, "speaches"}},
		{"whisper-asr 422", asr.ProviderWhisperASR, asrtest.Config{Status: 422}, "", c["wav"], asr.ErrRejected, 422,
			[]string{"422", "body.audio_file: Field required"}},
		{"whisper-asr undecodable 500", asr.ProviderWhisperASR, asrtest.Config{}, "", []byte("this is not audio at all"), asr.ErrRejected, 500,
			[]string{"500 Internal Server Error", "decode the audio"}},
		{"whisper-asr forced 500", asr.ProviderWhisperASR, asrtest.Config{Status: 500}, "", c["wav"], asr.ErrRejected, 500, nil},
		{"whisper.cpp cannot read ogg without --convert", asr.ProviderWhisperCpp, asrtest.Config{}, "", c["ogg"], asr.ErrRejected, 400,
			[]string{"failed to read audio data"}},
		{"openai model not installed", asr.ProviderOpenAI, asrtest.Config{Models: []string{"Systran/faster-whisper-small"}}, "", c["wav"],
			asr.ErrRejected, 404, []string{"Model 'whisper-1' is not installed locally", "model is installed"}},
		{"openai key required", asr.ProviderOpenAI, asrtest.Config{APIKey: "sekrit"}, "", c["wav"], asr.ErrRejected, 403,
			[]string{"API key required", "check the API key"}},
		{"openai 500", asr.ProviderOpenAI, asrtest.Config{Status: 500}, "", c["wav"], asr.ErrRejected, 500, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if url == "" {
				url = fakeFor(t, tt.provider, tt.cfg).URL
			}
			_, err := newTranscriber(t, tt.provider, url).
				Transcribe(context.Background(), "a.wav", bytes.NewReader(tt.audio), int64(len(tt.audio)), asr.Options{})
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			var se *asr.StatusError
			if tt.status != 0 && (!errors.As(err, &se) || se.StatusCode != tt.status) {
				t.Errorf("err = %#v, want status %d", err, tt.status)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

// closedURL is the address of a listener that was closed: nothing answers.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestOpenAIKey(t *testing.T) {
	wav := clips(t)["wav"]
	fake := asrtest.NewOpenAI(t, asrtest.Config{APIKey: "sekrit", Models: []string{"whisper-1", "other"}})
	tr, err := asr.NewOpenAI(fake.URL+"/v1", "", "sekrit", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Transcribe(context.Background(), "a.wav", bytes.NewReader(wav), int64(len(wav)), asr.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range fake.Requests() {
		if r.Header.Get("Authorization") != "Bearer sekrit" {
			t.Errorf("%s %s without the key", r.Method, r.Path)
		}
		if strings.HasPrefix(r.Path, "/v1/v1") {
			t.Errorf("path %s doubles /v1", r.Path)
		}
	}
}

func TestBadInput(t *testing.T) {
	wav := clips(t)["wav"]
	fake := asrtest.NewWhisperASR(t, asrtest.Config{})
	tr := newTranscriber(t, asr.ProviderWhisperASR, fake.URL)
	ctx := context.Background()
	tests := []struct {
		name  string
		audio []byte
		size  int64
		opts  asr.Options
		is    error
	}{
		{"empty", nil, 0, asr.Options{}, asr.ErrBadAudio},
		{"shorter than declared (head)", wav[:100], 1000, asr.Options{}, asr.ErrBadAudio},
		{"shorter than declared (body)", wav, int64(len(wav)) + 70000, asr.Options{}, asr.ErrBadAudio},
		{"bad task", wav, int64(len(wav)), asr.Options{Task: "summarise"}, nil},
		{"bad language", wav, int64(len(wav)), asr.Options{Language: "en&x=1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tr.Transcribe(ctx, "a.wav", bytes.NewReader(tt.audio), tt.size, tt.opts)
			if err == nil || tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
		})
	}
	if n := len(fake.Requests()); n > 1 {
		t.Errorf("%d requests reached the server; bad input must be caught before (the body case may send one)", n)
	}
}

func TestNew(t *testing.T) {
	for _, tt := range []struct{ provider, url string }{
		{"whisper", ""}, {asr.ProviderWhisperASR, "ftp://h"}, {asr.ProviderOpenAI, "no-scheme"},
		{asr.ProviderWhisperCpp, "http://"}, {asr.ProviderWhisperASR, "http://h:bad port"},
	} {
		if _, err := asr.New(tt.provider, tt.url, "", nil, nil); err == nil {
			t.Errorf("New(%q, %q) accepted", tt.provider, tt.url)
		}
	}
	for _, p := range providers {
		tr, err := asr.New(p, "", "", &http.Client{}, nil)
		if err != nil || tr.Name() != p {
			t.Errorf("New(%q) = %v, %v", p, tr, err)
		}
	}
}
