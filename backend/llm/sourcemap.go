package llm

import (
	"context"
	"math"
	"slices"
	"strings"

	"podcastfy/backend/script"
)

// The Ollama writer maps the source onto the episode's body sections: the
// source (after the speakable stage, with its headings) is cut into units
// that no call splits, and the units are shared out in order, each to
// exactly one section call. Cuts fall at the source's own headings where
// the sizes allow, so a chapter is about one part of the document and is
// named by its heading, and no part of the source is covered twice.

// unit is a stretch of the source given whole to one section call: a
// paragraph, or a piece of one too long for a call.
type unit struct {
	text  string
	sec   int  // the source section (index into script.Source.Sections)
	first bool // starts its source section: the heading goes before it
	piece bool // continues a paragraph cut to fit: cutting here splits it
}

// size is the bytes the unit takes in a prompt, its heading included.
func (u unit) size(doc script.Source) int {
	n := len(u.text) + 2
	if u.first && doc.Sections[u.sec].Title != "" {
		n += len(doc.Sections[u.sec].Title) + 5
	}
	return n
}

// sourceUnits cuts the document into paragraphs, and paragraphs longer
// than maxChars into pieces between sentences.
func sourceUnits(doc script.Source, maxChars int) []unit {
	var out []unit
	for si, sec := range doc.Sections {
		first := true
		for _, p := range sec.Paragraphs {
			for k, piece := range splitParts(p, maxChars) {
				out = append(out, unit{text: piece, sec: si, first: first, piece: k > 0})
				first = false
			}
		}
	}
	return out
}

// sentenceUnits cuts every unit into its sentences, for a short source that
// must still be shared among several sections.
func sentenceUnits(us []unit) []unit {
	var out []unit
	for _, u := range us {
		for k, s := range splitSentences(u.text) {
			out = append(out, unit{text: s, sec: u.sec, first: u.first && k == 0, piece: k > 0 || u.piece})
		}
	}
	return out
}

func unitsSize(doc script.Source, us []unit) int {
	n := 0
	for _, u := range us {
		n += u.size(doc)
	}
	return n
}

// condenseUnits keeps the source's most central sentences, up to about
// maxChars bytes, ranked across the whole source but left in their units,
// so the structure survives; units left empty are dropped.
func condenseUnits(ctx context.Context, doc script.Source, us []unit, maxChars int) ([]unit, error) {
	var sentences []string
	var owner []int
	for i, u := range us {
		for _, s := range splitSentences(u.text) {
			sentences = append(sentences, s)
			owner = append(owner, i)
		}
	}
	cands := make([]int, 0, len(sentences))
	for i, s := range sentences {
		if len(strings.Fields(s)) >= 3 {
			cands = append(cands, i)
		}
	}
	rs, err := rankSentences(ctx, sentences, cands)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(sentences))
	total := 0
	for _, r := range rs {
		if total+len(sentences[r.index])+1 > maxChars {
			continue
		}
		keep[r.index] = true
		total += len(sentences[r.index]) + 1
	}
	texts := make([][]string, len(us))
	for i, s := range sentences {
		if keep[i] {
			texts[owner[i]] = append(texts[owner[i]], s)
		}
	}
	var out []unit
	started := map[int]bool{}
	for i, u := range us {
		if len(texts[i]) == 0 {
			continue
		}
		u.text = strings.Join(texts[i], " ")
		u.first = !started[u.sec]
		started[u.sec] = true
		out = append(out, u)
	}
	return out, nil
}

// coalesce joins neighbouring paragraphs of one source section while they
// stay under small bytes together: the partition then weighs fewer units,
// and never cuts a section into scraps.
func coalesce(doc script.Source, us []unit, small int) []unit {
	var out []unit
	for _, u := range us {
		if n := len(out); n > 0 && out[n-1].sec == u.sec && out[n-1].size(doc)+u.size(doc) <= small {
			out[n-1].text += "\n\n" + u.text
			continue
		}
		out = append(out, u)
	}
	return out
}

// cutCost is the price of starting a section call at u: nothing at a
// top-level heading, a little at a deeper one, more inside a source
// section and most inside a paragraph.
func cutCost(doc script.Source, u unit) float64 {
	switch {
	case u.piece:
		return 1
	case !u.first:
		return 0.3
	}
	switch sec := doc.Sections[u.sec]; {
	case sec.Title == "":
		return 0.3
	case sec.Level <= 1:
		return 0
	default:
		return 0.01 * float64(sec.Level-1)
	}
}

