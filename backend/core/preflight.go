package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"podcastfy/backend/apperr"
)

// Severities of a Problem.
const (
	SeverityError   = "error"   // the job would fail: Start refuses it
	SeverityWarning = "warning" // the job runs, but not quite as asked
)

// Codes of Problems, besides apperr.Invalid (a field's value is wrong) and
// apperr.Unavailable (a server or program the job needs does not answer).
const (
	CodeOfflineWriter  = "offline_writer"  // writer auto will use the offline writer
	CodeShortSource    = "short_source"    // the offline writer cannot fill the length
	CodePrivateAddress = "private_address" // a page on this machine's network, asked from the LAN
	CodeNoAnswer       = "no_answer"       // a server did not answer within PreflightBudget
	CodeVoiceLanguage  = "voice_language"  // a voice the person chose speaks another language
	// CodeSourceTooLong (preflight_context.go): longer than the model reads in full.
)

// PreflightBudget is the longest the checks of Preflight (and Start) wait
// for the servers they ask; a server that has not answered by then is a
// warning, and its answer is kept for the next check.
const PreflightBudget = 2 * time.Second

// checkTTL is how long a server's answer is reused: long enough that a form
// planning on every pause in typing asks each server at most once in a few
// seconds, short enough that a server started meanwhile is seen at once.
const checkTTL = 4 * time.Second

// Problem is something found about a request before its job starts, at the
// request field it concerns.
type Problem struct {
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// Plan is what a request will give, known before its job starts.
type Plan struct {
	// Writer is the writer that will write: "ollama" or "extractive" (what
	// was asked when a problem says it cannot be known).
	Writer string `json:"writer"`
	// TTS is the provider that will speak.
	TTS string `json:"tts"`
	// Minutes is the length asked for, after defaults.
	Minutes float64 `json:"minutes"`
	// MinutesFillable is the longest podcast the offline writer can make
	// from the sources; 0 when not known before the job reads them (web
	// pages, recordings, uploads still to come).
	MinutesFillable float64 `json:"minutesFillable,omitempty"`
	// Problems are errors first, then warnings.
	Problems []Problem `json:"problems"`
}

// Refusal is Start's error for a request whose checks found errors: the
// first one gives the field, the code is apperr.Invalid, and Problems has
// them all for a door that can show each at its field.
type Refusal struct {
	Problems []Problem
}

func (r *Refusal) Error() string      { return r.Problems[0].Message }
func (r *Refusal) ErrorCode() string  { return apperr.Invalid }
func (r *Refusal) ErrorField() string { return r.Problems[0].Field }

// refusal is the plan's errors as a *Refusal, or nil when there are none.
func (p Plan) refusal() error {
	var errs []Problem
	for _, pr := range p.Problems {
		if pr.Severity == SeverityError {
			errs = append(errs, pr)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &Refusal{Problems: errs}
}

// warnings are the plan's warnings, one per line.
func (p Plan) warnings() string {
	out := ""
	for _, pr := range p.Problems {
		if pr.Severity == SeverityWarning {
			if out != "" {
				out += "\n"
			}
			out += pr.Message
		}
	}
	return out
}

// Preflight checks a request as Start does, without starting anything, and
// tells what it will give: the writer and TTS provider that will run, the
// length the offline writer can fill, and every problem at its field. Files
// and recordings may be named without a path (uploads still to come), and a
// request with neither text nor sources (a form not yet filled) is planned
// without a problem at text: Start refuses it, a plan of it says what will
// run and what stands in the way. It
// waits at most PreflightBudget for the servers it asks; their answers are
// kept briefly, so calling it as a person types is cheap. The error is for
// what is not about the request (settings that do not load, ctx ended).
func (s *Service) Preflight(ctx context.Context, req Request) (Plan, error) {
	asked := req.Voices
	n, probs, err := s.normaliseAll(req)
	if err != nil {
		return Plan{}, err
	}
	if n == nil {
		sortProblems(probs)
		return Plan{Writer: req.Writer, TTS: req.TTS, Minutes: req.Minutes, Problems: probs}, nil
	}
	_, plan, err := s.liveChecks(ctx, *n, asked, true)
	if err != nil {
		return Plan{}, err
	}
	// A warning about a field already at fault concerns its default, which
	// the person did not ask for.
	for _, pr := range plan.Problems {
		if !slices.ContainsFunc(probs, func(e Problem) bool { return e.Field == pr.Field }) {
			probs = append(probs, pr)
		}
	}
	plan.Problems = probs
	if plan.Problems == nil {
		plan.Problems = []Problem{} // "none", for the doors' JSON
	}
	sortProblems(plan.Problems)
	return plan, nil
}

// normaliseAll is normalise, finding every field's problem rather than the
// first: each field at fault is reported, then left out (to its default)
// and the request checked again. It gives the request once it passes, or
// nil when a field cannot be left out (a default that fails the same way).
func (s *Service) normaliseAll(req Request) (*Request, []Problem, error) {
	var probs []Problem
	seen := map[string]bool{}
	for {
		n, err := s.normalise(req, true)
		if err == nil {
			return &n, probs, nil
		}
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Field == "" {
			return nil, nil, err
		}
		if seen[fe.Field] {
			return nil, probs, nil
		}
		seen[fe.Field] = true
		probs = append(probs, Problem{Field: fe.Field, Code: fe.Code, Message: fe.Message, Severity: SeverityError})
		if !leaveOut(&req, fe.Field) {
			return nil, probs, nil
		}
	}
}

// leaveOut sets a request field back to "not given".
func leaveOut(req *Request, field string) bool {
	switch field {
	case FieldText:
		req.Text = ""
	case FieldTitle:
		req.Title = ""
	case FieldTemplate:
		req.TemplateID = ""
	case FieldMinutes:
		req.Minutes = 0
	case FieldLanguage:
		req.Language = ""
	case FieldFocus:
		req.Focus = ""
	case FieldVoices:
		req.Voices = nil
	case FieldWriter:
		req.Writer = ""
	case FieldTTS:
		req.TTS = ""
	case FieldSources:
		req.Sources = nil
	default:
		return false
	}
	return true
}

// liveChecks asks what a normalised request depends on, in parallel and
// within PreflightBudget: the writer, the TTS provider and its voices for
// the language, the sources' servers and rules, and the length the
// offline writer can fill. It returns the request with the voices picked
// for its language. When planning, local documents are read to measure
// them (their text is kept briefly); Start measures pasted text only, as
// the job reads the documents anyway.
func (s *Service) liveChecks(ctx context.Context, req Request, asked map[string]string, planning bool) (Request, Plan, error) {
	plan := Plan{Writer: req.Writer, TTS: req.TTS, Minutes: req.Minutes}
	tpl, err := s.templateFor(req.Owner, req.TemplateID)
	if err != nil { // normalise found it a moment ago
		return req, plan, apperr.Field(FieldTemplate, "template %q: %v", clipText(req.TemplateID), err)
	}
	bctx, cancel := context.WithTimeout(ctx, PreflightBudget)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		fill  float64
		chars int
		known bool
	)
	add := func(p ...Problem) {
		mu.Lock()
		plan.Problems = append(plan.Problems, p...)
		mu.Unlock()
	}
	voiced := req
	wg.Go(func() {
		name, probs := s.checkWriter(bctx, req.Writer)
		mu.Lock()
		plan.Writer = name
		mu.Unlock()
		add(probs...)
	})
	wg.Go(func() {
		var probs []Problem
		voiced, probs = s.checkVoices(ctx, req, tpl, asked)
		add(probs...)
	})
	wg.Go(func() { add(s.checkSourceServers(bctx, req)...) })
	wg.Go(func() {
		var probs []Problem
		fill, chars, known, probs = s.fillable(bctx, req, tpl, planning)
		add(probs...)
	})
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return req, plan, err
	}
	if known && plan.Writer == "ollama" {
		add(s.checkContext(bctx, req, chars)...)
	}
	if known {
		plan.MinutesFillable = fill
		if plan.Writer == "extractive" && fill < 0.9*req.Minutes {
			add(Problem{Field: FieldMinutes, Code: CodeShortSource, Severity: SeverityWarning,
				Message: shortfall(fill, req.Minutes)})
		}
	}
	sortProblems(plan.Problems)
	return voiced, plan, nil
}

// noAnswer is the warning for a check that ran out of PreflightBudget.
func noAnswer(field, what string) Problem {
	return Problem{Field: field, Code: CodeNoAnswer, Severity: SeverityWarning,
		Message: fmt.Sprintf("%s did not answer within %g seconds; the job will try again when it starts", what, PreflightBudget.Seconds())}
}

// timedOut reports a check that ran out of time: the budget, or the run's
// own limit (a server that takes that long is as good as silent).
func timedOut(ctx context.Context, err error) bool {
	return err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded))
}

