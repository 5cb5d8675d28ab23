package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/balance"
	"podcastfy/backend/script"
)

// lengthSlack is how far a section may miss its budget: a section that
// streams past it is cut at a line, one that ends short of it is asked
// once to continue.
const lengthSlack = 0.15

// errEnough stops a section's stream once it has its words.
var errEnough = errors.New("the section has its words")

// writeSection writes section i, handing each line to emit as soon as it
// is complete in the model's stream and cleaned, so it can be voiced while
// the rest is written. Lines handed over are never taken back, so the
// rules of a section are kept forwards: a line that mostly repeats earlier
// sections (or this one) is left out; a stream that runs past the budget
// is cut at a line; an answer with nothing usable is asked once to be
// repaired; a section that ends short of its budget (also from lines left
// out as repeats) is asked once to continue, with the repeated points
// named. Only when nothing but repeats came is the section made of them.
//
// hosted is called once the section's first call has a host.
func (s *session) writeSection(ctx context.Context, i int, emit func(script.Line) error, hosted func()) (written, error) {
	sec := s.plan.sections[i]
	n := len(s.plan.sections)
	// What the sections finished before this one said (all of them, unless
	// sections are written in parallel).
	s.mu.Lock()
	budget := s.budgetFor(i)
	soFar, last := s.soFar()
	prev := s.lastSpeaker()
	s.mu.Unlock()
	doing := fmt.Sprintf("writing section %d of %d", i+1, n)
	user := sectionPrompt(s.req, s.plan, i, budget, s.title, soFar, last, s.wpm)
	msgs := []api.Message{{Role: "system", Content: s.system}, {Role: "user", Content: user}}
	st := &sectionStream{s: s, budget: budget, prev: prev, own: newNgramIndex(), emit: emit, hosted: hosted}
	if !sec.closes && sec.role != roleClose {
		// The wrap-up keeps its goodbye: it is short, and later budgets
		// cannot absorb its overrun anyway.
		st.limit = int(math.Round(float64(budget) * (1 + lengthSlack)))
	}
	ask := func(stage string, msgs []api.Message) (answer, error) {
		s.progress(Progress{Stage: stage, Part: i + 1, Parts: n})
		tokens := func(k int) { s.progress(Progress{Stage: stage, Part: i + 1, Parts: n, Tokens: k}) }
		return st.ask(ctx, msgs, doing, tokens)
	}
	ans, err := ask("writing", msgs)
	if err != nil {
		return written{}, err
	}
	if len(st.lines) == 0 && len(st.repeats) == 0 {
		_, problem := s.usable(ans, st.prev)
		if problem == nil {
			problem = errNoLines
		}
		s.o.log.Warn("a section is unusable; asking for a repair", "section", i+1, "problem", problem)
		msgs = append(append(msgs, echo(ans)...), api.Message{Role: "user", Content: repairPrompt(problemText(problem, ans))})
		if ans, err = ask("repairing", msgs); err != nil {
			return written{}, err
		}
		if len(st.lines) == 0 && len(st.repeats) == 0 {
			if _, p := s.usable(ans, st.prev); p != nil {
				problem = p
			}
			return written{}, newError(ErrInvalidOutput, problem,
				"the model %q wrote nothing usable for section %d of %d (%q), even when asked to fix it (%s) — try again or choose another model",
				s.o.cfg.Model, i+1, n, sec.title, shorten(problem.Error(), 300))
		}
	}
	if words := wordsOf(st.lines); !st.full && float64(words) < (1-lengthSlack)*float64(budget) {
		s.o.log.Info("asking to continue a short section", "section", i+1, "words", words, "budget", budget, "repeats", len(st.repeats))
		msgs = append(append(msgs, echo(ans)...), api.Message{Role: "user", Content: continuePrompt(budget-words, words, budget, st.repeatedPoints())})
		if _, err := ask("continuing", msgs); err != nil {
			return written{}, err
		}
	}
	if len(st.lines) == 0 {
		// Nothing but repeats, even when asked for something new: better
		// a section that says some things twice than none.
		for _, r := range st.repeats {
			if err := st.keep(r.line, r.said); err != nil {
				return written{}, err
			}
		}
	}
	s.mu.Lock()
	s.said.add(st.lines)
	s.mu.Unlock()
	return written{
		chapter: script.Chapter{Title: sec.title, Lines: st.lines},
		summary: st.summary, said: st.said, budget: budget, calls: st.calls,
	}, nil
}

// sectionStream is one section's lines as they stream in, over its calls.
type sectionStream struct {
	s      *session
	budget int
	limit  int    // words past which the stream is cut; 0: never
	prev   string // the speaker of the last line kept, or before the section
	own    *ngramIndex
	emit   func(script.Line) error
	hosted func() // called when a call has its host

	lines   []script.Line
	said    []string // each kept line's words before the speakable stage
	repeats []repeat
	summary string
	full    bool // cut at the limit
	calls   int
}

// repeat is a line left out because it says what was said before.
type repeat struct {
	line    script.Line
	said    string
	earlier string // the line it repeats
}

