package llm

import (
	"fmt"
	"math"
	"strings"

	"podcastfy/backend/script"
)

// show shapes chosen sentences into an episode for the extractive writer.
type show struct {
	host     string
	guests   []string
	name     string // the show's name, safe to say aloud
	title    string
	english  bool
	intro    string // chapter titles (English only)
	outro    string
	sections []string // body chapter titles from the template
	// groups and titles, when set, are the body chapters (sentence indices)
	// and their titles, taken from the source's headings.
	groups [][]int
	titles []string
	lang   string
	shape  shape
}

// Turns hold a few sentences, never many words: long monologues in a
// dialogue sound like reading.
const maxTurnWords = 60

// newShow prepares the show; srcLang is the source's language, in which
// its sentences and the titles made of its words are said.
func newShow(req Request, names []string, sourceTitle, srcLang string) *show {
	t := req.Template
	checker := script.NewTextChecker(names)
	sh := &show{host: names[0], guests: names[1:], name: "the show", title: sourceTitle}
	if n := strings.TrimSpace(t.Name); n != "" && checker.Problems(n) == nil {
		sh.name = n
	}
	if wish := strings.TrimRight(script.Speakable(req.Title, requestLanguage(req)), ".!?… "); wish != "" && checker.Problems(wish) == nil {
		sh.title = wish
	}
	lang := req.Language
	if lang == "" {
		lang = t.Language
	}
	lang = strings.ToLower(strings.TrimSpace(lang))
	sh.lang = srcLang
	sh.shape = shapeOf(t)
	sh.english = lang == "" || lang == "en" || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en_")

	var st []string
	for _, s := range t.Structure {
		if s = strings.TrimSpace(s); s != "" {
			st = append(st, s)
		}
	}
	sh.intro, sh.outro = "Introduction", "Wrap-up"
	sh.sections = st
	if sh.english && len(st) >= 3 {
		// The first and last sections are the intro and outro the show adds.
		sh.sections = st[1 : len(st)-1]
	}
	return sh
}

// overheadWords estimates the words the show adds around the sentences.
func (sh *show) overheadWords() int {
	if !sh.english {
		return 0
	}
	title := sh.title
	if title == "" {
		title = "the topic of the day"
	}
	n := 0
	for _, l := range append(sh.introLines(title), sh.outroLines(title)...) {
		n += len(strings.Fields(l.Text))
	}
	return n + 4*max(1, len(sh.sections))
}

// build lays out the whole script.
func (sh *show) build(chosen []int, clean []string) script.Script {
	sc := script.Script{Title: sh.title}
	if sh.english {
		sc.Chapters = append(sc.Chapters, script.Chapter{Title: sh.intro, Lines: sh.introLines(sh.title)})
	}
	groups, titles := sh.groups, sh.titles
	if groups == nil {
		groups = splitGroups(chosen, clean, sh.groupCount(chosen, clean))
		titles = sh.bodyTitles(groups, clean)
	}
	turn := 0
	for g, grp := range groups {
		ch := script.Chapter{Title: titles[g]}
		if sh.english {
			text := opener(g, titles[g])
			if g == 0 && len(sh.guests) > 0 {
				// The guests' greetings end the intro; the host takes over.
				text = "Let's get into it. " + text
			}
			ch.Lines = append(ch.Lines, script.Line{Speaker: sh.host, Text: text})
		}
		if shaped, ok := sh.shapedTurns(grp, clean, titles[g], &turn); ok {
			if sh.shape == shapeDebate {
				ch.Lines[0].Text += fmt.Sprintf(" %s, you first.", sh.guests[0])
			}
			ch.Lines = mergeRuns(append(ch.Lines, shaped...))
			if last := ch.Lines[len(ch.Lines)-1]; last.Speaker == sh.host {
				ch.Lines = append(ch.Lines, script.Line{Speaker: sh.guests[0], Text: reactions[mix(turn)%uint32(len(reactions))]})
			}
		} else {
			ch.Lines = append(ch.Lines, sh.turns(grp, clean, &turn)...)
			if sh.english && len(sh.guests) > 0 {
				ch.Lines = sh.endWithGuest(ch.Lines)
			}
		}
		sc.Chapters = append(sc.Chapters, ch)
	}
	if sh.english {
		sc.Chapters = append(sc.Chapters, script.Chapter{Title: sh.outro, Lines: sh.outroLines(sh.title)})
	}
	return sc
}

// reactions close a shaped chapter that would otherwise end, and the next
// begin, in the host's voice.
var reactions = []string{"Got it.", "That makes sense.", "Okay, I see.", "Interesting."}

// mergeRuns joins neighbouring lines of one speaker into one turn.
func mergeRuns(lines []script.Line) []script.Line {
	out := lines[:0]
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].Speaker == l.Speaker {
			out[n-1].Text += " " + l.Text
			continue
		}
		out = append(out, l)
	}
	return out
}

// endWithGuest folds a chapter's last turn into the one before when the
// host would speak it: the next chapter (or the outro) opens with the host,
// and the same voice twice in a row sounds like a glitch, not a dialogue.
func (sh *show) endWithGuest(lines []script.Line) []script.Line {
	n := len(lines)
	if n < 3 || lines[n-1].Speaker != sh.host || lines[n-2].Speaker == sh.host {
		return lines
	}
	last := lines[n-1].Text
	for _, tr := range dialogueTransitions {
		if rest, ok := strings.CutPrefix(last, tr+" "); ok {
			last = rest
			break
		}
	}
	lines[n-2].Text += " " + last
	return lines[:n-1]
}