// checkWriter resolves the writer as a job starting now would: Ollama not
// answering or without its model is an error for writer ollama and a
// warning for writer auto (the offline writer stands in).
func (s *Service) checkWriter(ctx context.Context, name string) (string, []Problem) {
	type answer struct{ name, warning string }
	v, err := s.checks.do(ctx, "writer\x00"+name, checkTTL, func(ctx context.Context) (any, error) {
		w, warning, err := s.deps.Writers.Writer(ctx, name)
		if err != nil {
			return nil, err
		}
		return answer{w.Name(), warning}, nil
	})
	switch {
	case timedOut(ctx, err):
		return name, []Problem{noAnswer(FieldWriter, "Ollama")}
	case err != nil:
		return name, []Problem{{Field: FieldWriter, Code: apperr.Unavailable, Severity: SeverityError, Message: err.Error()}}
	}
	a := v.(answer)
	if a.warning == "" {
		return a.name, nil
	}
	return a.name, []Problem{{Field: FieldWriter, Code: CodeOfflineWriter, Severity: SeverityWarning, Message: a.warning}}
}

// problemOrder is the order of the form's fields, for listing problems.
var problemOrder = []string{FieldText, FieldSources, FieldTitle, FieldTemplate, FieldMinutes, FieldLanguage,
	FieldVoices, FieldFocus, FieldWriter, FieldTTS}

// sortProblems puts errors first, each severity in the form's field order.
func sortProblems(ps []Problem) {
	rank := func(f string) int {
		if i := slices.Index(problemOrder, f); i >= 0 {
			return i
		}
		return len(problemOrder) // voices.<speaker>
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Severity != b.Severity {
			if a.Severity == SeverityError {
				return -1
			}
			return 1
		}
		return cmp.Compare(rank(a.Field), rank(b.Field))
	})
}

// ForgetChecks drops the servers' answers Preflight keeps; call it when
// the settings change, so the next check asks the servers they name.
func (s *Service) ForgetChecks() { s.checks.forget() }

// Refused reports whether the plan has errors: Start would refuse it.
func (p Plan) Refused() bool { return p.refusal() != nil }
