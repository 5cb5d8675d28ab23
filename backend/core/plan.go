package core

import (
	"context"

	"podcastfy/backend/llm"
)

// Plan is what a request will give, known before its job starts: the
// length asked for and, for text the offline writer would use, the length
// the text can fill.
type Plan struct {
	Minutes float64 `json:"minutes"` // the target, after defaults
	// FillMinutes is the longest podcast the offline writer can make from
	// the text; 0 when the request has sources still to read.
	FillMinutes float64 `json:"fillMinutes,omitempty"`
	// Note says, when the text is too short for the target, how long the
	// podcast will be instead; the job repeats it in its warning.
	Note string `json:"note,omitempty"`
}

// Plan checks a request as Start would and tells what it will give,
// without starting anything.
func (s *Service) Plan(ctx context.Context, req Request) (Plan, error) {
	req, err := s.normalise(req)
	if err != nil {
		return Plan{}, err
	}
	return s.plan(req), ctx.Err()
}

// plan works on a normalised request. Only pasted text is measured: sources
// are read when the job runs, and the writer warns then.
func (s *Service) plan(req Request) Plan {
	p := Plan{Minutes: req.Minutes}
	if req.Text == "" || len(req.Sources) > 0 || req.Writer == "ollama" {
		return p
	}
	tpl, err := s.templateFor(req.Owner, req.TemplateID)
	if err != nil {
		return p
	}
	p.FillMinutes = llm.ExtractiveMinutes(req.Text, &tpl, req.Language)
	if p.FillMinutes < 0.9*req.Minutes {
		p.Note = llm.ShortfallNote(p.FillMinutes, req.Minutes)
	}
	return p
}
