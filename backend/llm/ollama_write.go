package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/script"
)

const (
	// maxAnswerBytes stops a model that repeats itself forever.
	maxAnswerBytes = 1 << 20
	// maxEchoBytes: a failed answer longer than this is not sent back with
	// a repair or rewrite request, to keep within the context window.
	maxEchoBytes = 16000
	// progressEvery throttles token progress reports.
	progressEvery = 100 * time.Millisecond
	// maxSoFar bounds the running summary in a section's prompt.
	maxSoFar = 1500
)

var errTooLong = errors.New("answer too long")

// Write implements Writer, outline first: it checks the model
// (ErrUnreachable, ErrModelMissing), divides the target length and the
// source among sections (planSections), asks for an outline naming each
// section's title and points, then writes the sections one call at a time,
// each with the outline, a running summary and its word budget. Every line
// is cleaned rather than refused (lineCleaner); a section is asked once to
// repair an unusable answer (ErrInvalidOutput when that fails too) and once
// to rewrite one that misses its budget by more than 15% or repeats earlier
// sections. Req.OnLine receives each line as soon as it is complete in the
// model's stream (see writeSection) and
// req.Warn the job's warnings (a condensed source, lines naming things the
// source does not). Other failures are ErrEmptySource, ErrSourceTooLarge,
// ErrNoSpeakers, ErrStalled, ErrInterrupted, ErrOllama, or ctx's error.
func (o *Ollama) Write(ctx context.Context, req Request, progress ProgressFunc) (script.Script, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	src, names, err := prepare(req, MaxSourceBytes)
	if err != nil {
		return script.Script{}, err
	}
	progress(Progress{Stage: "checking"})
	if err := o.Check(ctx); err != nil {
		return script.Script{}, err
	}
	// The model's context length only lowers num_ctx; a server that will
	// not tell is used with the configured one.
	modelLength, err := o.modelContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return script.Script{}, fmt.Errorf("writing the script stopped: %w", ctx.Err())
		}
		o.log.Warn("the model's context length is unknown", "err", err)
	}
	lang := req.Language
	if lang == "" {
		lang = req.Template.Language
	}
	srcLang := sourceLanguage(src, lang)
	doc := script.PrepareSource(src, srcLang)
	if doc.Words() == 0 {
		return script.Script{}, fmt.Errorf("the source text has nothing that can be read aloud once code, tables and markup are left out: %w", ErrEmptySource)
	}
	s := &session{
		o: o, req: req, doc: doc, lang: lang, srcLang: srcLang, names: names, progress: progress, warn: req.Warn,
		numCtx: o.numCtx(modelLength), system: systemPrompt(req.Template, names, lang),
		cleaner: newLineCleaner(names, lang), said: newNgramIndex(), schema: sectionSchema(names),
		wpm: float64(TargetWords(req.Template, 1)),
		// The raw source and what the model was shown ("Dr." as "Doctor").
		ground: newGroundingCheck(src, lang, doc.Text(), req.Title, req.Focus, req.Template.Name, req.Template.Description,
			req.Template.LLMPromptInstructions, strings.Join(names, " ")),
	}
	if s.warn == nil {
		s.warn = func(string) {}
	}
	return s.run(ctx)
}

// session is the state of writing one script.
type session struct {
	o        *Ollama
	req      Request
	doc      script.Source // the source after the speakable stage
	lang     string        // the podcast's language
	srcLang  string        // the source's language, for its key words
	names    []string
	progress ProgressFunc
	warn     func(string)
	numCtx   int
	system   string
	schema   json.RawMessage
	cleaner  *lineCleaner
	said     *ngramIndex
	ground   *groundingCheck
	wpm      float64

	plan    plan
	title   string       // the outline's episode title
	summary string       // the outline's episode summary
	done    []written    // the sections finished, in order; under mu
	mu      sync.Mutex   // guards done and said while sections are written in parallel
	calls   atomic.Int64 // chat calls made
}

// written is a finished section.
type written struct {
	chapter script.Chapter
	summary string
	said    []string // the lines before the speakable stage, for grounding
	budget  int
	calls   int
}

