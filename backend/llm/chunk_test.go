package llm

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestSplitParts(t *testing.T) {
	text := cleanSource(longText(20000))
	for _, size := range []int{500, 1000, 6000, 50000} {
		parts := splitParts(text, size)
		want := (len(text) + fill(size) - 1) / fill(size)
		if len(parts) < want-1 || len(parts) > want+1 {
			t.Errorf("size %d: %d parts, want about %d", size, len(parts), want)
		}
		words := 0
		for _, p := range parts {
			if len(p) > size {
				t.Errorf("size %d: part of %d bytes", size, len(p))
			}
			words += len(strings.Fields(p))
		}
		if got := strings.Join(parts, "\n\n"); size < len(text) && strings.Count(got, "\n\n") < strings.Count(text, "\n\n") {
			t.Errorf("size %d: paragraph breaks lost", size)
		}
		if words != len(strings.Fields(text)) {
			t.Errorf("size %d: %d words kept of %d", size, words, len(strings.Fields(text)))
		}
	}
	long := strings.Repeat("word ", 1000)
	for _, p := range splitParts(long, 600) {
		if len(p) > 600 {
			t.Fatalf("unpunctuated text: part of %d bytes", len(p))
		}
	}
}

func TestSectionsFor(t *testing.T) {
	st := []string{"Intro", "A", "B", "C", "Outro"}
	tests := []struct {
		structure    []string
		index, count int
		want         []string
	}{
		{st, 0, 1, st},
		{st, 0, 3, []string{"Intro", "A"}},
		{st, 1, 3, []string{"B"}},
		{st, 2, 3, []string{"C", "Outro"}},
		{st, 1, 5, []string{"A"}},
		{st, 2, 5, nil},
		{[]string{"Intro", "Outro"}, 1, 3, nil},
		{[]string{"Intro", "Outro"}, 2, 3, []string{"Outro"}},
		{[]string{"Only"}, 0, 2, nil},
		{[]string{"Only"}, 1, 2, []string{"Only"}},
		{nil, 0, 2, nil},
	}
	for _, tc := range tests {
		if got := sectionsFor(tc.structure, tc.index, tc.count); !slices.Equal(got, tc.want) {
			t.Errorf("sectionsFor(%v, %d, %d) = %v, want %v", tc.structure, tc.index, tc.count, got, tc.want)
		}
	}
}

func TestPlanParts(t *testing.T) {
	src := cleanSource(longText(100000))
	// A short episode needs few parts: the source is condensed to fit them.
	parts, condensed, err := planParts(context.Background(), src, 600, 6000, 12)
	if err != nil || !condensed || len(parts) != 2 {
		t.Fatalf("%d parts, condensed %v, %v", len(parts), condensed, err)
	}
	// A short source is never condensed.
	parts, condensed, err = planParts(context.Background(), "Short text.", 6000, 6000, 12)
	if err != nil || condensed || len(parts) != 1 || parts[0] != "Short text." {
		t.Fatalf("%q %v %v", parts, condensed, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := planParts(ctx, src, 600, 6000, 12); err == nil {
		t.Fatal("cancelled condensing succeeded")
	}
}
