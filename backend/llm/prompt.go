package llm

import (
	"encoding/json"
	"fmt"
	"strings"

	"podcastfy/backend/template"
)

// languageNames names common languages for the prompt; others are given by
// their code, which models understand too.
var languageNames = map[string]string{
	"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
	"pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
	"nb": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech", "ru": "Russian",
	"uk": "Ukrainian", "tr": "Turkish", "el": "Greek", "ja": "Japanese", "zh": "Chinese",
	"ko": "Korean", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
	"ro": "Romanian", "id": "Indonesian", "vi": "Vietnamese", "th": "Thai", "ca": "Catalan",
}

func languageName(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return "English"
	}
	base, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(code, "_", "-")), "-")
	if name, ok := languageNames[base]; ok {
		return fmt.Sprintf("%s (%s)", name, code)
	}
	return code
}

// systemPrompt describes the show and the rules every answer follows.
func systemPrompt(t *template.Template, names []string, lang string) string {
	var b strings.Builder
	show := strings.TrimSpace(t.Name)
	if show == "" {
		show = "a podcast"
	} else {
		show = fmt.Sprintf("the podcast %q", show)
	}
	fmt.Fprintf(&b, "You write the script of an episode of %s.", show)
	if d := strings.TrimSpace(t.Description); d != "" {
		fmt.Fprintf(&b, " The show: %s", d)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "Speakers: %s\n", strings.Join(names, ", "))
	for _, s := range t.Speakers {
		if n := strings.TrimSpace(s.Name); n != "" {
			role := strings.TrimSpace(s.Role)
			if role == "" {
				role = "speaker"
			}
			fmt.Fprintf(&b, "- %s is the %s.\n", n, role)
		}
	}
	if len(names) == 1 {
		fmt.Fprintf(&b, "This is a monologue: every line is spoken by %s.\n", names[0])
	} else {
		fmt.Fprintf(&b, "%s leads the conversation; everyone takes turns and reacts to each other.\n", names[0])
	}
	if len(t.Style) > 0 {
		fmt.Fprintf(&b, "Style: %s.\n", strings.Join(t.Style, ", "))
	}
	if ins := strings.TrimSpace(t.LLMPromptInstructions); ins != "" {
		fmt.Fprintf(&b, "Instructions for this show: %s\n", ins)
	}
	fmt.Fprintf(&b, "Language: write every title, summary and line in %s.\n\n", languageName(lang))
	b.WriteString(`You write the episode in sections, one at a time, following an outline. Answer with one JSON object only, in the shape each request gives.

Rules for every line:
`)
	fmt.Fprintf(&b, "- \"speaker\" is exactly one of: %s.\n", strings.Join(names, ", "))
	b.WriteString(`- "text" is read aloud by a text-to-speech voice exactly as written, so write plain spoken sentences only: no markdown, no asterisks, no bullet points, no headings, no emojis, no HTML or SSML tags, no stage directions or sound cues such as (laughs) or [music], no speaker labels such as "Name:", and no URLs (say the site's name instead).
- Write numbers, symbols and abbreviations the way they are spoken when a voice could stumble on them.
- Keep each line to one to four sentences.
- Use only facts from the source text: explain it, question it, give its examples. Never add names, numbers, dates, quotes or claims that are not in the source; when the source does not say, the speakers say so.
`)
	return b.String()
}

// sectionSchema is the format of a section answer: its lines and a
// sentence saying what they covered (for the running summary).
func sectionSchema(speakers []string) json.RawMessage {
	line := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"speaker": map[string]any{"type": "string", "enum": speakers},
			"text":    map[string]any{"type": "string"},
		},
		"required": []string{"speaker", "text"},
	}
	return mustJSON(map[string]any{
		"type": "object",
		"properties": map[string]any{
			"lines":   map[string]any{"type": "array", "items": line, "minItems": 1},
			"summary": map[string]any{"type": "string"},
		},
		"required": []string{"lines", "summary"},
	})
}