func (s *session) run(ctx context.Context) (script.Script, error) {
	target := TargetWords(s.req.Template, s.req.Minutes)
	partChars := partCharsForContext(s.numCtx, s.o.cfg.PartChars)
	p, err := planSections(ctx, s.doc, target, partChars, s.o.cfg.MaxParts)
	if err != nil {
		return script.Script{}, err
	}
	s.plan = p
	if p.kept < 1 {
		s.warn(fmt.Sprintf("The source is longer than %d sections of the model's context window (num_ctx %d tokens) can hold, so the script covers its most central sentences, about %.0f%% of it. Raise ollama.options.num_ctx if this computer has the memory, choose a longer episode, or split the source.",
			s.o.cfg.MaxParts, s.numCtx, 100*p.kept))
	}
	if err := s.outline(ctx); err != nil {
		return script.Script{}, err
	}
	if err := s.writeSections(ctx); err != nil {
		return script.Script{}, err
	}
	sc := s.assemble()
	if msg := s.grounding(); msg != "" {
		s.warn(msg)
	}
	s.closingNote(sc)
	return sc, nil
}

// budgetFor is section i's budget, corrected for what the sections before
// it wrote over or under theirs, so the episode as a whole keeps to the
// target. The correction is bounded so one runaway section cannot starve
// the rest.
func (s *session) budgetFor(i int) int {
	planned, written := 0, 0
	for j, w := range s.done {
		planned += s.plan.sections[j].budget
		written += wordsOf(w.chapter.Lines)
	}
	rest := 0
	for _, sec := range s.plan.sections[i:] {
		rest += sec.budget
	}
	b := s.plan.sections[i].budget
	if rest == 0 || planned == 0 {
		return b
	}
	scaled := float64(b) * float64(rest-(written-planned)) / float64(rest)
	return int(math.Round(min(1.4*float64(b), max(0.7*float64(b), scaled))))
}

// soFar is the running summary of the sections written, the most recent
// kept when it grows long, and the line the last one ended on.
func (s *session) soFar() (string, string) {
	var lines []string
	for i, w := range s.done {
		sum := w.summary
		if sum == "" {
			sum = strings.Join(s.plan.sections[i].points, "; ")
		}
		lines = append(lines, fmt.Sprintf("- Section %d (%s): %s\n", i+1, w.chapter.Title, shorten(sum, 300)))
	}
	total := 0
	for i := len(lines) - 1; i >= 0; i-- {
		total += len(lines[i])
		if total > maxSoFar {
			lines = lines[i+1:]
			break
		}
	}
	last := ""
	if n := len(s.done); n > 0 {
		ls := s.done[n-1].chapter.Lines
		l := ls[len(ls)-1]
		last = fmt.Sprintf("%s said %q", l.Speaker, shorten(l.Text, 300))
	}
	return strings.Join(lines, ""), last
}

// assemble joins the sections into the script, one chapter each.
func (s *session) assemble() script.Script {
	sc := script.Script{Title: or(s.title, s.doc.Title), Summary: s.summary}
	if t := strings.TrimSpace(s.req.Title); t != "" {
		sc.Title = t
	}
	if sc.Summary == "" {
		var sums []string
		for _, w := range s.done {
			if w.summary != "" {
				sums = append(sums, w.summary)
			}
		}
		sc.Summary = shorten(strings.Join(sums, " "), 600)
	}
	for _, w := range s.done {
		sc.Chapters = append(sc.Chapters, w.chapter)
	}
	return sc
}

// grounding flags names and numbers the source does not have.
func (s *session) grounding() string {
	flagged := make([][]string, len(s.done))
	for i, w := range s.done {
		for _, said := range w.said {
			flagged[i] = append(flagged[i], s.ground.flag(said)...)
		}
	}
	return groundingWarning(flagged)
}

