package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

// progressLog records progress safely.
type progressLog struct {
	mu     sync.Mutex
	events []Progress
}

func (p *progressLog) add(e Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
}

func (p *progressLog) stages() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.events {
		if len(out) == 0 || out[len(out)-1] != e.Stage {
			out = append(out, e.Stage)
		}
	}
	return out
}

// warnings collects a request's warnings.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) add(m string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, m)
}

func (w *warnings) all() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.msgs, "\n")
}

// kind says which of the writer's formats a chat request used.
func kind(c api.ChatRequest) string {
	var f struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	json.Unmarshal(c.Format, &f)
	switch {
	case f.Properties["sections"] != nil:
		return "outline"
	case f.Properties["lines"] != nil:
		if len(c.Messages) > 2 {
			return "follow-up"
		}
		return "section"
	}
	return "?"
}

func TestWriteOutlineThenSections(t *testing.T) {
	srv := newFake(t)
	var logBuf bytes.Buffer
	o := newOllama(t, srv, OllamaConfig{Temperature: ptr(0.0), TopP: ptr(0.8), NumCtx: 16384, KeepAlive: -1})
	o.log = slog.New(slog.NewTextHandler(&logBuf, nil))
	src := longText(40000)
	var streamed []ChapterLine
	var log progressLog
	var warn warnings
	req := Request{Source: src, Template: duo(), Minutes: 10, Language: "en", Focus: "the role of floods",
		Warn: warn.add, OnLine: func(l ChapterLine) error { streamed = append(streamed, l); return nil }}
	sc, err := o.Write(context.Background(), req, log.add)
	if err != nil {
		t.Fatal(err)
	}
	chats := srv.Chats()
	target := TargetWords(duo(), 10)
	t.Logf("%d calls for a %d-word target (10 minutes):", len(chats), target)
	for i, c := range chats {
		t.Logf("  call %d: %s, %d prompt bytes, num_predict %v", i+1, kind(c), len(c.Messages[len(c.Messages)-1].Content), c.Options["num_predict"])
	}
	for i, ch := range sc.Chapters {
		t.Logf("  section %d %q: %d words", i+1, ch.Title, wordsOf(ch.Lines))
	}
	t.Logf("  final: %d words against %d (%+.1f%%)", sc.Words(), target, 100*(float64(sc.Words())/float64(target)-1))
	note := logBuf.String()
	t.Logf("closing note: %s", note[strings.Index(note, "script written"):])

	for _, r := range srv.Requests() {
		if r.Path == "/api/chat" && !bytes.Contains(r.Body, []byte(`"keep_alive":-1`)) {
			t.Fatalf("keep_alive is not sent as -1 (always): %s", r.Body[:200])
		}
	}
	if kind(chats[0]) != "outline" || len(chats) < 5 {
		t.Fatalf("calls %v", chats)
	}
	var outline struct {
		Properties struct {
			Sections struct{ MinItems, MaxItems int } `json:"sections"`
		} `json:"properties"`
	}
	json.Unmarshal(chats[0].Format, &outline)
	if n := outline.Properties.Sections.MinItems; n != len(sc.Chapters) || outline.Properties.Sections.MaxItems != n || n != len(chats)-1 {
		t.Fatalf("outline asks for %d sections, script has %d chapters in %d calls", n, len(sc.Chapters), len(chats))
	}
	for i, c := range chats {
		if c.Stream == nil || !*c.Stream || c.Think == nil || c.Think.Bool() || c.KeepAlive == nil || c.KeepAlive.Duration < 1000*time.Hour {
			t.Errorf("call %d: stream %v think %v keep_alive %v", i+1, c.Stream, c.Think, c.KeepAlive)
		}
		if c.Options["temperature"] != 0.0 || c.Options["top_p"] != 0.8 || c.Options["num_ctx"] != float64(16384) {
			t.Errorf("call %d: options %v", i+1, c.Options)
		}
		if i == 0 {
			continue
		}
		user := c.Messages[1].Content
		for _, want := range []string{"Episode outline", "<- write this section now", "about", "the role of floods"} {
			if !strings.Contains(user, want) {
				t.Errorf("section %d prompt lacks %q", i, want)
			}
		}
		if i > 1 && !strings.Contains(user, "Already said in earlier sections") {
			t.Errorf("section %d prompt has no running summary", i)
		}
	}
	if !strings.Contains(chats[1].Messages[1].Content, "Open the episode") || !strings.Contains(chats[len(chats)-1].Messages[1].Content, "Close the episode") {
		t.Error("the first and last sections are not the opening and the wrap-up")
	}
	if !strings.Contains(chats[0].Messages[0].Content, "Never add names, numbers") {
		t.Error("the system prompt does not forbid facts outside the source")
	}
	if sc.Title == "" || sc.Validate([]string{"Alex", "Sam"}) != nil {
		t.Fatalf("script %q: %v", sc.Title, sc.Validate([]string{"Alex", "Sam"}))
	}
	if off := float64(sc.Words())/float64(target) - 1; off < -0.1 || off > 0.1 {
		t.Fatalf("%d words for a target of %d", sc.Words(), target)
	}
	var want []ChapterLine
	for ci, ch := range sc.Chapters {
		for _, l := range ch.Lines {
			want = append(want, ChapterLine{Chapter: ci, Title: ch.Title, Line: l})
		}
	}
	if !slices.Equal(streamed, want) {
		t.Fatalf("OnLine got %d lines, the script has %d (or they differ)", len(streamed), len(want))
	}
	if w := warn.all(); w != "" {
		t.Fatalf("warnings for a grounded script: %s", w)
	}
	stages := log.stages()
	if stages[0] != "checking" || stages[1] != "outlining" || stages[2] != "writing" {
		t.Fatalf("stages %v", stages)
	}
}

