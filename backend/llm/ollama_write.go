package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/script"
)

const (
	// maxAnswerBytes stops a model that repeats itself forever.
	maxAnswerBytes = 1 << 20
	// maxEchoBytes: a failed answer longer than this is not sent back with
	// the repair request, to keep within the context window.
	maxEchoBytes = 16000
	// progressEvery throttles token progress reports.
	progressEvery = 100 * time.Millisecond
	// minPartWords keeps a part's word target meaningful.
	minPartWords = 80
)

var errTooLong = errors.New("answer too long")

// Write implements Writer. It checks the model first (ErrUnreachable,
// ErrModelMissing), splits a long source into parts written in turn, each
// told what earlier parts covered, validates every answer and asks once for
// a repair before failing with ErrInvalidOutput. Other failures are
// ErrEmptySource, ErrSourceTooLarge, ErrNoSpeakers, ErrStalled,
// ErrInterrupted, ErrOllama, or ctx's error.
func (o *Ollama) Write(ctx context.Context, req Request, progress ProgressFunc) (script.Script, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	src, names, err := prepare(req, MaxSourceBytes)
	if err != nil {
		return script.Script{}, err
	}
	progress(Progress{Stage: "checking"})
	if err := o.Check(ctx); err != nil {
		return script.Script{}, err
	}
	target := TargetWords(req.Template, req.Minutes)
	texts, condensed, err := planParts(ctx, src, target, o.cfg.PartChars, o.cfg.MaxParts)
	if err != nil {
		return script.Script{}, err
	}
	if condensed {
		o.log.Info("source condensed to its central sentences to fit the parts", "bytes", len(src), "parts", len(texts))
	}
	lang := req.Language
	if lang == "" {
		lang = req.Template.Language
	}
	system := systemPrompt(req.Template, names, lang)
	schema := ScriptSchema(names)
	minutes := float64(target) / wordsPerMinute(req)

	var done []script.Script
	for i, text := range texts {
		p := part{index: i, count: len(texts), text: text, sections: sectionsFor(req.Template.Structure, i, len(texts))}
		p.words = max(minPartWords, target/p.count)
		user := userPrompt(req, p, minutes/float64(p.count), covered(done), lastLine(done))
		o.log.Info("writing part", "part", i+1, "parts", p.count, "words", p.words, "sourceBytes", len(text))
		sc, err := o.writePart(ctx, p, system, user, schema, names, progress)
		if err != nil {
			if p.count > 1 && ctx.Err() == nil {
				return script.Script{}, fmt.Errorf("part %d of %d: %w", i+1, p.count, err)
			}
			return script.Script{}, err
		}
		done = append(done, sc)
	}
	return merge(done, req.Title), nil
}

// wordsPerMinute is the rate TargetWords used.
func wordsPerMinute(req Request) float64 {
	return float64(TargetWords(req.Template, 1))
}

// writePart asks for one part and, when the answer is unusable, once more
// with the problems listed.
func (o *Ollama) writePart(ctx context.Context, p part, system, user string, schema []byte, names []string, progress ProgressFunc) (script.Script, error) {
	msgs := []api.Message{{Role: "system", Content: system}, {Role: "user", Content: user}}
	tokens := func(stage string) func(int) {
		return func(n int) { progress(Progress{Stage: stage, Part: p.index + 1, Parts: p.count, Tokens: n}) }
	}
	ans, err := o.chat(ctx, msgs, schema, p.words, tokens("writing"))
	if err != nil {
		return script.Script{}, err
	}
	sc, problem := usable(ans, names)
	if problem == nil {
		return sc, nil
	}
	o.log.Warn("the model's answer is unusable; asking for a repair", "part", p.index+1, "problem", problem)
	if len(ans.content) <= maxEchoBytes {
		msgs = append(msgs, api.Message{Role: "assistant", Content: ans.content})
	}
	msgs = append(msgs, api.Message{Role: "user", Content: repairPrompt(problemText(problem, ans))})
	progress(Progress{Stage: "repairing", Part: p.index + 1, Parts: p.count})
	ans, err = o.chat(ctx, msgs, schema, p.words, tokens("repairing"))
	if err != nil {
		return script.Script{}, err
	}
	sc, problem = usable(ans, names)
	if problem != nil {
		return script.Script{}, newError(ErrInvalidOutput, problem,
			"the model %q did not write a usable script, even when asked to fix it (%s) — try again or choose another model",
			o.cfg.Model, shorten(problem.Error(), 400))
	}
	return sc, nil
}

// usable parses, tidies and validates an answer.
func usable(ans answer, names []string) (script.Script, error) {
	sc, err := parseScript(ans.content)
	if err != nil {
		return script.Script{}, err
	}
	tidy(&sc, names)
	if err := sc.Validate(names); err != nil {
		return script.Script{}, err
	}
	return sc, nil
}

// problemText words a problem for the repair prompt.
func problemText(problem error, ans answer) string {
	var text string
	var verr *script.ValidationError
	if errors.As(problem, &verr) {
		text = verr.Details()
	} else {
		text = "- " + problem.Error() + "\n"
	}
	if ans.reason == "length" {
		text += "- The answer hit the length limit and was cut off: write fewer and shorter lines.\n"
	}
	return text
}

