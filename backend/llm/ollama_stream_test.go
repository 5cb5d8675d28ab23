package llm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"podcastfy/backend/llm/ollamatest"
)

const riverSource = "Rivers carve valleys over thousands of years. Floods feed the wide plains with silt. Deltas shrink when dams hold the sediment back. Engineers now open the gates in spring."

// Lines are handed over while the model is still writing its answer: here
// the answer never ends, and both of its complete lines still arrive.
func TestWriteHandsLinesOverAsTheyStream(t *testing.T) {
	srv := newFake(t)
	srv.FailAt(2, ollamatest.Reply{Hang: true, Content: `{"lines":[{"speaker":"Alex","text":"Rivers carve valleys over thousands of years."},` +
		`{"speaker":"Sam","text":"And floods feed the wide plains with silt."},{"speaker":"Alex","text":"Del`})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []ChapterLine
	_, err := newOllama(t, srv, OllamaConfig{}).Write(ctx, Request{Source: riverSource, Template: duo(), Minutes: 0.5,
		OnLine: func(l ChapterLine) error {
			got = append(got, l)
			if len(got) == 2 {
				cancel()
			}
			return nil
		}}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if len(got) != 2 || got[0].Speaker != "Alex" || got[1].Text != "And floods feed the wide plains with silt." || got[1].Chapter != 0 || got[1].Title == "" {
		t.Fatalf("lines %+v", got)
	}
}

// An answer cut off after two lines keeps them (they may already be
// playing); the section is asked to continue from them, not to start over.
func TestWriteCutAnswerContinuesAfterItsLines(t *testing.T) {
	srv := newFake(t)
	first := `{"lines":[{"speaker":"Alex","text":"Rivers carve valleys over thousands of years."},` +
		`{"speaker":"Sam","text":"And floods feed the wide plains with silt."},{"speaker":"Alex","te`
	srv.FailAt(2, ollamatest.Reply{Content: first, DoneReason: "length"})
	var got []ChapterLine
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: riverSource, Template: duo(), Minutes: 0.5,
		OnLine: func(l ChapterLine) error { got = append(got, l); return nil }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	chats := srv.Chats()
	if len(chats) != 3 {
		t.Fatalf("%d calls", len(chats))
	}
	msgs := chats[2].Messages
	if msgs[2].Role != "assistant" || msgs[2].Content != first || !strings.HasPrefix(msgs[3].Content, "This section has 15 words") {
		t.Fatalf("continuation request %+v", msgs[2:])
	}
	lines := sc.Chapters[0].Lines
	if len(lines) < 3 || lines[0].Text != "Rivers carve valleys over thousands of years." || lines[1].Speaker != "Sam" || len(got) != len(lines) {
		t.Fatalf("script %+v, %d streamed", lines, len(got))
	}
	for i, l := range lines {
		if got[i].Line != l {
			t.Fatalf("streamed line %d %q, script has %q", i+1, got[i].Text, l.Text)
		}
	}
}

// A line that says again what was said is left out, and the request for
// more names it; here the model, asked to continue, repeats its own start.
func TestWriteLeavesOutRepeatedLines(t *testing.T) {
	srv := newFake(t)
	said := "Rivers carve valleys over thousands of years, slowly and patiently."
	srv.FailAt(2, ollamatest.Reply{Content: `{"lines":[{"speaker":"Alex","text":"` + said + `"},{"speaker":"Sam","text":"Floods feed the wide plains with silt every spring."}],"summary":"valleys"}`})
	srv.FailAt(3, ollamatest.Reply{Content: `{"lines":[{"speaker":"Alex","text":"As we said, rivers carve valleys over thousands of years, slowly and patiently."},` +
		`{"speaker":"Sam","text":"Farmers downstream watch the water level every single morning."}],"summary":"farmers"}`})
	srv.FailAt(4, ollamatest.Reply{Content: `{"lines":[{"speaker":"Alex","text":"Deltas shrink when dams hold the sediment back."}],"summary":"deltas"}`})
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: riverSource, Template: duo(), Minutes: 0.5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, l := range sc.Chapters[0].Lines {
		texts = append(texts, l.Text)
	}
	want := []string{said, "Floods feed the wide plains with silt every spring.", "Farmers downstream watch the water level every single morning."}
	if !slices.Equal(texts, want) {
		t.Fatalf("lines %q, want %q", texts, want)
	}
	if n := len(srv.Chats()); n != 3 {
		t.Fatalf("%d calls: one request for more only", n)
	}
}

// distinctLines are n lines of ten made-up words, no four-word run shared.
func distinctLines(n int) string {
	syl := []string{"ba", "de", "ki", "lo", "mu", "ne", "po", "ra", "si", "tu"}
	var items []string
	for k := range n {
		var words []string
		for w := range 10 {
			x := k*10 + w
			words = append(words, syl[x%10]+syl[(x/10)%10]+syl[(x/100)%10])
		}
		items = append(items, fmt.Sprintf(`{"speaker":%q,"text":"%s."}`, []string{"Alex", "Sam"}[k%2], strings.Join(words, " ")))
	}
	return `{"lines":[` + strings.Join(items, ",") + `],"summary":"s"}`
}

// A section whose every line repeats earlier sections, and that brings
// nothing when asked for something new, is still a section: the repeats
// are kept rather than none.
func TestWriteKeepsRepeatsWhenNothingElseCame(t *testing.T) {
	srv := newFake(t)
	lines := distinctLines(24)
	srv.Enqueue(ollamatest.Reply{Content: `{"title":"T","summary":"S","sections":[{"title":"One","points":["a"]},{"title":"Two","points":["b"]}]}`},
		ollamatest.Reply{Content: lines}, ollamatest.Reply{Content: lines}, ollamatest.Reply{Content: `{"lines":[],"summary":"nothing new"}`})
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: riverSource, Template: duo(), Minutes: 440.0 / 150}, nil)
	if err != nil {
		t.Fatal(err)
	}
	asks := followUps(srv.Chats())
	if len(sc.Chapters) != 2 || len(asks) != 1 || !strings.Contains(asks[0], "repeated what was already said") {
		t.Fatalf("%d chapters; follow-ups %q", len(sc.Chapters), asks)
	}
	a, b := sc.Chapters[0].Lines, sc.Chapters[1].Lines
	if len(b) == 0 || b[0].Text != a[0].Text {
		t.Fatalf("section 2 %q", b)
	}
}