// sectionsText is the user prompt of every section call after the first
// outline, in order.
func followUps(chats []api.ChatRequest) []string {
	var out []string
	for _, c := range chats {
		if kind(c) == "follow-up" {
			out = append(out, c.Messages[len(c.Messages)-1].Content)
		}
	}
	return out
}

func TestWriteSmallModelQuirks(t *testing.T) {
	tests := map[string]struct {
		quirks ollamatest.Quirks
		asks   string // in every follow-up request; "" means none expected
	}{
		"markup in lines":       {ollamatest.Quirks{Markup: true}, ""},
		"loose shape":           {ollamatest.Quirks{LooseShape: true}, ""},
		"far over budget":       {ollamatest.Quirks{Length: 2.5}, ""}, // cut at a line, nothing to ask
		"far under budget":      {ollamatest.Quirks{Length: 0.3}, "Continue it"},
		"repeats earlier lines": {ollamatest.Quirks{Repeat: true}, "repeated what was already said"},
		"everything at once":    {ollamatest.Quirks{Markup: true, LooseShape: true, Length: 0.4}, "must have about"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			srv.SetQuirks(tc.quirks)
			var warn warnings
			sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(),
				Request{Source: longText(20000), Template: duo(), Minutes: 8, Warn: warn.add}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := sc.Validate([]string{"Alex", "Sam"}); err != nil {
				t.Fatal(err)
			}
			for _, ch := range sc.Chapters {
				for _, l := range ch.Lines {
					if low := strings.ToLower(l.Text); strings.Contains(low, "laughs") || strings.Contains(low, "http") ||
						strings.Contains(low, "chuckles") || strings.Contains(low, "alex:") || strings.Contains(low, "music") {
						t.Errorf("line %q", l.Text)
					}
				}
			}
			target := TargetWords(duo(), 8)
			if off := float64(sc.Words())/float64(target) - 1; off < -0.1 || off > 0.1 {
				t.Errorf("%d words for a target of %d", sc.Words(), target)
			}
			asks := followUps(srv.Chats())
			if tc.asks == "" && len(asks) > 0 {
				t.Fatalf("%d follow-ups: %s", len(asks), asks[0])
			}
			if tc.asks != "" && len(asks) == 0 {
				t.Fatal("no follow-up asked")
			}
			for _, a := range asks {
				if !strings.Contains(a, tc.asks) {
					t.Errorf("follow-up lacks %q:\n%s", tc.asks, a)
				}
			}
			if tc.quirks.Repeat && !strings.Contains(asks[0], `such as: "`) {
				t.Errorf("the rewrite request names no repeated point:\n%s", asks[0])
			}
			if w := warn.all(); w != "" {
				t.Errorf("warnings: %s", w)
			}
		})
	}
}

