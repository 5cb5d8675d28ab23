package script

import (
	"regexp"
	"strings"
	"unicode"
)

// LLM artifacts: what language models put into dialogue lines although they
// are asked not to. Speakable handles markup in general (emphasis, links,
// URLs, lists); the cues here need the dialogue's context first, because
// Speakable would keep their words: "*laughs*" is an action, not an
// emphasised "laughs", and "Alex:" is a speaker label, not prose.

// cueWords starts a stage direction or sound cue, in English (the language
// models fall back to for directions whatever the script's language).
const cueWords = `(?:laugh\w*|chuckl\w*|giggl\w*|snicker\w*|sigh\w*|paus\w*|beat|silence|music\w*|intro|outro|theme|jingle|applause|clap\w*|cough\w*|clears?\s+(?:his\s+|her\s+|their\s+)?throat|smil\w*|grin\w*|nod\w*|shrug\w*|wink\w*|whisper\w*|shout\w*|gasp\w*|inhal\w*|exhal\w*|breath\w*|sound\s+effects?|sfx|transition|fades?|crosstalk|interrupt\w*|both\s+laugh\w*|excitedly|enthusiastically|sarcastically|thoughtfully|cheerfully|seriously|softly|warmly|playfully|dramatically|nervously|quietly|eagerly|jokingly|teasingly|in\s+a\s+\w+\s+voice|leans?\s+in|ad\s+break|end\s+of\s+(?:episode|segment)|segment\s+\w+|sound\s+of\s+\w+|upbeat\s+\w+|background\s+\w+|outro\s+\w+|intro\s+\w+)`

var (
	// A cue in asterisks, parentheses or brackets: "*laughs*",
	// "(chuckles softly)", "[pause]", "**[Music fades]**".
	reStarCue  = regexp.MustCompile(`(?i)\*{1,2}\s*[\[(]?\s*` + cueWords + `\b[^*]{0,60}?[\])]?\s*\*{1,2}`)
	reParenCue = regexp.MustCompile(`(?i)\(\s*` + cueWords + `\b[^()]{0,60}\)`)
	// Every bracketed span except a Markdown link's label "[x](url)" and
	// footnote marks, which Speakable reads or drops itself.
	reBracket = regexp.MustCompile(`\[[^\[\]]{0,120}\]\(?`)
	// A bullet or list number before the line's words.
	reLeadBullet = regexp.MustCompile(`^\s*(?:[-–—*•·>]+|\d{1,2}[.)])\s+`)
	// A role label that writers put before dialogue.
	reGenericLabel = `(?:(?:co-?)?host|guest|speaker\s*[a-z0-9]?|narrator|interviewer|interviewee|moderator|expert|person\s*[a-z0-9])\s*\d*`
	reLabelStart   = regexp.MustCompile(`(?i)^\s*[*_]{0,2}` + reGenericLabel + `[*_]{0,2}\s*(?:\([^)]{0,30}\)\s*)?[*_]{0,2}\s*:[*_]{0,2}\s*`)
)

// CueCleaner strips LLM artifacts from dialogue lines of a show with these
// speakers. It is safe for concurrent use.
type CueCleaner struct {
	names     []string
	ownLabel  *regexp.Regexp // "Alex:" (or "**Alex:**") at the start
	turnLabel *regexp.Regexp // "… right? Sam: …": a second turn inside the line
}

// NewCueCleaner prepares a cleaner for these speaker names.
func NewCueCleaner(speakers []string) *CueCleaner {
	c := &CueCleaner{}
	var alts []string
	for _, n := range speakers {
		if n = strings.TrimSpace(n); n != "" {
			c.names = append(c.names, n)
			alts = append(alts, regexp.QuoteMeta(n))
		}
	}
	if len(alts) > 0 {
		names := `(` + strings.Join(alts, "|") + `)`
		c.ownLabel = regexp.MustCompile(`(?i)^\s*[*_]{0,2}` + names + `[*_]{0,2}\s*(?:\([^)]{0,30}\)\s*)?[*_]{0,2}\s*:[*_]{0,2}\s*`)
		c.turnLabel = regexp.MustCompile(`(?i)([.!?…]["”']?)\s+[*_]{0,2}` + names + `[*_]{0,2}\s*:[*_]{0,2}\s+`)
	}
	return c
}

