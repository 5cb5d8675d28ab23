package llm

import (
	"fmt"
	"strings"
	"unicode"

	"podcastfy/backend/template"
)

// Source limits, in bytes after cleaning. The LLM writer condenses long
// sources to what its parts can hold, so its cap only guards against
// absurd inputs; the extractive writer's ranking is bounded and takes more.
const (
	MaxSourceBytes           = 2 << 20
	MaxExtractiveSourceBytes = 8 << 20
)

// cleanSource normalises line ends, drops control characters and invalid
// UTF-8, trims every line and keeps at most one blank line in a row.
func cleanSource(text string) string {
	text = strings.ToValidUTF8(text, "")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	text = strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if r == '\t' || unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, text)
	var b strings.Builder
	b.Grow(len(text))
	blank := 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString(strings.Repeat("\n", min(blank, 1)+1))
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// prepare checks a request and returns the cleaned source and the
// template's speaker names.
func prepare(req Request, limit int) (string, []string, error) {
	names := speakerNames(req.Template)
	if len(names) == 0 {
		return "", nil, newError(ErrNoSpeakers, nil, "the template names no speakers: add at least one speaker to it")
	}
	src := cleanSource(req.Source)
	if src == "" {
		return "", nil, newError(ErrEmptySource, nil, "the source text is empty: give the podcast some text to talk about")
	}
	if len(src) > limit {
		return "", nil, newError(ErrSourceTooLarge, nil,
			"the source text is %s, over the %s this writer accepts: shorten it or split it into several podcasts",
			sizeText(len(src)), sizeText(limit))
	}
	if err := CheckSource(src); err != nil {
		return "", nil, err
	}
	return src, names, nil
}

func speakerNames(t *template.Template) []string {
	if t == nil {
		return nil
	}
	var names []string
	for _, s := range t.Speakers {
		if n := strings.TrimSpace(s.Name); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func sizeText(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
