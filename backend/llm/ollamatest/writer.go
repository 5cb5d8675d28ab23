package ollamatest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/ollama/ollama/api"
)

// Quirks make the automatic answers behave like a small local model that
// follows the format only roughly. A follow-up request (one whose messages
// carry an earlier assistant answer: a repair or rewrite request) is
// answered well, as models mostly manage when told what was wrong, except
// for Markup and LooseShape, which small models keep doing.
type Quirks struct {
	// Markup decorates lines with **bold**, *laughs*, (chuckles), a leading
	// "- " bullet, a "Name:" label, [pause] cues and a URL, and makes one
	// line nothing but a cue.
	Markup bool
	// LooseShape leaves out "summary", writes some lines as "Name: text"
	// strings or {"Name": "text"} objects, and adds fields nobody asked for.
	LooseShape bool
	// Length scales the words of a section's first answer (0 means 1: as
	// many as the prompt asks for).
	Length float64
	// Repeat makes a discussion section's first answer repeat the lines of
	// the previous discussion section.
	Repeat bool
	// Misplan makes the outline ignore the plan it was given: the
	// discussion sections come in reverse order, each with the title and
	// points of another source part, and the last section is left out.
	Misplan bool
}

// SetQuirks sets how automatic answers misbehave.
func (s *Server) SetQuirks(q Quirks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks = q
}

// FailAt makes the n-th chat request (1-based, counting every /api/chat
// request) answer with r instead of its automatic answer. When r has no
// Content or Chunks, the first half of the automatic answer is streamed
// before r's Error, Drop or Hang, as a model that fails mid-answer does.
func (s *Server) FailAt(n int, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAt == nil {
		s.failAt = map[int]Reply{}
	}
	s.failAt[n] = r
}

// schemaKind tells the writer's two formats apart: "outline", "section",
// "script" (a whole script) or "".
func schemaKind(format json.RawMessage) (string, int) {
	var sc struct {
		Properties map[string]struct {
			MinItems int `json:"minItems"`
		} `json:"properties"`
	}
	if json.Unmarshal(format, &sc) != nil {
		return "", 0
	}
	switch _, lines := sc.Properties["lines"]; {
	case sc.Properties["sections"].MinItems > 0:
		return "outline", sc.Properties["sections"].MinItems
	case lines:
		return "section", 0
	}
	if _, ok := sc.Properties["chapters"]; ok {
		return "script", 0
	}
	return "", 0
}

var (
	reSourceBlock = regexp.MustCompile(`(?s)<<<\n(.*?)\n>>>`)
	reAboutWords  = regexp.MustCompile(`about (\d+) words`)
	reCovering    = regexp.MustCompile(`covering: (.*)\.\n`)
	reSentence    = regexp.MustCompile(`[^.!?]+[.!?]+`)
	rePlanLine    = regexp.MustCompile(`(?m)^(\d+)\. (.*) — about \d+ words$`)
	reTitleIt     = regexp.MustCompile(`title it "([^"]+)"`)
)

// outlineAnswer plans n sections from the prompt: each body section's
// points are its source part's first sentences, its title the one the
// prompt asks for or its first words.
func outlineAnswer(req api.ChatRequest, n int, q Quirks) string {
	user := firstUser(req)
	blocks := reSourceBlock.FindAllStringSubmatch(user, -1)
	plan := rePlanLine.FindAllStringSubmatch(user, -1)
	type sec struct {
		Title  string   `json:"title"`
		Points []string `json:"points"`
	}
	var secs []sec
	body := 0
	for i := range n {
		what := ""
		if i < len(plan) {
			what = plan[i][2]
		}
		switch {
		case strings.HasPrefix(what, "the opening"):
			secs = append(secs, sec{titled(what, "Welcome"), []string{"welcome", "what is coming"}})
		case strings.HasPrefix(what, "the wrap-up"):
			secs = append(secs, sec{titled(what, "Wrap-up"), []string{"takeaways", "goodbye"}})
		default:
			var text string
			if len(blocks) > 0 {
				text = blocks[min(body, len(blocks)-1)][1]
			}
			sentences := reSentence.FindAllString(withoutHeadings(text), -1)
			if len(blocks) == 1 && len(sentences) > 0 {
				// A shared source: each section takes its own stretch.
				from := body * len(sentences) / max(1, countBodies(plan, n))
				sentences = sentences[from:]
			}
			var points []string
			for _, st := range sentences[:min(2, len(sentences))] {
				points = append(points, strings.TrimSpace(st))
			}
			title := titled(what, "Part "+strconv.Itoa(body+1))
			if len(points) > 0 && !reTitleIt.MatchString(what) {
				if w := strings.Fields(points[0]); len(w) >= 3 {
					title = strings.Join(w[:3], " ")
				}
			}
			secs = append(secs, sec{title, points})
			body++
		}
	}
	if q.Misplan {
		secs = misplan(secs, plan, n)
	}
	b, _ := json.Marshal(map[string]any{"title": "Rivers and the land they shape", "summary": "How rivers shape the land.", "sections": secs})
	return string(b)
}

// misplan reverses the discussion sections' points, renames them and
// leaves the last section out.
func misplan[T any](secs []T, plan [][]string, n int) []T {
	var bodies []int
	for i := range min(n, len(secs)) {
		if i >= len(plan) || !strings.HasPrefix(plan[i][2], "the ") {
			bodies = append(bodies, i)
		}
	}
	out := append([]T(nil), secs...)
	for k, i := range bodies {
		out[i] = secs[bodies[len(bodies)-1-k]]
	}
	return out[:len(out)-1]
}

