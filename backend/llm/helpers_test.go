package llm

import (
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/template"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func duo() *template.Template {
	return &template.Template{
		ID: "deep-dive", Name: "Deep Dive", Description: "Two hosts explain a text.",
		LLMPromptInstructions: "Keep it light.",
		Speakers: []template.Speaker{
			{Name: "Alex", Role: "host", WordsPerMinute: 160},
			{Name: "Sam", Role: "expert guest", WordsPerMinute: 140},
		},
		Structure: []string{"Introduction", "Main ideas", "Details", "Wrap-up"},
		Style:     []string{"curious", "friendly"},
		Minutes:   5, Language: "en",
	}
}

func solo() *template.Template {
	return &template.Template{Name: "Brief", Speakers: []template.Speaker{{Name: "Nora", Role: "narrator"}},
		Structure: []string{"Summary"}, Minutes: 2, Language: "en"}
}

var topics = [][]string{
	{"river", "valley", "sediment", "flood", "delta", "erosion", "canyon", "water", "rock", "plain"},
	{"farmer", "harvest", "soil", "crop", "field", "season", "irrigation", "grain", "market", "village"},
	{"engineer", "dam", "turbine", "concrete", "reservoir", "power", "design", "pressure", "gate", "channel"},
	{"scientist", "measurement", "survey", "sample", "data", "model", "record", "climate", "trend", "study"},
}

var glue = []string{"the", "a", "of", "and", "with", "near", "after", "during", "because", "while", "every", "most"}

// longText returns about n bytes of deterministic English-like prose in
// paragraphs, with a few abbreviations and decimals.
func longText(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < n {
		topic := topics[r.IntN(len(topics))]
		for range 4 + r.IntN(4) {
			words := 8 + r.IntN(16)
			for w := range words {
				var word string
				if w%2 == 0 {
					word = topic[r.IntN(len(topic))]
				} else {
					word = glue[r.IntN(len(glue))]
				}
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				switch {
				case w == words-1:
					b.WriteString(".")
				case r.IntN(40) == 0:
					b.WriteString(" Dr. Lee measured 3.5 percent, e.g.")
				}
				if w < words-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// newOllama builds a writer for a fake server; it closes with the test.
func newOllama(t testing.TB, srv *ollamatest.Server, cfg OllamaConfig) *Ollama {
	t.Helper()
	cfg.Host = srv.URL
	if cfg.Model == "" {
		cfg.Model = "llama3.2"
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 10 * time.Second
	}
	o, err := NewOllama(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return o
}

// newFake starts a fake Ollama with llama3.2 pulled; it closes with the test.
func newFake(t testing.TB) *ollamatest.Server {
	srv := ollamatest.New("llama3.2")
	t.Cleanup(srv.Close)
	return srv
}
