package llm

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/llm/ollamatest"
)

// Three Ollama servers on loopback ports write an episode together: the
// main one (A), one that fails mid-answer (C), and B with two slots.
// Section 1 goes to A, whose answer is held until B streams: the episode
// only finishes when sections are written in parallel. C's section goes on
// elsewhere as a request to continue after the lines C handed over, and C
// is left alone after. Lines still come in script order.
func TestWriteSectionsOnSeveralHosts(t *testing.T) {
	a, b, c := newFake(t), newFake(t), newFake(t)
	bStarted := make(chan struct{})
	var once sync.Once
	a.OnChunk(func(chat int, _ string) {
		if chat == 2 { // A's first section
			<-bStarted
		}
	})
	b.OnChunk(func(int, string) { once.Do(func() { close(bStarted) }) })
	c.FailAt(1, ollamatest.Reply{Error: "an error was encountered while running the model: unexpected EOF"})
	var cMu sync.Mutex
	var cSent string // what C sent before failing
	c.OnChunk(func(_ int, sent string) {
		cMu.Lock()
		defer cMu.Unlock()
		cSent = sent
	})

	o := newOllama(t, a, OllamaConfig{Hosts: []HostConfig{{URL: c.URL}, {URL: b.URL, Concurrency: 2}}})
	var got []ChapterLine
	req := fourSections()
	req.OnLine = func(l ChapterLine) error { got = append(got, l); return nil }
	sc, err := o.Write(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []ChapterLine
	for ci, ch := range sc.Chapters {
		for _, l := range ch.Lines {
			want = append(want, ChapterLine{Chapter: ci, Title: ch.Title, Line: l})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines handed over, the script has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d handed over as %+v, the script has %+v", i+1, got[i], want[i])
		}
	}
	if len(sc.Chapters) < 4 {
		t.Fatalf("%d chapters", len(sc.Chapters))
	}
	if n := len(c.Chats()); n != 1 {
		t.Fatalf("the failing host got %d requests, want 1 (then it is left alone)", n)
	}
	if len(b.Chats()) == 0 {
		t.Fatal("B wrote nothing")
	}
	// C's section went on elsewhere after the lines C had sent.
	cMu.Lock()
	defer cMu.Unlock()
	continued := false
	for _, ch := range append(a.Chats(), b.Chats()...) {
		m := ch.Messages
		if len(m) == 4 && m[2].Role == "assistant" && m[2].Content == cSent && strings.HasPrefix(m[3].Content, "This section has ") {
			continued = true
		}
	}
	if !continued || !strings.Contains(cSent, `"text"`) {
		t.Fatalf("no host continued C's section after its lines (C sent %.100q)", cSent)
	}
	for _, ch := range sc.Chapters[1:] {
		if strings.Contains(ch.Title, "Welcome") {
			t.Fatalf("chapters out of order: %q", ch.Title)
		}
	}
}

// An Ollama host on a closed port (connection refused) among ollama.urls:
// the section that went to it is written by the live hosts, which work in
// parallel (A holds its section until B is asked for a second one), the
// dead host is tried once, and the script comes whole and in order. How
// long a failed host stays out is backend/balance's (balance_test.go).
func TestWriteSectionsWithAHostOnAClosedPort(t *testing.T) {
	a, b := newFake(t), newFake(t)
	dead := closedURL(t)
	bSecond := make(chan struct{})
	var once sync.Once
	a.OnChunk(func(chat int, _ string) {
		if chat == 2 { // A's first section (its first chat is the outline)
			<-bSecond
		}
	})
	b.OnChunk(func(chat int, _ string) {
		if chat == 2 {
			once.Do(func() { close(bSecond) })
		}
	})
	o := newOllama(t, a, OllamaConfig{Hosts: []HostConfig{{URL: dead}, {URL: b.URL}}, Cooldown: time.Hour})
	var logs syncBuffer
	o.log = slog.New(slog.NewTextHandler(&logs, nil))
	var got []ChapterLine
	req := fourSections()
	req.OnLine = func(l ChapterLine) error { got = append(got, l); return nil }
	sc, err := o.Write(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Chapters) < 4 || len(got) != sc.LineCount() {
		t.Fatalf("%d chapters, %d lines handed over of %d", len(sc.Chapters), len(got), sc.LineCount())
	}
	i := 0
	for ci, ch := range sc.Chapters {
		for _, l := range ch.Lines {
			if got[i] != (ChapterLine{Chapter: ci, Title: ch.Title, Line: l}) {
				t.Fatalf("line %d handed over out of order: %+v", i+1, got[i])
			}
			i++
		}
	}
	if len(a.Chats()) == 0 || len(b.Chats()) == 0 {
		t.Fatalf("the live hosts answered %d and %d requests; both should write", len(a.Chats()), len(b.Chats()))
	}
	failures := strings.Count(logs.String(), "an Ollama host failed")
	if failures != 1 || !strings.Contains(logs.String(), strings.TrimPrefix(dead, "http://")) {
		t.Fatalf("the dead host failed %d times, want once; log:\n%s", failures, logs.String())
	}
}

// syncBuffer is a log sink several goroutines write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
