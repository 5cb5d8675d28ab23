package llm

import (
	"slices"
	"strings"

	"podcastfy/backend/script"
)

// A document with headings is walked section by section: each section gets
// a share of the length budget in proportion to its text, the best
// sentences of each are kept in source order, and the chapters are named by
// the source's own headings.

// wordsPerChapter is about how many script words one chapter holds; fewer
// sections than that are merged, so a one-minute episode of a man page with
// thirty sections does not become thirty one-line chapters.
const wordsPerChapter = 120

// maxChapters caps body chapters, whatever the length.
const maxChapters = 12

func hasHeadings(doc script.Source) bool {
	for _, s := range doc.Sections {
		if s.Title != "" {
			return true
		}
	}
	return false
}

// selectBySection shares the budget among the sections holding candidates,
// in proportion to their words; when there are more sections than the
// budget can give a sentence each, the largest sections are kept.
func selectBySection(rs []ranked, clean []string, section []int, budget int) []int {
	words := map[int]int{}
	for _, r := range rs {
		words[section[r.index]] += len(strings.Fields(clean[r.index]))
	}
	secs := make([]int, 0, len(words))
	for s := range words {
		secs = append(secs, s)
	}
	slices.SortFunc(secs, func(a, b int) int {
		if words[a] != words[b] {
			return words[b] - words[a]
		}
		return a - b
	})
	if keep := max(1, budget/40); len(secs) > keep {
		secs = secs[:keep]
	}
	total := 0
	for _, s := range secs {
		total += words[s]
	}
	var chosen []int
	for _, s := range secs {
		var own []ranked
		for _, r := range rs {
			if section[r.index] == s {
				own = append(own, r)
			}
		}
		share := int(float64(budget) * float64(words[s]) / float64(max(total, 1)))
		chosen = append(chosen, selectSentences(own, clean, max(share, 1))...)
	}
	slices.Sort(chosen)
	return chosen
}

// sectionGroups cuts chosen sentences into chapters along the sections and
// names each by its heading. Text before the first heading joins the first
// chapter; when there are more sections than the length can carry, the
// smallest chapters are merged into a neighbour, keeping the heading of
// the larger.
func sectionGroups(chosen []int, clean []string, section []int, doc script.Source, budget int) ([][]int, []string) {
	type group struct {
		title string
		idx   []int
		words int
	}
	var gs []group
	last := -1
	for _, i := range chosen {
		s := section[i]
		title := doc.Sections[s].Title
		w := len(strings.Fields(clean[i]))
		switch n := len(gs); {
		case n > 0 && (s == last || title == ""):
			gs[n-1].idx = append(gs[n-1].idx, i)
			gs[n-1].words += w
		case n == 1 && gs[0].title == "":
			gs[0].title = title // the untitled opening joins the first section
			gs[0].idx = append(gs[0].idx, i)
			gs[0].words += w
		default:
			gs = append(gs, group{title: title, idx: []int{i}, words: w})
		}
		last = s
	}
	limit := min(maxChapters, max(1, budget/wordsPerChapter))
	for len(gs) > limit {
		small := 0
		for i, g := range gs {
			if g.words < gs[small].words {
				small = i
			}
		}
		into := small - 1
		if into < 0 || small+1 < len(gs) && gs[small+1].words < gs[into].words {
			into = small + 1
		}
		a, b := min(small, into), max(small, into)
		merged := group{title: gs[a].title, idx: append(slices.Clone(gs[a].idx), gs[b].idx...), words: gs[a].words + gs[b].words}
		if gs[b].words > gs[a].words {
			merged.title = gs[b].title
		}
		gs = slices.Replace(gs, a, b+1, merged)
	}
	groups := make([][]int, len(gs))
	titles := make([]string, len(gs))
	for i, g := range gs {
		groups[i], titles[i] = g.idx, g.title
		if titles[i] == "" {
			titles[i] = doc.Title
		}
	}
	return groups, titles
}
