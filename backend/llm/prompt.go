package llm

import (
	"encoding/json"
	"fmt"
	"strings"

	"podcastfy/backend/template"
)

// ScriptSchema is the JSON Schema sent as the chat's format: title, summary,
// chapters → lines → {speaker, text}, with speaker limited to the names.
func ScriptSchema(speakers []string) json.RawMessage {
	str := map[string]any{"type": "string"}
	line := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"speaker": map[string]any{"type": "string", "enum": speakers},
			"text":    str,
		},
		"required": []string{"speaker", "text"},
	}
	chapter := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"title": str,
			"lines": map[string]any{"type": "array", "items": line, "minItems": 1},
		},
		"required": []string{"title", "lines"},
	}
	schema := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"title":    str,
			"summary":  str,
			"chapters": map[string]any{"type": "array", "items": chapter, "minItems": 1},
		},
		"required": []string{"title", "summary", "chapters"},
	}
	b, _ := json.Marshal(schema) // cannot fail: only maps, slices and strings
	return b
}

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
	b.WriteString(`Answer with one JSON object only, in this shape:
{"title": "episode title", "summary": "one or two sentences", "chapters": [{"title": "chapter title", "lines": [{"speaker": "name", "text": "what they say"}]}]}

Rules for every line:
`)
	fmt.Fprintf(&b, "- \"speaker\" is exactly one of: %s.\n", strings.Join(names, ", "))
	b.WriteString(`- "text" is read aloud by a text-to-speech voice exactly as written, so write plain spoken sentences only: no markdown, no asterisks, no bullet points, no headings, no emojis, no HTML or SSML tags, no stage directions or sound cues such as (laughs) or [music], no speaker labels such as "Name:", and no URLs (say the site's name instead).
- Write numbers, symbols and abbreviations the way they are spoken when a voice could stumble on them.
- Keep each line to one to four sentences.
- Stay faithful to the source: explain it, question it, give examples from it; do not invent facts.
`)
	return b.String()
}

// part is one call to the model: a piece of the source and its share of the
// episode.
type part struct {
	index, count int // 0-based index of count parts
	text         string
	words        int
	sections     []string // chapter titles from the template for this part
}

func (p part) first() bool { return p.index == 0 }
func (p part) last() bool  { return p.index == p.count-1 }

// sectionsFor shares the template's structure among parts: the first
// section opens the first part, the last closes the last part, and the
// middle ones are spread in order.
func sectionsFor(structure []string, index, count int) []string {
	var st []string
	for _, s := range structure {
		if s = strings.TrimSpace(s); s != "" {
			st = append(st, s)
		}
	}
	if count == 1 || len(st) == 0 {
		if count == 1 {
			return st
		}
		return nil
	}
	var intro, outro string
	var middle []string
	switch len(st) {
	case 1:
		middle = st
	case 2:
		intro, outro = st[0], st[1]
	default:
		intro, outro, middle = st[0], st[len(st)-1], st[1:len(st)-1]
	}
	var out []string
	if index == 0 && intro != "" {
		out = append(out, intro)
	}
	out = append(out, middle[index*len(middle)/count:(index+1)*len(middle)/count]...)
	if index == count-1 && outro != "" {
		out = append(out, outro)
	}
	return out
}

// userPrompt asks for one part. covered summarises the earlier parts and
// lastLine is the line the previous part ended on.
func userPrompt(req Request, p part, partMinutes float64, covered, lastLine string) string {
	var b strings.Builder
	if p.count > 1 {
		fmt.Fprintf(&b, "This is part %d of %d of the episode; each part covers the matching part of the source.\n", p.index+1, p.count)
	}
	if covered != "" {
		fmt.Fprintf(&b, "Already covered in earlier parts (do not repeat these points, do not greet again, do not introduce the speakers again):\n%s", covered)
		if lastLine != "" {
			fmt.Fprintf(&b, "The previous part ended with: %s\n", lastLine)
		}
	}
	switch {
	case p.count == 1:
		b.WriteString("Open with a short welcome that introduces the speakers and the topic, and close with a short wrap-up and goodbye.\n")
	case p.first():
		b.WriteString("Begin the episode: a short welcome that introduces the speakers and the topic. Do not say goodbye: the conversation goes on in the next part.\n")
	case p.last():
		b.WriteString("Continue the conversation where the previous part ended, then close the episode with a short wrap-up and goodbye.\n")
	default:
		b.WriteString("Continue the conversation where the previous part ended: no welcome and no goodbye.\n")
	}
	fmt.Fprintf(&b, "Write about %d words of dialogue for this part (about %.1f minutes of audio).\n", p.words, partMinutes)
	if len(p.sections) > 0 {
		quoted := make([]string, len(p.sections))
		for i, s := range p.sections {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		fmt.Fprintf(&b, "Chapters: use these chapter titles in this order: %s. You may split the main discussion into more chapters titled by their topic.\n", strings.Join(quoted, ", "))
	} else {
		b.WriteString("Chapters: give this part one or two chapters, titled by their topic.\n")
	}
	if t := strings.TrimSpace(req.Title); t != "" {
		fmt.Fprintf(&b, "The episode is titled %q.\n", t)
	}
	if f := strings.TrimSpace(req.Focus); f != "" {
		fmt.Fprintf(&b, "The listener asked you to focus on: %s\n", f)
	}
	b.WriteString(`In "summary", say in one or two sentences what this part covers.` + "\n\n")
	if p.count > 1 {
		fmt.Fprintf(&b, "Source text, part %d of %d:\n", p.index+1, p.count)
	} else {
		b.WriteString("Source text:\n")
	}
	fmt.Fprintf(&b, "<<<\n%s\n>>>\n", p.text)
	return b.String()
}

// repairPrompt hands the problems back to the model.
func repairPrompt(problems string) string {
	return "Your answer could not be used:\n" + problems +
		"\nAnswer again with the complete script as one JSON object in the required shape, fixing these problems and keeping everything else."
}
