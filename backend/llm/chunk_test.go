package llm

import (
	"context"
	"strings"
	"testing"

	"podcastfy/backend/script"
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

func TestPlanSections(t *testing.T) {
	src := script.PrepareSource(longText(100000), "en")
	sum := func(p plan) (int, int, int) {
		words, bodies, sources := 0, 0, 0
		for _, s := range p.sections {
			words += s.budget
			if s.role == roleBody {
				bodies++
				sources += len(s.source)
			}
		}
		return words, bodies, sources
	}
	// A 10-minute episode from a long source: an opening, body sections of
	// a few hundred words each covering consecutive stretches, a wrap-up.
	p, err := planSections(context.Background(), src, 1500, 6000, 12)
	if err != nil {
		t.Fatal(err)
	}
	words, bodies, _ := sum(p)
	if p.sections[0].role != roleOpen || p.sections[len(p.sections)-1].role != roleClose || p.shared {
		t.Fatalf("frame %+v", p.sections)
	}
	if bodies < 4 || bodies > 12 || words < 1450 || words > 1550 || p.kept >= 1 {
		t.Fatalf("%d bodies, %d words, kept %.2f", bodies, words, p.kept)
	}
	for i, s := range p.sections[1 : len(p.sections)-1] {
		if s.budget < minSection/2 || s.budget > maxSection || len(s.source) > 6000 || s.source == "" {
			t.Errorf("body %d: %d words, %d bytes", i+1, s.budget, len(s.source))
		}
		if i > 0 && s.source == p.sections[i].source {
			t.Errorf("body %d covers the same source as the one before", i+1)
		}
	}
	// A short episode opens and closes in its one body section.
	p, err = planSections(context.Background(), script.PrepareSource("Short text.", "en"), 300, 6000, 12)
	if err != nil || len(p.sections) != 1 || !p.sections[0].opens || !p.sections[0].closes || p.kept != 1 || p.sections[0].budget != 300 {
		t.Fatalf("%+v %v", p, err)
	}
	// A short source for a long episode is shared among sections.
	p, err = planSections(context.Background(), script.PrepareSource("Short text.", "en"), 2000, 6000, 12)
	if _, bodies, _ := sum(p); err != nil || !p.shared || bodies < 5 {
		t.Fatalf("%+v %v", p, err)
	}
	// A medium source is covered in full, once.
	doc := script.PrepareSource(longText(20000), "en")
	mid := doc.Text()
	p, err = planSections(context.Background(), doc, 1500, 6000, 12)
	if _, _, sources := sum(p); err != nil || p.kept != 1 || sources < len(mid)-len(p.sections)*2 || sources > len(mid) {
		t.Fatalf("covered %d of %d bytes: %v", sources, len(mid), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := planSections(ctx, src, 600, 6000, 12); err == nil {
		t.Fatal("cancelled condensing succeeded")
	}
}
