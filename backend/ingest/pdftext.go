package ingest

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// pdfLine is one line of text on a page, in PDF user space (y grows upward).
type pdfLine struct {
	text  string
	x, x1 float64 // left and right ends
	y     float64 // baseline
	size  float64 // effective font size
	bold  bool    // every run of the line is in a bold face
}

// run is the text one show operation put down.
type run struct {
	text   string
	x0, x1 float64
	y      float64
	size   float64
	bold   bool
}

// wordGap is the gap between glyphs, as a share of the font size, that
// separates words.
const wordGap = 0.15

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n (apply m, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// fontInfo caches what the interpreter needs from a font.
type fontInfo struct {
	enc     pdf.TextEncoding
	twoByte bool // Type0 (composite) fonts use 2-byte codes
	widths  map[int]float64
	missing float64 // width for codes without one, in 1/1000 em
	bold    bool    // a bold or black face, by name or descriptor
}

func (f *fontInfo) width(code int) float64 {
	if w, ok := f.widths[code]; ok {
		return w
	}
	return f.missing
}

func loadFont(v pdf.Value) *fontInfo {
	font := pdf.Font{V: v}
	fi := &fontInfo{enc: latin1{}, widths: map[int]float64{}, missing: 500}
	if cmapSafe(v.Key("ToUnicode")) {
		if enc := font.Encoder(); enc != nil {
			fi.enc = enc
		}
	}
	if strings.Contains(font.BaseFont(), "Courier") {
		fi.missing = 600
	}
	fi.bold = boldFont(v)
	if v.Key("Subtype").Name() == "Type0" {
		fi.twoByte = true
		desc := v.Key("DescendantFonts").Index(0)
		fi.missing = 1000
		if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			fi.missing = dw.Float64()
		}
		cidWidths(desc.Key("W"), fi.widths)
		return fi
	}
	first := font.FirstChar()
	ws := v.Key("Widths")
	for i := 0; i < ws.Len() && i < 256; i++ {
		fi.widths[first+i] = ws.Index(i).Float64()
	}
	return fi
}

// boldFont tells a bold face by its name ("Times-Bold", "ABCDEF+Arial,Bold",
// "NimbusSans-Black") or its descriptor's weight or force-bold flag.
func boldFont(v pdf.Value) bool {
	name := strings.ToLower(v.Key("BaseFont").Name())
	if v.Key("Subtype").Name() == "Type0" {
		v = v.Key("DescendantFonts").Index(0)
	}
	d := v.Key("FontDescriptor")
	return strings.Contains(name, "bold") || strings.Contains(name, "black") || strings.Contains(name, "heavy") ||
		strings.Contains(name, "semibold") || d.Key("FontWeight").Float64() >= 600 || d.Key("Flags").Int64()&(1<<18) != 0
}

// cidWidths reads a CIDFont W array: c [w1 w2 …] or c_first c_last w.
func cidWidths(w pdf.Value, out map[int]float64) {
	const maxEntries = 1 << 16
	for i := 0; i < w.Len() && len(out) < maxEntries; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && len(out) < maxEntries; j++ {
				out[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		width := w.Index(i + 2).Float64()
		for c2 := c; c2 <= last && c2-c < maxEntries; c2++ {
			out[c2] = width
		}
		i += 3
	}
}

// latin1 decodes codes as ISO 8859-1 when a font has no usable encoding.
type latin1 struct{}

func (latin1) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}

// textState is the PDF text and graphics state the interpreter tracks.
type textState struct {
	ctm           matrix
	tm, tlm       matrix
	font          *fontInfo
	fontSize      float64
	charSpace     float64
	wordSpace     float64
	scale         float64 // horizontal scaling, 1 = 100%
	leading, rise float64
}

// pageRuns interprets a page's content streams (and the form XObjects they
// draw) and returns the text runs in drawing order. Upright text only:
// rotated stamps and sidebars are left out.
func pageRuns(page pdf.Page) []run {
	in := &interp{}
	in.content(page.V.Key("Contents"), resources(page.V), identity, 0)
	return in.runs
}