// outlineSchema is the format of the outline: exactly n sections.
func outlineSchema(n int) json.RawMessage {
	str := map[string]any{"type": "string"}
	sec := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"title":  str,
			"points": map[string]any{"type": "array", "items": str, "minItems": 1, "maxItems": 5},
		},
		"required": []string{"title", "points"},
	}
	return mustJSON(map[string]any{
		"type": "object",
		"properties": map[string]any{
			"title":    str,
			"summary":  str,
			"sections": map[string]any{"type": "array", "items": sec, "minItems": n, "maxItems": n},
		},
		"required": []string{"title", "summary", "sections"},
	})
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v) // cannot fail: only maps, slices, strings and ints
	return b
}

// outlinePrompt asks for the episode's plan: a title and, for each
// section, a title and the points it covers. digests are the body
// sections' sources (shortened to fit); a shared source is shown once.
func outlinePrompt(req Request, p plan, digests []string, docTitle, openTitle, closeTitle string, minutes float64) string {
	var b strings.Builder
	n := len(p.sections)
	fmt.Fprintf(&b, "Plan an episode of about %.0f minutes (about %d words) in exactly %d sections, in this order:\n", minutes, p.target, n)
	body := 0
	for i, sec := range p.sections {
		fmt.Fprintf(&b, "%d. ", i+1)
		switch sec.role {
		case roleOpen:
			b.WriteString("the opening: welcome, the speakers, what the episode covers")
			if openTitle != "" {
				fmt.Fprintf(&b, " (title it %q)", openTitle)
			}
		case roleClose:
			b.WriteString("the wrap-up: the main takeaways and goodbye")
			if closeTitle != "" {
				fmt.Fprintf(&b, " (title it %q)", closeTitle)
			}
		default:
			body++
			if p.shared {
				fmt.Fprintf(&b, "discussion %d: its own points from the source, not those of another section", body)
			} else {
				fmt.Fprintf(&b, "discussion of source part %d", body)
				if sec.heading != "" {
					fmt.Fprintf(&b, " (title it %q)", sec.heading)
				}
			}
		}
		fmt.Fprintf(&b, " — about %d words\n", sec.budget)
	}
	if st := req.Template.Structure; len(st) > 2 {
		fmt.Fprintf(&b, "\nThe show usually runs: %s. Let the discussion sections follow that order where the source allows.", strings.Join(st, ", "))
	}
	b.WriteString("\nFor each section give a short title (a few words, no numbering) and two to four points it covers, each a short phrase taken from the source. No point may appear in two sections")
	if !p.shared && len(digests) > 1 {
		b.WriteString(", and each discussion's points come from its own source part only")
	}
	b.WriteString(".\n")
	b.WriteString(`Also give the episode a "title" and a one-sentence "summary".` + "\n")
	if t := strings.TrimSpace(req.Title); t != "" {
		fmt.Fprintf(&b, "The episode is titled %q.\n", t)
	} else if docTitle != "" {
		fmt.Fprintf(&b, "The source is titled %q.\n", docTitle)
	}
	if f := strings.TrimSpace(req.Focus); f != "" {
		fmt.Fprintf(&b, "The listener asked you to focus on: %s\n", f)
	}
	b.WriteString(`Answer with one JSON object: {"title": "…", "summary": "…", "sections": [{"title": "…", "points": ["…", "…"]}]}` + "\n\n")
	if p.shared || len(digests) == 1 {
		fmt.Fprintf(&b, "Source text:\n<<<\n%s\n>>>\n", digests[0])
		return b.String()
	}
	for i, d := range digests {
		fmt.Fprintf(&b, "Source part %d of %d:\n<<<\n%s\n>>>\n", i+1, len(digests), d)
	}
	return b.String()
}

