package llm

import (
	"math"

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
