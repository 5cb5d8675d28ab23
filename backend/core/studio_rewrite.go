package core

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
)

// Rewriter writes part of a script again (*llm.Ollama, or the app's live
// Ollama that follows the settings).
type Rewriter interface {
	Rewrite(ctx context.Context, req llm.RewriteRequest) ([]script.Line, error)
}

// RewriteRequest asks for a line, or a whole chapter, written again.
// Chapter and Line are 0-based, as in the script document; a nil Line
// means the whole chapter.
type RewriteRequest struct {
	Chapter     int    `json:"chapter"`
	Line        *int   `json:"line,omitempty"`
	Instruction string `json:"instruction"`
}

// Proposal is a rewrite for the person to accept or not: nothing is saved.
type Proposal struct {
	Lines []script.Line `json:"lines"`
}

// Rewrite fields, as the doors name them.
const (
	FieldChapter     = "chapter"
	FieldLine        = "line"
	FieldInstruction = "instruction"
)

// Rewrite has Ollama propose a new text for one line or one chapter of
// one of owner's podcasts' current script, following the instruction,
// grounded in the podcast's source. The lines come through the
// speakable-text stage like every written line. When Ollama is not the
// writer in the settings, or cannot be reached, the error is
// writer_unavailable saying why.
func (s *Studio) Rewrite(ctx context.Context, owner, id string, req RewriteRequest) (Proposal, error) {
	doc, p, err := s.load(ctx, owner, id)
	if err != nil {
		return Proposal{}, err
	}
	instruction := strings.TrimSpace(req.Instruction)
	switch {
	case instruction == "":
		return Proposal{}, apperr.Field(FieldInstruction, "say how to rewrite it, for example \"shorter\" or \"simpler\"")
	case !utf8.ValidString(instruction) || utf8.RuneCountInString(instruction) > llm.MaxInstructionRunes || strings.ContainsFunc(instruction, hidden):
		return Proposal{}, apperr.Field(FieldInstruction, "the instruction must be one line of at most %d characters", llm.MaxInstructionRunes)
	case req.Chapter < 0 || req.Chapter >= len(doc.Chapters):
		return Proposal{}, apperr.Field(FieldChapter, "the script has chapters 0 to %d, not %d", len(doc.Chapters)-1, req.Chapter)
	}
	ch := doc.Chapters[req.Chapter]
	from, to := 0, len(ch.Lines)
	if req.Line != nil {
		if *req.Line < 0 || *req.Line >= len(ch.Lines) {
			return Proposal{}, apperr.Field(FieldLine, "chapter %d has lines 0 to %d, not %d", req.Chapter, len(ch.Lines)-1, *req.Line)
		}
		from, to = *req.Line, *req.Line+1
	}
	if to == from {
		return Proposal{}, apperr.Field(FieldChapter, "chapter %d has no lines to rewrite", req.Chapter)
	}
	if err := s.rewriterReady(); err != nil {
		return Proposal{}, err
	}
	names := make([]string, len(doc.Speakers))
	for i, sp := range doc.Speakers {
		names[i] = sp.Name
	}
	source := ""
	if p.SourceText != nil {
		source = *p.SourceText
	}
	lines, err := s.rewriter.Rewrite(ctx, llm.RewriteRequest{
		Source: source, Title: doc.Title, ChapterTitle: ch.Title, Speakers: names, Language: doc.Language,
		Lines: ch.Lines, From: from, To: to, Instruction: instruction,
	})
	var lerr *llm.Error
	switch {
	case ctx.Err() != nil:
		return Proposal{}, ctx.Err()
	case errors.As(err, &lerr):
		return Proposal{}, apperr.New(apperr.WriterUnavailable, "Ollama cannot rewrite now: %s", lerr.Msg)
	case err != nil:
		return Proposal{}, apperr.New(apperr.WriterUnavailable, "Ollama cannot rewrite now: %v", err)
	}
	return Proposal{Lines: lines}, nil
}

// rewriterReady says why rewriting is unavailable: no Ollama writer, or
// settings that keep podcastfy offline.
func (s *Studio) rewriterReady() error {
	if s.rewriter == nil {
		return apperr.New(apperr.WriterUnavailable, "rewriting needs Ollama, and no Ollama writer is configured")
	}
	def, err := s.jobs.defaults()
	if err != nil {
		return err
	}
	if def.Writer == "extractive" {
		return apperr.New(apperr.WriterUnavailable,
			"rewriting needs Ollama, and the settings choose the offline writer (writer: extractive); choose auto or ollama to rewrite")
	}
	return nil
}
