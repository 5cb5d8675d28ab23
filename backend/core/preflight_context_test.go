package core

import (
	"strings"
	"testing"

	"podcastfy/backend/llm/ollamatest"
)

// A source longer than the Ollama model writes in full is a warning at the
// text before the job starts, with the model's window in it; a source that
// fits, or one the offline writer writes, is not.
func TestPreflightSourceLongerThanTheModelReads(t *testing.T) {
	srv := ollamatest.New()
	srv.AddModel(ollamatest.Model{Name: "llama3.2", Family: "llama", ContextLength: 2048, Capabilities: []string{"completion"}})
	t.Cleanup(srv.Close)
	w := ollamaWriters(t, srv)
	h := newHarness(t, w, staticSource{&toneSynth{}})
	info, err := w.Context(t.Context())
	if err != nil || info.NumCtx != 2048 || info.SourceChars <= 0 {
		t.Fatalf("Context = %+v, %v", info, err)
	}
	long := strings.Repeat(riverText+"\n\n", info.SourceChars/len(riverText)+2)
	for _, writer := range []string{"ollama", "auto"} {
		p, err := h.svc.Preflight(t.Context(), Request{Owner: "u", Text: long, Writer: writer, Minutes: 5})
		if err != nil {
			t.Fatal(err)
		}
		problemAt(t, p, FieldText, CodeSourceTooLong, SeverityWarning, "context window 2048 tokens")
	}
	p, err := h.svc.Preflight(t.Context(), Request{Owner: "u", Text: riverText, Writer: "ollama", Minutes: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, p)
	p, err = h.svc.Preflight(t.Context(), Request{Owner: "u", Text: long, Writer: "extractive", Minutes: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.Problems {
		if pr.Code == CodeSourceTooLong {
			t.Errorf("the offline writer was warned: %+v", pr)
		}
	}
}