// answer is one streamed reply.
type answer struct {
	content string
	reason  string // done_reason
	tokens  int
}

// chat streams one reply, cancelling it when Ollama stays silent for the
// idle timeout.
func (o *Ollama) chat(ctx context.Context, msgs []api.Message, schema []byte, words int, onTokens func(int)) (answer, error) {
	parent := ctx
	ctx, watch := o.watchdog(ctx)
	defer watch.stop()
	stream := true
	req := &api.ChatRequest{
		Model:    o.cfg.Model,
		Messages: msgs,
		Stream:   &stream,
		Format:   schema,
		Options: map[string]any{
			"temperature": o.cfg.Temperature,
			"num_ctx":     o.cfg.NumCtx,
			// About two tokens a word plus the JSON around the lines; a bound
			// stops a model that loops.
			"num_predict": 3*words + 600,
		},
		// Thinking would spend the budget before the script; the format is
		// validated anyway (protocols.md: format may be ignored with think:false).
		Think: &api.ThinkValue{Value: false},
	}
	var b strings.Builder
	var ans answer
	done := false
	var last time.Time
	err := o.client.Chat(ctx, req, func(r api.ChatResponse) error {
		watch.alive()
		if r.Message.Content != "" || r.Message.Thinking != "" {
			ans.tokens++
			if now := time.Now(); ans.tokens == 1 || now.Sub(last) >= progressEvery {
				last = now
				onTokens(ans.tokens)
			}
		}
		if b.Len()+len(r.Message.Content) > maxAnswerBytes {
			return errTooLong
		}
		b.WriteString(r.Message.Content)
		if r.Done {
			done, ans.reason = true, r.DoneReason
		}
		return nil
	})
	ans.content = b.String()
	// The client stops quietly when the body breaks off (a cancel, a stall,
	// a crash), so a missing final line is the sign.
	if err == nil && !done && ctx.Err() != nil {
		err = ctx.Err()
	}
	switch {
	case errors.Is(err, errTooLong):
		return ans, newError(ErrInvalidOutput, err, "the model's answer grew past %s without ending — it is probably repeating itself; try another model", sizeText(maxAnswerBytes))
	case err != nil && parent.Err() != nil:
		return ans, fmt.Errorf("writing the script stopped: %w", parent.Err())
	case err != nil:
		return ans, o.classify(ctx, err, "writing the script")
	case !done:
		return ans, o.interrupted(nil, "writing the script")
	}
	onTokens(ans.tokens)
	return ans, nil
}

// covered summarises the parts written so far for the next part's prompt,
// keeping the most recent when there is too much.
func covered(done []script.Script) string {
	const maxChars = 2500
	var lines []string
	for i, sc := range done {
		titles := make([]string, 0, len(sc.Chapters))
		for _, ch := range sc.Chapters {
			titles = append(titles, fmt.Sprintf("%q", ch.Title))
		}
		lines = append(lines, fmt.Sprintf("- Part %d (chapters %s): %s\n", i+1, strings.Join(titles, ", "), shorten(sc.Summary, 300)))
	}
	total := 0
	for i := len(lines) - 1; i >= 0; i-- {
		total += len(lines[i])
		if total > maxChars {
			lines = lines[i+1:]
			break
		}
	}
	return strings.Join(lines, "")
}

// lastLine quotes the line the previous part ended on.
func lastLine(done []script.Script) string {
	if len(done) == 0 {
		return ""
	}
	chs := done[len(done)-1].Chapters
	if len(chs) == 0 || len(chs[len(chs)-1].Lines) == 0 {
		return ""
	}
	l := chs[len(chs)-1].Lines[len(chs[len(chs)-1].Lines)-1]
	return fmt.Sprintf("%s said %q", l.Speaker, shorten(l.Text, 300))
}

// merge joins the parts into one script: adjacent chapters with the same
// title become one, and a line a later part repeats word for word from an
// earlier one is dropped.
func merge(parts []script.Script, titleWish string) script.Script {
	out := script.Script{Title: parts[0].Title}
	if t := strings.TrimSpace(titleWish); t != "" {
		out.Title = t
	}
	var sums []string
	for _, p := range parts {
		if s := strings.TrimSpace(p.Summary); s != "" {
			sums = append(sums, s)
		}
	}
	out.Summary = shorten(strings.Join(sums, " "), 600)
	said := map[string]bool{} // lines of earlier parts
	for _, p := range parts {
		var mine []string
		for _, ch := range p.Chapters {
			var lines []script.Line
			for _, l := range ch.Lines {
				key := strings.ToLower(l.Text)
				if len(strings.Fields(key)) >= 6 && said[key] {
					continue
				}
				mine = append(mine, key)
				lines = append(lines, l)
			}
			if len(lines) == 0 {
				continue
			}
			if n := len(out.Chapters); n > 0 && strings.EqualFold(out.Chapters[n-1].Title, ch.Title) {
				out.Chapters[n-1].Lines = append(out.Chapters[n-1].Lines, lines...)
				continue
			}
			out.Chapters = append(out.Chapters, script.Chapter{Title: ch.Title, Lines: lines})
		}
		for _, k := range mine {
			said[k] = true
		}
	}
	return out
}
