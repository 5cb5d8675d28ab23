package ollamatest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/llm/ollamatest"
)

var (
	outlineFormat = json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"sections":{"type":"array","minItems":3,"maxItems":3}}}`)
	sectionFormat = json.RawMessage(`{"type":"object","properties":{"lines":{"type":"array","items":{"type":"object","properties":{"speaker":{"type":"string","enum":["Alex","Sam"]},"text":{"type":"string"}}}},"summary":{"type":"string"}}}`)
)

const source = "Rivers carve valleys over many years. Floods feed the plains with soil. Dams hold sediment back from deltas. Engineers build passages for sediment."

func sectionReq(words int, followUp bool) *api.ChatRequest {
	user := "Write section 2 of 3, \"Floods\", covering: Floods feed the plains with soil.\n" +
		"Length: about " + itoa(words) + " words of dialogue.\n\nSource text for this section (use only facts from it):\n<<<\n" + source + "\n>>>\n"
	msgs := []api.Message{{Role: "system", Content: "rules"}, {Role: "user", Content: user}}
	if followUp {
		msgs = append(msgs, api.Message{Role: "assistant", Content: "{}"}, api.Message{Role: "user", Content: "Rewrite this section."})
	}
	return &api.ChatRequest{Model: "llama3.2", Messages: msgs, Format: sectionFormat}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// section decodes a section answer the way a strict client would.
func section(t *testing.T, content string) (lines []map[string]any, summary string) {
	t.Helper()
	var a struct {
		Lines   []json.RawMessage `json:"lines"`
		Summary *string           `json:"summary"`
	}
	if err := json.Unmarshal([]byte(content), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, content)
	}
	for _, l := range a.Lines {
		var m map[string]any
		if json.Unmarshal(l, &m) != nil {
			m = map[string]any{"raw": string(l)}
		}
		lines = append(lines, m)
	}
	if a.Summary != nil {
		summary = *a.Summary
	}
	return lines, summary
}

func words(lines []map[string]any) int {
	n := 0
	for _, l := range lines {
		if s, ok := l["text"].(string); ok {
			n += len(strings.Fields(s))
		}
	}
	return n
}

func TestAutoOutlineAndSections(t *testing.T) {
	_, c := start(t, "llama3.2")
	req := &api.ChatRequest{Model: "llama3.2", Format: outlineFormat, Messages: []api.Message{{Role: "user", Content: "Plan it:\n" +
		"1. the opening: welcome (title it \"Hello\") — about 40 words\n2. discussion of source part 1 — about 100 words\n" +
		"3. the wrap-up: goodbye — about 40 words\n\nSource text:\n<<<\n" + source + "\n>>>\n"}}}
	content, resps, err := collect(c, req)
	if err != nil {
		t.Fatal(err)
	}
	var outline struct {
		Sections []struct {
			Title  string   `json:"title"`
			Points []string `json:"points"`
		} `json:"sections"`
	}
	if json.Unmarshal([]byte(content), &outline) != nil || len(outline.Sections) != 3 || outline.Sections[0].Title != "Hello" ||
		outline.Sections[1].Points[0] != "Rivers carve valleys over many years." || outline.Sections[2].Title != "Wrap-up" {
		t.Fatalf("outline %s", content)
	}
	if last := resps[len(resps)-1]; !last.Done || last.DoneReason != "stop" || len(resps) < 3 {
		t.Fatalf("%d responses, last %+v", len(resps), last)
	}

	content, _, err = collect(c, sectionReq(60, false))
	if err != nil {
		t.Fatal(err)
	}
	lines, summary := section(t, content)
	if n := words(lines); n < 50 || n > 70 || summary == "" || lines[0]["speaker"] != "Alex" || lines[1]["speaker"] != "Sam" ||
		!strings.HasPrefix(lines[0]["text"].(string), "Floods feed the plains") {
		t.Fatalf("%d words, summary %q: %v", n, summary, lines)
	}
}

func TestQuirks(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.SetQuirks(ollamatest.Quirks{Markup: true, LooseShape: true, Length: 2})
	content, _, err := collect(c, sectionReq(60, false))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"*laughs*", "(chuckles)", "[pause]", "https://", `"Sam: `, `{"Alex":`, `"emotion"`, "*[Music fades]*"} {
		if !strings.Contains(content, want) {
			t.Errorf("answer lacks %s:\n%s", want, content)
		}
	}
	if _, summary := section(t, content); summary != "" || strings.Contains(content, `"summary"`) {
		t.Error("a loose answer has a summary")
	}
	if strings.Count(content, " ") < 100 {
		t.Errorf("Length 2 wrote %d spaces for 60 words", strings.Count(content, " "))
	}
	// Asked again, the length is right; the markup stays.
	srv.SetQuirks(ollamatest.Quirks{Length: 3})
	content, _, _ = collect(c, sectionReq(60, true))
	if lines, _ := section(t, content); words(lines) > 70 {
		t.Errorf("a follow-up ignored the length: %d words", words(lines))
	}

	srv.SetQuirks(ollamatest.Quirks{Repeat: true})
	first, _, _ := collect(c, sectionReq(40, false))
	req := sectionReq(40, false)
	req.Messages[1].Content = strings.Replace(req.Messages[1].Content, "covering: Floods", "covering: Dams", 1)
	again, _, _ := collect(c, req)
	if first != again {
		t.Errorf("Repeat wrote something new:\n%s\n%s", first, again)
	}
}

func TestFailAt(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.FailAt(2, ollamatest.Reply{Error: "an error was encountered while running the model: unexpected EOF"})
	srv.FailAt(3, ollamatest.Reply{Hang: true})
	if _, _, err := collect(c, sectionReq(40, false)); err != nil {
		t.Fatalf("first request: %v", err)
	}
	content, resps, err := collect(c, sectionReq(40, false))
	var se api.StatusError
	if err == nil || err.Error() != "an error was encountered while running the model: unexpected EOF" || errors.As(err, &se) {
		t.Fatalf("error line: %v", err)
	}
	if content == "" || resps[len(resps)-1].Done {
		t.Fatalf("no chunks before the error line: %q", content)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var got strings.Builder
	err = c.Chat(ctx, sectionReq(40, false), func(r api.ChatResponse) error { got.WriteString(r.Message.Content); return nil })
	if got.Len() == 0 || ctx.Err() == nil {
		t.Fatalf("hang: %q %v", got.String(), err)
	}
	if _, _, err := collect(c, sectionReq(40, false)); err != nil {
		t.Fatalf("after the failures: %v", err)
	}
}