func TestWriteCleansInsteadOfFailing(t *testing.T) {
	srv := newFake(t)
	section := `{"lines":[
		{"speaker":"alex","text":"**Alex:** Rivers carve valleys. *laughs*"},
		{"speaker":"Bob","text":"(chuckles) - Floods feed the plains, see https://example.com/floods."},
		{"speaker":"Sam","text":"[pause]"},
		{"text":"Right. Sam: And deltas shrink."}
	],"summary":"Rivers."}`
	srv.FailAt(2, ollamatest.Reply{Content: section})
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(),
		Request{Source: "Rivers carve valleys. Floods feed the plains. Deltas shrink.", Template: duo(), Minutes: 13.0 / 150}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []script.Line{{Speaker: "Alex", Text: "Rivers carve valleys."}, {Speaker: "Sam", Text: "Floods feed the plains, see example.com."},
		{Speaker: "Alex", Text: "Right."}, {Speaker: "Sam", Text: "And deltas shrink."}}
	got := sc.Chapters[0].Lines
	if len(got) != len(want) {
		t.Fatalf("lines %q", got)
	}
	for i := range want {
		if got[i].Speaker != want[i].Speaker || !strings.HasPrefix(got[i].Text, strings.Split(want[i].Text, ",")[0]) {
			t.Errorf("line %d = %q, want %q", i+1, got[i], want[i])
		}
		if strings.Contains(got[i].Text, "http") {
			t.Errorf("line %d keeps its URL: %q", i+1, got[i].Text)
		}
	}
	if n := len(followUps(srv.Chats())); n != 0 {
		t.Fatalf("%d follow-ups for a cleanable answer", n)
	}
}

