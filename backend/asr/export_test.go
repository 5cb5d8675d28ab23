package asr

import "time"

// SetBudget replaces a Transcriber's time-out rule, so tests can hit the
// scaled deadline without waiting minutes.
func SetBudget(t Transcriber, budget func(seconds float64) time.Duration) {
	switch c := t.(type) {
	case *WhisperASR:
		c.budget = budget
	case *OpenAI:
		c.budget = budget
	case *WhisperCpp:
		c.budget = budget
	}
}
