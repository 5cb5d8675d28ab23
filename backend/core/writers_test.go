package core

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
)

// ollamaWriters are the production writers with Ollama at a fake server.
// The idle timeout leaves room for a -race build on a busy machine, where
// a healthy stream pausing over a second was taken for a hang.
func ollamaWriters(t *testing.T, srv *ollamatest.Server) Writers {
	t.Helper()
	o, err := llm.NewOllama(llm.OllamaConfig{Host: srv.URL, Model: "llama3.2", IdleTimeout: 3 * time.Second}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return Writers{Ollama: o, Extractive: llm.NewExtractive()}
}

// Whatever Ollama does while writing, "auto" ends in a podcast written
// offline with a warning in Ollama's words, and "ollama" in a failed job
// that gives the same reason; no podcast file is left half-written.
func TestOllamaFailingMidWay(t *testing.T) {
	tests := map[string]struct {
		fail ollamatest.Reply
		at   int
		want string
	}{
		"error line after some chunks": {ollamatest.Reply{Error: "an error was encountered while running the model: unexpected EOF"}, 2,
			`"an error was encountered while running the model: unexpected EOF"`},
		"not enough memory": {ollamatest.Reply{Error: "model requires more system memory (5.5 GiB) than is available (3.1 GiB)"}, 1,
			"choose a smaller model"},
		"hang":                  {ollamatest.Reply{Hang: true}, 2, "no output for 3s"},
		"drop":                  {ollamatest.Reply{Drop: true}, 2, "closed the connection before finishing"},
		"unusable after repair": {ollamatest.Reply{Content: "I cannot write podcasts."}, 2, "wrote nothing usable"},
	}
	for name, tc := range tests {
		for _, writer := range []string{"auto", "ollama"} {
			t.Run(name+"/"+writer, func(t *testing.T) {
				srv := ollamatest.New("llama3.2")
				t.Cleanup(srv.Close)
				srv.FailAt(tc.at, tc.fail)
				if strings.HasPrefix(name, "unusable") {
					srv.FailAt(tc.at+1, tc.fail)
				}
				h := newHarness(t, ollamaWriters(t, srv), staticSource{&toneSynth{}})
				st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText, TemplateID: "deep-dive", Writer: writer, Minutes: 1})
				if err != nil {
					t.Fatal(err)
				}
				st = h.wait(t, st.ID)
				if writer == "ollama" {
					if st.State != Failed || !strings.Contains(st.Error, tc.want) || st.PodcastID != "" {
						t.Fatalf("%s %q", st.State, st.Error)
					}
					if files := h.podcastFiles(t); len(files) != 0 {
						t.Fatalf("files left: %v", files)
					}
					return
				}
				if st.State != Done || st.Writer != "extractive" || !strings.Contains(st.Warning, tc.want) ||
					!strings.Contains(st.Warning, "offline extractive writer wrote this podcast instead") {
					t.Fatalf("%s by %s: %q / %q", st.State, st.Writer, st.Warning, st.Error)
				}
				p, err := h.store.Podcasts().Get(st.PodcastID)
				if err != nil || p.Writer != "extractive" || p.Lines == 0 {
					t.Fatalf("%+v %v", p, err)
				}
			})
		}
	}
}

func TestOllamaWritesWithWarnings(t *testing.T) {
	srv := ollamatest.New("llama3.2")
	t.Cleanup(srv.Close)
	srv.SetQuirks(ollamatest.Quirks{Markup: true, LooseShape: true})
	h := newHarness(t, ollamaWriters(t, srv), staticSource{&toneSynth{}})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText, TemplateID: "deep-dive", Minutes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st = h.wait(t, st.ID); st.State != Done || st.Writer != "ollama" || st.Warning != "" {
		t.Fatalf("%s by %s: %q %q", st.State, st.Writer, st.Warning, st.Error)
	}
	p, err := h.store.Podcasts().Get(st.PodcastID)
	if err != nil || p.Writer != "ollama" {
		t.Fatalf("%+v %v", p, err)
	}
}
