package app

import (
	"net/http/httptest"
	"strings"
	"testing"

	"podcastfy/backend/core"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/store"
	"podcastfy/backend/tts/ttstest"
)

// Settings that list an Ollama host and a TTS server on closed ports
// (connection refused) beside live ones, as a user whose GPU box is off
// would have them: the job is accepted, the sections are written by the
// live Ollama hosts and the lines voiced by the live TTS server, and it
// ends in a podcast in the library.
func TestJobWithServersOnClosedPortsEndsInAPodcast(t *testing.T) {
	a1, a2 := ollamatest.New("llama3.2"), ollamatest.New("llama3.2")
	defer a1.Close()
	defer a2.Close()
	speech := &ttstest.OpenAI{Flavour: ttstest.Kokoro}
	srv := httptest.NewServer(speech)
	defer srv.Close()
	opts := testOptions(t.TempDir())
	writeConfig(t, opts, "writer: ollama\n"+
		"ollama:\n  url: "+a1.URL+"\n  urls:\n    - url: "+deadURL(t)+"\n    - url: "+a2.URL+"\n"+
		"tts:\n  provider: openai\n  openai:\n    url: "+srv.URL+"/v1\n  servers:\n    - url: "+deadURL(t)+"/v1\n"+
		"generation:\n  minutes: 2\n")
	a, gen, ends, u := openJobs(t, opts)
	st, err := gen.Jobs.Start(t.Context(), core.Request{Owner: u.ID, Text: strings.Repeat(sourceText+"\n\n", 8), TemplateID: "deep-dive"})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	st = ends.finished(t, st.ID)
	if st.State != core.Done || st.Writer != "ollama" || st.TTS != "openai" {
		t.Fatalf("the job ended %s, written by %q and voiced by %q (%s)", st.State, st.Writer, st.TTS, st.Error)
	}
	p, err := a.Store.Podcasts().Get(st.PodcastID)
	if err != nil || p.Files[store.KindAudio] == "" {
		t.Fatalf("the podcast %q: %v, files %v", st.PodcastID, err, p.Files)
	}
	if len(a1.Chats()) == 0 || len(a2.Chats()) == 0 {
		t.Errorf("the live Ollama hosts answered %d and %d requests; both should write", len(a1.Chats()), len(a2.Chats()))
	}
	if n := len(speech.Requests()); n == 0 || n != st.SegmentsSynthesised {
		t.Errorf("the live TTS server voiced %d lines, the job synthesised %d", n, st.SegmentsSynthesised)
	}
}
