package asr

import (
	"fmt"
	"strings"
)

// checkOptions rejects option values no server understands.
func checkOptions(opts Options) error {
	switch opts.Task {
	case "", TaskTranscribe, TaskTranslate:
	default:
		return fmt.Errorf("speech recognition task %q: use %q or %q", opts.Task, TaskTranscribe, TaskTranslate)
	}
	for _, r := range opts.Language {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r != '-' && r != '_' {
			return fmt.Errorf("speech recognition language %q: use a code such as \"en\"", opts.Language)
		}
	}
	return nil
}

// wireSegment is a segment as every server spells it; extra keys are ignored.
type wireSegment struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

// finish builds a Transcript: whitespace-normalised text (joined from the
// segments when the server sent none), and a duration from the server, the
// last segment, or an exact header estimate, in that order.
func finish(text, language string, duration float64, segs []wireSegment, s sent) Transcript {
	t := Transcript{Language: strings.TrimSpace(language), Duration: duration}
	var joined []string
	for _, seg := range segs {
		txt := strings.TrimSpace(seg.Text)
		t.Segments = append(t.Segments, Segment{Start: seg.Start, End: seg.End, Text: txt})
		if txt != "" {
			joined = append(joined, txt)
		}
	}
	// whisper.cpp joins segments with newlines; the text is one flow.
	t.Text = strings.Join(strings.Fields(text), " ")
	if t.Text == "" {
		t.Text = strings.Join(joined, " ")
	}
	if t.Duration <= 0 && len(t.Segments) > 0 {
		t.Duration = t.Segments[len(t.Segments)-1].End
	}
	if t.Duration <= 0 && s.exact {
		t.Duration = s.seconds
	}
	return t
}
