package core

import (
	"net/http/httptest"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/tts/ttstest"
)

// A form not yet filled (no text, no sources) is planned like any other:
// the plan says which writer and voices will run and what stands in their
// way, with no problem at text; only Start refuses it, at text.
func TestPreflightEmptyForm(t *testing.T) {
	tests := map[string]struct {
		down       bool // Ollama and the voice server are off
		writer     string
		problemsAt []string
	}{
		"servers up":   {writer: "ollama"},
		"servers down": {down: true, writer: "extractive", problemsAt: []string{FieldTTS + ":" + SeverityError, FieldWriter + ":" + SeverityWarning}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ollama := ollamatest.New("llama3.2")
			voices := httptest.NewServer(&ttstest.Piper{Voices: map[string]int{"en_US-ryan-medium": 22050, "en_US-lessac-medium": 22050}})
			h := newHarness(t, ollamaWriters(t, ollama), providerSource(t, voices.URL))
			if tc.down {
				ollama.Close()
				voices.Close()
			} else {
				t.Cleanup(ollama.Close)
				t.Cleanup(voices.Close)
			}
			req := Request{Owner: "u", Writer: "auto", TTS: "piper", TemplateID: "deep-dive"}
			p, err := h.svc.Preflight(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			if p.Writer != tc.writer || p.TTS != "piper" || p.Minutes == 0 {
				t.Errorf("an empty form plans %s writing and %s speaking for %g minutes, want %s and piper", p.Writer, p.TTS, p.Minutes, tc.writer)
			}
			var at []string
			for _, pr := range p.Problems {
				at = append(at, pr.Field+":"+pr.Severity)
			}
			if len(at) != len(tc.problemsAt) {
				t.Fatalf("problems %+v, want at %v", p.Problems, tc.problemsAt)
			}
			for i := range at {
				if at[i] != tc.problemsAt[i] {
					t.Fatalf("problems %+v, want at %v", p.Problems, tc.problemsAt)
				}
			}
			if tc.down {
				problemAt(t, p, FieldTTS, apperr.Unavailable, SeverityError, "the piper voices are not available")
				problemAt(t, p, FieldWriter, CodeOfflineWriter, SeverityWarning, "offline extractive writer")
			}
			if _, err := h.svc.Start(t.Context(), req); apperr.From(err).Field != FieldText || apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("Start of an empty form = %v, want a refusal at text", err)
			}
			if jobs := h.svc.List(t.Context(), ""); len(jobs) != 0 {
				t.Fatalf("a refused start left jobs %+v", jobs)
			}
		})
	}
}
