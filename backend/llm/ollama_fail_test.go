package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/llm/ollamatest"
)

// A request of about four sections: the outline, then three calls.
func fourSections() Request {
	return Request{Source: longText(9000), Template: duo(), Minutes: 5}
}

func TestWriteFailures(t *testing.T) {
	tests := map[string]struct {
		setup func(*ollamatest.Server)
		model string
		idle  time.Duration
		kind  error
		msg   []string
	}{
		"model not pulled": {func(*ollamatest.Server) {}, "mistral", 0, ErrModelMissing, []string{"run `ollama pull mistral`"}},
		"model vanished": {func(s *ollamatest.Server) {
			s.Fail("/api/chat", ollamatest.Reply{Status: 404, Error: `model "llama3.2" not found, try pulling it first`})
		}, "", 0, ErrModelMissing, []string{"run `ollama pull llama3.2`"}},
		"error line after some chunks": {func(s *ollamatest.Server) {
			s.FailAt(3, ollamatest.Reply{Error: "an error was encountered while running the model: unexpected EOF"})
		}, "", 0, ErrOllama, []string{`Ollama failed while writing section 2 of `, `"an error was encountered while running the model: unexpected EOF"`, "lower ollama.options.num_ctx"}},
		"out of memory": {func(s *ollamatest.Server) {
			s.FailAt(1, ollamatest.Reply{Error: "model requires more system memory (5.5 GiB) than is available (3.1 GiB)"})
		}, "", 0, ErrOllama, []string{"while planning the episode", `"model requires more system memory (5.5 GiB) than is available (3.1 GiB)"`, "choose a smaller model"}},
		"web page": {func(s *ollamatest.Server) {
			s.FailAt(2, ollamatest.Reply{Status: 502, HTML: true})
		}, "", 0, ErrOllama, []string{"web page instead of the Ollama API"}},
		"busy": {func(s *ollamatest.Server) {
			s.FailAt(1, ollamatest.Reply{Status: 503, Error: "server busy, please try again"})
		}, "", 0, ErrOllama, []string{"503 Service Unavailable while planning the episode: server busy"}},
		"gone mid-stream": {func(s *ollamatest.Server) {
			s.FailAt(4, ollamatest.Reply{Drop: true})
		}, "", 0, ErrInterrupted, []string{"closed the connection before finishing while writing section 3"}},
		"hangs mid-stream": {func(s *ollamatest.Server) {
			s.FailAt(3, ollamatest.Reply{Hang: true})
		}, "", 2 * time.Second, ErrStalled, []string{"no output for 2s while writing section 2"}},
		"silent from the start": {func(s *ollamatest.Server) {
			s.Fail("/api/chat", ollamatest.Reply{Hang: true})
		}, "", 400 * time.Millisecond, ErrStalled, []string{"Ollama stopped responding"}},
		"unusable after repair": {func(s *ollamatest.Server) {
			s.FailAt(2, ollamatest.Reply{Content: "Sure, here you go: Alex talks about rivers."})
			s.FailAt(3, ollamatest.Reply{Content: `{"lines":[{"speaker":"Alex","text":"(laughs)"}]}`})
		}, "", 0, ErrInvalidOutput, []string{`the model "llama3.2" wrote nothing usable for section 1 of`, "even when asked to fix it", "has words left to speak"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			tc.setup(srv)
			o := newOllama(t, srv, OllamaConfig{Model: tc.model, IdleTimeout: tc.idle})
			req := fourSections()
			_, err := o.Write(context.Background(), req, nil)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("got %v, want %v", err, tc.kind)
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%q lacks %q", err, m)
				}
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		o, err := NewOllama(OllamaConfig{Host: closedURL(t)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		_, err = o.Write(context.Background(), fourSections(), nil)
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "start it with `ollama serve`") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("runaway answer", func(t *testing.T) {
		srv := newFake(t)
		srv.SetChunkRunes(1 << 16)
		srv.FailAt(2, ollamatest.Reply{Content: `{"lines":[{"speaker":"Alex","text":"` + strings.Repeat("la ", maxAnswerBytes/3+10)})
		_, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), fourSections(), nil)
		if !errors.Is(err, ErrInvalidOutput) || !strings.Contains(err.Error(), "repeating itself") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestFallbackDecision(t *testing.T) {
	for err, want := range map[error]bool{
		nil: false, context.Canceled: false, ErrEmptySource: false, newError(ErrNoSpeakers, nil, "x"): false,
		newError(ErrOllama, nil, "x"): true, newError(ErrInvalidOutput, nil, "x"): true, newError(ErrUnreachable, nil, "x"): true,
		newError(ErrSourceTooLarge, nil, "x"): true, errors.New("anything else"): true,
		newError(ErrStalled, context.Canceled, "x"): true, fmt.Errorf("stopped: %w", context.Canceled): false,
	} {
		if got := Fallback(err); got != want {
			t.Errorf("Fallback(%v) = %v", err, got)
		}
	}
}

func TestWriteBadInput(t *testing.T) {
	srv := newFake(t)
	o := newOllama(t, srv, OllamaConfig{})
	tests := map[string]struct {
		req  Request
		kind error
		msg  string
	}{
		"empty":       {Request{Source: "", Template: duo()}, ErrEmptySource, "the source text is empty"},
		"whitespace":  {Request{Source: " \n\t\r\n \u00a0 ", Template: duo()}, ErrEmptySource, "give the podcast some text"},
		"5 MB":        {Request{Source: strings.Repeat("Rivers carve valleys. ", 5<<20/22+1), Template: duo()}, ErrSourceTooLarge, "5.0 MB, over the 2.0 MB"},
		"no template": {Request{Source: "Rivers."}, ErrNoSpeakers, "add at least one speaker"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := o.Write(context.Background(), tc.req, nil)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("bad input reached the server %d times", n)
	}
}

func TestWriteCancelAtEveryStage(t *testing.T) {
	tests := map[string]struct {
		setup  func(*ollamatest.Server)
		cancel func(Progress) bool // cancel when true
	}{
		"before start":   {nil, nil},
		"while checking": {nil, func(p Progress) bool { return p.Stage == "checking" }},
		"while outlining": {func(s *ollamatest.Server) { s.FailAt(1, ollamatest.Reply{Hang: true}) },
			func(p Progress) bool { return p.Stage == "outlining" && p.Tokens > 0 }},
		"while writing": {func(s *ollamatest.Server) { s.FailAt(3, ollamatest.Reply{Hang: true}) },
			func(p Progress) bool { return p.Stage == "writing" && p.Part == 2 && p.Tokens > 0 }},
		"while repairing": {func(s *ollamatest.Server) {
			s.FailAt(2, ollamatest.Reply{Content: "not json"})
			s.FailAt(3, ollamatest.Reply{Hang: true})
		}, func(p Progress) bool { return p.Stage == "repairing" && p.Tokens > 0 }},
		"while continuing": {func(s *ollamatest.Server) {
			s.SetQuirks(ollamatest.Quirks{Length: 0.3})
			s.FailAt(3, ollamatest.Reply{Hang: true})
		}, func(p Progress) bool { return p.Stage == "continuing" && p.Tokens > 0 }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel == nil {
				cancel()
			}
			_, err := newOllama(t, srv, OllamaConfig{}).Write(ctx, fourSections(), func(p Progress) {
				if tc.cancel != nil && tc.cancel(p) {
					cancel()
				}
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v", err)
			}
		})
	}
}
