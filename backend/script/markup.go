package script

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// markupRule is one kind of text a TTS engine would read aloud badly.
type markupRule struct {
	hint func(string) bool // false when the rule cannot match: skips the regexp
	re   *regexp.Regexp
	why  string // %q receives the offending snippet
}

// markupRules lists what must not appear in a spoken line. Each rule names
// the fix, because the messages double as the LLM's repair prompt.
var markupRules = []markupRule{
	{anyOf("<"), regexp.MustCompile(`</?[A-Za-z][\w:.-]*(\s+[\w:.-]+(\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*/?>`),
		"contains the tag %q (HTML/SSML tags are read aloud): write plain words"},
	{anyOf("*"), regexp.MustCompile(`\*+[^*]*\*+|\*`),
		"contains asterisks %q (markdown emphasis or *actions*): write plain words, no actions"},
	{anyOf("["), regexp.MustCompile(`\[[^\]]*\]?`),
		"contains square brackets %q (stage directions, sound cues or references): leave them out"},
	{anyOf("("), regexp.MustCompile(`(?i)\(\s*(laugh\w*|chuckl\w*|giggl\w*|sigh\w*|paus\w*|beat|music|intro music|outro music|theme music|applause|cough\w*|clears? (his |her |their )?throat|smil\w*|grin\w*|nod\w*|whisper\w*|shout\w*|gasp\w*|inhal\w*|exhal\w*|sound effects?|sfx|jingle|transition|fades? (in|out)|music fades?|excitedly|enthusiastically|sarcastically|thoughtfully|cheerfully|seriously)\b[^)]*\)`),
		"contains the stage direction %q: the voice would read it aloud, leave it out"},
	{anyOf("#"), regexp.MustCompile(`#+\S*`),
		"contains %q (a # is a markdown heading or is read aloud as \"hash\"): write plain words"},
	{anyOf("-•"), regexp.MustCompile(`(?m)^\s*[-•]\s+\S*`),
		"starts with a list bullet %q: write full sentences"},
	{anyOf("`"), regexp.MustCompile("`+[^`]*`*"),
		"contains backticks %q (code formatting): write plain words"},
	{anyOf("{}"), regexp.MustCompile(`[{}]`),
		"contains curly braces %q: write plain words"},
	{anyOf("_"), regexp.MustCompile(`_{2,}[^_]*_*`),
		"contains underscores %q (markdown emphasis): write plain words"},
	{mayHaveURL, regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+`),
		"contains the URL %q, which a voice reads character by character: name the site instead"},
	{anyOf("&"), regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);`),
		"contains the HTML entity %q: write the character itself"},
}

func anyOf(chars string) func(string) bool {
	return func(s string) bool { return strings.ContainsAny(s, chars) }
}

func mayHaveURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.Contains(s, "WWW.")
}

// genericPrefix matches role labels that writers put before dialogue
// ("Host: …", "Speaker 2: …"); a known speaker's own name is checked apart.
var genericPrefix = regexp.MustCompile(`(?i)(^|[\n.!?]\s*)((co-?)?host|guest|speaker\s*\d*|narrator|interviewer|interviewee|moderator|person\s*[a-z0-9])\s*\d*\s*:(\s|$)`)

// TextChecker finds text a TTS engine would read aloud badly. It is safe
// for concurrent use.
type TextChecker struct {
	labels []*regexp.Regexp // "Name:" for each speaker
}

// NewTextChecker prepares a checker for a show with these speakers.
func NewTextChecker(speakers []string) *TextChecker {
	c := &TextChecker{}
	for _, name := range speakers {
		if name = strings.TrimSpace(name); name != "" {
			c.labels = append(c.labels, regexp.MustCompile(`(?i)(^|[\n.!?]\s*)(`+regexp.QuoteMeta(name)+`)\s*:(\s|$)`))
		}
	}
	return c
}

// TextProblems lists why text cannot be spoken as it is; see
// [TextChecker.Problems]. Prefer a TextChecker for many lines.
func TextProblems(text string, speakers []string) []string {
	return NewTextChecker(speakers).Problems(text)
}

// Problems lists why text cannot be spoken as it is: empty, markup, tags,
// stage directions, URLs, or a "Speaker:" label. It returns nil for a clean
// line. The messages say how to fix the text, so they can be handed back to
// an LLM.
func (c *TextChecker) Problems(text string) []string {
	if strings.TrimSpace(text) == "" {
		return []string{"has empty text"}
	}
	var out []string
	if !strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		out = append(out, fmt.Sprintf("has nothing to say aloud (%q)", snippet(text)))
	}
	if strings.ContainsFunc(text, func(r rune) bool {
		return (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') || r == unicode.ReplacementChar
	}) {
		out = append(out, "contains control or invalid characters")
	}
	for _, r := range markupRules {
		if !r.hint(text) {
			continue
		}
		if m := r.re.FindString(text); m != "" {
			out = append(out, fmt.Sprintf(r.why, snippet(m)))
		}
	}
	if !strings.Contains(text, ":") {
		return out
	}
	label := genericPrefix.FindStringSubmatch(text)
	for _, p := range c.labels {
		if label != nil {
			break
		}
		label = p.FindStringSubmatch(text)
	}
	if label != nil {
		out = append(out, fmt.Sprintf("contains the label %q: put the speaker in \"speaker\", never in the text", snippet(strings.TrimSpace(label[2])+":")))
	}
	return out
}

// snippet shortens s for an error message.
func snippet(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