// withoutHeadings drops a source's Markdown heading lines, which a model
// does not read out.
func withoutHeadings(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

func titled(what, def string) string {
	if m := reTitleIt.FindStringSubmatch(what); m != nil {
		return m[1]
	}
	return def
}

func countBodies(plan [][]string, n int) int {
	bodies := 0
	for i := range n {
		if i >= len(plan) || !strings.HasPrefix(plan[i][2], "the ") {
			bodies++
		}
	}
	return bodies
}

// sectionAnswer writes the words a section prompt asks for, from its
// source (or, for the opening and wrap-up, its points), in turns.
func (s *Server) sectionAnswer(req api.ChatRequest, q Quirks, followUp bool) string {
	user := firstUser(req)
	words := 120
	if m := reAboutWords.FindStringSubmatch(lastUser(req)); m != nil {
		words, _ = strconv.Atoi(m[1])
	} else if m := reAboutWords.FindStringSubmatch(user); m != nil {
		words, _ = strconv.Atoi(m[1])
	}
	var source string
	if m := reSourceBlock.FindStringSubmatch(user); m != nil {
		source = m[1]
	}
	if m := reCovering.FindStringSubmatch(user); m != nil {
		// The points lead: a shared source is then spoken from each
		// section's own stretch.
		if i := strings.Index(source, strings.Split(m[1], "; ")[0]); i > 0 {
			source = source[i:] + " " + source[:i]
		} else if source == "" {
			source = strings.ReplaceAll(m[1], "; ", ". ") + "."
		}
	}
	if !followUp && q.Length > 0 {
		words = max(1, int(float64(words)*q.Length))
	}
	speakers := SpeakersFromRequest(req)
	if len(speakers) == 0 {
		speakers = []string{"Host", "Guest"}
	}
	frame := !strings.Contains(user, "Source text for this section")
	if !followUp && q.Repeat && !frame && s.lastSection != nil {
		return s.render(s.lastSection, q, speakers)
	}
	lines := speak(withoutHeadings(source), saidBefore(req), words, speakers)
	if !frame {
		s.lastSection = lines
	}
	return s.render(lines, q, speakers)
}

// speak shares the sentences of text, in order from the skip-th and from
// the start again when they run out, among speakers until words are said.
func speak(text string, skip, words int, speakers []string) []fakeLine {
	sentences := reSentence.FindAllString(text, -1)
	if len(sentences) == 0 {
		sentences = autoSentences
	}
	var out []fakeLine
	said := 0
	for i := skip; said < words; i++ {
		st := strings.TrimSpace(sentences[i%len(sentences)])
		n := len(strings.Fields(st))
		if said+n > words && said > 0 && said+n-words > words-said {
			break // stopping is closer to the length asked for
		}
		out = append(out, fakeLine{speakers[len(out)%len(speakers)], st})
		said += n
	}
	return out
}

type fakeLine struct{ speaker, text string }

// render writes a section answer, with the quirks a small model has.
func (s *Server) render(lines []fakeLine, q Quirks, speakers []string) string {
	var items []any
	for i, l := range lines {
		text := l.text
		if q.Markup {
			switch i % 6 {
			case 0:
				text = "**" + l.speaker + ":** " + text + " *laughs*"
			case 1:
				text = "- " + strings.Replace(text, " ", " **", 1) + "** [pause]"
			case 2:
				text = "(chuckles) " + text
				if i == 2 { // once: the site's name is spoken, adding words
					text += " https://example.com/rivers"
				}
			case 3:
				text = "_" + text + "_"
			}
		}
		switch {
		case q.LooseShape && i%3 == 1:
			items = append(items, l.speaker+": "+text)
		case q.LooseShape && i%3 == 2:
			items = append(items, map[string]string{l.speaker: text})
		case q.LooseShape:
			items = append(items, map[string]any{"speaker": l.speaker, "text": text, "emotion": "curious", "id": i})
		default:
			items = append(items, map[string]string{"speaker": l.speaker, "text": text})
		}
		if q.Markup && i == 1 {
			items = append(items, map[string]string{"speaker": l.speaker, "text": "*[Music fades]*"})
		}
	}
	answer := map[string]any{"lines": items, "summary": "They discussed " + firstWords(lines, 8) + "."}
	if q.LooseShape {
		delete(answer, "summary")
		answer["mood"] = "upbeat"
	}
	b, _ := json.Marshal(answer)
	return string(b)
}

func firstWords(lines []fakeLine, n int) string {
	if len(lines) == 0 {
		return "nothing"
	}
	w := strings.Fields(strings.TrimRight(lines[0].text, ".!?"))
	return strings.Join(w[:min(n, len(w))], " ")
}

func firstUser(req api.ChatRequest) string {
	for _, m := range req.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

func lastUser(req api.ChatRequest) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" {
			return req.Messages[i].Content
		}
	}
	return ""
}

// followUp reports whether a request repeats an earlier answer to ask for
// a repair or a rewrite.
func followUp(req api.ChatRequest) bool {
	for _, m := range req.Messages {
		if m.Role == "assistant" {
			return true
		}
	}
	return false
}

// saidBefore is how many lines the answers repeated in a request to
// continue hold: a model asked to continue goes on from there.
func saidBefore(req api.ChatRequest) int {
	if !strings.HasPrefix(lastUser(req), "This section has ") {
		return 0
	}
	n := 0
	for _, m := range req.Messages {
		var a struct {
			Lines []json.RawMessage `json:"lines"`
		}
		if m.Role == "assistant" && json.Unmarshal([]byte(m.Content), &a) == nil {
			n += len(a.Lines)
		}
	}
	return n
}

// half is the first half of an answer, for a model that fails mid-way.
func half(content string) string {
	return content[:len(content)/2]
}
