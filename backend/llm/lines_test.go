package llm

import (
	"strings"
	"testing"

	"podcastfy/backend/script"
)

func TestLineCleanerSpeakers(t *testing.T) {
	c := newLineCleaner([]string{"Alex", "Sam Lee"}, "en")
	got := c.clean([]rawLine{
		{"", "Welcome!"},                         // no speaker: the first
		{"HOST", "Host labels map by position."}, // a role
		{"guest", "So do guests."},
		{"Bob", "Unknown speakers take turns."},
		{"alex (host)", "A name with a note."},
		{"Sam Lee", "Sure. Alex: Then I answer."}, // a merged turn
		{"Alex", "*laughs*"},                      // nothing left: dropped
	}, "")
	want := []script.Line{{Speaker: "Alex", Text: "Welcome!"}, {Speaker: "Alex", Text: "Host labels map by position."},
		{Speaker: "Sam Lee", Text: "So do guests."}, {Speaker: "Alex", Text: "Unknown speakers take turns."},
		{Speaker: "Alex", Text: "A name with a note."}, {Speaker: "Sam Lee", Text: "Sure."}, {Speaker: "Alex", Text: "Then I answer."}}
	if len(got.lines) != len(want) || got.dropped != 1 {
		t.Fatalf("%d lines, %d dropped: %q", len(got.lines), got.dropped, got.lines)
	}
	for i := range want {
		if got.lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i+1, got.lines[i], want[i])
		}
	}
}

// Whatever a model writes, a cleaned line is empty or passes the checks
// script.Validate applies.
func FuzzLineCleaner(f *testing.F) {
	for _, s := range []string{"**Alex:** Hi *laughs*", "[pause] (sighs) - Sam: ok", "See https://x.y/z?q=1 and www.a.b", "<b>x</b> {y} `z` # h __u__",
		"&amp; &#x41; ***", "[a](b) [^1] ~~s~~", "Host: Guest: Speaker 2:", "\x00\ufffd", "…", "1. - * • > x"} {
		f.Add(s)
	}
	c := newLineCleaner([]string{"Alex", "Sam"}, "en")
	checker := script.NewTextChecker([]string{"Alex", "Sam"})
	f.Fuzz(func(t *testing.T, in string) {
		for _, l := range c.clean([]rawLine{{"Alex", in}}, "").lines {
			if p := checker.Problems(l.Text); p != nil || strings.TrimSpace(l.Text) == "" {
				t.Fatalf("%q cleaned to %q: %v", in, l.Text, p)
			}
		}
	})
}

func TestGroundingCheck(t *testing.T) {
	en := newGroundingCheck("The Nile carried 2500 tonnes in 2020. Dr. Lee measured it.", "en", "Deep Dive", "Alex Sam")
	for text, want := range map[string]string{
		"The Nile carried 2,500 tonnes.":             "",
		"Alex and Sam read Deep Dive notes by Lee.":  "",
		"Then Paris and the Danube joined in 1987.":  "1987 Paris Danube",
		"Okay. Seven of them, or 7, came. I'm sure.": "",
		"Lee's data from 2020 and 2021.":             "2021",
	} {
		if got := strings.Join(en.flag(text), " "); got != want {
			t.Errorf("flag(%q) = %q, want %q", text, got, want)
		}
	}
	// German capitalises every noun: only numbers are checked.
	de := newGroundingCheck("Der Fluss trägt Sand.", "de-AT")
	if got := de.flag("Der Fluss trägt im Frühling 300 Tonnen Sand."); strings.Join(got, " ") != "300" {
		t.Errorf("de: %q", got)
	}
	if w := groundingWarning([][]string{nil, {"Paris", "1987"}, nil, {"paris"}}); !strings.Contains(w, `"Paris", "1987"`) || !strings.Contains(w, "sections 2 and 4") {
		t.Errorf("warning %q", w)
	}
}
