package llm

import (
	"hash/maphash"
	"slices"
	"strings"
	"unicode"

	"podcastfy/backend/script"
)

// Repetition across sections is measured by shared word n-grams: a section
// whose n-grams were mostly said before repeats an earlier one.
const (
	gramWords = 4
	// repeatShare: above this share of its n-grams said before, a section
	// is rewritten once.
	repeatShare = 0.3
	// minGrams: shorter sections are not judged.
	minGrams = 12
)

var gramSeed = maphash.MakeSeed()

// ngramIndex holds the n-grams of the lines written so far.
type ngramIndex struct {
	grams map[uint64]int // n-gram → the earlier line it was first said in
	lines []string
}

func newNgramIndex() *ngramIndex { return &ngramIndex{grams: map[uint64]int{}} }

// grams returns the hashes of text's word n-grams (lower case, letters and
// digits only).
func grams(text string) []uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) < gramWords {
		return nil
	}
	out := make([]uint64, 0, len(words)-gramWords+1)
	for i := 0; i+gramWords <= len(words); i++ {
		out = append(out, maphash.String(gramSeed, strings.Join(words[i:i+gramWords], " ")))
	}
	return out
}

// add records lines as said.
func (x *ngramIndex) add(lines []script.Line) {
	for _, l := range lines {
		x.lines = append(x.lines, l.Text)
		for _, g := range grams(l.Text) {
			if _, ok := x.grams[g]; !ok {
				x.grams[g] = len(x.lines) - 1
			}
		}
	}
}

// overlap returns the share of lines' n-grams said before, and the earlier
// lines they repeat most (at most three), to name in a rewrite request.
func (x *ngramIndex) overlap(lines []script.Line) (float64, []string) {
	total, seen := 0, 0
	hits := map[int]int{}
	for _, l := range lines {
		for _, g := range grams(l.Text) {
			total++
			if i, ok := x.grams[g]; ok {
				seen++
				hits[i]++
			}
		}
	}
	if total < minGrams {
		return 0, nil
	}
	idx := make([]int, 0, len(hits))
	for i := range hits {
		idx = append(idx, i)
	}
	slices.SortFunc(idx, func(a, b int) int {
		if d := hits[b] - hits[a]; d != 0 {
			return d
		}
		return a - b
	})
	var repeated []string
	for _, i := range idx[:min(3, len(idx))] {
		repeated = append(repeated, shorten(x.lines[i], 160))
	}
	return float64(seen) / float64(total), repeated
}