// closingNote logs how the script was written: the calls, each section's
// words against its budget, and the length against the target.
func (s *session) closingNote(sc script.Script) {
	var b strings.Builder
	for i, w := range s.done {
		fmt.Fprintf(&b, "%d. %q %d/%d words in %d calls; ", i+1, w.chapter.Title, wordsOf(w.chapter.Lines), w.budget, w.calls)
	}
	words := sc.Words()
	s.o.log.Info("script written", "calls", s.calls.Load(), "sections", len(s.done), "words", words, "target", s.plan.target,
		"off", fmt.Sprintf("%+.1f%%", 100*(float64(words)/float64(s.plan.target)-1)), "perSection", strings.TrimSuffix(b.String(), "; "))
}

func wordsOf(lines []script.Line) int {
	n := 0
	for _, l := range lines {
		n += len(strings.Fields(l.Text))
	}
	return n
}

// answer is one streamed reply.
type answer struct {
	content string
	reason  string // done_reason
	tokens  int
}

// chat streams one reply, cancelling it when Ollama stays silent for the
// idle timeout. words sizes the answer's token limit; doing names the step
// for error messages. onContent, when set, receives the content as it
// streams: errEnough ends the reply there as complete, any other error
// stops it and is returned as it is.
func (s *session) chat(ctx context.Context, h *host, msgs []api.Message, format json.RawMessage, words int, doing string, onTokens func(int), onContent func(string) error) (answer, error) {
	o := s.o
	s.calls.Add(1)
	parent := ctx
	ctx, watch := o.watchdog(ctx)
	defer watch.stop()
	stream := true
	req := &api.ChatRequest{
		Model:    o.cfg.Model,
		Messages: msgs,
		Stream:   &stream,
		Format:   format,
		Options: map[string]any{
			"temperature": *o.cfg.Temperature,
			"top_p":       *o.cfg.TopP,
			"num_ctx":     s.numCtx,
			// About two tokens a word plus the JSON around the lines; a bound
			// stops a model that loops.
			"num_predict": 3*words + 600,
		},
		KeepAlive: &api.Duration{Duration: o.cfg.KeepAlive},
		// Thinking would spend the budget before the answer; the format is
		// validated anyway (protocols.md: format may be ignored with think:false).
		Think: &api.ThinkValue{Value: false},
	}
	var b strings.Builder
	var ans answer
	done := false
	var stopped error // onContent's error
	var last time.Time
	err := h.client.Chat(ctx, req, func(r api.ChatResponse) error {
		watch.alive()
		if r.Message.Content != "" || r.Message.Thinking != "" {
			ans.tokens++
			if now := time.Now(); ans.tokens == 1 || now.Sub(last) >= progressEvery {
				last = now
				onTokens(ans.tokens)
			}
		}
		if b.Len()+len(r.Message.Content) > maxAnswerBytes {
			return errTooLong
		}
		b.WriteString(r.Message.Content)
		if r.Done {
			done, ans.reason = true, r.DoneReason
		}
		if onContent != nil && r.Message.Content != "" {
			if err := onContent(r.Message.Content); err != nil {
				stopped = err
				return err
			}
		}
		return nil
	})
	ans.content = b.String()
	switch {
	case errors.Is(stopped, errEnough):
		// Enough was said: the rest of the answer is not needed.
		onTokens(ans.tokens)
		return answer{content: ans.content, reason: "enough", tokens: ans.tokens}, nil
	case stopped != nil:
		return ans, stopped
	}
	// The client stops quietly when the body breaks off (a cancel, a stall,
	// a crash), so a missing final line is the sign.
	if err == nil && !done && ctx.Err() != nil {
		err = ctx.Err()
	}
	switch {
	case errors.Is(err, errTooLong):
		return ans, newError(ErrInvalidOutput, err, "the model's answer grew past %s without ending while %s — it is probably repeating itself; try another model", sizeText(maxAnswerBytes), doing)
	case err != nil && parent.Err() != nil:
		return ans, fmt.Errorf("writing the script stopped: %w", parent.Err())
	case err != nil:
		return ans, o.classifyAt(h.base, ctx, err, doing)
	case !done:
		return ans, o.interruptedAt(h.base, nil, doing)
	}
	onTokens(ans.tokens)
	return ans, nil
}
