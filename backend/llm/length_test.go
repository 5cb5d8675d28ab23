package llm

import (
	"context"
	"math"
	"strings"
	"testing"

	"podcastfy/backend/template"
)

func TestTargetWords(t *testing.T) {
	tests := map[string]struct {
		tpl     *template.Template
		minutes float64
		want    int
	}{
		"mean of voices":      {duo(), 10, 1500},
		"template minutes":    {duo(), 0, 750},
		"default rate":        {solo(), 3, 450},
		"nil template":        {nil, 2, 300},
		"no minutes anywhere": {&template.Template{}, 0, DefaultMinutes * 150},
		"capped":              {nil, 1e12, MaxMinutes * 150},
		"nan":                 {nil, math.NaN(), DefaultMinutes * 150},
		"tiny":                {nil, 0.001, 1},
	}
	for name, tc := range tests {
		if got := TargetWords(tc.tpl, tc.minutes); got != tc.want {
			t.Errorf("%s: got %d, want %d", name, got, tc.want)
		}
	}
}

// With a long source the offline script's length is within 10% of the
// target from one minute to an hour.
func TestExtractiveLengthWithinTenPercent(t *testing.T) {
	src := longText(450000)
	for _, tc := range []struct {
		tpl     *template.Template
		minutes []float64
	}{{duo(), []float64{1, 10, 30, 60}}, {solo(), []float64{2, 60}}} {
		tpl := tc.tpl
		for _, minutes := range tc.minutes {
			sc, err := NewExtractive().Write(context.Background(), Request{Source: src, Template: tpl, Minutes: minutes}, nil)
			if err != nil {
				t.Fatal(err)
			}
			target := TargetWords(tpl, minutes)
			if got := sc.Words(); got*10 < target*9 || got*10 > target*11 {
				t.Errorf("%s %.0f min: %d words, target %d", tpl.Name, minutes, got, target)
			}
		}
	}
}

// A source too short for the target says so, with the length it can fill,
// both before writing (ExtractiveMinutes) and in the job's warnings.
func TestExtractiveShortSourceWarns(t *testing.T) {
	src := strings.Repeat("Rivers carry sediment to the sea and build deltas there. ", 3) +
		"Farmers grow rice on the fertile plains the floods leave behind. " + longText(900)
	fill := ExtractiveMinutes(src, duo(), "en")
	if fill <= 0 || fill >= 3 {
		t.Fatalf("ExtractiveMinutes = %.2f", fill)
	}
	var warnings []string
	sc, err := NewExtractive().Write(context.Background(), Request{Source: src, Template: duo(), Minutes: 10,
		Warn: func(s string) { warnings = append(warnings, s) }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := float64(sc.Words()) / float64(TargetWords(duo(), 1))
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not the 10 minutes asked for") ||
		!strings.Contains(warnings[0], minutesText(got)) {
		t.Fatalf("warnings %q for a %.1f-minute script", warnings, got)
	}
	if got > fill*1.1 || got < fill*0.7 {
		t.Errorf("script of %.2f minutes, ExtractiveMinutes said %.2f", got, fill)
	}
	warnings = nil
	NewExtractive().Write(context.Background(), Request{Source: longText(100000), Template: duo(), Minutes: 3,
		Warn: func(s string) { warnings = append(warnings, s) }}, nil)
	if len(warnings) != 0 {
		t.Errorf("a long source warned %q", warnings)
	}
}

// The length asked for is quoted as asked: a person who typed 2.5 minutes
// must not read that they asked for 3.
func TestShortfallNoteQuotesTheAskedLength(t *testing.T) {
	for want, text := range map[float64]string{2.5: "not the 2.5 minutes asked for", 8: "not the 8 minutes asked for",
		1: "not the 1 minute asked for", 0.5: "not the 30 seconds asked for", 12.25: "not the 12.3 minutes asked for"} {
		if got := ShortfallNote(0.4, want); !strings.Contains(got, text) || !strings.Contains(got, "about 20 seconds of podcast") {
			t.Errorf("ShortfallNote(0.4, %g) = %q, want %q", want, got, text)
		}
	}
}
