package script

import (
	"reflect"
	"testing"
)

func TestCueCleanerClean(t *testing.T) {
	c := NewCueCleaner([]string{"Alex", "Sam Lee"})
	tests := map[string]string{
		"*laughs* That is wild.":                          "That is wild.",
		"That is wild *chuckles softly* really.":          "That is wild really.",
		"(laughs) Okay, fair point.":                      "Okay, fair point.",
		"Well (sighs deeply) that is hard.":               "Well that is hard.",
		"[pause] So where were we?":                       "So where were we?",
		"**[Music fades out]** Welcome back.":             "Welcome back.",
		"*excitedly* Yes!":                                "Yes!",
		"Alex: Welcome to the show.":                      "Welcome to the show.",
		"**Sam Lee:** Thanks for having me.":              "Thanks for having me.",
		"- Alex: First point.":                            "First point.",
		"1. Rivers carve valleys.":                        "Rivers carve valleys.",
		"Host: Hello.":                                    "Hello.",
		"Speaker 2 (laughing): No way.":                   "No way.",
		`"Quoted whole line."`:                            "Quoted whole line.",
		`He said "yes" and left.`:                         `He said "yes" and left.`,
		"The Nile (the longest river) flows north.":       "The Nile (the longest river) flows north.",
		"See [the report](https://example.com) for more.": "See [the report](https://example.com) for more.",
		"It grew 20%[3] last year.":                       "It grew 20%[3] last year.",
		"This is **really** important.":                   "This is **really** important.",
		"Note: this matters.":                             "Note: this matters.",
		"*laughs*":                                        "",
		"[Music]":                                         "",
		"   ":                                             "",
	}
	for in, want := range tests {
		if got := c.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCueCleanerSplit(t *testing.T) {
	c := NewCueCleaner([]string{"Alex", "Sam"})
	tests := map[string][]Turn{
		"Plain line.":                      {{"", "Plain line."}},
		"Sam: Hello there.":                {{"Sam", "Hello there."}},
		"Right, I agree. Sam: And then?":   {{"", "Right, I agree."}, {"Sam", "And then?"}},
		"alex: Hi. sam: Hey! Alex: Ready?": {{"Alex", "Hi."}, {"Sam", "Hey!"}, {"Alex", "Ready?"}},
		"The ratio is 3:2. Samples: five.": {{"", "The ratio is 3:2. Samples: five."}},
	}
	for in, want := range tests {
		if got := c.Split(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCueCleanerKeepsProse(t *testing.T) {
	c := NewCueCleaner([]string{"Alex"})
	for _, in := range []string{"Drink (warm water) slowly.", "The break-even point is near.", "Sales (soft drinks) rose."} {
		if got := c.Clean(in); got != in {
			t.Errorf("Clean(%q) = %q", in, got)
		}
	}
}
