package llm

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"podcastfy/backend/script"
	"podcastfy/backend/template"
)

// The built-in templates give the offline writer different shapes, in
// English (other languages keep to the source's own sentences):
//
//   - interview: the host asks a question before each of the guest's answers,
//     drawn from the chapter's heading and the answer's key word;
//   - debate: the two sides take turns, one voicing the source's claims, the
//     other its limits and caveats, with the moderator opening each round;
//   - eli10: the curious listener asks what a term means and the explainer
//     answers with the source's short, plain sentences (see sayabilityFor);
//   - any other: the default co-host dialogue, or one voice alone.
type shape int

const (
	shapeDialogue shape = iota
	shapeInterview
	shapeDebate
	shapeExplain
)

func shapeOf(t *template.Template) shape {
	if t == nil {
		return shapeDialogue
	}
	switch t.ID {
	case "interview":
		return shapeInterview
	case "debate":
		if len(t.Speakers) >= 3 {
			return shapeDebate
		}
	case "eli10":
		return shapeExplain
	}
	return shapeDialogue
}

// shapedTurns lays out one chapter's sentences in the show's shape; ok is
// false when the default layout applies.
func (sh *show) shapedTurns(grp []int, clean []string, title string, turn *int) ([]script.Line, bool) {
	if !sh.english || len(sh.guests) == 0 {
		return nil, false
	}
	switch sh.shape {
	case shapeInterview:
		return sh.questionTurns(grp, clean, title, turn, sh.host, sh.guests[0], interviewQuestions), true
	case shapeExplain:
		return sh.questionTurns(grp, clean, title, turn, sh.guests[0], sh.host, explainQuestions), true
	case shapeDebate:
		return sh.debateTurns(grp, clean, turn), true
	}
	return nil, false
}

var (
	interviewQuestions = []string{"What should listeners know about %s?", "Why does %s matter here?",
		"Can you tell us more about %s?", "And where does %s come in?", "How does %s work, in practice?"}
	explainQuestions = []string{"Wait, what is %s?", "What does %s mean?", "Why is %s important?",
		"So what happens with %s?", "Can you explain %s?"}
	openingQuestions = []string{"Wait, what is %s?", "What's %s about?", "What do you mean by %s?"}
	hostOpenings     = []string{"Where do we start?", "What's the key idea here?", "What should listeners know first?"}
)

// questionTurns alternates a question by asker and an answer by answerer
// of one to three sentences.
func (sh *show) questionTurns(grp []int, clean []string, title string, turn *int, asker, answerer string, qs []string) []script.Line {
	var lines []script.Line
	used := map[string]bool{}
	for i, k := 0, 0; i < len(grp); k++ {
		answer, next := takeTurn(grp, clean, i, 2+int(mix(*turn)%2))
		var q string
		kw := keyTerm(answer, used, sh.lang)
		switch {
		case k == 0 && asker == sh.host:
			// The host has just named the section: the question follows on.
			q = hostOpenings[mix(*turn)%uint32(len(hostOpenings))]
		case k == 0 && title != "":
			q = fmt.Sprintf(openingQuestions[mix(*turn)%uint32(len(openingQuestions))], phrase(title))
		case kw != "":
			used[strings.ToLower(strings.TrimPrefix(kw, "the "))] = true
			q = fmt.Sprintf(qs[mix(*turn+3)%uint32(len(qs))], kw)
		default:
			q = "And what else?"
		}
		lines = append(lines, script.Line{Speaker: asker, Text: q}, script.Line{Speaker: answerer, Text: answer})
		i = next
		*turn++
	}
	return lines
}

// keyTerm is the word a listener would ask about in an answer: its most
// frequent content word of five letters or more (as written, not stemmed),
// with "the" before a common noun.
func keyTerm(answer string, used map[string]bool, lang string) string {
	count := map[string]int{}
	first := map[string]string{}
	order := []string{}
	stop := stopwordsFor(lang)
	for w := range strings.FieldsFuncSeq(answer, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		lw := strings.ToLower(strings.Trim(w, "-"))
		if len([]rune(lw)) < 5 || stop[lw] || used[lw] {
			continue
		}
		if count[lw] == 0 {
			first[lw] = strings.Trim(w, "-")
			order = append(order, lw)
		}
		count[lw]++
	}
	best := ""
	for _, w := range order {
		if best == "" || count[w] > count[best] {
			best = w
		}
	}
	if best == "" {
		return ""
	}
	term := first[best]
	if r := []rune(term); unicode.IsLower(r[0]) {
		return "the " + term
	}
	return term
}

