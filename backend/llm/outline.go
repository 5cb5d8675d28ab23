package llm

import (
	"context"
	"strings"

	"github.com/ollama/ollama/api"
)

// outline asks the model to plan the episode: a title and summary, and
// each section's title and points. The plan never fails on the model's
// output: an answer that stays unusable after one repair request, and any
// title or points it leaves out, are filled from the template's structure
// and the source's most central sentences.
func (s *session) outline(ctx context.Context) error {
	p := &s.plan
	var bodies []int
	for i, sec := range p.sections {
		if sec.role == roleBody {
			bodies = append(bodies, i)
		}
	}
	var digests []string
	if p.shared {
		digests = []string{p.sections[bodies[0]].source}
	} else {
		room := outlineRoom(s.numCtx) / len(bodies)
		for _, i := range bodies {
			d, err := digest(ctx, p.sections[i].source, room)
			if err != nil {
				return err
			}
			digests = append(digests, d)
		}
	}
	openTitle, closeTitle := frameTitles(s.req.Template)
	minutes := float64(p.target) / s.wpm
	msgs := []api.Message{{Role: "system", Content: s.system},
		{Role: "user", Content: outlinePrompt(s.req, *p, digests, s.doc.Title, openTitle, closeTitle, minutes)}}
	format := outlineSchema(len(p.sections))
	s.progress(Progress{Stage: "outlining"})
	tokens := func(stage string) func(int) {
		return func(n int) { s.progress(Progress{Stage: stage, Tokens: n}) }
	}
	const doing = "planning the episode"
	words := 40 * len(p.sections)
	ans, err := s.chat(ctx, s.o.pool.Servers()[0].Value, msgs, format, words, doing, tokens("outlining"), nil)
	if err != nil {
		return err
	}
	out, problem := parseOutline(ans.content)
	if problem != nil {
		s.o.log.Warn("the outline is unusable; asking for a repair", "problem", problem)
		msgs = append(msgs, echo(ans)...)
		msgs = append(msgs, api.Message{Role: "user", Content: repairPrompt("- " + problem.Error() + "\n")})
		ans, err = s.chat(ctx, s.o.pool.Servers()[0].Value, msgs, format, words, doing, tokens("repairing"), nil)
		if err != nil {
			return err
		}
		if out, problem = parseOutline(ans.content); problem != nil {
			s.o.log.Warn("the outline is still unusable; planning from the source alone", "problem", problem)
		}
	}
	s.title, s.summary = collapse(out.title), collapse(out.summary)
	body := 0
	taken := map[string]bool{} // every heading and every title given
	for _, sec := range p.sections {
		taken[sec.heading] = sec.heading != ""
	}
	for i := range p.sections {
		sec := &p.sections[i]
		var got outlineSection
		if i < len(out.sections) {
			got = out.sections[i]
		}
		sec.title = collapse(strings.Trim(got.title, "#*_ \"'"))
		for _, pt := range got.points {
			if pt = collapse(pt); pt != "" {
				sec.points = append(sec.points, shorten(pt, 200))
			}
		}
		switch sec.role {
		case roleOpen:
			sec.title = or(sec.title, openTitle, wordsIn(s.lang).welcome)
			if len(sec.points) == 0 {
				sec.points = []string{"welcome", "who is speaking", "what the episode covers"}
			}
		case roleClose:
			sec.title = or(sec.title, closeTitle, wordsIn(s.lang).wrapUp)
			if len(sec.points) == 0 {
				sec.points = []string{"the main takeaways", "goodbye"}
			}
		default:
			body++
			// The source's own heading names the chapter, whatever the
			// model called it.
			sec.title = bodyTitle(*sec, taken, body, s.lang)
			taken[sec.title] = true
			if !p.shared {
				sec.points = ownPoints(sec.points, i, p.sections, s.srcLang)
			}
			if len(sec.points) == 0 {
				pts, err := centralPoints(ctx, digests[min(body-1, len(digests)-1)], 3)
				if err != nil {
					return err
				}
				sec.points = pts
			}
		}
	}
	return nil
}

// bodyTitle names a discussion section: by its source heading; a section
// that only continues one already named by the outline's title, unless
// that names another chapter (a model that misplans reuses headings), else
// as the heading continued ("Options, continued"); else by its number.
func bodyTitle(sec section, taken map[string]bool, body int, lang string) string {
	if sec.heading != "" {
		return sec.heading
	}
	if sec.title != "" && !taken[sec.title] {
		return sec.title
	}
	if t := continuedTitle(sec.continued, lang); sec.continued != "" && !taken[t] {
		return t
	}
	return partTitle(body, lang)
}

// centralPoints are a source's n most central sentences, shortened: the
// points of a section the outline left without any.
func centralPoints(ctx context.Context, text string, n int) ([]string, error) {
	short, err := condense(ctx, text, 600)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range splitSentences(short) {
		if len(out) == n {
			break
		}
		out = append(out, shorten(s, 160))
	}
	return out, nil
}

// echo returns the failed answer as an assistant message for a follow-up,
// unless it is too long to send back.
func echo(ans answer) []api.Message {
	if len(ans.content) > maxEchoBytes {
		return nil
	}
	return []api.Message{{Role: "assistant", Content: ans.content}}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// or returns the first non-empty string.
func or(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
