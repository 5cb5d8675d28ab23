package audio

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
)

// VTTCue is one transcript line read back from WebVTT, with its place in
// the audio in seconds.
type VTTCue struct {
	Speaker string
	Text    string
	Start   float64
	End     float64
}

// Limits on a transcript read back from disk.
const (
	maxVTTBytes = 32 << 20
	maxCues     = 200_000
)

// ReadVTT reads the cues of a WebVTT file, such as the podcast transcript
// WriteVTT wrote, whose cue times are the exact sample offsets of the lines.
// A "<v Speaker>" voice tag gives the speaker; other tags are dropped and
// character references decoded. NOTE, STYLE and REGION blocks are skipped.
// Anything that is not WebVTT is an error naming the line.
func ReadVTT(data []byte) ([]VTTCue, error) {
	if len(data) > maxVTTBytes {
		return nil, fmt.Errorf("transcript: larger than %d MB", maxVTTBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxVTTBytes)
	lineNo := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		lineNo++
		return strings.TrimRight(sc.Text(), "\r"), true
	}
	first, ok := next()
	if !ok || (first != "WEBVTT" && !strings.HasPrefix(first, "WEBVTT ") && !strings.HasPrefix(first, "WEBVTT\t")) {
		return nil, fmt.Errorf("transcript: not a WebVTT file (the first line is not WEBVTT)")
	}
	// Skip the header block.
	for {
		l, ok := next()
		if !ok {
			return []VTTCue{}, sc.Err()
		}
		if l == "" {
			break
		}
	}
	cues := []VTTCue{}
	var block []string
	flush := func(end int) error {
		defer func() { block = block[:0] }()
		if len(block) == 0 {
			return nil
		}
		if b := block[0]; b == "NOTE" || strings.HasPrefix(b, "NOTE ") || strings.HasPrefix(b, "NOTE\t") || b == "STYLE" || b == "REGION" {
			return nil
		}
		timing := 0
		if !strings.Contains(block[0], "-->") {
			timing = 1 // the first line is a cue identifier
		}
		at := end - len(block) + 1 // the block's first line
		if timing >= len(block) {
			return fmt.Errorf("transcript line %d: a cue without its timing line", at)
		}
		at += timing
		start, stop, err := parseTiming(block[timing])
		if err != nil {
			return fmt.Errorf("transcript line %d: %w", at, err)
		}
		if len(cues) == maxCues {
			return fmt.Errorf("transcript: more than %d cues", maxCues)
		}
		speaker, text := cuePayload(strings.Join(block[timing+1:], " "))
		cues = append(cues, VTTCue{Speaker: speaker, Text: text, Start: start, End: stop})
		return nil
	}
	for {
		l, ok := next()
		if !ok {
			break
		}
		if strings.TrimSpace(l) == "" {
			if err := flush(lineNo - 1); err != nil {
				return nil, err
			}
			continue
		}
		block = append(block, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("transcript: %w", err)
	}
	if err := flush(lineNo); err != nil {
		return nil, err
	}
	return cues, nil
}

// parseTiming reads "00:01:02.500 --> 00:01:04.000 [settings]".
func parseTiming(l string) (start, end float64, err error) {
	a, b, ok := strings.Cut(l, "-->")
	if !ok {
		return 0, 0, fmt.Errorf("%q is not a cue timing line (start --> end)", clipText(l))
	}
	if start, err = parseTimestamp(strings.TrimSpace(a)); err != nil {
		return 0, 0, err
	}
	fields := strings.Fields(b)
	if len(fields) == 0 {
		return 0, 0, fmt.Errorf("%q has no end time", clipText(l))
	}
	if end, err = parseTimestamp(fields[0]); err != nil {
		return 0, 0, err
	}
	if end < start {
		return 0, 0, fmt.Errorf("the cue ends (%s) before it starts (%s)", fields[0], strings.TrimSpace(a))
	}
	return start, end, nil
}

// parseTimestamp reads "hh:mm:ss.ttt" or "mm:ss.ttt" as seconds.
func parseTimestamp(s string) (float64, error) {
	bad := fmt.Errorf("%q is not a WebVTT time like 00:01:02.500", clipText(s))
	hms, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 3 || !digits(frac) {
		return 0, bad
	}
	parts := strings.Split(hms, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var h int64
	if len(parts) == 3 {
		if len(parts[0]) < 2 || len(parts[0]) > 6 || !digits(parts[0]) {
			return 0, bad
		}
		h, _ = strconv.ParseInt(parts[0], 10, 64)
		parts = parts[1:]
	}
	if len(parts[0]) != 2 || len(parts[1]) != 2 || !digits(parts[0]) || !digits(parts[1]) {
		return 0, bad
	}
	m, _ := strconv.Atoi(parts[0])
	sec, _ := strconv.Atoi(parts[1])
	ms, _ := strconv.Atoi(frac)
	if m > 59 || sec > 59 {
		return 0, bad
	}
	return float64(h*3600+int64(m*60+sec)) + float64(ms)/1000, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// cuePayload splits "<v Speaker>text" into the speaker and the plain text.
func cuePayload(p string) (speaker, text string) {
	var b strings.Builder
	for len(p) > 0 {
		i := strings.IndexByte(p, '<')
		if i < 0 {
			b.WriteString(p)
			break
		}
		b.WriteString(p[:i])
		j := strings.IndexByte(p[i:], '>')
		if j < 0 {
			b.WriteString(p[i:]) // a lone '<' is text
			break
		}
		tag := p[i+1 : i+j]
		if name, ok := strings.CutPrefix(tag, "v "); ok && speaker == "" {
			speaker = html.UnescapeString(strings.TrimSpace(name))
		} else if name, ok := strings.CutPrefix(tag, "v."); ok && speaker == "" {
			// <v.class Speaker>
			if _, n, ok := strings.Cut(name, " "); ok {
				speaker = html.UnescapeString(strings.TrimSpace(n))
			}
		}
		p = p[i+j+1:]
	}
	return speaker, strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

func clipText(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
