package llm

import (
	"slices"
	"strings"
	"unicode"
)

// detectSample is how much of a source the language guess reads.
const detectSample = 20000

// detectLanguage guesses which of the languages with stop-word lists (en,
// de, fr, es, it, pt, nl) a text is written in, by how many of its words
// are each language's function words. It answers "" when the text is too
// short or no language clearly leads, so a caller keeps the language it was
// given.
func detectLanguage(text string) string {
	if len(text) > detectSample {
		text = text[:detectSample]
	}
	hits := map[string]int{}
	words := 0
	for w := range strings.FieldsFuncSeq(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		words++
		for lang, set := range stopwordSets {
			if set[w] {
				hits[lang]++
			}
		}
	}
	langs := make([]string, 0, len(hits))
	for l := range hits {
		langs = append(langs, l)
	}
	slices.SortFunc(langs, func(a, b string) int {
		if hits[a] != hits[b] {
			return hits[b] - hits[a]
		}
		return strings.Compare(a, b)
	})
	if len(langs) == 0 || hits[langs[0]] < 8 || hits[langs[0]]*10 < words {
		return ""
	}
	if len(langs) > 1 && hits[langs[0]]*2 < hits[langs[1]]*3 {
		return "" // no clear lead: mixed text, or languages that share words
	}
	return langs[0]
}

// sourceLanguage is the language a source is written in: the detected one,
// else the request's.
func sourceLanguage(text, requested string) string {
	if l := detectLanguage(text); l != "" {
		if baseLanguage(requested) == l {
			return requested // keep the region ("pt-BR")
		}
		return l
	}
	return requested
}