// resources finds a page's resources, inherited from the page tree.
func resources(v pdf.Value) pdf.Value {
	for i := 0; i < 32 && !v.IsNull(); i++ {
		if r := v.Key("Resources"); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

type interp struct {
	runs []run
	ops  int
}

// maxOps bounds the operators interpreted per page, against hostile files.
const maxOps = 2_000_000

func (in *interp) content(strm, res pdf.Value, ctm matrix, depth int) {
	if strm.IsNull() || depth > 8 {
		return
	}
	l := lexer{b: streamBytes(strm)}
	st := textState{ctm: ctm, scale: 1, tm: identity, tlm: identity}
	var stack []textState
	fonts := map[string]*fontInfo{} // by resource name, within these resources
	var args []operand
	for {
		o, op, ok := l.next()
		if !ok {
			return
		}
		if op == "" {
			if len(args) < 64 {
				args = append(args, o)
			}
			continue
		}
		if in.ops++; in.ops > maxOps {
			panic("the page has too many drawing operations")
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].num
			}
			return 0
		}
		str := func() (string, bool) {
			if n := len(args); n > 0 && args[n-1].kind == 's' {
				return args[n-1].str, true
			}
			return "", false
		}
		switch op {
		case "q":
			if len(stack) < 64 {
				stack = append(stack, st)
			}
		case "Q":
			if n := len(stack); n > 0 {
				st, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			st.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(st.ctm)
		case "BT":
			st.tm, st.tlm = identity, identity
		case "Tf":
			if len(args) == 2 && args[0].kind == '/' {
				name := args[0].str
				if fonts[name] == nil {
					fonts[name] = loadFont(res.Key("Font").Key(name))
				}
				st.font, st.fontSize = fonts[name], num(1)
			}
		case "Tc":
			st.charSpace = num(0)
		case "Tw":
			st.wordSpace = num(0)
		case "Tz":
			st.scale = num(0) / 100
		case "TL":
			st.leading = num(0)
		case "Ts":
			st.rise = num(0)
		case "TD":
			st.leading = -num(1)
			st.newLine(num(0), num(1))
		case "Td":
			st.newLine(num(0), num(1))
		case "Tm":
			st.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
			st.tm = st.tlm
		case "T*":
			st.newLine(0, -st.leading)
		case "Tj":
			if s, ok := str(); ok {
				in.show(&st, s)
			}
		case "'", "\"":
			if len(args) == 3 {
				st.wordSpace, st.charSpace = num(0), num(1)
			}
			st.newLine(0, -st.leading)
			if s, ok := str(); ok {
				in.show(&st, s)
			}
		case "TJ":
			if len(args) == 1 {
				for _, e := range args[0].arr {
					if e.kind == 's' {
						in.show(&st, e.str)
					} else {
						st.advance(-e.num / 1000 * st.fontSize * st.scale)
					}
				}
			}
		case "Do":
			if len(args) == 1 && args[0].kind == '/' {
				in.form(res.Key("XObject").Key(args[0].str), st.ctm, depth)
			}
		}
		args = args[:0]
	}
}

// form draws a form XObject with its own resources and matrix.
func (in *interp) form(x pdf.Value, ctm matrix, depth int) {
	if x.Key("Subtype").Name() != "Form" {
		return
	}
	m := identity
	if mv := x.Key("Matrix"); mv.Len() == 6 {
		for i := range m {
			m[i] = mv.Index(i).Float64()
		}
	}
	res := x.Key("Resources")
	in.content(x, res, m.mul(ctm), depth+1)
}

func (st *textState) newLine(tx, ty float64) {
	st.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(st.tlm)
	st.tm = st.tlm
}

func (st *textState) advance(tx float64) {
	st.tm = matrix{1, 0, 0, 1, tx, 0}.mul(st.tm)
}

// show records one string's run and moves the text position past it.
func (in *interp) show(st *textState, raw string) {
	if st.font == nil {
		st.font = &fontInfo{enc: latin1{}, widths: map[int]float64{}, missing: 500}
	}
	trm := matrix{st.fontSize * st.scale, 0, 0, st.fontSize, 0, st.rise}.mul(st.tm).mul(st.ctm)
	x0, y := trm[4], trm[5]
	step := 1
	if st.font.twoByte {
		step = 2
	}
	// Some producers (Ghostscript, for groff's output) space the words of a
	// short string with character spacing alone: "2.5 Tc (uc) Tj" is "u c".
	// A gap that wide after every glyph is a word space, as pdftotext reads it.
	spaced := step == 1 && len(raw) > 1 && st.charSpace >= wordGap*st.fontSize
	var spacedText strings.Builder
	var tx float64
	for i := 0; i+step <= len(raw); i += step {
		code := int(raw[i])
		if step == 2 {
			code = code<<8 | int(raw[i+1])
		}
		w := st.font.width(code)/1000*st.fontSize + st.charSpace
		if step == 1 && code == ' ' {
			w += st.wordSpace
		}
		tx += w * st.scale
		if spaced {
			g := st.font.enc.Decode(raw[i : i+1])
			spacedText.WriteString(g)
			if i+1 < len(raw) && g != " " && raw[i+1] != ' ' {
				spacedText.WriteByte(' ')
			}
		}
	}
	st.advance(tx)
	end := matrix{1, 0, 0, 1, 0, 0}.mul(st.tm).mul(st.ctm)
	size := math.Hypot(trm[2], trm[3])
	// Rotated or mirrored text (watermarks, sidebars) is not body text.
	if math.Abs(trm[1]) > 0.1*math.Abs(trm[0]) || trm[0] <= 0 || size < 1 {
		return
	}
	text := st.font.enc.Decode(raw)
	if spaced {
		text = spacedText.String()
	}
	if text == "" {
		return
	}
	in.runs = append(in.runs, run{text: text, x0: x0, x1: end[4], y: y, size: size, bold: st.font.bold})
}

// lines groups runs into lines: a run starts a new line when its baseline
// moves by more than 40% of the font size or it jumps back to the left. A
// space is put between runs whose gap is wider than 15% of the font size.
func lines(runs []run) []pdfLine {
	var out []pdfLine
	var cur strings.Builder
	var line pdfLine
	var lastX1 float64
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			line.text, line.x1 = t, lastX1
			out = append(out, line)
		}
		cur.Reset()
	}
	for i, r := range runs {
		newLine := i == 0 || math.Abs(r.y-line.y) > 0.4*max(r.size, line.size) || r.x0 < lastX1-2*r.size
		if newLine {
			flush()
			line = pdfLine{x: r.x0, y: r.y, size: r.size, bold: r.bold}
		} else {
			line.bold = line.bold && (r.bold || strings.TrimSpace(r.text) == "")
			gap := r.x0 - lastX1
			s := cur.String()
			if gap > wordGap*r.size && s != "" && !strings.HasSuffix(s, " ") && !strings.HasPrefix(r.text, " ") {
				cur.WriteByte(' ')
			}
			line.size = max(line.size, r.size)
		}
		cur.WriteString(r.text)
		lastX1 = r.x1
	}
	flush()
	return out
}