func TestWriteRepairsOnce(t *testing.T) {
	good := `{"lines":[{"speaker":"Alex","text":"Rivers carve valleys over thousands of years, slowly."},{"speaker":"Sam","text":"And floods feed the plains."}],"summary":"Rivers."}`
	tests := map[string]struct {
		first, reason, problem string
	}{
		"not json":         {"Sure! Here is a podcast about rivers.", "", "contains no JSON object"},
		"cut off early":    {`{"lines":[{"speaker":"Alex","te`, "length", "cut off"},
		"only cues":        {`{"lines":[{"speaker":"Alex","text":"*laughs*"},{"speaker":"Sam","text":"[Music]"}]}`, "", "none of the 2 lines has words left"},
		"no lines field":   {`{"summary":"Rivers."}`, "", `no "lines"`},
		"wrong field type": {`{"lines":"Alex says hi"}`, "", `no "lines"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			srv.FailAt(2, ollamatest.Reply{Content: tc.first, DoneReason: tc.reason})
			srv.FailAt(3, ollamatest.Reply{Content: good})
			var log progressLog
			sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(),
				Request{Source: "Rivers carve valleys over thousands of years. Floods feed the plains.", Template: duo(), Minutes: 13.0 / 150}, log.add)
			if err != nil {
				t.Fatal(err)
			}
			if sc.LineCount() != 2 {
				t.Fatalf("script %+v", sc)
			}
			chats := srv.Chats()
			msgs := chats[2].Messages
			if len(chats) != 3 || len(msgs) != 4 || msgs[2].Role != "assistant" || msgs[2].Content != tc.first || !strings.Contains(msgs[3].Content, tc.problem) {
				t.Fatalf("%d chats; repair messages %+v", len(chats), msgs)
			}
			if s := log.stages(); s[len(s)-1] != "repairing" {
				t.Fatalf("stages %v", s)
			}
		})
	}
}

func TestWriteOutlineUnusableIsPlannedFromSource(t *testing.T) {
	srv := newFake(t)
	srv.FailAt(1, ollamatest.Reply{Content: "I'd be happy to plan this!"})
	srv.FailAt(2, ollamatest.Reply{Content: `{"sections": "none"}`})
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(),
		Request{Source: longText(12000), Template: duo(), Minutes: 6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Chapters[0].Title != "Introduction" || sc.Chapters[1].Title != "Part 1" || sc.Chapters[len(sc.Chapters)-1].Title != "Wrap-up" {
		t.Fatalf("titles %q, %q", sc.Chapters[0].Title, sc.Chapters[1].Title)
	}
	if !strings.Contains(srv.Chats()[3].Messages[1].Content, "covering: ") {
		t.Fatal("a section has no points")
	}
}

func TestWriteGroundingFlagsNamesAndNumbers(t *testing.T) {
	srv := newFake(t)
	answer := ollamatest.Reply{Content: `{"lines":[
		{"speaker":"Alex","text":"The Nile carried 2,500 tonnes in 2020, and the dam held it back."},
		{"speaker":"Sam","text":"In 1987 engineers from Paris said the Danube was next."},
		{"speaker":"Alex","text":"Okay. I think Sam is right about the Nile."}],"summary":"x"}`}
	srv.FailAt(2, answer)
	srv.FailAt(3, answer) // if asked to rewrite for length, the model says the same
	var warn warnings
	_, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{
		Source: "The Nile carried 2500 tonnes of silt in 2020. The dam held it back.", Template: duo(), Minutes: 32.0 / 150, Warn: warn.add,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := warn.all()
	for _, want := range []string{`"1987"`, `"Paris"`, `"Danube"`, "section 1"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning lacks %s: %s", want, w)
		}
	}
	for _, not := range []string{"Nile", "2500", "2020", "Okay", "Sam", "In"} {
		if strings.Contains(w, `"`+not+`"`) {
			t.Errorf("warning flags %s: %s", not, w)
		}
	}
}

func TestWriteContextWindow(t *testing.T) {
	srv := newFake(t)
	srv.AddModel(ollamatest.Model{Name: "tiny", Family: "llama", ContextLength: 4096, Capabilities: []string{"completion"}})
	o := newOllama(t, srv, OllamaConfig{Model: "tiny", MaxParts: 3})
	info, err := o.Context(context.Background())
	if err != nil || info.ModelLength != 4096 || info.NumCtx != 4096 || info.SourceChars <= 0 {
		t.Fatalf("%+v %v", info, err)
	}
	src := longText(info.SourceChars * 3)
	if info.Fits(len(src)) || !info.Fits(info.SourceChars) {
		t.Fatal("Fits disagrees with SourceChars")
	}
	var warn warnings
	if _, err := o.Write(context.Background(), Request{Source: src, Template: duo(), Minutes: 10, Warn: warn.add}, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range srv.Chats() {
		if c.Options["num_ctx"] != float64(4096) {
			t.Fatalf("num_ctx %v above the model's 4096", c.Options["num_ctx"])
		}
	}
	if w := warn.all(); !strings.Contains(w, "num_ctx 4096") || !strings.Contains(w, "most central sentences") {
		t.Fatalf("warning %q", w)
	}
	if _, err := newOllama(t, srv, OllamaConfig{Model: "mistral"}).Context(context.Background()); err == nil || !strings.Contains(err.Error(), "ollama pull mistral") {
		t.Fatalf("missing model: %v", err)
	}
}

func TestWriteOnLineErrorStops(t *testing.T) {
	srv := newFake(t)
	stop := fmt.Errorf("listener gone")
	calls := 0
	_, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: longText(8000), Template: duo(), Minutes: 6,
		OnLine: func(ChapterLine) error { calls++; return stop }}, nil)
	if err != stop || calls != 1 || len(srv.Chats()) != 2 {
		t.Fatalf("%v after %d lines, %d chats", err, calls, len(srv.Chats()))
	}
}

// A small model that writes half as much again as asked, with markup and a
// loose shape, still ends within 10% of the target: each section's stream
// is cut at a line past its budget's slack (lines already voiced cannot be
// trimmed), and later budgets absorb what earlier sections overran.
func TestWriteTenMinutesWithASmallModel(t *testing.T) {
	srv := newFake(t)
	srv.SetQuirks(ollamatest.Quirks{Markup: true, LooseShape: true, Length: 1.5})
	var logBuf bytes.Buffer
	o := newOllama(t, srv, OllamaConfig{})
	o.log = slog.New(slog.NewTextHandler(&logBuf, nil))
	sc, err := o.Write(context.Background(), Request{Source: longText(40000), Template: duo(), Minutes: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	target := TargetWords(duo(), 10)
	note := logBuf.String()
	t.Logf("closing note: %s", note[strings.Index(note, "script written"):])
	if off := float64(sc.Words())/float64(target) - 1; off < -0.1 || off > 0.1 {
		t.Fatalf("%d words for a target of %d", sc.Words(), target)
	}
	if asks := followUps(srv.Chats()); len(asks) != 0 {
		t.Fatalf("%d follow-up requests for sections that were cut: %s", len(asks), asks[0])
	}
	if err := sc.Validate([]string{"Alex", "Sam"}); err != nil {
		t.Fatal(err)
	}
}

func TestWriteMonologue(t *testing.T) {
	srv := newFake(t)
	srv.SetQuirks(ollamatest.Quirks{Markup: true, LooseShape: true})
	sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: longText(6000), Template: solo(), Minutes: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Validate([]string{"Nora"}); err != nil || sc.LineCount() < 10 {
		t.Fatalf("%d lines: %v", sc.LineCount(), err)
	}
	if !strings.Contains(srv.Chats()[0].Messages[0].Content, "This is a monologue") {
		t.Fatal("the system prompt does not say it is a monologue")
	}
}
