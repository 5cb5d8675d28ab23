package llm

import (
	"encoding/json"
	"slices"
	"strings"
)

// lineKeys name the arrays whose items are a section's lines, in any of the
// shapes parseSection reads (also nested, as in "chapters":[{"lines":…}]).
var lineKeys = []string{"lines", "dialogue", "script", "conversation", "turns"}

// lineScanner finds the lines of a section answer while it streams in:
// each item of a lines array is handed over as soon as its closing brace
// (or quote) arrives, so a line can be voiced while the model is still
// writing the next. It follows the JSON structure byte by byte, once: a
// whole answer costs one pass however it is chunked. Text before the
// object (a <think> block, prose, a ``` fence) is skipped, and so is
// anything after it. parseSection on the whole answer stays the authority;
// the scanner only makes the lines available early.
type lineScanner struct {
	buf     []byte
	pos     int  // next byte to read
	started bool // inside the answer's JSON object
	ended   bool // the object is closed
	stack   []scanFrame
	inStr   bool
	escaped bool
	strFrom int // start of the current string
	item    int // start of the current line item, or -1
}

// scanFrame is an open object or array.
type scanFrame struct {
	array bool
	lines bool // an array of lines
	// expectKey: in an object, the next string is a key.
	expectKey bool
	key       string // an object's last key
}

func newLineScanner() *lineScanner { return &lineScanner{item: -1} }

// feed adds streamed text and returns the line items it completed.
func (sc *lineScanner) feed(chunk string) []rawLine {
	sc.buf = append(sc.buf, chunk...)
	var out []rawLine
	for !sc.ended && sc.pos < len(sc.buf) {
		if !sc.started {
			if !sc.start() {
				return out
			}
			continue
		}
		c := sc.buf[sc.pos]
		sc.pos++
		if sc.inStr {
			switch {
			case sc.escaped:
				sc.escaped = false
			case c == '\\':
				sc.escaped = true
			case c == '"':
				sc.inStr = false
				if l, ok := sc.closeString(); ok {
					out = append(out, l)
				}
			}
			continue
		}
		switch c {
		case '"':
			sc.inStr, sc.strFrom = true, sc.pos-1
			if sc.inLines() && sc.item < 0 {
				sc.item = sc.pos - 1
			}
		case '{', '[':
			if sc.inLines() && sc.item < 0 {
				sc.item = sc.pos - 1
			}
			f := scanFrame{array: c == '[', expectKey: c == '{'}
			if c == '[' && len(sc.stack) > 0 {
				top := sc.stack[len(sc.stack)-1]
				f.lines = !top.array && slices.Contains(lineKeys, strings.ToLower(strings.TrimSpace(top.key)))
			}
			sc.stack = append(sc.stack, f)
		case '}', ']':
			if len(sc.stack) == 0 {
				continue
			}
			sc.stack = sc.stack[:len(sc.stack)-1]
			if len(sc.stack) == 0 {
				sc.ended = true
				continue
			}
			if sc.inLines() && sc.item >= 0 {
				if l, ok := parseLine(json.RawMessage(sc.buf[sc.item:sc.pos])); ok {
					out = append(out, l)
				}
				sc.item = -1
			}
		case ',':
			if top := sc.top(); top != nil && !top.array {
				top.expectKey = true
			}
		}
	}
	return out
}

// start skips to the answer's first '{', past a <think> block; false when
// more text is needed.
func (sc *lineScanner) start() bool {
	rest := string(sc.buf[sc.pos:])
	brace := strings.IndexByte(rest, '{')
	if think := strings.Index(rest, "<think>"); think >= 0 && (brace < 0 || think < brace) {
		end := strings.Index(rest[think:], "</think>")
		if end < 0 {
			return false
		}
		sc.pos += think + end + len("</think>")
		return true
	}
	if brace < 0 {
		// Keep a tail that may be the start of a split "<think>".
		sc.pos += max(0, len(rest)-len("<think>"))
		return false
	}
	sc.pos += brace
	sc.started = true
	return true
}

func (sc *lineScanner) top() *scanFrame {
	if len(sc.stack) == 0 {
		return nil
	}
	return &sc.stack[len(sc.stack)-1]
}

// inLines reports whether the next value is an item of a lines array.
func (sc *lineScanner) inLines() bool {
	top := sc.top()
	return top != nil && top.array && top.lines
}

// closeString records a key, or completes a line written as a string.
func (sc *lineScanner) closeString() (rawLine, bool) {
	raw := sc.buf[sc.strFrom:sc.pos]
	if top := sc.top(); top != nil && !top.array && top.expectKey {
		var k string
		json.Unmarshal(raw, &k)
		top.key, top.expectKey = k, false
		return rawLine{}, false
	}
	if sc.inLines() && sc.item == sc.strFrom {
		sc.item = -1
		return parseLine(json.RawMessage(raw))
	}
	return rawLine{}, false
}
