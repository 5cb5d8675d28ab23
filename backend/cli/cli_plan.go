package cli

import (
	"fmt"
	"io"
	"strings"

	"podcastfy/backend/core"
)

// flagOf is the command-line name of a request field, for the plan's
// problems: the person fixes what they typed.
func flagOf(field string) string {
	switch field {
	case core.FieldText:
		return "the text"
	case core.FieldSources:
		return "the sources"
	case core.FieldVoices:
		return "the voices (tts.voices in the settings)"
	case "":
		return ""
	}
	if name, ok := strings.CutPrefix(field, core.FieldVoices+"."); ok {
		return "the voice of " + name + " (tts.voices in the settings)"
	}
	if field == core.FieldTemplate || field == core.FieldMinutes || field == core.FieldTitle || field == core.FieldLanguage ||
		field == core.FieldFocus || field == core.FieldWriter || field == core.FieldTTS {
		return "--" + field
	}
	return field
}

// printPlanWarnings says, before anything starts, what will differ from
// what was asked: the offline writer standing in, a source too short for
// the length. They come again in the summary after the progress bar.
func printPlanWarnings(w io.Writer, plan core.Plan) {
	for _, p := range plan.Problems {
		if p.Severity == core.SeverityWarning {
			fmt.Fprintf(w, "podcastfy: note (%s): %s\n", flagOf(p.Field), sentence(p.Message))
		}
	}
}

// refusePlan reports the plan's errors, naming what to change, in at most
// four lines (the last a hint, when given), and reports whether there were
// any.
func refusePlan(w io.Writer, plan core.Plan, hint string) bool {
	var errs []core.Problem
	for _, p := range plan.Problems {
		if p.Severity == core.SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return false
	}
	shown := errs
	if len(errs) > 3 {
		shown = errs[:2]
	}
	for _, p := range shown {
		fmt.Fprintf(w, "podcastfy: %s: %s\n", flagOf(p.Field), sentence(p.Message))
	}
	switch {
	case len(shown) < len(errs):
		fmt.Fprintf(w, "…and %d more problems. Nothing was started; check with 'podcastfy generate --dry-run …'.\n", len(errs)-len(shown))
	case hint != "":
		fmt.Fprintln(w, hint)
	default:
		fmt.Fprintln(w, "Nothing was started. Run 'podcastfy generate --help' for usage.")
	}
	return true
}

// printPlan is --dry-run's answer: what would run, then every problem.
func printPlan(w io.Writer, plan core.Plan) {
	fmt.Fprintf(w, "Would run: the %s writer, %s voices, %s asked", plan.Writer, plan.TTS, minutesText(plan.Minutes))
	if plan.MinutesFillable > 0 {
		fmt.Fprintf(w, "; the sources fill about %s without an LLM", minutesText(plan.MinutesFillable))
	}
	fmt.Fprintln(w, ".")
	for _, p := range plan.Problems {
		fmt.Fprintf(w, "%s (%s): %s\n", p.Severity, flagOf(p.Field), sentence(p.Message))
	}
}

func minutesText(m float64) string {
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%.3g minutes", m)
}

// sentence capitalises a message that starts mid-sentence.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
