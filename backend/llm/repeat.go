package llm

import (
	"hash/maphash"
	"strings"
	"unicode"

	"podcastfy/backend/script"
)

// Repetition is measured by shared word n-grams: a line whose n-grams
// were mostly said before repeats an earlier one. Lines are judged one by
// one because they are voiced as they stream in.
const (
	gramWords = 4
	// lineRepeatShare: above this share of its n-grams said before, a line
	// is a repeat.
	lineRepeatShare = 0.6
	// minLineGrams: shorter lines ("Exactly, and the delta too.") are not
	// judged.
	minLineGrams = 4
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

// repeats reports whether text mostly says what the index holds (more
// than lineRepeatShare of its n-grams, for a line of at least minLineGrams),
// and the earlier line it repeats most, to name in a request for more.
func (x *ngramIndex) repeats(text string) (string, bool) {
	gs := grams(text)
	if len(gs) < minLineGrams {
		return "", false
	}
	seen := 0
	hits := map[int]int{}
	for _, g := range gs {
		if i, ok := x.grams[g]; ok {
			seen++
			hits[i]++
		}
	}
	if float64(seen) <= lineRepeatShare*float64(len(gs)) {
		return "", false
	}
	best := -1
	for i, n := range hits {
		if best < 0 || n > hits[best] || n == hits[best] && i < best {
			best = i
		}
	}
	return shorten(x.lines[best], 160), true
}
