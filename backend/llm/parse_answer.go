package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// rawLine is a line as the model wrote it, before cleaning.
type rawLine struct {
	speaker, text string
}

// sectionAnswer is a section as the model wrote it.
type sectionAnswer struct {
	lines   []rawLine
	summary string
	// salvaged: the JSON was cut off and only its complete lines were kept.
	salvaged bool
}

var errNoLines = errors.New(`the answer has no "lines" with any text`)

// parseSection reads a section answer, tolerating what small models do to
// the shape despite the schema: missing or extra fields, lines as strings
// ("Alex: Hi") or as {"Alex": "Hi"}, other names for the fields ("name",
// "line", "content", "dialogue"), lines nested in "chapters", and an answer
// cut off mid-way (its complete lines are kept).
func parseSection(answer string) (sectionAnswer, error) {
	obj, err := extractJSON(answer)
	if err != nil {
		if lines := salvageLines(answer); len(lines) > 0 {
			return sectionAnswer{lines: lines, salvaged: true}, nil
		}
		return sectionAnswer{}, err
	}
	var top map[string]json.RawMessage
	json.Unmarshal([]byte(obj), &top) // extractJSON checked it
	top = lowerKeys(top)
	var out sectionAnswer
	out.summary = jsonString(top["summary"])
	for _, key := range []string{"lines", "dialogue", "script", "conversation", "turns"} {
		if raw, ok := top[key]; ok {
			out.lines = append(out.lines, parseLines(raw)...)
		}
	}
	if raw, ok := top["chapters"]; ok && len(out.lines) == 0 {
		var chapters []map[string]json.RawMessage
		json.Unmarshal(raw, &chapters)
		for _, ch := range chapters {
			out.lines = append(out.lines, parseLines(lowerKeys(ch)["lines"])...)
		}
	}
	if len(out.lines) == 0 {
		return out, errNoLines
	}
	return out, nil
}

// parseLines reads an array of lines in any of the shapes parseSection
// accepts; items it cannot read are skipped.
func parseLines(raw json.RawMessage) []rawLine {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []rawLine
	for _, it := range items {
		if l, ok := parseLine(it); ok {
			out = append(out, l)
		}
	}
	return out
}

// The names models give a line's fields.
var (
	speakerKeys = []string{"speaker", "name", "role", "host", "character", "voice"}
	textKeys    = []string{"text", "line", "content", "dialogue", "says", "message", "utterance"}
)

func parseLine(raw json.RawMessage) (rawLine, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		json.Unmarshal(raw, &s)
		return rawLine{text: s}, strings.TrimSpace(s) != ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return rawLine{}, false
	}
	low := lowerKeys(obj)
	l := rawLine{speaker: firstString(low, speakerKeys...)}
	l.text = firstString(low, textKeys...)
	if l.text == "" && l.speaker == "" && len(obj) == 1 {
		for k, v := range obj { // {"Alex": "Hi there."}
			l.speaker, l.text = k, jsonString(v)
		}
	}
	return l, strings.TrimSpace(l.text) != ""
}

// salvageLines keeps the complete line objects of an answer whose JSON was
// cut off (done_reason "length", a dropped stream).
func salvageLines(answer string) []rawLine {
	i := strings.Index(answer, `"lines"`)
	if i < 0 {
		return nil
	}
	s := answer[i:]
	var out []rawLine
	from := 0
	for range 1000 {
		j := strings.IndexByte(s[from:], '{')
		if j < 0 {
			break
		}
		start := from + j
		end := matchBrace(s, start)
		if end < 0 {
			break
		}
		if l, ok := parseLine(json.RawMessage(s[start : end+1])); ok {
			out = append(out, l)
		}
		from = end + 1
	}
	return out
}

func lowerKeys(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return out
}

func firstString(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		if s := jsonString(m[k]); s != "" {
			return s
		}
	}
	return ""
}

// jsonString reads a JSON string, or joins an array of strings; anything
// else is "".
func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.TrimSpace(strings.Join(list, " "))
	}
	return ""
}

// outlineAnswer is the episode plan as the model wrote it.
type outlineAnswer struct {
	title, summary string
	sections       []outlineSection
}

type outlineSection struct {
	title  string
	points []string
}

// parseOutline reads an outline answer, tolerating missing and extra
// fields and points given as one string; the caller fills what is missing.
func parseOutline(answer string) (outlineAnswer, error) {
	obj, err := extractJSON(answer)
	if err != nil {
		return outlineAnswer{}, err
	}
	var top map[string]json.RawMessage
	json.Unmarshal([]byte(obj), &top)
	top = lowerKeys(top)
	out := outlineAnswer{title: jsonString(top["title"]), summary: jsonString(top["summary"])}
	var items []map[string]json.RawMessage
	for _, key := range []string{"sections", "outline", "parts", "chapters"} {
		if json.Unmarshal(top[key], &items) == nil && len(items) > 0 {
			break
		}
	}
	for _, it := range items {
		it = lowerKeys(it)
		sec := outlineSection{title: firstString(it, "title", "name", "heading", "topic")}
		raw := it["points"]
		if raw == nil {
			raw = it["key_points"]
		}
		var points []string
		if json.Unmarshal(raw, &points) != nil {
			if p := jsonString(raw); p != "" {
				points = []string{p}
			}
		}
		for _, p := range points {
			if p = strings.TrimSpace(p); p != "" {
				sec.points = append(sec.points, p)
			}
		}
		out.sections = append(out.sections, sec)
	}
	if len(out.sections) == 0 {
		return out, errors.New(`the answer has no "sections"`)
	}
	return out, nil
}
