package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

// scriptJSON is a valid answer for duo() with n lines.
func scriptJSON(title string, n int, words string) string {
	sc := script.Script{Title: title, Summary: "About " + title + "."}
	ch := script.Chapter{Title: title}
	for i := range n {
		sp := "Alex"
		if i%2 == 1 {
			sp = "Sam"
		}
		ch.Lines = append(ch.Lines, script.Line{Speaker: sp, Text: fmt.Sprintf("%s Point %d.", words, i+1)})
	}
	sc.Chapters = []script.Chapter{ch}
	b, _ := json.Marshal(sc)
	return string(b)
}

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

func TestWriteSendsStructuredStreamingRequest(t *testing.T) {
	srv := newFake(t)
	srv.Enqueue(ollamatest.Reply{Content: scriptJSON("Rivers", 4, "Rivers carve valleys over thousands of years.")})
	o := newOllama(t, srv, OllamaConfig{Temperature: 0.3, NumCtx: 16384})
	var log progressLog
	sc, err := o.Write(context.Background(), Request{
		Source: "Rivers carve valleys. Floods feed the plains.", Template: duo(), Minutes: 2,
		Language: "de-AT", Focus: "the role of floods", Title: "Wasser",
	}, log.add)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Title != "Wasser" || sc.LineCount() != 4 || sc.Validate([]string{"Alex", "Sam"}) != nil {
		t.Fatalf("script %+v", sc)
	}
	chats := srv.Chats()
	if len(chats) != 1 {
		t.Fatalf("%d chats", len(chats))
	}
	c := chats[0]
	if string(c.Format) != string(ScriptSchema([]string{"Alex", "Sam"})) {
		t.Errorf("format %s", c.Format)
	}
	if c.Stream == nil || !*c.Stream || c.Think == nil || c.Think.Bool() || c.Model != "llama3.2" {
		t.Errorf("stream %v think %v model %q", c.Stream, c.Think, c.Model)
	}
	if c.Options["temperature"] != 0.3 || c.Options["num_ctx"] != float64(16384) || c.Options["num_predict"].(float64) < 900 {
		t.Errorf("options %v", c.Options)
	}
	system, user := c.Messages[0].Content, c.Messages[1].Content
	for _, want := range []string{"Deep Dive", "Speakers: Alex, Sam", "Alex is the host", "Sam is the expert guest",
		"Style: curious, friendly", "Keep it light.", "German (de-AT)", "no stage directions", `exactly one of: Alex, Sam`} {
		if !strings.Contains(system, want) {
			t.Errorf("system prompt lacks %q:\n%s", want, system)
		}
	}
	for _, want := range []string{"about 300 words", "the role of floods", `"Wasser"`, "Rivers carve valleys. Floods feed the plains.",
		`"Introduction", "Main ideas", "Details", "Wrap-up"`, "Open with a short welcome"} {
		if !strings.Contains(user, want) {
			t.Errorf("user prompt lacks %q:\n%s", want, user)
		}
	}
	stages := log.stages()
	if len(stages) != 2 || stages[0] != "checking" || stages[1] != "writing" {
		t.Fatalf("stages %v", stages)
	}
	last := log.events[len(log.events)-1]
	if last.Tokens < 10 || last.Part != 1 || last.Parts != 1 {
		t.Fatalf("last progress %+v", last)
	}
}

