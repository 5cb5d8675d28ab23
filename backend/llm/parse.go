package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
