package llm

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/script"
	"podcastfy/backend/template"
)

func writeExtractive(t *testing.T, req Request) script.Script {
	t.Helper()
	sc, err := NewExtractive().Write(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Validate(speakerNames(req.Template)); err != nil {
		t.Fatalf("extractive script invalid: %v", err)
	}
	return sc
}

func TestExtractiveDeterministic(t *testing.T) {
	req := Request{Source: longText(60000), Template: duo(), Minutes: 4}
	a, _ := json.Marshal(writeExtractive(t, req))
	b, _ := json.Marshal(writeExtractive(t, req))
	if string(a) != string(b) {
		t.Fatal("two runs differ")
	}
	if NewExtractive().Name() != "extractive" {
		t.Fatal("name")
	}
}

func TestExtractiveLength(t *testing.T) {
	src := longText(200000)
	for _, tc := range []struct {
		tpl     *template.Template
		minutes float64
	}{{duo(), 1}, {duo(), 3}, {duo(), 10}, {duo(), 25}, {solo(), 2}, {solo(), 8}} {
		sc := writeExtractive(t, Request{Source: src, Template: tc.tpl, Minutes: tc.minutes})
		target := TargetWords(tc.tpl, tc.minutes)
		if got := sc.Words(); got < target*3/4 || got > target*5/4 {
			t.Errorf("%s %.0f min: %d words, target %d", tc.tpl.Name, tc.minutes, got, target)
		}
	}
}

func TestExtractiveShape(t *testing.T) {
	src := "How Rivers Shape Valleys\n\n" + longText(40000)
	sc := writeExtractive(t, Request{Source: src, Template: duo(), Minutes: 5})
	var titles []string
	for _, ch := range sc.Chapters {
		titles = append(titles, ch.Title)
	}
	// Body chapters are named by their content, never by the template's
	// structure entries (those are instructions for an LLM).
	if len(titles) != 4 || titles[0] != "Introduction" || titles[3] != "Wrap-up" ||
		titles[1] == titles[2] || slices.Contains(duo().Structure, titles[1]) || slices.Contains(duo().Structure, titles[2]) ||
		!strings.Contains(titles[1], " and ") {
		t.Fatalf("chapters %v", titles)
	}
	if sc.Title != "How Rivers Shape Valleys" || sc.Summary == "" {
		t.Fatalf("title %q summary %q", sc.Title, sc.Summary)
	}
	intro := sc.Chapters[0].Lines
	if intro[0].Speaker != "Alex" || !strings.Contains(intro[0].Text, "Welcome to Deep Dive") ||
		!strings.Contains(intro[0].Text, "with me is Sam") || intro[1].Speaker != "Sam" {
		t.Fatalf("intro %+v", intro)
	}
	speakers := map[string]int{}
	transitions := 0
	last := -1
	for _, ch := range sc.Chapters[1:3] {
		for i, l := range ch.Lines {
			speakers[l.Speaker]++
			if i > 1 && l.Speaker == ch.Lines[i-1].Speaker {
				t.Errorf("%q speaks twice in a row in %q", l.Speaker, ch.Title)
			}
			for _, tr := range dialogueTransitions {
				if strings.HasPrefix(l.Text, tr+" ") {
					transitions++
				}
			}
			for _, s := range splitSentences(l.Text) {
				if pos := strings.Index(src, s); pos >= 0 && len(strings.Fields(s)) >= minCandidateWords {
					if pos < last {
						t.Errorf("sentence out of source order: %q", s)
					}
					last = pos
				}
			}
		}
	}
	if speakers["Alex"] < 3 || speakers["Sam"] < 3 || transitions < 2 {
		t.Fatalf("speakers %v, %d transitions", speakers, transitions)
	}
	if last < 0 {
		t.Fatal("no source sentence found in the body")
	}
	outro := sc.Chapters[3].Lines
	if !strings.Contains(outro[0].Text, "Thanks for listening to Deep Dive") {
		t.Fatalf("outro %+v", outro)
	}
}

func TestExtractiveVariants(t *testing.T) {
	src := longText(30000)
	t.Run("monologue", func(t *testing.T) {
		sc := writeExtractive(t, Request{Source: src, Template: solo(), Title: "Water [draft]"})
		for _, ch := range sc.Chapters {
			for _, l := range ch.Lines {
				if l.Speaker != "Nora" {
					t.Fatalf("line by %q in a monologue", l.Speaker)
				}
			}
		}
		if sc.Title != "Water" || sc.Chapters[1].Title == "Summary" || !strings.Contains(sc.Chapters[0].Lines[0].Text, "I'm Nora") {
			t.Fatalf("%+v", sc.Chapters[:2])
		}
	})
	t.Run("not english", func(t *testing.T) {
		tpl := duo()
		sc := writeExtractive(t, Request{Source: src, Template: tpl, Language: "de"})
		if len(sc.Chapters) != len(tpl.Structure) || sc.Chapters[0].Title == "Introduction" {
			t.Fatalf("chapters %+v", sc.Chapters)
		}
		for _, ch := range sc.Chapters {
			for _, l := range ch.Lines {
				// The source after the speakable stage, in the language it is
				// written in (its numbers are read in English).
				spoken := script.PrepareSource(src, "en").Text()
				for _, s := range splitSentences(l.Text) {
					if !strings.Contains(spoken, s) {
						t.Fatalf("added words %q in a German script", s)
					}
				}
			}
		}
	})
	t.Run("no structure", func(t *testing.T) {
		tpl := duo()
		tpl.Structure = nil
		sc := writeExtractive(t, Request{Source: src, Template: tpl, Minutes: 8})
		if n := len(sc.Chapters); n < 4 || sc.Chapters[0].Title != "Introduction" || sc.Chapters[n-1].Title != "Wrap-up" {
			t.Fatalf("chapters %d", n)
		}
		seen := map[string]bool{}
		for _, ch := range sc.Chapters[1 : len(sc.Chapters)-1] {
			if seen[ch.Title] || ch.Title == "" {
				t.Fatalf("body chapter title %q repeated or empty", ch.Title)
			}
			seen[ch.Title] = true
		}
	})
	t.Run("three speakers", func(t *testing.T) {
		tpl := duo()
		tpl.Speakers = append(tpl.Speakers, template.Speaker{Name: "Kim"})
		sc := writeExtractive(t, Request{Source: src, Template: tpl})
		if !strings.Contains(sc.Chapters[0].Lines[0].Text, "with me are Sam and Kim") {
			t.Fatalf("intro %q", sc.Chapters[0].Lines[0].Text)
		}
	})
	t.Run("markup in the source", func(t *testing.T) {
		dirty := "See https://example.com/x for **details** [1]. The <b>river</b> floods every spring, and farmers wait for it. " +
			"Alex: this label must go away entirely. Flood water &amp; silt make the valley fertile for everyone nearby."
		sc := writeExtractive(t, Request{Source: dirty, Template: duo(), Minutes: 1})
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(sc)
		body := b.String()
		if strings.Contains(string(body), "label must go") || !strings.Contains(string(body), "The river floods every spring") ||
			!strings.Contains(string(body), "Flood water and silt") {
			t.Fatalf("%s", body)
		}
	})
	t.Run("tiny source", func(t *testing.T) {
		sc := writeExtractive(t, Request{Source: "Hello world", Template: duo()})
		if !strings.Contains(sc.Chapters[1].Lines[1].Text, "Hello world") {
			t.Fatalf("%+v", sc)
		}
	})
}

func TestExtractiveBadInput(t *testing.T) {
	tests := map[string]struct {
		req  Request
		kind error
	}{
		"empty":            {Request{Template: duo()}, ErrEmptySource},
		"whitespace":       {Request{Source: "\n \t \r\n", Template: duo()}, ErrEmptySource},
		"nothing to say":   {Request{Source: "!!! ??? ... <br> [x]", Template: duo()}, ErrEmptySource},
		"too large":        {Request{Source: strings.Repeat("a", MaxExtractiveSourceBytes+1), Template: duo()}, ErrSourceTooLarge},
		"no template":      {Request{Source: "Text."}, ErrNoSpeakers},
		"nameless speaker": {Request{Source: "Text.", Template: &template.Template{Speakers: []template.Speaker{{Name: " "}}}}, ErrNoSpeakers},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := NewExtractive().Write(context.Background(), tc.req, nil); !errors.Is(err, tc.kind) {
				t.Fatalf("got %v, want %v", err, tc.kind)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewExtractive().Write(ctx, Request{Source: "Text here.", Template: duo()}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestExtractiveFiveMegabytes(t *testing.T) {
	src := longText(5 << 20)
	var stages []string
	start := time.Now()
	sc, err := NewExtractive().Write(context.Background(), Request{Source: src, Template: duo(), Minutes: 10},
		func(p Progress) { stages = append(stages, p.Stage) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("5 MB source: %d words in %v", sc.Words(), time.Since(start))
	if target := TargetWords(duo(), 10); sc.Words() < target*3/4 || sc.Words() > target*5/4 {
		t.Fatalf("%d words, target %d", sc.Words(), target)
	}
	if !slices.Equal(stages, []string{"writing"}) {
		t.Fatalf("stages %v", stages)
	}
}

// A dialogue never gives the same voice two turns in a row, across chapter
// boundaries too: that sounds like a glitch, not a conversation.
func TestExtractiveAlternatesVoices(t *testing.T) {
	for _, minutes := range []float64{1, 3, 8} {
		sc := writeExtractive(t, Request{Source: longText(40000), Template: duo(), Minutes: minutes})
		prev := ""
		for _, ch := range sc.Chapters {
			for _, l := range ch.Lines {
				if l.Speaker == prev {
					t.Fatalf("%.0f min: %s speaks twice in a row (%q, chapter %q)", minutes, l.Speaker, l.Text, ch.Title)
				}
				prev = l.Speaker
			}
		}
	}
}
