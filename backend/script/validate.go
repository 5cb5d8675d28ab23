package script

import (
	"fmt"
	"strings"
)

// maxProblems bounds how many problems a ValidationError collects, so a
// hopeless script (or hostile input) cannot produce a huge error.
const maxProblems = 50

// Problem is one reason a script cannot be spoken. Chapter and Line are
// 1-based; Line is 0 when the problem concerns a whole chapter, and both are
// 0 when it concerns the whole script.
type Problem struct {
	Chapter int    `json:"chapter"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Chapter == 0:
		return "the script " + p.Message
	case p.Line == 0:
		return fmt.Sprintf("chapter %d %s", p.Chapter, p.Message)
	}
	return fmt.Sprintf("chapter %d, line %d %s", p.Chapter, p.Line, p.Message)
}

// ValidationError lists what is wrong with a script. Its Details are worded
// so they can be handed back to an LLM as a repair prompt.
type ValidationError struct {
	Problems []Problem
	// More counts problems found beyond those listed.
	More int
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, min(len(e.Problems), 5)+1)
	for i, p := range e.Problems {
		if i == 5 {
			break
		}
		parts = append(parts, p.String())
	}
	if rest := len(e.Problems) + e.More - len(parts); rest > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", rest))
	}
	return "the script is not usable: " + strings.Join(parts, "; ")
}

// Details lists every collected problem, one per line.
func (e *ValidationError) Details() string {
	var b strings.Builder
	for _, p := range e.Problems {
		b.WriteString("- ")
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "- and %d more problems like these\n", e.More)
	}
	return b.String()
}

func (e *ValidationError) add(chapter, line int, format string, args ...any) {
	if len(e.Problems) >= maxProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, Problem{Chapter: chapter, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Validate checks that the script can be voiced by a show with these
// speakers: at least one chapter with one line, every line's speaker one of
// speakers (ignoring case and surrounding spaces), no empty text, and nothing
// a TTS engine would read aloud as markup (see [TextChecker.Problems]). It
// returns a *ValidationError listing every problem with its chapter and line.
func (s Script) Validate(speakers []string) error {
	verr := &ValidationError{}
	canon := canonicalNames(speakers)
	if len(canon) == 0 {
		verr.add(0, 0, "cannot be checked: the show names no speakers")
		return verr
	}
	known := quotedNames(speakers)
	if s.LineCount() == 0 {
		verr.add(0, 0, "has no lines: write at least one chapter with one line")
	}
	checker := NewTextChecker(speakers)
	for ci, ch := range s.Chapters {
		if len(ch.Lines) == 0 && s.LineCount() > 0 {
			verr.add(ci+1, 0, "has no lines: give it lines or leave it out")
		}
		for li, l := range ch.Lines {
			switch name := speakerKey(l.Speaker); {
			case name == "":
				verr.add(ci+1, li+1, "has no speaker: use one of %s", known)
			case canon[name] == "":
				verr.add(ci+1, li+1, "has the unknown speaker %q: use one of %s", snippet(l.Speaker), known)
			}
			for _, p := range checker.Problems(l.Text) {
				verr.add(ci+1, li+1, "%s", p)
			}
		}
	}
	if len(verr.Problems) == 0 {
		return nil
	}
	return verr
}

// Normalize applies only safe fixes: speaker names in their canonical
// spelling, whitespace trimmed and collapsed to single spaces, a line's
// own "Speaker:" label removed from the start of its text, and a line
// longer than MaxLineWords or MaxLineRunes cut into several lines of the
// same speaker (linelen.go), whatever writer made it.
func (s *Script) Normalize(speakers []string) {
	canon := canonicalNames(speakers)
	s.Title = collapseSpaces(s.Title)
	s.Summary = collapseSpaces(s.Summary)
	for ci := range s.Chapters {
		ch := &s.Chapters[ci]
		ch.Title = collapseSpaces(ch.Title)
		for li := range ch.Lines {
			l := &ch.Lines[li]
			if c := canon[speakerKey(l.Speaker)]; c != "" {
				l.Speaker = c
			} else {
				l.Speaker = collapseSpaces(l.Speaker)
			}
			l.Text = stripOwnLabel(collapseSpaces(l.Text), l.Speaker)
		}
		ch.boundLines()
	}
}

// stripOwnLabel removes "Name:" from the start of a line spoken by Name.
func stripOwnLabel(text, speaker string) string {
	if speaker == "" || len(text) <= len(speaker) || !strings.EqualFold(text[:len(speaker)], speaker) {
		return text
	}
	rest := strings.TrimLeft(text[len(speaker):], " ")
	if !strings.HasPrefix(rest, ":") {
		return text
	}
	return strings.TrimSpace(rest[1:])
}

// canonicalNames maps a lookup key to the speaker's spelling in the template.
func canonicalNames(speakers []string) map[string]string {
	m := make(map[string]string, len(speakers))
	for _, s := range speakers {
		if k := speakerKey(s); k != "" {
			if _, dup := m[k]; !dup {
				m[k] = strings.TrimSpace(s)
			}
		}
	}
	return m
}

func speakerKey(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ":")))
}

func quotedNames(speakers []string) string {
	q := make([]string, 0, len(speakers))
	for _, s := range speakers {
		if s = strings.TrimSpace(s); s != "" {
			q = append(q, fmt.Sprintf("%q", s))
		}
	}
	return strings.Join(q, ", ")
}

// collapseSpaces trims s and turns every run of whitespace into one space.
func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
