package llm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

// headedDoc writes a Markdown document with a title and one "##" section
// per entry of paras (its paragraph count), each paragraph of about words
// words carrying its own marker word ("zqab", "zqac", …), and returns the
// headings and the markers in source order.
func headedDoc(paras []int, words int) (text string, headings, markers []string) {
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("# Rivers of the world\n\n")
	for s, n := range paras {
		topic := topics[s%len(topics)]
		h := fmt.Sprintf("%s and the %s %s", capitalize(topic[0]), topic[1+s%3], letters(s+100))
		headings = append(headings, h)
		fmt.Fprintf(&b, "## %s\n\n", h)
		for range n {
			m := "zq" + letters(len(markers))
			markers = append(markers, m)
			fmt.Fprintf(&b, "The %s %s shapes the %s.", m, topic[r.IntN(len(topic))], topic[r.IntN(len(topic))])
			for w := 5; w < words; {
				k := 6 + r.IntN(8)
				fmt.Fprintf(&b, " %s", capitalize(topic[r.IntN(len(topic))]))
				for range k {
					fmt.Fprintf(&b, " %s %s", glue[r.IntN(len(glue))], topic[r.IntN(len(topic))])
				}
				b.WriteString(".")
				w += 2*k + 1
			}
			b.WriteString("\n\n")
		}
	}
	return b.String(), headings, markers
}

// letters spells n in base 26 with two letters at least: 0 → "aa".
func letters(n int) string {
	s := ""
	for k := 0; k < 2 || n > 0; k++ {
		s = string(rune('a'+n%26)) + s
		n /= 26
	}
	return s
}

var reMarker = regexp.MustCompile(`\bzq[a-z]+\b`)

func TestPlanSectionsCutsAtHeadings(t *testing.T) {
	// Six sections of about 2,500 bytes: three calls of two sections each,
	// every one starting at a heading and named by one of its own.
	text, headings, _ := headedDoc([]int{4, 4, 4, 4, 4, 4}, 80)
	doc := script.PrepareSource(text, "en")
	p, err := planSections(context.Background(), doc, 1000, 6000, 12)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range p.sections {
		if s.role != roleBody {
			continue
		}
		if !strings.HasPrefix(s.source, "## ") || len(s.source) > 6000 {
			t.Errorf("a section's source does not start at a heading or is too long (%d bytes): %.60q", len(s.source), s.source)
		}
		own := regexp.MustCompile(`(?m)^## (.*)$`).FindAllStringSubmatch(s.source, -1)
		if !slices.ContainsFunc(own, func(m []string) bool { return m[1] == s.heading }) {
			t.Errorf("section titled %q covers %v", s.heading, own)
		}
		titles = append(titles, s.heading)
	}
	if len(titles) != 3 || p.shared {
		t.Fatalf("%d bodies %q (shared %v) for six sections", len(titles), titles, p.shared)
	}
	// One section far longer than a call: it is cut inside, its heading
	// names one chapter only, and the chapters keep the source's order.
	text, headings, markers := headedDoc([]int{2, 40, 2, 3}, 90)
	doc = script.PrepareSource(text, "en")
	p, err = planSections(context.Background(), doc, 1500, 6000, 12)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	seen := map[string]bool{}
	for _, s := range p.sections {
		if s.role != roleBody {
			continue
		}
		all = append(all, reMarker.FindAllString(s.source, -1)...)
		if s.heading != "" && seen[s.heading] {
			t.Errorf("heading %q names two chapters", s.heading)
		}
		seen[s.heading] = true
		if s.heading == "" && s.continued != headings[1] {
			t.Errorf("a continuation of %q instead of %q", s.continued, headings[1])
		}
	}
	if !slices.Equal(all, markers) {
		t.Fatalf("the sections cover\n%v\nof\n%v", all, markers)
	}
}

// sectionSource is the source block of a section prompt.
func sectionSource(prompt string) string {
	_, rest, ok := strings.Cut(prompt, "Source text for this section (use only facts from it):\n<<<\n")
	if !ok {
		return ""
	}
	src, _, _ := strings.Cut(rest, "\n>>>")
	return src
}

// A small model that misplans the outline, repeats earlier sections and
// writes markup cannot make the writer send a part of the source twice or
// leave one out: every source section goes to exactly one section call, in
// order, and names its chapter.
func TestWriteMapsSourceSectionsOnce(t *testing.T) {
	text, headings, markers := headedDoc([]int{3, 5, 2, 6, 4, 3, 7, 2}, 90)
	tests := map[string]ollamatest.Quirks{
		"well-behaved": {},
		"hostile":      {Misplan: true, Repeat: true, Markup: true, LooseShape: true, Length: 1.6},
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			srv.SetQuirks(q)
			sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(),
				Request{Source: text, Template: duo(), Minutes: 10, Language: "en"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var firsts []string // each section call's first prompt, in order
			var all []string
			for _, c := range srv.Chats() {
				if kind(c) == "outline" {
					continue
				}
				user := c.Messages[1].Content
				if kind(c) == "follow-up" {
					if !slices.Contains(firsts, user) {
						t.Errorf("a follow-up is not about a section already asked for")
					}
					continue
				}
				firsts = append(firsts, user)
				all = append(all, reMarker.FindAllString(sectionSource(user), -1)...)
			}
			if !slices.Equal(all, markers) {
				t.Fatalf("the section calls cover\n%v\nof the source's\n%v", all, markers)
			}
			// Each body's points come from its own part of the source.
			var sources []string
			for _, f := range firsts {
				sources = append(sources, sectionSource(f))
			}
			for i, f := range firsts {
				_, covering, _ := strings.Cut(f, "covering: ")
				covering, _, _ = strings.Cut(covering, "\n")
				for _, m := range reMarker.FindAllString(covering, -1) {
					if !strings.Contains(sources[i], m) {
						t.Errorf("section %d is asked to cover %q from another part: %s", i+1, m, covering)
					}
				}
			}
			var titles []string
			for _, ch := range sc.Chapters[1 : len(sc.Chapters)-1] {
				titles = append(titles, ch.Title)
			}
			at := -1
			for _, title := range titles {
				i := slices.Index(headings, title)
				if i <= at {
					t.Fatalf("chapter titles %q are not the source's headings %q in order", titles, headings)
				}
				at = i
			}
			if len(titles) < 4 {
				t.Fatalf("%d body chapters", len(titles))
			}
		})
	}
}
