package ingest

import (
	"bytes"
	"io"
	"strconv"

	"github.com/ledongthuc/pdf"
)

// The page interpreter tokenizes content streams itself rather than through
// pdf.Interpret, whose lexer spins forever on a hex string cut off by the
// end of a stream; this lexer ends at the end of the data whatever it meets.

// maxStream bounds one page's decoded content, against compression bombs.
const maxStream = 32 << 20

// operand is one content-stream operand.
type operand struct {
	kind byte // 'n' number, 's' string, '/' name, '[' array, 'o' other (dict, bool, null)
	num  float64
	str  string // string bytes or name
	arr  []operand
}

// streamBytes decodes a content stream, or an array of them joined by
// spaces, up to maxStream bytes.
func streamBytes(v pdf.Value) []byte {
	var b bytes.Buffer
	read := func(s pdf.Value) {
		if s.Kind() != pdf.Stream || b.Len() >= maxStream {
			return
		}
		rc := s.Reader()
		defer rc.Close()
		if _, err := io.Copy(&b, io.LimitReader(rc, int64(maxStream-b.Len()))); err != nil {
			panic(err)
		}
		b.WriteByte('\n')
	}
	if v.Kind() == pdf.Array {
		for i := 0; i < v.Len(); i++ {
			read(v.Index(i))
		}
	} else {
		read(v)
	}
	return b.Bytes()
}

// lexer reads content-stream tokens.
type lexer struct {
	b     []byte
	pos   int
	depth int // array nesting
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// next returns the next operand, or the next operator with op set; ok is
// false at the end of the data.
func (l *lexer) next() (o operand, op string, ok bool) {
	for {
		l.skipWhite()
		if l.pos >= len(l.b) {
			return operand{}, "", false
		}
		c := l.b[l.pos]
		if c != ']' && c != '>' && c != ')' && c != '{' && c != '}' {
			break
		}
		l.pos++ // a stray delimiter: skip it
	}
	switch c := l.b[l.pos]; {
	case c == '(':
		l.pos++
		return operand{kind: 's', str: l.literal()}, "", true
	case c == '<' && l.peek(1) == '<':
		l.pos += 2
		l.skipDict()
		return operand{kind: 'o'}, "", true
	case c == '<':
		l.pos++
		return operand{kind: 's', str: l.hex()}, "", true
	case c == '/':
		l.pos++
		return operand{kind: '/', str: l.name()}, "", true
	case c == '[':
		l.pos++
		return operand{kind: '[', arr: l.array()}, "", true
	}
	word := l.word()
	if n, err := strconv.ParseFloat(word, 64); err == nil {
		return operand{kind: 'n', num: n}, "", true
	}
	switch word {
	case "true", "false", "null":
		return operand{kind: 'o'}, "", true
	case "ID": // inline image data runs to "EI"
		l.skipInlineImage()
	}
	return operand{}, word, true
}

// array reads the elements of an [array] after its opening bracket;
// operators inside are dropped, and nesting deeper than 16 is flattened.
func (l *lexer) array() []operand {
	var arr []operand
	l.depth++
	defer func() { l.depth-- }()
	for len(arr) < 1<<16 {
		l.skipWhite()
		if l.pos >= len(l.b) {
			break
		}
		if l.b[l.pos] == ']' {
			l.pos++
			break
		}
		if l.b[l.pos] == '[' && l.depth > 16 {
			l.pos++
			continue
		}
		e, op, ok := l.next()
		if !ok {
			break
		}
		if op == "" {
			arr = append(arr, e)
		}
	}
	return arr
}

func (l *lexer) peek(i int) byte {
	if l.pos+i < len(l.b) {
		return l.b[l.pos+i]
	}
	return 0
}

func (l *lexer) skipWhite() {
	for l.pos < len(l.b) {
		switch c := l.b[l.pos]; {
		case isWhite(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

func (l *lexer) word() string {
	start := l.pos
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelimiter(l.b[l.pos]) {
		l.pos++
	}
	if l.pos == start { // a lone delimiter such as '%' handled elsewhere
		l.pos++
	}
	return string(l.b[start:l.pos])
}

func (l *lexer) name() string {
	var out []byte
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelimiter(l.b[l.pos]) {
		c := l.b[l.pos]
		if c == '#' && l.pos+2 < len(l.b) {
			if h, lo := unhex(l.b[l.pos+1]), unhex(l.b[l.pos+2]); h >= 0 && lo >= 0 {
				out = append(out, byte(h<<4|lo))
				l.pos += 3
				continue
			}
		}
		out = append(out, c)
		l.pos++
	}
	return string(out)
}

// literal reads a (string) after its opening parenthesis.
func (l *lexer) literal() string {
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return string(out)
			}
		case '\\':
			if l.pos >= len(l.b) {
				return string(out)
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.peek(0) == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
					v = v*8 + int(l.b[l.pos]-'0')
					l.pos++
				}
				c = byte(v)
			default:
				c = e
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// hex reads a <hex string> after its opening bracket.
func (l *lexer) hex() string {
	var out []byte
	hi := -1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v := unhex(c)
		if v < 0 {
			continue // white space or junk
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		out = append(out, byte(hi<<4))
	}
	return string(out)
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// skipDict skips a << dictionary >>, nested ones and strings included.
func (l *lexer) skipDict() {
	depth := 1
	for l.pos < len(l.b) && depth > 0 {
		switch c := l.b[l.pos]; {
		case c == '<' && l.peek(1) == '<':
			depth++
			l.pos += 2
		case c == '>' && l.peek(1) == '>':
			depth--
			l.pos += 2
		case c == '(':
			l.pos++
			l.literal()
		case c == '<':
			l.pos++
			l.hex()
		default:
			l.pos++
		}
	}
}

// skipInlineImage skips the binary data after ID up to the EI operator.
func (l *lexer) skipInlineImage() {
	if l.pos < len(l.b) {
		l.pos++ // the single white-space byte after ID
	}
	for l.pos+2 <= len(l.b) {
		if l.b[l.pos] == 'E' && l.b[l.pos+1] == 'I' && (l.pos == 0 || isWhite(l.b[l.pos-1])) &&
			(l.pos+2 == len(l.b) || isWhite(l.b[l.pos+2])) {
			l.pos += 2
			return
		}
		l.pos++
	}
	l.pos = len(l.b)
}

// cmapSafe reports whether a CMap stream can go through pdf.Interpret:
// its lexer never returns from a '<' that no '>' follows.
func cmapSafe(v pdf.Value) bool {
	if v.Kind() != pdf.Stream {
		return true
	}
	rc := v.Reader()
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 4<<20))
	if err != nil {
		return false
	}
	lt := bytes.LastIndexByte(b, '<')
	return lt < 0 || lt < bytes.LastIndexByte(b, '>')
}