// partition shares the units, in order, among exactly n groups (n ≤
// len(us)) of about equal size, none over partChars where it can be
// helped, cutting at headings where the sizes allow: the least total of
// each group's squared relative miss of the mean size plus the price of
// its cut.
func partition(doc script.Source, us []unit, n, partChars int) [][]unit {
	sizes := make([]int, len(us)+1) // prefix sums
	for i, u := range us {
		sizes[i+1] = sizes[i] + u.size(doc)
	}
	ideal := float64(sizes[len(us)]) / float64(n)
	groupCost := func(a, b int) float64 {
		s := float64(sizes[b] - sizes[a])
		miss := (s - ideal) / ideal
		c := miss * miss
		if s > float64(partChars) {
			c += 10 + 10*(s-float64(partChars))/float64(partChars)
		}
		if a > 0 {
			c += cutCost(doc, us[a])
		}
		return c
	}
	inf := math.Inf(1)
	u := len(us)
	cost := make([][]float64, n+1)
	from := make([][]int, n+1)
	for k := range cost {
		cost[k] = slices.Repeat([]float64{inf}, u+1)
		from[k] = make([]int, u+1)
	}
	cost[0][0] = 0
	for k := 1; k <= n; k++ {
		for b := k; b <= u-(n-k); b++ {
			// Groups more than twice a part are never worth weighing: the
			// plan always has room for parts of at most partChars.
			for a := b - 1; a >= k-1; a-- {
				if a < b-1 && sizes[b]-sizes[a] > 2*partChars {
					break
				}
				if c := cost[k-1][a] + groupCost(a, b); c < cost[k][b] {
					cost[k][b], from[k][b] = c, a
				}
			}
		}
	}
	groups := make([][]unit, n)
	b := u
	for k := n; k >= 1; k-- {
		a := from[k][b]
		groups[k-1] = us[a:b]
		b = a
	}
	return groups
}

// renderUnits writes a group's units as the section's source text, each
// source section's heading before its first unit.
func renderUnits(doc script.Source, us []unit) string {
	var b strings.Builder
	for _, u := range us {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if sec := doc.Sections[u.sec]; u.first && sec.Title != "" {
			b.WriteString(strings.Repeat("#", max(1, min(sec.Level, 6))) + " " + sec.Title + "\n\n")
		}
		b.WriteString(u.text)
	}
	return b.String()
}

// groupHeading names a group by the source heading that covers most of it
// and has not named an earlier chapter; "" when there is none (a group that
// only continues a section already named).
func groupHeading(doc script.Source, us []unit, used map[string]bool) string {
	size := map[int]int{}
	var order []int
	for _, u := range us {
		if size[u.sec] == 0 {
			order = append(order, u.sec)
		}
		size[u.sec] += u.size(doc)
	}
	best := -1
	for _, s := range order {
		if t := doc.Sections[s].Title; t != "" && !used[t] && (best < 0 || size[s] > size[best]) {
			best = s
		}
	}
	if best < 0 {
		return ""
	}
	return doc.Sections[best].Title
}

// continuedHeading is the heading of the source section a group starts in:
// the title of a group that only continues it, when the outline gives none.
func continuedHeading(doc script.Source, us []unit) string {
	return doc.Sections[us[0].sec].Title
}

// ownPoints keeps the outline's points for body section i that belong to
// its own source: a point whose key words are mostly found in another
// section's source, and less in its own, would have the section talk about
// what another covers, so it is dropped (the section then gets points from
// its own source). Points found in no source (a paraphrase, a translation)
// are kept.
func ownPoints(points []string, i int, secs []section, lang string) []string {
	var out []string
	for _, pt := range points {
		words := contentWords(pt, lang)
		if len(words) == 0 {
			out = append(out, pt)
			continue
		}
		own := shareIn(words, secs[i].source, lang)
		other := 0.0
		for j, sec := range secs {
			if j != i && sec.role == roleBody {
				other = max(other, shareIn(words, sec.source, lang))
			}
		}
		if other >= 0.5 && other > own && own < 0.5 {
			continue
		}
		out = append(out, pt)
	}
	return out
}

// shareIn is the share of words found among text's content words.
func shareIn(words []string, text, lang string) float64 {
	have := map[string]bool{}
	for _, w := range contentWords(text, lang) {
		have[w] = true
	}
	n := 0
	for _, w := range words {
		if have[w] {
			n++
		}
	}
	return float64(n) / float64(len(words))
}
