package llm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"podcastfy/backend/script"
	"podcastfy/backend/template"
)

// DefaultMinutes is the target length when neither the request nor the
// template sets one; MaxMinutes caps any request.
const (
	DefaultMinutes = 5
	MaxMinutes     = 600
)

// TargetWords converts a length in minutes (0 means the template's, then
// DefaultMinutes) into words, at the mean speaking rate of the template's
// speakers: turns are shared among them, so the mean is what a listener
// hears on average.
func TargetWords(t *template.Template, minutes float64) int {
	if minutes <= 0 && t != nil {
		minutes = t.Minutes
	}
	if minutes <= 0 || math.IsNaN(minutes) || math.IsInf(minutes, 0) {
		minutes = DefaultMinutes
	}
	minutes = min(minutes, MaxMinutes)
	wpm := float64(template.DefaultWordsPerMinute)
	if t != nil && len(t.Speakers) > 0 {
		sum := 0
		for _, s := range t.Speakers {
			sum += s.WPM()
		}
		wpm = float64(sum) / float64(len(t.Speakers))
	}
	return max(1, int(math.Round(minutes*wpm)))
}

// ExtractiveMinutes is the longest podcast, in minutes, that the offline
// extractive writer can make from source for template t in language lang:
// every speakable sentence it would consider, with the show's own words
// around them. A request for more gets this much, and a warning.
func ExtractiveMinutes(source string, t *template.Template, lang string) float64 {
	words := extractiveWords(source, t, lang)
	return float64(words) / float64(TargetWords(t, 1))
}

// extractiveWords is ExtractiveMinutes in words.
func extractiveWords(source string, t *template.Template, lang string) int {
	names := speakerNames(t)
	if len(names) == 0 {
		return 0
	}
	req := Request{Template: t, Language: lang}
	src := cleanSource(source)
	lang = sourceLanguage(src, lang)
	doc := script.PrepareSource(src, lang)
	sentences, _ := docSentences(doc, lang)
	clean, cands := candidates(sentences, script.NewTextChecker(names), lang)
	words := 0
	for _, i := range cands {
		words += len(strings.Fields(clean[i]))
	}
	sh := newShow(req, names, doc.Title, lang)
	return words + sh.overheadWords()
}

// ShortfallNote is the warning for a source that cannot fill the target.
// The length asked for is given as asked (2.5 minutes, not "3").
func ShortfallNote(have, want float64) string {
	return fmt.Sprintf("The source has enough text for about %s of podcast without an LLM, not the %s asked for; the podcast will be that short.",
		minutesText(have), askedText(want))
}

// askedText is a length the person asked for, to a tenth of a minute.
func askedText(m float64) string {
	m = math.Round(m*10) / 10
	if m < 1 {
		return minutesText(m)
	}
	if m == 1 {
		return "1 minute"
	}
	return strconv.FormatFloat(m, 'f', -1, 64) + " minutes"
}

func minutesText(m float64) string {
	switch {
	case m < 1:
		return fmt.Sprintf("%.0f seconds", math.Max(10, math.Round(m*6)*10))
	case math.Round(m) == 1:
		return "1 minute"
	}
	return fmt.Sprintf("%.0f minutes", math.Round(m))
}
