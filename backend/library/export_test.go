package library

import (
	"slices"
	"testing"
)

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Plain":                                 "Plain",
		"a/b\\c:d*e?f\"g<h>i|j":                 "a-b-c-d-e-f-g-h-i-j",
		"  ..dots.. ":                           "dots",
		"":                                      "podcast",
		"...":                                   "podcast",
		"tab\there\nnewline":                    "tab-here-newline",
		string(slices.Repeat([]rune("é"), 150)): string(slices.Repeat([]rune("é"), 100)),
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}