// ask makes one call on a host of the pool. When the host fails, it is
// taken out for a while and the call goes to another host: from the start
// when nothing of it was kept, else as a request to continue after the
// lines already handed over. With one host its error is returned as is.
func (st *sectionStream) ask(ctx context.Context, msgs []api.Message, doing string, tokens func(int)) (answer, error) {
	pool := st.s.o.pool
	tried := map[*balance.Server[*host]]bool{}
	var last error
	for {
		srv, err := pool.Acquire(ctx, tried)
		if err != nil {
			return answer{}, fmt.Errorf("writing the script stopped: %w", err)
		}
		if srv == nil {
			return answer{}, last
		}
		h := srv.Value
		st.hosted()
		before := len(st.lines)
		ans, err := st.stream(ctx, h, msgs, doing, tokens)
		failed := err != nil && hostFailure(err) && ctx.Err() == nil
		pool.Release(srv, failed)
		if !failed || len(pool.Servers()) == 1 {
			return ans, err
		}
		st.s.o.log.Warn("an Ollama host failed; its section goes to another", "host", h.base.String(), "err", err)
		tried[srv], last = true, err
		if len(st.lines) > before {
			words := wordsOf(st.lines)
			msgs = append(append(slices.Clip(msgs), echo(ans)...), api.Message{Role: "user",
				Content: continuePrompt(max(1, st.budget-words), words, st.budget, st.repeatedPoints())})
		}
	}
}

// stream makes one call on h, handing over its lines as they complete.
// After the answer ends, lines its final parse finds that the stream did
// not (shapes the scanner does not follow) are handed over too.
func (st *sectionStream) stream(ctx context.Context, h *host, msgs []api.Message, doing string, tokens func(int)) (answer, error) {
	st.calls++
	scan := newLineScanner()
	var raws []rawLine
	onContent := func(chunk string) error {
		for _, r := range scan.feed(chunk) {
			raws = append(raws, r)
			if err := st.add(r); err != nil {
				return err
			}
		}
		return nil
	}
	ans, err := st.s.chat(ctx, h, msgs, st.s.schema, st.budget, doing, tokens, onContent)
	if err != nil || st.full {
		return ans, err
	}
	parsed, perr := parseSection(ans.content)
	if perr != nil {
		return ans, nil
	}
	if parsed.summary != "" {
		st.summary = collapse(parsed.summary)
	}
	if len(parsed.lines) > len(raws) && (len(raws) == 0 || slices.Equal(parsed.lines[:len(raws)], raws)) {
		for _, r := range parsed.lines[len(raws):] {
			if err := st.add(r); err != nil {
				return ans, err
			}
			if st.full {
				break
			}
		}
	}
	return ans, nil
}

// add cleans a line as the model wrote it and keeps what is speakable and
// new; errEnough once the section has its words.
func (st *sectionStream) add(r rawLine) error {
	c := st.s.cleaner.clean([]rawLine{r}, st.prev)
	for k, l := range c.lines {
		if st.limit > 0 && len(st.lines) > 0 && wordsOf(st.lines)+wordsOf(c.lines[k:k+1]) > st.limit {
			st.full = true
			return errEnough
		}
		st.s.mu.Lock()
		earlier, again := st.s.said.repeats(l.Text)
		st.s.mu.Unlock()
		if !again {
			earlier, again = st.own.repeats(l.Text)
		}
		if again {
			st.repeats = append(st.repeats, repeat{line: l, said: c.said[k], earlier: earlier})
			continue
		}
		if err := st.keep(l, c.said[k]); err != nil {
			return err
		}
	}
	return nil
}

// keep hands a line over and records it.
func (st *sectionStream) keep(l script.Line, said string) error {
	if err := st.emit(l); err != nil {
		return err
	}
	st.lines = append(st.lines, l)
	st.said = append(st.said, said)
	st.own.add([]script.Line{l})
	st.prev = l.Speaker
	return nil
}

// repeatedPoints are the earlier lines most repeated (at most three).
func (st *sectionStream) repeatedPoints() []string {
	var out []string
	for _, r := range st.repeats {
		if len(out) < 3 && !slices.Contains(out, r.earlier) {
			out = append(out, r.earlier)
		}
	}
	return out
}

// usableSection is a usable section answer.
type usableSection struct {
	cleaned
	summary string
}

// usable parses and cleans a whole answer; it fails only when no speakable
// line remains, saying why for a repair request. prev is the speaker
// before the section, whom the first line answers when the model leaves
// its speaker out.
func (s *session) usable(ans answer, prev string) (usableSection, error) {
	parsed, err := parseSection(ans.content)
	if err != nil {
		return usableSection{}, err
	}
	c := s.cleaner.clean(parsed.lines, prev)
	if len(c.lines) == 0 {
		return usableSection{}, fmt.Errorf("none of the %d lines has words left to speak once stage directions, labels and markup are removed: write what the speakers say, as plain sentences", len(parsed.lines))
	}
	return usableSection{cleaned: c, summary: collapse(parsed.summary)}, nil
}

// problemText words a problem for the repair prompt.
func problemText(problem error, ans answer) string {
	text := "- " + problem.Error() + "\n"
	if ans.reason == "length" || errors.Is(problem, errTruncated) {
		text += "- The answer hit the length limit and was cut off: write fewer and shorter lines.\n"
	}
	return text
}

// lastSpeaker is who spoke the last line written so far.
func (s *session) lastSpeaker() string {
	if n := len(s.done); n > 0 {
		ls := s.done[n-1].chapter.Lines
		return ls[len(ls)-1].Speaker
	}
	return ""
}
