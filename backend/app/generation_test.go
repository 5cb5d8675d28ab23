package app

import (
	"context"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/config"
	"podcastfy/backend/events"
	"podcastfy/backend/llm/ollamatest"
)

// Settings saved while the app runs reach the next job: TTS providers and
// the Ollama writer follow the current config.yaml.
func TestGenerationFollowsSavedSettings(t *testing.T) {
	opts := testOptions(t.TempDir())
	paths, err := config.ResolvePaths(opts.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	other := ollamatest.New("llama3.2") // has no "mistral"
	defer other.Close()
	if err := os.MkdirAll(paths.Config, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths.ConfigFile(), []byte("ollama:\n  url: "+other.URL+"\n  model: mistral\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := a.Generation(events.Nop{})
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Jobs.Shutdown(context.Background())
	tagOf := func() string {
		s, err := gen.Synths.Synthesizer("openai")
		if err != nil {
			t.Fatal(err)
		}
		return s.(interface{ CacheTag() string }).CacheTag()
	}
	before := tagOf()
	if err := os.WriteFile(paths.ConfigFile(), []byte("ollama:\n  url: "+other.URL+"\n  model: mistral\ntts:\n  openai:\n    url: http://127.0.0.1:9/v1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if after := tagOf(); after == before {
		t.Fatalf("the OpenAI provider kept its old settings: %q", after)
	}

	ollama := ollamatest.New("mistral")
	defer ollama.Close()
	ctx := context.Background()
	if _, _, err := gen.Writers.Writer(ctx, "ollama"); err == nil || !strings.Contains(err.Error(), "ollama pull mistral") {
		t.Fatalf("a server without the model: %v", err)
	}
	if err := os.WriteFile(paths.ConfigFile(), []byte("ollama:\n  url: "+ollama.URL+"\n  model: mistral\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if w, _, err := gen.Writers.Writer(ctx, "ollama"); err != nil || w.Name() != "ollama" {
		t.Fatalf("the Ollama writer ignored the saved URL and model: %v", err)
	}
}
