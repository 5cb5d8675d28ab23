package llm

import (
	"regexp"
	"strings"

	"podcastfy/backend/script"
)

// lineCleaner turns the lines a model wrote into lines a voice can speak:
// speakers resolved, merged turns split, cues and labels stripped (script's
// CueCleaner), then the speakable-text stage every writer uses
// (script.Speakable), and finally the checks script.Validate applies, so
// nothing reaches the synthesiser that validation would refuse. It is safe
// for concurrent use.
type lineCleaner struct {
	cues    *script.CueCleaner
	checker *script.TextChecker
	names   []string
	lang    string
}

func newLineCleaner(names []string, lang string) *lineCleaner {
	return &lineCleaner{cues: script.NewCueCleaner(names), checker: script.NewTextChecker(names), names: names, lang: lang}
}

// cleaned is a section's lines after cleaning.
type cleaned struct {
	lines []script.Line
	// said holds each line's words before the speakable stage wrote out
	// numbers: the grounding check compares them with the source.
	said    []string
	dropped int
}

// clean cleans lines in order; prev is the speaker of the line before them
// (for lines whose speaker the model left out).
func (c *lineCleaner) clean(raw []rawLine, prev string) cleaned {
	var out cleaned
	for _, r := range raw {
		speaker := c.speaker(r.speaker, prev)
		for _, turn := range c.cues.Split(r.text) {
			if turn.Speaker != "" {
				speaker = c.speaker(turn.Speaker, prev)
			}
			said := c.cues.Clean(turn.Text)
			text := c.speakable(said)
			if text == "" {
				out.dropped++
				continue
			}
			out.lines = append(out.lines, script.Line{Speaker: speaker, Text: text})
			out.said = append(out.said, said)
			prev = speaker
			speaker = c.next(speaker) // a later turn without a label is someone else's
		}
	}
	return out
}

// speakable runs the speakable-text stage and the validation checks,
// scrubbing what is left of markup once; "" means nothing speakable
// remains.
func (c *lineCleaner) speakable(text string) string {
	if text == "" {
		return ""
	}
	text = script.Speakable(text, c.lang)
	if text == "" || c.checker.Problems(text) == nil {
		return text
	}
	text = script.Speakable(scrub(text), c.lang)
	if text == "" || c.checker.Problems(text) != nil {
		return ""
	}
	return text
}

// reLeftovers is markup that survived every rule: the characters
// script.Validate refuses, dropped one by one.
var reLeftovers = regexp.MustCompile("[*\\[\\]{}`#<>|~]+|_{2,}|(?i)\\bhttps?://\\S+|\\bwww\\.\\S+")

func scrub(text string) string {
	return strings.Join(strings.Fields(reLeftovers.ReplaceAllString(text, " ")), " ")
}

// genericRoles maps role labels models use instead of names to the
// speaker's position.
var genericRoles = map[string]int{
	"host": 0, "speaker 1": 0, "speaker1": 0, "speaker a": 0, "person a": 0, "narrator": 0, "interviewer": 0, "moderator": 0,
	"guest": 1, "co-host": 1, "cohost": 1, "speaker 2": 1, "speaker2": 1, "speaker b": 1, "person b": 1, "expert": 1, "interviewee": 1,
}

// speaker resolves a speaker the model named: a known name in any case, a
// role label, or else the speaker after prev (turns alternate).
func (c *lineCleaner) speaker(name, prev string) string {
	key := strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(name), ":*_\"")))
	for _, n := range c.names {
		if strings.EqualFold(n, key) {
			return n
		}
	}
	if i, ok := genericRoles[key]; ok && i < len(c.names) {
		return c.names[i]
	}
	for _, n := range c.names { // "Alex (host)", "Dr. Sam"
		if key != "" && strings.Contains(key, strings.ToLower(n)) {
			return n
		}
	}
	if prev == "" {
		return c.names[0]
	}
	return c.next(prev)
}

// next is the speaker after s in the template's order.
func (c *lineCleaner) next(s string) string {
	for i, n := range c.names {
		if n == s {
			return c.names[(i+1)%len(c.names)]
		}
	}
	return c.names[0]
}