// groupCount is the number of body chapters: the template's sections, or
// one per ~450 words (at most 8), never more than there are sentences.
func (sh *show) groupCount(chosen []int, clean []string) int {
	k := len(sh.sections)
	if k == 0 {
		words := 0
		for _, i := range chosen {
			words += len(strings.Fields(clean[i]))
		}
		k = min(8, max(1, int(math.Ceil(float64(words)/450))))
	}
	return max(1, min(k, len(chosen)))
}

// splitGroups cuts chosen (in source order) into k runs of similar length.
func splitGroups(chosen []int, clean []string, k int) [][]int {
	total := 0
	for _, i := range chosen {
		total += len(strings.Fields(clean[i]))
	}
	groups := make([][]int, 0, k)
	start, acc := 0, 0
	for pos, i := range chosen {
		acc += len(strings.Fields(clean[i]))
		g := len(groups)
		left := len(chosen) - pos - 1 // sentences after this one
		needed := k - g - 1           // groups still to fill after this one
		if g < k-1 && (acc*k >= total*(g+1) || left == needed) {
			groups = append(groups, chosen[start:pos+1])
			start = pos + 1
		}
	}
	return append(groups, chosen[start:])
}

// bodyTitles names each body chapter by its own most frequent content words
// ("Sediment and deltas"). The template's structure entries are guidance for
// an LLM ("Hook: a surprising fact…"), not titles a listener should hear, so
// they only decide how many body chapters there are.
func (sh *show) bodyTitles(groups [][]int, clean []string) []string {
	titles := make([]string, len(groups))
	used := map[string]bool{}
	for g, grp := range groups {
		texts := make([]string, len(grp))
		for i, idx := range grp {
			texts[i] = clean[idx]
		}
		forms, keys := keyWords(texts, used, 2, sh.lang)
		titles[g] = or(keyTitle(forms, sh.lang), partTitle(g+1, sh.lang))
		for _, k := range keys {
			used[k] = true
		}
	}
	return titles
}

// turns shares a chapter's sentences among the speakers, one to three
// sentences a turn, with an occasional transition.
func (sh *show) turns(grp []int, clean []string, turn *int) []script.Line {
	order := append(append([]string{}, sh.guests...), sh.host)
	if !sh.english {
		order = append([]string{sh.host}, sh.guests...)
	}
	var lines []script.Line
	for i, k := 0, 0; i < len(grp); k++ {
		want := 1 + int(mix(*turn)%3)
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
		text := strings.Join(parts, " ")
		if sh.english && k > 0 && mix(*turn+7)%3 == 0 {
			text = transition(*turn, len(order) > 1) + " " + text
		}
		lines = append(lines, script.Line{Speaker: order[k%len(order)], Text: text})
		*turn++
	}
	return lines
}

var (
	dialogueTransitions = []string{
		"Right.", "Exactly.", "That's a good point.", "Here's something interesting.",
		"And there's more to it.", "Building on that.", "Yes, and here's another angle.",
		"Interesting.", "True.", "Let me add to that.", "Good point.",
	}
	monologueTransitions = []string{
		"Here's something interesting.", "There's more.", "Building on that.",
		"Another point.", "On top of that.", "Also worth knowing.", "Here's another angle.",
	}
	firstOpeners = []string{"Let's start with %s.", "First up: %s."}
	nextOpeners  = []string{"Next up: %s.", "Now, on to %s.", "Let's move on to %s.", "Our next topic: %s."}
	greetings    = []string{"Thanks, %s. Glad to be here.", "Hi everyone, and thanks, %s.", "Hello, and thanks for having me, %s."}
)

// transition picks a phrase; the stride keeps neighbours different.
func transition(turn int, dialogue bool) string {
	list := monologueTransitions
	if dialogue {
		list = dialogueTransitions
	}
	return list[(turn*5+3)%len(list)]
}

func opener(group int, title string) string {
	if group == 0 {
		return fmt.Sprintf(firstOpeners[mix(len(title))%2], title)
	}
	return fmt.Sprintf(nextOpeners[(group-1)%len(nextOpeners)], title)
}

func (sh *show) introLines(title string) []script.Line {
	title = strings.TrimRight(title, ".!?… ")
	if len(sh.guests) == 0 {
		return []script.Line{
			{Speaker: sh.host, Text: fmt.Sprintf("Welcome to %s. I'm %s, and today I'm talking about %s.", sh.name, sh.host, title)},
		}
	}
	verb := "is"
	if len(sh.guests) > 1 {
		verb = "are"
	}
	lines := []script.Line{{Speaker: sh.host, Text: fmt.Sprintf("Welcome to %s. I'm %s, and with me %s %s. Today we're talking about %s.",
		sh.name, sh.host, verb, joinNames(sh.guests), title)}}
	for i, g := range sh.guests {
		lines = append(lines, script.Line{Speaker: g, Text: fmt.Sprintf(greetings[(i+int(mix(len(title))))%len(greetings)], sh.host)})
	}
	return lines
}

func (sh *show) outroLines(title string) []script.Line {
	if len(sh.guests) == 0 {
		return []script.Line{{Speaker: sh.host, Text: fmt.Sprintf("That's all for today. Thanks for listening to %s, and see you next time.", sh.name)}}
	}
	closing := []string{
		"That's all for today. Thanks for listening to %s.",
		"And that brings us to the end of this episode. Thanks for listening to %s.",
	}[mix(len(title)+1)%2]
	return []script.Line{
		{Speaker: sh.host, Text: fmt.Sprintf(closing, sh.name)},
		{Speaker: sh.guests[0], Text: fmt.Sprintf("Thanks for having me, %s.", sh.host)},
		{Speaker: sh.host, Text: "See you next time."},
	}
}

func joinNames(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// mix scrambles n so choices vary without randomness.
func mix(n int) uint32 {
	x := uint32(n) * 0x9E3779B1
	x ^= x >> 15
	x *= 0x85EBCA77
	x ^= x >> 13
	return x
}
