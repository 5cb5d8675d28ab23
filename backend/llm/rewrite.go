package llm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/script"
)

// RewriteRequest asks for one part of a finished script written again:
// Lines[From:To] of a chapter, following Instruction ("shorter",
// "simpler", "add an example from the source"), with the source as
// grounding. Only that part comes back.
type RewriteRequest struct {
	Source       string
	Title        string
	ChapterTitle string
	Speakers     []string
	Language     string
	// Lines is the whole chapter, for context; From and To bound the lines
	// to rewrite (To exclusive).
	Lines       []script.Line
	From, To    int
	Instruction string
}

// Bounds of a rewrite prompt: the source excerpt given as grounding, and
// the instruction.
const (
	rewriteSourceChars    = 6000
	MaxInstructionRunes   = 500
	rewriteMinAnswerWords = 60
)

// Rewrite implements the script studio's "rewrite this line / chapter":
// it checks the model (ErrUnreachable, ErrModelMissing), asks for the
// marked lines written again, and cleans the answer as every line of
// Write is cleaned (lineCleaner: speakers resolved, cues stripped, the
// speakable-text stage, the validation checks). An answer without a usable
// line is asked for once more, then ErrInvalidOutput.
func (o *Ollama) Rewrite(ctx context.Context, req RewriteRequest) ([]script.Line, error) {
	if len(req.Speakers) == 0 {
		return nil, newError(ErrNoSpeakers, nil, "the podcast names no speakers")
	}
	if req.From < 0 || req.To > len(req.Lines) || req.From >= req.To {
		return nil, fmt.Errorf("rewrite: lines %d to %d of %d", req.From, req.To, len(req.Lines))
	}
	if err := o.Check(ctx); err != nil {
		return nil, err
	}
	modelLength, err := o.modelContext(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("rewriting stopped: %w", ctx.Err())
	}
	s := &session{o: o, numCtx: o.numCtx(modelLength), progress: func(Progress) {}, warn: func(string) {}}
	cleaner := newLineCleaner(req.Speakers, req.Language)
	target := req.Lines[req.From:req.To]
	words := max(rewriteMinAnswerWords, 2*wordsOf(target))
	msgs := []api.Message{
		{Role: "system", Content: rewriteSystem(req)},
		{Role: "user", Content: rewritePrompt(req)},
	}
	prev := ""
	if req.From > 0 {
		prev = req.Lines[req.From-1].Speaker
	}
	for attempt := 0; attempt < 2; attempt++ {
		ans, err := s.chat(ctx, o.pool.Servers()[0].Value, msgs, rewriteSchema(req.Speakers), words, "rewriting lines", func(int) {}, nil)
		if err != nil {
			return nil, err
		}
		sec, perr := parseSection(ans.content)
		if perr == nil {
			if got := cleaner.clean(sec.lines, prev); len(got.lines) > 0 {
				return got.lines, nil
			}
			perr = errNoLines
		}
		msgs = append(msgs, api.Message{Role: "assistant", Content: clipEcho(ans.content)},
			api.Message{Role: "user", Content: repairPrompt("- " + perr.Error() + ", or none of its lines can be spoken\n")})
	}
	return nil, newError(ErrInvalidOutput, nil, "the model's rewrite had no line a voice can speak, twice; try again or another model")
}

func clipEcho(s string) string {
	if len(s) > maxEchoBytes {
		return s[:maxEchoBytes]
	}
	return s
}

func rewriteSystem(req RewriteRequest) string {
	var b strings.Builder
	b.WriteString("You edit part of the script of a podcast episode that a text-to-speech voice will read.\n")
	fmt.Fprintf(&b, "Speakers: %s\n", strings.Join(req.Speakers, ", "))
	if lang := languageName(req.Language); lang != "" {
		fmt.Fprintf(&b, "Write in %s.\n", lang)
	}
	b.WriteString("Write plain spoken sentences only: no markdown, no stage directions, no sound cues, no speaker labels inside the text, no URLs.\n")
	b.WriteString("Stay true to the source: say nothing it does not support.\n")
	b.WriteString("Answer with JSON: {\"lines\":[{\"speaker\":…,\"text\":…}]} holding only the rewritten lines.\n")
	return b.String()
}

func rewritePrompt(req RewriteRequest) string {
	var b strings.Builder
	if t := strings.TrimSpace(req.Title); t != "" {
		fmt.Fprintf(&b, "Episode: %s\n", t)
	}
	if t := strings.TrimSpace(req.ChapterTitle); t != "" {
		fmt.Fprintf(&b, "Chapter: %s\n", t)
	}
	target := req.Lines[req.From:req.To]
	if src := groundingExcerpt(req.Source, target, rewriteSourceChars); src != "" {
		fmt.Fprintf(&b, "\nSource (excerpt):\n\"\"\"\n%s\n\"\"\"\n", src)
	}
	b.WriteString("\nThe chapter; the lines to rewrite are marked with >>>:\n")
	for i, l := range req.Lines {
		mark := "   "
		if i >= req.From && i < req.To {
			mark = ">>>"
		}
		fmt.Fprintf(&b, "%s %s: %s\n", mark, l.Speaker, l.Text)
	}
	fmt.Fprintf(&b, "\nRewrite only the marked lines (%d of them), keeping who speaks unless the instruction says otherwise. Instruction: %s\n",
		len(target), strings.TrimSpace(req.Instruction))
	return b.String()
}

// rewriteSchema is the format of a rewrite: lines only.
func rewriteSchema(speakers []string) []byte {
	line := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"speaker": map[string]any{"type": "string", "enum": speakers},
			"text":    map[string]any{"type": "string"},
		},
		"required": []string{"speaker", "text"},
	}
	return mustJSON(map[string]any{
		"type":       "object",
		"properties": map[string]any{"lines": map[string]any{"type": "array", "items": line, "minItems": 1}},
		"required":   []string{"lines"},
	})
}

// groundingExcerpt picks the source's paragraphs that share the most words
// with the lines, up to limit characters, in the source's order, so a
// long source still grounds the rewrite in what these lines are about.
func groundingExcerpt(source string, lines []script.Line, limit int) string {
	source = strings.TrimSpace(source)
	if len(source) <= limit {
		return source
	}
	want := map[string]bool{}
	for _, l := range lines {
		for _, w := range strings.FieldsFunc(strings.ToLower(l.Text), notWordRune) {
			if len(w) > 3 {
				want[w] = true
			}
		}
	}
	paras := strings.Split(source, "\n\n")
	type scored struct{ i, score int }
	ranked := make([]scored, len(paras))
	for i, p := range paras {
		n := 0
		for _, w := range strings.FieldsFunc(strings.ToLower(p), notWordRune) {
			if want[w] {
				n++
			}
		}
		ranked[i] = scored{i, n}
	}
	slices.SortStableFunc(ranked, func(a, b scored) int { return b.score - a.score })
	var keep []int
	size := 0
	for _, r := range ranked {
		p := strings.TrimSpace(paras[r.i])
		if p == "" || size+len(p) > limit {
			continue
		}
		keep = append(keep, r.i)
		size += len(p) + 2
	}
	if len(keep) == 0 {
		return prefixRunes(source, limit)
	}
	slices.Sort(keep)
	out := make([]string, len(keep))
	for i, k := range keep {
		out[i] = strings.TrimSpace(paras[k])
	}
	return strings.Join(out, "\n\n")
}

func prefixRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
