package llm

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/llm/ollamatest"
)

func TestNewOllamaHost(t *testing.T) {
	tests := map[string]struct {
		host, env, want string
		wantErr         bool
	}{
		"default":           {"", "", "http://127.0.0.1:11434", false},
		"from env":          {"", " '0.0.0.0' ", "http://0.0.0.0:11434", false},
		"settings win":      {"http://gpu:8000", "other:1", "http://gpu:8000", false},
		"https default 443": {"https://llm.example", "", "https://llm.example:443", false},
		"unknown scheme":    {"ftp://x", "", "", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o, err := NewOllama(OllamaConfig{Host: tc.host, Getenv: func(k string) string {
				if k == "OLLAMA_HOST" {
					return tc.env
				}
				return ""
			}}, nil)
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil || o.Host() != tc.want || o.Model() != DefaultModel || o.Name() != "ollama" {
				t.Fatalf("%v %v", o, err)
			}
			o.Close()
		})
	}
	if _, err := NewOllama(OllamaConfig{Temperature: ptr(3.0)}, nil); err == nil {
		t.Fatal("temperature 3 accepted")
	}
	if _, err := NewOllama(OllamaConfig{TopP: ptr(-0.1)}, nil); err == nil {
		t.Fatal("top_p -0.1 accepted")
	}
}

// closedURL returns an address where nothing listens.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestCheck(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		o := newOllama(t, newFake(t), OllamaConfig{Model: "LLAMA3.2:latest"})
		if err := o.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("model missing", func(t *testing.T) {
		o := newOllama(t, newFake(t), OllamaConfig{Model: "qwen3:8b"})
		err := o.Check(context.Background())
		if !errors.Is(err, ErrModelMissing) || err.Error() != "model \"qwen3:8b\" is not pulled — run `ollama pull qwen3:8b`" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		u := closedURL(t)
		o, err := NewOllama(OllamaConfig{Host: u}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		err = o.Check(context.Background())
		want := "Ollama is not reachable at " + u + " (connection refused) — start it with `ollama serve`"
		if !errors.Is(err, ErrUnreachable) || err.Error() != want {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("web page", func(t *testing.T) {
		srv := newFake(t)
		srv.Fail("/api/tags", ollamatest.Reply{Status: 502, HTML: true})
		err := newOllama(t, srv, OllamaConfig{}).Check(context.Background())
		if !errors.Is(err, ErrOllama) || !strings.Contains(err.Error(), "502 Bad Gateway with a web page instead of the Ollama API") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("silent server", func(t *testing.T) {
		srv := newFake(t)
		srv.Fail("/api/tags", ollamatest.Reply{Hang: true})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := newOllama(t, srv, OllamaConfig{}).Check(ctx)
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "did not answer in time") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := newOllama(t, newFake(t), OllamaConfig{}).Check(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestModelsAndPull(t *testing.T) {
	srv := newFake(t)
	srv.AddModel(ollamatest.Model{Name: "gemma3:4b", Family: "gemma3", ParameterSize: "4B"})
	srv.SetPullable("qwen3:8b")
	o := newOllama(t, srv, OllamaConfig{})
	ctx := context.Background()
	models, err := o.Models(ctx)
	if err != nil || len(models) != 2 || models[0].Name != "gemma3:4b" || models[0].Family != "gemma3" || models[1].Quantization != "Q4_K_M" {
		t.Fatalf("%+v %v", models, err)
	}
	var got []PullProgress
	if err := o.Pull(ctx, "qwen3:8b", func(p PullProgress) { got = append(got, p) }); err != nil {
		t.Fatal(err)
	}
	if len(got) < 6 || got[0].Status != "pulling manifest" || got[len(got)-1].Status != "success" || got[2].Total == 0 {
		t.Fatalf("progress %+v", got)
	}
	if models, _ := o.Models(ctx); len(models) != 3 {
		t.Fatalf("after pull %+v", models)
	}
	err = o.Pull(ctx, "nope", nil)
	if !errors.Is(err, ErrOllama) || !strings.Contains(err.Error(), "pull model manifest: file does not exist") {
		t.Fatalf("unknown pull: %v", err)
	}
	if err := o.Pull(ctx, " ", nil); err == nil {
		t.Fatal("empty model name accepted")
	}
}
