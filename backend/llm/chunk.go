package llm

import (
	"context"
	"slices"
	"strings"
)

// splitParts cuts text into parts of at most partChars bytes (unless a
// single word is longer) and similar size, between sentences, keeping
// paragraph breaks inside a part. Parts are filled to about 90% of
// partChars, which leaves room to end each one on a sentence boundary.
func splitParts(text string, partChars int) []string {
	if len(text) <= partChars {
		return []string{text}
	}
	n := (len(text) + fill(partChars) - 1) / fill(partChars)
	size := (len(text) + n - 1) / n
	type piece struct {
		text string
		para bool // starts a paragraph
	}
	var pieces []piece
	for para := range strings.SplitSeq(text, "\n\n") {
		first := true
		for _, s := range splitSentences(para) {
			for _, c := range cutWords(s, size) {
				pieces = append(pieces, piece{c, first})
				first = false
			}
		}
	}
	var parts []string
	var cur strings.Builder
	for _, p := range pieces {
		if cur.Len() > 0 && (cur.Len() >= size || cur.Len()+2+len(p.text) > partChars) {
			parts = append(parts, cur.String())
			cur.Reset()
		}
		switch {
		case cur.Len() == 0:
		case p.para:
			cur.WriteString("\n\n")
		default:
			cur.WriteByte(' ')
		}
		cur.WriteString(p.text)
	}
	if cur.Len() > 0 {
		parts = append(parts, cur.String())
	}
	return parts
}

// fill is how much of a part splitParts aims to use.
func fill(partChars int) int { return max(1, partChars*9/10) }

// cutWords splits s into pieces of at most size bytes between words (a
// single longer word is kept whole).
func cutWords(s string, size int) []string {
	if len(s) <= size {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	for w := range strings.FieldsSeq(s) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > size {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// condense keeps the source's most central sentences, in source order, up
// to about maxChars bytes.
func condense(ctx context.Context, src string, maxChars int) (string, error) {
	sentences := splitSentences(src)
	cands := make([]int, 0, len(sentences))
	for i, s := range sentences {
		if len(strings.Fields(s)) >= 3 {
			cands = append(cands, i)
		}
	}
	rs, err := rankSentences(ctx, sentences, cands)
	if err != nil {
		return "", err
	}
	var keep []int
	total := 0
	for _, r := range rs {
		if total+len(sentences[r.index])+1 > maxChars {
			continue
		}
		keep = append(keep, r.index)
		total += len(sentences[r.index]) + 1
	}
	slices.Sort(keep)
	var b strings.Builder
	for _, i := range keep {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[i])
	}
	return b.String(), nil
}
