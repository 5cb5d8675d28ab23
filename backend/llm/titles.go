package llm

import (
	"fmt"
	"slices"
	"strings"

	"podcastfy/backend/script"
)

// Titles the writers make up when the source has no heading to give, in
// the language of the words they name: a chapter or an episode is named by
// its two key words joined with the language's "and" ("Bienen und Honig"),
// or numbered ("Teil 2").

// writerWords are the few words the writers add to titles, per language.
type titleWords struct{ part, topic, welcome, wrapUp, continued string }

var writerWords = map[string]titleWords{
	"en": {"Part %d", "Today's text", "Welcome", "Wrap-up", "%s, continued"},
	"de": {"Teil %d", "Der heutige Text", "Willkommen", "Zusammenfassung", "%s, Fortsetzung"},
	"fr": {"Partie %d", "Le texte du jour", "Bienvenue", "Conclusion", "%s (suite)"},
	"es": {"Parte %d", "El texto de hoy", "Bienvenida", "Conclusión", "%s (continuación)"},
	"it": {"Parte %d", "Il testo di oggi", "Benvenuti", "Conclusione", "%s (seguito)"},
	"pt": {"Parte %d", "O texto de hoje", "Boas-vindas", "Conclusão", "%s (continuação)"},
	"nl": {"Deel %d", "De tekst van vandaag", "Welkom", "Afsluiting", "%s (vervolg)"},
}

// continuedTitle names a chapter that goes on with a heading already
// heard: "Options, continued".
func continuedTitle(heading, lang string) string {
	return fmt.Sprintf(wordsIn(lang).continued, heading)
}

func wordsIn(lang string) titleWords {
	if w, ok := writerWords[baseLanguage(lang)]; ok {
		return w
	}
	return writerWords["en"]
}

// partTitle numbers a chapter: "Part 2", "Teil 2".
func partTitle(n int, lang string) string { return fmt.Sprintf(wordsIn(lang).part, n) }

// keyWords are the n most frequent content words of texts, as written
// (the form most often seen away from a sentence's start, so German nouns
// keep their capital and English words their case), skipping keys in
// exclude; ties go alphabetically. It returns the keys too, for exclude.
func keyWords(texts []string, exclude map[string]bool, n int, lang string) (forms, keys []string) {
	count := map[string]int{}
	seen := map[string]map[string]int{}
	for _, t := range texts {
		for _, sentence := range splitSentencesIn(t, lang) {
			first := true
			eachContentWord(sentence, lang, func(key, form string) {
				if exclude[key] {
					return
				}
				count[key]++
				if seen[key] == nil {
					seen[key] = map[string]int{}
				}
				weight := 2
				if first && strings.HasPrefix(sentence, form) {
					weight = 1 // a capital here says nothing about the word
				}
				first = false
				seen[key][form] += weight
			})
		}
	}
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	keys = keys[:min(n, len(keys))]
	for _, k := range keys {
		best := ""
		for f, c := range seen[k] {
			if best == "" || c > seen[k][best] || c == seen[k][best] && f > best {
				best = f // on a tie the lower-case form ("a" sorts after "A")
			}
		}
		forms = append(forms, best)
	}
	return forms, keys
}

// keyTitle joins key words into a title: "Rivers and sediment", "Bienen
// und Honig"; "" without any.
func keyTitle(forms []string, lang string) string {
	switch len(forms) {
	case 0:
		return ""
	case 1:
		return capitalize(forms[0])
	}
	return capitalize(forms[0]) + " " + script.Conjunction(lang) + " " + forms[1]
}