func TestWriteRepairsOnce(t *testing.T) {
	valid := scriptJSON("Rivers", 2, "Rivers carve valleys over thousands of years.")
	tests := map[string]struct {
		first   string
		reason  string
		repairs bool
		problem string // in the repair prompt
	}{
		"not json":          {"Sure! Here is a podcast about rivers.", "", true, "contains no JSON object"},
		"truncated":         {valid[:len(valid)/2], "length", true, "cut off"},
		"unknown speaker":   {strings.Replace(valid, `"Sam"`, `"Bob"`, 1), "", true, `unknown speaker "Bob"`},
		"markup":            {strings.Replace(valid, "Rivers carve", "**Rivers** carve", 1), "", true, "asterisks"},
		"stage direction":   {strings.Replace(valid, "Rivers carve", "(laughs) Rivers carve", 1), "", true, "stage direction"},
		"wrong shape":       {`{"title":"x","chapters":"none"}`, "", true, "required shape"},
		"fenced with prose": {"Here you go:\n```json\n" + valid + "\n```\nEnjoy!", "", false, ""},
		"fixable":           {strings.Replace(valid, `"Sam"`, `" sam "`, 1), "", false, ""},
		"thinking leaked":   {"<think>{ plan }</think>" + valid, "", false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			srv.Enqueue(ollamatest.Reply{Content: tc.first, DoneReason: tc.reason}, ollamatest.Reply{Content: valid})
			var log progressLog
			sc, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: "Rivers.", Template: duo()}, log.add)
			if err != nil {
				t.Fatal(err)
			}
			if sc.LineCount() != 2 || sc.Chapters[0].Lines[1].Speaker != "Sam" {
				t.Fatalf("script %+v", sc)
			}
			chats := srv.Chats()
			if !tc.repairs {
				if len(chats) != 1 {
					t.Fatalf("%d chats, want no repair", len(chats))
				}
				return
			}
			if len(chats) != 2 {
				t.Fatalf("%d chats, want one repair", len(chats))
			}
			msgs := chats[1].Messages
			if len(msgs) != 4 || msgs[2].Role != "assistant" || msgs[2].Content != tc.first || msgs[3].Role != "user" {
				t.Fatalf("repair messages %+v", msgs)
			}
			if !strings.Contains(msgs[3].Content, tc.problem) {
				t.Fatalf("repair prompt lacks %q:\n%s", tc.problem, msgs[3].Content)
			}
			if s := log.stages(); s[len(s)-1] != "repairing" {
				t.Fatalf("stages %v", s)
			}
		})
	}
}

func TestWriteFailsAfterOneRepair(t *testing.T) {
	srv := newFake(t)
	bad := strings.Replace(scriptJSON("x", 2, "Hello there, [music] everyone."), `"Sam"`, `"Bob"`, 1)
	srv.Enqueue(ollamatest.Reply{Content: bad}, ollamatest.Reply{Content: bad}, ollamatest.Reply{Content: bad})
	_, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: "Rivers.", Template: duo()}, nil)
	var verr *script.ValidationError
	if !errors.Is(err, ErrInvalidOutput) || !errors.As(err, &verr) || !strings.Contains(err.Error(), `unknown speaker "Bob"`) ||
		!strings.Contains(err.Error(), `the model "llama3.2" did not write a usable script`) {
		t.Fatalf("got %v", err)
	}
	if n := len(srv.Chats()); n != 2 {
		t.Fatalf("%d chats, want 2", n)
	}
}