// takeTurn joins up to want sentences from grp[i:], within maxTurnWords.
func takeTurn(grp []int, clean []string, i, want int) (string, int) {
	parts := []string{clean[grp[i]]}
	words := len(strings.Fields(parts[0]))
	for i++; len(parts) < want && i < len(grp); i++ {
		w := len(strings.Fields(clean[grp[i]]))
		if words+w > maxTurnWords {
			break
		}
		parts = append(parts, clean[grp[i]])
		words += w
	}
	return strings.Join(parts, " "), i
}

// reCaveat finds a sentence that limits, warns or objects: the other side
// of a debate.
var reCaveat = regexp.MustCompile(`(?i)\b(not|n't|never|cannot|however|but|although|though|risk|risks|problem|fail|fails|error|errors|limit|limits|only|unless|deprecated|warning|avoid|instead|without|lack|cost|costs|danger|dangerous|insecure|slow|ignored)\b`)

var (
	forOpeners     = []string{"The source is clear on this.", "Here's the case.", "Look at what it says.", "And there's more in favour."}
	againstOpeners = []string{"I see it differently.", "But consider this.", "That's one side. On the other hand,", "I'm not convinced."}
)

// debateTurns has the two sides take turns, one with the source's claims,
// the other with its caveats, each in source order. When one side has no
// points left it answers the other's with the rest, so the voices still
// alternate. (The moderator's opening comes with the chapter's opener.)
func (sh *show) debateTurns(grp []int, clean []string, turn *int) []script.Line {
	var pools [2][]int
	for _, i := range grp {
		side := 0
		if reCaveat.MatchString(clean[i]) {
			side = 1
		}
		pools[side] = append(pools[side], i)
	}
	sides := [2]string{sh.guests[0], sh.guests[1%len(sh.guests)]}
	openers := [2][]string{forOpeners, againstOpeners}
	var lines []script.Line
	var next [2]int
	for side := 0; next[0] < len(pools[0]) || next[1] < len(pools[1]); side = 1 - side {
		from := side
		if next[from] >= len(pools[from]) {
			from = 1 - side
		}
		text, n := takeTurn(pools[from], clean, next[from], 1+int(mix(*turn)%2))
		next[from] = n
		opener := openers[side][mix(*turn+1)%uint32(len(openers[side]))]
		lines = append(lines, script.Line{Speaker: sides[side], Text: opener + " " + lowerFirst(text, opener)})
		*turn++
	}
	return lines
}

// lowerFirst lowers the first letter of text when the opener ends in a
// comma, so the two read as one sentence.
func lowerFirst(text, opener string) string {
	if !strings.HasSuffix(opener, ",") {
		return text
	}
	r := []rune(text)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// phrase puts a title inside a sentence: "Option styles" → "option styles",
// while names and acronyms keep their capitals ("URL strings").
func phrase(title string) string {
	r := []rune(title)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return strings.TrimRight(string(r), ".!?")
}

// reDefinition finds a sentence that explains a term: "A tarball is an
// archive…", "X means…".
var reDefinition = regexp.MustCompile(`(?i)^\S+(\s\S+){0,3}\s(is|are)\s(a|an|the)\s|\b(means|refers to|stands for|is called|are called)\b`)

// preferPlain re-ranks for eli10: short sentences first (a sentence over
// sixteen words loses in proportion), and sentences that explain a term
// gain.
func preferPlain(rs []ranked, clean []string) {
	for i := range rs {
		s := clean[rs[i].index]
		if n := len(strings.Fields(s)); n > 16 {
			rs[i].score *= 16 / float64(n)
		}
		if reDefinition.MatchString(s) {
			rs[i].score *= 1.3
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.index - b.index
	})
}