// sectionPrompt asks for one section's lines. so far is the running
// summary of the sections written; last is the line they ended on.
func sectionPrompt(req Request, p plan, i, budget int, episode, soFar, last string, wpm float64) string {
	var b strings.Builder
	sec := p.sections[i]
	n := len(p.sections)
	fmt.Fprintf(&b, "Episode outline%s:\n", quotedTitle(episode))
	for j, s := range p.sections {
		mark := ""
		if j == i {
			mark = "  <- write this section now"
		}
		fmt.Fprintf(&b, "%d. %s: %s%s\n", j+1, s.title, strings.Join(s.points, "; "), mark)
	}
	b.WriteString("\n")
	if soFar != "" {
		fmt.Fprintf(&b, "Already said in earlier sections (do not repeat it):\n%s", soFar)
		if last != "" {
			fmt.Fprintf(&b, "The previous section ended with: %s\n", last)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Write section %d of %d, %q, covering: %s.\n", i+1, n, sec.title, strings.Join(sec.points, "; "))
	switch {
	case sec.role == roleOpen:
		b.WriteString("Open the episode: a warm welcome, the speakers introduce themselves, and a preview of what the episode covers. Do not discuss the points in depth yet and do not say goodbye.\n")
	case sec.role == roleClose:
		b.WriteString("Close the episode: recap the main takeaways of the earlier sections, thank the listener and say goodbye. Add nothing new.\n")
	case sec.opens && sec.closes:
		b.WriteString("Open with a short welcome that introduces the speakers and the topic, discuss the points, and close with a short wrap-up and goodbye.\n")
	case sec.opens:
		b.WriteString("Begin the episode with a short welcome that introduces the speakers and the topic, then discuss the points. Do not say goodbye: the conversation goes on in the next section.\n")
	case sec.closes:
		b.WriteString("Continue the conversation where the previous section ended, discuss the points, then close the episode with a short wrap-up and goodbye.\n")
	default:
		b.WriteString("Continue the conversation where the previous section ended: no welcome, no goodbye, no introductions.\n")
	}
	fmt.Fprintf(&b, "Length: about %d words of dialogue (about %.1f minutes of audio), in roughly %d lines. Stay within 10%% of %d words.\n",
		budget, float64(budget)/wpm, max(2, budget/28), budget)
	if f := strings.TrimSpace(req.Focus); f != "" {
		fmt.Fprintf(&b, "The listener asked you to focus on: %s\n", f)
	}
	b.WriteString(`Answer with one JSON object: {"lines": [{"speaker": "…", "text": "…"}], "summary": "one sentence on what this section said"}` + "\n")
	if sec.source != "" {
		fmt.Fprintf(&b, "\nSource text for this section (use only facts from it):\n<<<\n%s\n>>>\n", sec.source)
	}
	return b.String()
}

func quotedTitle(t string) string {
	if t == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", t)
}

// repairPrompt hands the problems back to the model.
func repairPrompt(problems string) string {
	return "Your answer could not be used:\n" + problems +
		"\nAnswer again with the complete answer as one JSON object in the required shape, fixing these problems."
}

// continuePrompt asks once for more lines of a section that ended short
// of its budget (words of budget kept), naming the points it repeated.
func continuePrompt(more, words, budget int, repeated []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "This section has %d words but must have about %d. Continue it: write only the next lines, about %d words, following on from its last line, with more of the source's details and examples and the other speaker's questions and reactions.\n", words, budget, more)
	if len(repeated) > 0 {
		quoted := make([]string, len(repeated))
		for i, r := range repeated {
			quoted[i] = fmt.Sprintf("%q", r)
		}
		fmt.Fprintf(&b, "Some of its lines repeated what was already said, such as: %s. Leave those points out and say something new about this section's own points.\n", strings.Join(quoted, "; "))
	}
	b.WriteString("Keep the speakers, the rules and the facts from the source. Do not repeat the lines already written. Answer with one JSON object in the same shape, holding only the new lines.")
	return b.String()
}
