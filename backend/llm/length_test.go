package llm

import (
	"math"
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
