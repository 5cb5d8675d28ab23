package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/script"
)

// lengthSlack is how far a section may miss its budget before it is asked
// to extend or trim once.
const lengthSlack = 0.15

// writeSection writes section i: one call, one repair request when nothing
// usable came back, and one rewrite request when the section misses its
// budget or repeats earlier sections (the better of the two versions is
// kept).
func (s *session) writeSection(ctx context.Context, i int) (written, error) {
	sec := s.plan.sections[i]
	n := len(s.plan.sections)
	budget := s.budgetFor(i)
	doing := fmt.Sprintf("writing section %d of %d", i+1, n)
	soFar, last := s.soFar()
	user := sectionPrompt(s.req, s.plan, i, budget, s.title, soFar, last, s.wpm)
	msgs := []api.Message{{Role: "system", Content: s.system}, {Role: "user", Content: user}}
	calls := s.calls
	tokens := func(stage string) func(int) {
		return func(k int) { s.progress(Progress{Stage: stage, Part: i + 1, Parts: n, Tokens: k}) }
	}
	s.progress(Progress{Stage: "writing", Part: i + 1, Parts: n})
	ans, err := s.chat(ctx, msgs, s.schema, budget, doing, tokens("writing"))
	if err != nil {
		return written{}, err
	}
	prev := s.lastSpeaker()
	got, problem := s.usable(ans, prev)
	if problem != nil {
		s.o.log.Warn("a section is unusable; asking for a repair", "section", i+1, "problem", problem)
		msgs = append(append(msgs, echo(ans)...), api.Message{Role: "user", Content: repairPrompt(problemText(problem, ans))})
		s.progress(Progress{Stage: "repairing", Part: i + 1, Parts: n})
		if ans, err = s.chat(ctx, msgs, s.schema, budget, doing, tokens("repairing")); err != nil {
			return written{}, err
		}
		if got, problem = s.usable(ans, prev); problem != nil {
			return written{}, newError(ErrInvalidOutput, problem,
				"the model %q wrote nothing usable for section %d of %d (%q), even when asked to fix it (%s) — try again or choose another model",
				s.o.cfg.Model, i+1, n, sec.title, shorten(problem.Error(), 300))
		}
	}
	if asks := s.revisions(got, budget); len(asks) > 0 {
		s.o.log.Info("asking for a rewrite", "section", i+1, "words", wordsOf(got.lines), "budget", budget, "asks", asks)
		msgs = append(append(msgs, echo(ans)...), api.Message{Role: "user", Content: revisePrompt(asks)})
		s.progress(Progress{Stage: "revising", Part: i + 1, Parts: n})
		again, err := s.chat(ctx, msgs, s.schema, budget, doing, tokens("revising"))
		if err != nil {
			return written{}, err
		}
		if better, problem := s.usable(again, prev); problem == nil && s.score(better, budget) < s.score(got, budget) {
			got = better
		}
	}
	s.said.add(got.lines)
	return written{
		chapter: script.Chapter{Title: sec.title, Lines: got.lines},
		summary: got.summary, said: got.said, budget: budget, calls: s.calls - calls,
	}, nil
}

// usableSection is a usable section answer.
type usableSection struct {
	cleaned
	summary string
}

// usable parses and cleans an answer; it fails only when no speakable line
// remains. prev is the speaker before the section, whom the first line
// answers when the model leaves its speaker out.
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

// revisions lists what a usable section should change: its length when it
// misses the budget by more than lengthSlack, and the points it repeats
// from earlier sections.
func (s *session) revisions(got usableSection, budget int) []string {
	var asks []string
	words := wordsOf(got.lines)
	switch off := float64(words)/float64(budget) - 1; {
	case off < -lengthSlack:
		asks = append(asks, fmt.Sprintf("It has %d words but must have about %d: keep what is there and add to it — more of the source's details and examples, and the other speaker's questions and reactions.", words, budget))
	case off > lengthSlack:
		asks = append(asks, fmt.Sprintf("It has %d words but must have about %d: shorten it, keeping the most important points and fewer, shorter lines.", words, budget))
	}
	if share, repeated := s.said.overlap(got.lines); share > repeatShare {
		quoted := make([]string, len(repeated))
		for i, r := range repeated {
			quoted[i] = fmt.Sprintf("%q", r)
		}
		asks = append(asks, fmt.Sprintf("It repeats what earlier sections already said (%.0f%% of its phrases), such as: %s. Leave those points out and say something new about this section's own points.",
			100*share, strings.Join(quoted, "; ")))
	}
	return asks
}

// score is how far a version is from what was asked (lower is better):
// its miss of the budget, and repetition counted double.
func (s *session) score(got usableSection, budget int) float64 {
	share, _ := s.said.overlap(got.lines)
	return math.Abs(float64(wordsOf(got.lines))/float64(budget)-1) + 2*share
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