func TestWriteFailures(t *testing.T) {
	valid := scriptJSON("x", 2, "Rivers carve valleys over thousands of years.")
	tests := map[string]struct {
		setup func(*ollamatest.Server)
		model string
		idle  time.Duration
		kind  error
		msg   string
	}{
		"model not pulled": {func(*ollamatest.Server) {}, "mistral", 0, ErrModelMissing, "run `ollama pull mistral`"},
		"model vanished": {func(s *ollamatest.Server) {
			s.Fail("/api/chat", ollamatest.Reply{Status: 404, Error: `model "llama3.2" not found, try pulling it first`})
		}, "", 0, ErrModelMissing, "run `ollama pull llama3.2`"},
		"error after 200": {func(s *ollamatest.Server) {
			s.Enqueue(ollamatest.Reply{Content: valid[:20], Error: "llama runner process has terminated"})
		}, "", 0, ErrOllama, "Ollama failed while writing the script: llama runner process has terminated"},
		"web page": {func(s *ollamatest.Server) {
			s.Enqueue(ollamatest.Reply{Status: 502, HTML: true})
		}, "", 0, ErrOllama, "web page instead of the Ollama API"},
		"busy": {func(s *ollamatest.Server) {
			s.Enqueue(ollamatest.Reply{Status: 503, Error: "server busy, please try again"})
		}, "", 0, ErrOllama, "503 Service Unavailable while writing the script: server busy"},
		"gone mid-stream": {func(s *ollamatest.Server) {
			s.Enqueue(ollamatest.Reply{Content: valid[:30], Drop: true})
		}, "", 0, ErrInterrupted, "closed the connection before finishing"},
		"silent mid-stream": {func(s *ollamatest.Server) {
			s.Enqueue(ollamatest.Reply{Content: valid[:30], Hang: true})
		}, "", 150 * time.Millisecond, ErrStalled, "no output for 150ms"},
		"silent from the start": {func(s *ollamatest.Server) {
			s.Fail("/api/chat", ollamatest.Reply{Hang: true})
		}, "", 150 * time.Millisecond, ErrStalled, "Ollama stopped responding"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			tc.setup(srv)
			o := newOllama(t, srv, OllamaConfig{Model: tc.model, IdleTimeout: tc.idle})
			_, err := o.Write(context.Background(), Request{Source: "Rivers.", Template: duo()}, nil)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %v with %q", err, tc.kind, tc.msg)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		o, err := NewOllama(OllamaConfig{Host: closedURL(t)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		_, err = o.Write(context.Background(), Request{Source: "Rivers.", Template: duo()}, nil)
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "start it with `ollama serve`") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("runaway answer", func(t *testing.T) {
		srv := newFake(t)
		srv.SetChunkRunes(1 << 16)
		srv.Enqueue(ollamatest.Reply{Content: `{"title":"` + strings.Repeat("la ", maxAnswerBytes/3+10)})
		_, err := newOllama(t, srv, OllamaConfig{}).Write(context.Background(), Request{Source: "Rivers.", Template: duo()}, nil)
		if !errors.Is(err, ErrInvalidOutput) || !strings.Contains(err.Error(), "repeating itself") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestWriteBadInput(t *testing.T) {
	srv := newFake(t)
	o := newOllama(t, srv, OllamaConfig{})
	tests := map[string]struct {
		req  Request
		kind error
		msg  string
	}{
		"empty":       {Request{Source: "", Template: duo()}, ErrEmptySource, "the source text is empty"},
		"whitespace":  {Request{Source: " \n\t\r\n \u00a0 ", Template: duo()}, ErrEmptySource, "give the podcast some text"},
		"5 MB":        {Request{Source: strings.Repeat("Rivers carve valleys. ", 5<<20/22+1), Template: duo()}, ErrSourceTooLarge, "5.0 MB, over the 2.0 MB"},
		"no template": {Request{Source: "Rivers."}, ErrNoSpeakers, "add at least one speaker"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := o.Write(context.Background(), tc.req, nil)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("bad input reached the server %d times", n)
	}
}

func TestWriteCancelAtEveryStage(t *testing.T) {
	valid := scriptJSON("x", 2, "Rivers carve valleys over thousands of years.")
	tests := map[string]struct {
		replies []ollamatest.Reply
		cancel  func(Progress) bool // cancel when true
	}{
		"before start":   {nil, nil},
		"while checking": {nil, func(p Progress) bool { return p.Stage == "checking" }},
		"while writing": {[]ollamatest.Reply{{Content: valid, Hang: true}},
			func(p Progress) bool { return p.Stage == "writing" }},
		"while repairing": {[]ollamatest.Reply{{Content: "not json"}, {Content: valid, Hang: true}},
			func(p Progress) bool { return p.Stage == "repairing" && p.Tokens > 0 }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newFake(t)
			srv.Enqueue(tc.replies...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel == nil {
				cancel()
			}
			_, err := newOllama(t, srv, OllamaConfig{}).Write(ctx, Request{Source: "Rivers.", Template: duo()}, func(p Progress) {
				if tc.cancel != nil && tc.cancel(p) {
					cancel()
				}
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestWriteLongSourceInParts(t *testing.T) {
	srv := newFake(t)
	src := longText(4500)
	parts := splitParts(cleanSource(src), 1000)
	if len(parts) < 4 {
		t.Fatalf("only %d parts", len(parts))
	}
	for i := range parts {
		sc := script.Script{Title: "Rivers", Summary: "Summary of part " + string(rune('A'+i)) + ".", Chapters: []script.Chapter{
			{Title: "Main ideas", Lines: []script.Line{{Speaker: "Alex", Text: "Part " + string(rune('A'+i)) + " begins here with a point."}}},
			{Title: "Topic " + string(rune('A'+i)), Lines: []script.Line{
				{Speaker: "Sam", Text: "Something new in part " + string(rune('A'+i)) + "."},
				{Speaker: "Alex", Text: "Thanks for listening to the show today."}, // repeated word for word
			}},
		}}
		b, _ := json.Marshal(sc)
		srv.Enqueue(ollamatest.Reply{Content: string(b)})
	}
	var log progressLog
	sc, err := newOllama(t, srv, OllamaConfig{PartChars: 1000}).Write(context.Background(),
		Request{Source: src, Template: duo(), Minutes: 10}, log.add)
	if err != nil {
		t.Fatal(err)
	}
	chats := srv.Chats()
	if len(chats) != len(parts) {
		t.Fatalf("%d chats for %d parts", len(chats), len(parts))
	}
	n := len(parts)
	for i, c := range chats {
		user := c.Messages[1].Content
		wants := []string{"part " + strconv.Itoa(i+1) + " of " + strconv.Itoa(n), parts[i][:50]}
		switch {
		case i == 0:
			wants = append(wants, "Begin the episode", `"Introduction"`)
		case i == n-1:
			wants = append(wants, "close the episode", `"Wrap-up"`, "Already covered", "Summary of part "+string(rune('A'+i-1)))
		default:
			wants = append(wants, "no welcome and no goodbye", "Already covered", `"Topic A"`, "Summary of part A", `Alex said "Thanks for listening`)
		}
		for _, w := range wants {
			if !strings.Contains(user, w) {
				t.Errorf("part %d prompt lacks %q:\n%s", i+1, w, user)
			}
		}
		if len(parts[i]) > 1000 {
			t.Errorf("part %d has %d bytes", i+1, len(parts[i]))
		}
	}
	// "Main ideas" then "Topic A", then each part's "Main ideas" + topic; the
	// repeated closing line is kept once.
	if len(sc.Chapters) != 2*n || sc.LineCount() != 2*n+1 || !strings.Contains(sc.Summary, "Summary of part B") {
		t.Fatalf("merged %d chapters, %d lines: %+v", len(sc.Chapters), sc.LineCount(), sc)
	}
	if log.events[len(log.events)-1].Parts != n {
		t.Fatalf("progress %+v", log.events[len(log.events)-1])
	}
}

func TestWriteCondensesHugeSource(t *testing.T) {
	srv := newFake(t)
	src := longText(1 << 20)
	o := newOllama(t, srv, OllamaConfig{PartChars: 2000, MaxParts: 3})
	sc, err := o.Write(context.Background(), Request{Source: src, Template: duo(), Minutes: 60}, nil)
	if err != nil || sc.LineCount() == 0 {
		t.Fatalf("%v %+v", err, sc)
	}
	chats := srv.Chats()
	if len(chats) < 3 || len(chats) > 4 {
		t.Fatalf("%d chats, want about MaxParts", len(chats))
	}
	for _, c := range chats {
		if len(c.Messages[1].Content) > 2000+2500+1500 {
			t.Fatalf("prompt of %d bytes", len(c.Messages[1].Content))
		}
	}
}
