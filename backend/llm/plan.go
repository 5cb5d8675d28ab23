package llm

import (
	"context"
	"math"
	"strings"

	"podcastfy/backend/script"
	"podcastfy/backend/template"
)

// Section sizes, in words. Small models keep to a length and to their
// points best in short answers, so an episode is written a few hundred
// words at a time.
const (
	sectionWords = 280 // the size aimed at
	minSection   = 120 // smaller sections say too little to be worth a call
	maxSection   = 420 // larger ones drift and repeat
	// frameFrom: from this many words an episode has its own opening and
	// wrap-up sections; shorter ones open and close in their body.
	frameFrom  = 600
	frameShare = 0.07 // of the target, for the opening and for the wrap-up
	minFrame   = 40
	maxFrame   = 150
)

// role is what a section does in the episode.
type role int

const (
	roleBody  role = iota // discusses its share of the source
	roleOpen              // welcome, speakers, what is coming
	roleClose             // recap and goodbye
)

// section is one call to the model: its place in the episode, the source
// it covers and its word budget.
type section struct {
	role role
	// opens and closes mark a body section that also opens or closes a
	// short episode without separate frame sections.
	opens, closes bool
	title         string
	points        []string
	source        string // the source this section covers; "" for the frame
	// heading is the source's heading that names the section (its
	// chapter title whatever the outline says); continued is the heading
	// of the source section it continues, when it starts in one.
	heading, continued string
	budget             int // planned words
}

// plan is the episode's sections before the outline names them.
type plan struct {
	sections []section
	target   int
	// shared: a short source that every body section sees whole; the
	// outline divides its points among them.
	shared bool
	// kept is the share of the source the sections cover (1 unless a
	// source too long for the context was condensed).
	kept float64
}

// planSections divides the target length and the source among sections:
// the opening and wrap-up (for episodes of frameFrom words or more) and
// body sections of minSection to maxSection words. Each body section
// covers its own consecutive stretch of the document, cut at the source's
// headings where the sizes allow (see sourcemap.go), so no part of the
// source is covered twice, and is named by the heading that covers most of
// it. A source longer than maxBodies sections of partChars can hold is
// condensed to its most central sentences first; one too short to give
// every section its own sentences is shared by all of them.
func planSections(ctx context.Context, doc script.Source, target, partChars, maxBodies int) (plan, error) {
	p := plan{target: target, kept: 1}
	bodyWords := target
	frame := 0
	if target >= frameFrom {
		frame = min(maxFrame, max(minFrame, int(math.Round(float64(target)*frameShare))))
		bodyWords -= 2 * frame
	}
	nMax := max(1, min(maxBodies, bodyWords/minSection))
	nMin := min(nMax, max(1, ceilDiv(bodyWords, maxSection)))
	units := sourceUnits(doc, partChars)
	total := unitsSize(doc, units)
	var n int
	if total <= partChars {
		n = min(nMax, max(nMin, int(math.Round(float64(bodyWords)/sectionWords))))
	} else {
		n = min(nMax, max(nMin, ceilDiv(total, fill(partChars))))
		if total > n*fill(partChars) {
			short, err := condenseUnits(ctx, doc, units, n*fill(partChars))
			if err != nil {
				return plan{}, err
			}
			p.kept = float64(unitsSize(doc, short)) / float64(total)
			units = short
		}
	}
	if len(units) < n {
		units = sentenceUnits(units)
	}
	type body struct {
		source, heading, continued string
		size                       int
	}
	var bodies []body
	if len(units) < n {
		if total > partChars {
			n = max(1, len(units))
		} else {
			// Too few sentences to go round: every section sees the whole
			// source, and the outline divides its points among them.
			p.shared = n > 1
			for range n {
				bodies = append(bodies, body{source: doc.Text(), size: 1})
			}
		}
	}
	if bodies == nil {
		used := map[string]bool{}
		groups := partition(doc, coalesce(doc, units, total/(10*n)), n, partChars)
		for _, g := range groups {
			h := groupHeading(doc, g, used)
			used[h] = true
			bodies = append(bodies, body{source: renderUnits(doc, g), heading: h,
				continued: continuedHeading(doc, g), size: unitsSize(doc, g)})
		}
	}
	sizes := 0
	for _, b := range bodies {
		sizes += b.size
	}
	if frame > 0 {
		p.sections = append(p.sections, section{role: roleOpen, budget: frame})
	}
	left := bodyWords
	for i, c := range bodies {
		b := left
		if i < len(bodies)-1 {
			b = int(math.Round(float64(bodyWords) * float64(c.size) / float64(sizes)))
			left -= b
		}
		p.sections = append(p.sections, section{role: roleBody, source: c.source, heading: c.heading,
			continued: c.continued, budget: max(1, b)})
	}
	if frame > 0 {
		p.sections = append(p.sections, section{role: roleClose, budget: frame})
	} else {
		p.sections[0].opens = true
		p.sections[len(p.sections)-1].closes = true
	}
	return p, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// Context sizes, in tokens, for dividing a context window. charsPerToken
// is low on purpose: it holds for most languages, not just English.
const (
	charsPerToken = 3
	// promptReserve covers a section's system prompt, outline, running
	// summary and answer.
	promptReserve  = 2600
	outlineRoomMax = 24000
)

// partCharsForContext is the most source one section's call can carry in
// a context window of numCtx tokens.
func partCharsForContext(numCtx, configured int) int {
	return max(800, min(configured, (numCtx-promptReserve)*charsPerToken))
}

// outlineRoom is how much source text the outline call can show, leaving
// the same reserve as a section for the instructions and the answer.
func outlineRoom(numCtx int) int {
	return max(2000, min(outlineRoomMax, (numCtx-promptReserve)*charsPerToken))
}

// digest shortens a section's source for the outline call to its most
// central sentences.
func digest(ctx context.Context, text string, room int) (string, error) {
	if len(text) <= room {
		return text, nil
	}
	return condense(ctx, text, room)
}

// frameTitles are the opening and wrap-up titles the template suggests:
// its first and last structure entries when they read as titles. Entries
// that guide the writer ("Hook: a surprising fact or question from the
// source") are not chapter titles a listener should see.
func frameTitles(t *template.Template) (open, close string) {
	var st []string
	for _, s := range t.Structure {
		if s = strings.TrimSpace(s); s != "" {
			st = append(st, s)
		}
	}
	if len(st) < 2 {
		return "", ""
	}
	titleLike := func(s string) string {
		if strings.ContainsAny(s, ":;") || len(strings.Fields(s)) > 5 {
			return ""
		}
		return s
	}
	return titleLike(st[0]), titleLike(st[len(st)-1])
}