// Turn is one speaker's part of a line after Split.
type Turn struct {
	Speaker string // a speaker's name as given to NewCueCleaner, or "" for the line's own
	Text    string
}

// Split cuts a line in which the model wrote several turns ("Right. Sam:
// And then…") into turns; the first turn keeps the line's speaker ("").
// A line's leading "Name:" label names the first turn's speaker.
func (c *CueCleaner) Split(text string) []Turn {
	text = strings.TrimSpace(text)
	first := ""
	text = reLeadBullet.ReplaceAllString(text, "")
	if c.ownLabel != nil {
		if m := c.ownLabel.FindStringSubmatchIndex(text); m != nil {
			first = c.name(text[m[2]:m[3]])
			text = text[m[1]:]
		}
	}
	if c.turnLabel == nil {
		return []Turn{{Speaker: first, Text: text}}
	}
	var out []Turn
	speaker := first
	for {
		m := c.turnLabel.FindStringSubmatchIndex(text)
		if m == nil {
			break
		}
		out = append(out, Turn{Speaker: speaker, Text: text[:m[3]]})
		speaker = c.name(text[m[4]:m[5]])
		text = text[m[1]:]
	}
	return append(out, Turn{Speaker: speaker, Text: text})
}

// name returns the speaker's own spelling of a matched label.
func (c *CueCleaner) name(label string) string {
	for _, n := range c.names {
		if strings.EqualFold(n, label) {
			return n
		}
	}
	return label
}

// Clean removes stage directions and sound cues ("*laughs*", "(sighs)",
// "[pause]", "[Music fades out]"), every bracketed span that is not a link
// label, a leading bullet, a leading speaker or role label ("Alex:",
// "**Host:**"), and quotes wrapped around the whole line. Markup in
// general is left to Speakable, which runs after it. It returns "" when no
// words remain.
func (c *CueCleaner) Clean(text string) string {
	s := strings.TrimSpace(text)
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "*([") {
		s = reStarCue.ReplaceAllString(s, " ")
		s = reParenCue.ReplaceAllString(s, " ")
		s = reBracket.ReplaceAllStringFunc(s, func(m string) string {
			if strings.HasSuffix(m, "(") || isFootnote(m) {
				return m // a link label or a footnote: Speakable's job
			}
			return " "
		})
	}
	for range 2 { // "- **Alex:** …" has a bullet and a label
		s = reLeadBullet.ReplaceAllString(s, "")
		if c.ownLabel != nil {
			s = c.ownLabel.ReplaceAllString(s, "")
		}
		s = reLabelStart.ReplaceAllString(s, "")
	}
	s = unwrapQuotes(strings.Join(strings.Fields(s), " "))
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return s
}

// isFootnote reports whether a bracketed span is a reference mark ("[3]",
// "[^2]"), which Speakable removes.
func isFootnote(m string) bool {
	inner := strings.Trim(m, "[]^ ")
	return inner != "" && strings.IndexFunc(inner, func(r rune) bool { return !unicode.IsDigit(r) && r != ',' && r != '-' && r != ' ' }) < 0
}

// unwrapQuotes removes one pair of quotes around the whole line, as models
// quote dialogue; quotes inside the line stay.
func unwrapQuotes(s string) string {
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"„", "“"}, {"«", "»"}, {"'", "'"}} {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			inner := s[len(q[0]) : len(s)-len(q[1])]
			if !strings.Contains(inner, q[0]) && !strings.Contains(inner, q[1]) {
				return strings.TrimSpace(inner)
			}
		}
	}
	return s
}
