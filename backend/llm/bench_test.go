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

// BenchmarkOllamaOverhead measures the Ollama writer's own cost per 1,000
// words of script for a 10-minute episode from a 30 KB source, against a
// fake that answers instantly (so no model time is included).
func BenchmarkOllamaOverhead(b *testing.B) {
	srv := ollamatest.New("llama3.2")
	defer srv.Close()
	o := newOllama(b, srv, OllamaConfig{})
	req := Request{Source: longText(30000), Template: duo(), Minutes: 10}
	words := 0
	for b.Loop() {
		sc, err := o.Write(context.Background(), req, nil)
		if err != nil {
			b.Fatal(err)
		}
		words = sc.Words()
	}
	b.ReportMetric(float64(words), "words/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(words)*1000, "ns/1000words")
}
