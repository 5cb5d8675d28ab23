package core

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/ingest"
)

func newSourcesHarness(t *testing.T, whisperStatus int) (*harness, *toneSynth) {
	t.Helper()
	whisper := asrtest.NewWhisperASR(t, asrtest.Config{Text: riverText, Status: whisperStatus})
	tr, err := asr.New("whisper-asr", whisper.URL, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	synth := &toneSynth{}
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(4)}}, staticSource{synth})
	h.deps.Ingest = ingest.New(ingest.Options{Transcriber: tr}, nil)
	h.svc.Shutdown(t.Context())
	if h.svc, err = NewService(h.cfg, h.deps); err != nil {
		t.Fatal(err)
	}
	return h, synth
}

func TestRecordingBecomesPodcastWithItsOriginal(t *testing.T) {
	h, _ := newSourcesHarness(t, 0)
	upload := filepath.Join(t.TempDir(), "uploads", "talk.wav")
	if err := os.MkdirAll(filepath.Dir(upload), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(upload, asrtest.Speech(t, "Rivers shape the land they cross."), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Sources: []Source{{Kind: "audio", Name: "talk.wav", Path: upload, Owned: true}}})
	if err != nil {
		t.Fatal(err)
	}
	st = h.wait(t, st.ID)
	if st.State != Done {
		t.Fatalf("%s: %s", st.State, st.Error)
	}
	p, err := h.store.Podcasts().Get(st.PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	if p.SourceText == nil || !strings.Contains(*p.SourceText, "Rivers shape the land") {
		t.Fatalf("source text is not the transcript: %v", p.SourceText)
	}
	if !p.FromRecording() {
		t.Fatalf("the podcast does not record its original: files %v", p.Files)
	}
	h.assertNoLinks(t, p.ID)
	kept, err := h.store.Podcasts().MediaPath(p.ID, "source")
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(kept); !strings.HasPrefix(string(data), "RIFF") {
		t.Fatal("the kept original is not the recording")
	}
	if _, err := os.Stat(upload); !os.IsNotExist(err) {
		t.Fatal("the upload was left behind")
	}
	var transcribing bool
	for _, e := range h.rec.Events() {
		if s, ok := e.Data.(Status); ok && s.State == Transcribing {
			transcribing = true
		}
	}
	if !transcribing {
		t.Fatal("no transcribing stage was reported")
	}
}

func TestSourceFailuresStoreNothing(t *testing.T) {
	page := httptest.NewServer(http.NotFoundHandler())
	defer page.Close()
	dir := t.TempDir()
	notAudio := filepath.Join(dir, "notes.mp3")
	os.WriteFile(notAudio, []byte("this is plain text, not a recording"), 0o600)
	empty := filepath.Join(dir, "empty.md")
	os.WriteFile(empty, nil, 0o600)
	speech := filepath.Join(dir, "speech.wav")
	cases := map[string]struct {
		whisper int
		src     Source
		want    string
	}{
		"whisper answers 500": {500, Source{Kind: "audio", Path: speech, Owned: true}, "500"},
		"whisper answers 422": {422, Source{Kind: "audio", Path: speech, Owned: true}, "422"},
		"not audio":           {0, Source{Kind: "audio", Path: notAudio}, "notes.mp3"},
		"empty file":          {0, Source{Kind: "file", Path: empty}, "empty.md"},
		"page answers 404":    {0, Source{Kind: "url", URL: page.URL + "/article"}, "404"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(speech, asrtest.Speech(t, "Hello there."), 0o600); err != nil {
				t.Fatal(err)
			}
			h, synth := newSourcesHarness(t, tc.whisper)
			st, err := h.svc.Start(t.Context(), Request{Owner: "u", Sources: []Source{tc.src}})
			if err != nil {
				t.Fatal(err)
			}
			st = h.wait(t, st.ID)
			if st.State != Failed || !strings.Contains(st.Error, tc.want) {
				t.Fatalf("%s %q, want failed mentioning %q", st.State, st.Error, tc.want)
			}
			if synth.calls.Load() != 0 || h.store.Podcasts().Count() != 0 || len(h.podcastFiles(t)) != 0 {
				t.Fatal("a failed source left work or files behind")
			}
			if _, err := os.Stat(speech); tc.src.Owned && !os.IsNotExist(err) {
				t.Fatal("the failed job kept its upload")
			}
		})
	}
}

func TestStartRejectsBadSources(t *testing.T) {
	h, _ := newSourcesHarness(t, 0)
	many := make([]Source, MaxSources+1)
	for i := range many {
		many[i] = Source{Kind: "url", URL: "http://example.invalid/"}
	}
	for name, srcs := range map[string][]Source{
		"unknown kind": {{Kind: "ftp", URL: "ftp://x"}},
		"file no path": {{Kind: "file"}},
		"url no url":   {{Kind: "url"}},
		"file scheme":  {{Kind: "url", URL: "file:///etc/passwd"}},
		"too many":     many,
	} {
		if _, err := h.svc.Start(t.Context(), Request{Owner: "u", Sources: srcs}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// assertNoLinks checks that a podcast's stored metadata records facts
// only: links are the doors' business (the API signs its own).
func (h *harness) assertNoLinks(t *testing.T, id string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(h.paths.PodcastsDir(), id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	// The seed's link fields name the files beside the metadata.
	for _, key := range []string{"audioUrl", "sourceAudioUrl"} {
		if v, _ := meta[key].(string); strings.ContainsAny(v, "/?") || v != "" && !strings.HasPrefix(v, id+".") {
			t.Errorf("the metadata has %s = %q, not a file name", key, v)
		}
	}
	if strings.Contains(string(data), "/podcasts/") {
		t.Errorf("the metadata holds a route:\n%s", data)
	}
}
