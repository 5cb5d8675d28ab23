package llm

import (
	"context"
	"testing"

	"podcastfy/backend/llm/ollamatest"
)

// BenchmarkExtractive writes a 10-minute script from a 5 MB source.
func BenchmarkExtractive(b *testing.B) {
	src := longText(5 << 20)
	req := Request{Source: src, Template: duo(), Minutes: 10}
	e := NewExtractive()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	words := 0
	for b.Loop() {
		sc, err := e.Write(context.Background(), req, nil)
		if err != nil {
			b.Fatal(err)
		}
		words = sc.Words()
	}
	b.ReportMetric(float64(words), "words")
}

// BenchmarkOllamaFake measures the Ollama writer's own cost (check, prompt,
// streaming through the real client, parsing, validation) against an
// instant fake that answers with a 60-line script.
func BenchmarkOllamaFake(b *testing.B) {
	srv := ollamatest.New("llama3.2")
	defer srv.Close()
	srv.SetAutoLines(60)
	srv.SetChunkRunes(4)
	o := newOllama(b, srv, OllamaConfig{})
	req := Request{Source: longText(5000), Template: duo(), Minutes: 5}
	tokens := 0
	for b.Loop() {
		sc, err := o.Write(context.Background(), req, func(p Progress) { tokens = max(tokens, p.Tokens) })
		if err != nil {
			b.Fatal(err)
		}
		if sc.LineCount() != 60 {
			b.Fatalf("%d lines", sc.LineCount())
		}
	}
	b.ReportMetric(float64(tokens), "chunks/op")
}
