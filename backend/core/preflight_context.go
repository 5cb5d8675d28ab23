package core

import (
	"context"
	"fmt"

	"podcastfy/backend/llm"
)

// CodeSourceTooLong is the Problem code of a source longer than the Ollama
// model reads in full (its context window): the writer then condenses it to
// its most central sentences.
const CodeSourceTooLong = "source_too_long"

// contextReporter is a writer that can say how much source its model
// writes in full (*llm.Ollama, and the app's live Ollama writer).
type contextReporter interface {
	Context(ctx context.Context) (llm.ContextInfo, error)
}

// Context reports the Ollama model's context window, for the check that a
// source fits; an error when there is no Ollama writer that can say.
func (w Writers) Context(ctx context.Context) (llm.ContextInfo, error) {
	if c, ok := w.Ollama.(contextReporter); ok {
		return c.Context(ctx)
	}
	return llm.ContextInfo{}, fmt.Errorf("the writer cannot report its context window")
}

// checkContext warns when a source of chars characters, to be written by
// Ollama, is longer than its model writes in full. It says nothing when
// the window cannot be known now: the writer check reports a silent Ollama.
func (s *Service) checkContext(ctx context.Context, req Request, chars int) []Problem {
	c, ok := s.deps.Writers.(contextReporter)
	if !ok || chars == 0 {
		return nil
	}
	v, err := s.checks.do(ctx, "context", checkTTL, func(ctx context.Context) (any, error) { return c.Context(ctx) })
	if err != nil {
		return nil
	}
	info := v.(llm.ContextInfo)
	if info.SourceChars <= 0 || info.Fits(chars) {
		return nil
	}
	field := FieldText
	if req.Text == "" {
		field = FieldSources
	}
	return []Problem{{Field: field, Code: CodeSourceTooLong, Severity: SeverityWarning, Message: fmt.Sprintf(
		"the source is %d characters; %s (context window %d tokens) writes about %d in full, so the rest will be condensed to its most central sentences: shorten it, or raise ollama.options.num_ctx if the model allows",
		chars, info.Model, info.NumCtx, info.SourceChars)}}
}
