package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"podcastfy/backend/script"
)

// Ways an answer fails to be JSON; their messages go back to the model.
var (
	errNotJSON   = errors.New("the answer contains no JSON object")
	errTruncated = errors.New("the answer stops before its JSON object is complete (it was cut off)")
)

// maxCandidates bounds how many '{' extractJSON tries, so prose full of
// braces cannot make it quadratic.
const maxCandidates = 32

// extractJSON returns the outermost JSON object in an answer, tolerating
// what models wrap around it despite being asked not to: ``` fences, a
// <think> block, prose before or after. It tries each '{' in turn and
// returns the first balanced, valid object.
func extractJSON(s string) (string, error) {
	if i := strings.Index(s, "</think>"); i >= 0 && strings.Contains(s[:i], "<think>") {
		s = s[i+len("</think>"):]
	}
	truncated := false
	var lastErr error
	from := 0
	for range maxCandidates {
		i := strings.IndexByte(s[from:], '{')
		if i < 0 {
			break
		}
		start := from + i
		end := matchBrace(s, start)
		if end < 0 {
			truncated = true
			break // every later '{' is inside this unclosed object
		}
		candidate := s[start : end+1]
		var v map[string]json.RawMessage
		err := json.Unmarshal([]byte(candidate), &v)
		if err == nil {
			return candidate, nil
		}
		lastErr = err
		from = start + 1
	}
	switch {
	case truncated:
		return "", errTruncated
	case lastErr != nil:
		return "", fmt.Errorf("the answer's JSON is malformed: %v", lastErr)
	}
	return "", errNotJSON
}

// matchBrace returns the index of the '}' closing the '{' at start, skipping
// braces inside strings, or -1 when the text ends first.
func matchBrace(s string, start int) int {
	depth, inString, escaped := 0, false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// parseScript reads a model's answer into a script. It accepts a bare
// "lines" array without chapters, which models produce when the format is
// ignored.
func parseScript(answer string) (script.Script, error) {
	obj, err := extractJSON(answer)
	if err != nil {
		return script.Script{}, err
	}
	var raw struct {
		Title    string           `json:"title"`
		Summary  string           `json:"summary"`
		Chapters []script.Chapter `json:"chapters"`
		Lines    []script.Line    `json:"lines"`
	}
	if err := json.Unmarshal([]byte(obj), &raw); err != nil {
		return script.Script{}, fmt.Errorf("the answer's JSON does not have the required shape: %v", err)
	}
	sc := script.Script{Title: raw.Title, Summary: raw.Summary, Chapters: raw.Chapters}
	if len(sc.Chapters) == 0 && len(raw.Lines) > 0 {
		sc.Chapters = []script.Chapter{{Title: raw.Title, Lines: raw.Lines}}
	}
	return sc, nil
}

// tidy applies the safe fixes: Normalize, then drops lines with no text and
// chapters with no lines (nothing is lost; an empty line says nothing).
func tidy(sc *script.Script, speakers []string) {
	sc.Normalize(speakers)
	chapters := sc.Chapters[:0]
	for _, ch := range sc.Chapters {
		lines := ch.Lines[:0]
		for _, l := range ch.Lines {
			if l.Text != "" {
				lines = append(lines, l)
			}
		}
		ch.Lines = lines
		if len(ch.Lines) > 0 {
			chapters = append(chapters, ch)
		}
	}
	sc.Chapters = chapters
}
