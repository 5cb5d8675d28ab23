package llm

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The grounding check is cheap, not a judge: a line that names a number or
// a proper noun the source never mentions may state an invented fact, so
// the job's warnings list them for the listener to check.

var (
	reNumber = regexp.MustCompile(`\d[\d,.]*\d|\d+`)
	reName   = regexp.MustCompile(`\p{Lu}[\p{L}\p{M}'’-]*\p{L}`)
)

// maxFlagged bounds how many ungrounded names one warning lists.
const maxFlagged = 8

// commonCapitalised are capitalised words that name nothing.
var commonCapitalised = map[string]bool{
	"i": true, "i'm": true, "i've": true, "i'll": true, "i'd": true, "ok": true, "okay": true, "tv": true,
	"mr": true, "mrs": true, "ms": true, "dr": true,
}

// caselessNouns are languages that capitalise every noun, where capitals
// do not mark names.
var caselessNouns = map[string]bool{"de": true, "lb": true}

// groundingCheck flags names and numbers absent from the source.
type groundingCheck struct {
	words   map[string]bool // lower-case words of the source and the request
	numbers map[string]bool
	names   bool // check proper nouns (not in German, where every noun has a capital)
}

// newGroundingCheck indexes what the script may name: the source and the
// request's own words (title, focus, show, speakers).
func newGroundingCheck(src string, lang string, extra ...string) *groundingCheck {
	g := &groundingCheck{words: map[string]bool{}, numbers: map[string]bool{}}
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	g.names = !caselessNouns[base]
	for _, text := range append(extra, src) {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
			g.words[w] = true
		}
		for _, n := range reNumber.FindAllString(text, -1) {
			g.numbers[normalNumber(n)] = true
		}
	}
	return g
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r) && r != '\'' && r != '’' && r != '-'
}

// normalNumber spells a number one way: "1,500." and "1500" are the same.
func normalNumber(n string) string {
	return strings.TrimRight(strings.ReplaceAll(n, ",", ""), ".")
}

// flag returns the numbers of two or more digits and the proper nouns in
// text that the source does not have.
func (g *groundingCheck) flag(text string) []string {
	var out []string
	for _, n := range reNumber.FindAllString(text, -1) {
		if n = normalNumber(n); len(n) >= 2 && !g.numbers[n] {
			out = append(out, n)
		}
	}
	if !g.names {
		return out
	}
	for _, m := range reName.FindAllStringIndex(text, -1) {
		w := text[m[0]:m[1]]
		lw := strings.ToLower(w)
		if sentenceStart(text, m[0]) || commonCapitalised[lw] || g.words[lw] || g.words[strings.TrimRight(lw, "'’s")] {
			continue
		}
		if strings.Contains(lw, "-") && g.allKnown(lw) {
			continue
		}
		out = append(out, w)
	}
	return out
}

func (g *groundingCheck) allKnown(w string) bool {
	for p := range strings.SplitSeq(w, "-") {
		if p != "" && !g.words[p] {
			return false
		}
	}
	return true
}

// sentenceStart reports whether the word at i begins a sentence, where a
// capital says nothing.
func sentenceStart(text string, i int) bool {
	s := strings.TrimRightFunc(text[:i], func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("\"“”'‘(«", r) })
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…:;—–-", r)
}

// groundingWarning words the flagged names of each section for the job.
func groundingWarning(flagged [][]string) string {
	var names []string
	var where []int
	seen := map[string]bool{}
	for i, f := range flagged {
		hit := false
		for _, n := range f {
			if !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				names = append(names, fmt.Sprintf("%q", n))
			}
			hit = true
		}
		if hit {
			where = append(where, i+1)
		}
	}
	if len(names) == 0 {
		return ""
	}
	more := ""
	if len(names) > maxFlagged {
		more = fmt.Sprintf(" and %d more", len(names)-maxFlagged)
		names = names[:maxFlagged]
	}
	return fmt.Sprintf("The script names things the source does not mention: %s%s (%s). Small models sometimes invent facts; listen to those parts before you share the episode.",
		strings.Join(names, ", "), more, sectionList(slices.Compact(where)))
}

func sectionList(idx []int) string {
	parts := make([]string, len(idx))
	for i, n := range idx {
		parts[i] = fmt.Sprint(n)
	}
	if len(parts) == 1 {
		return "section " + parts[0]
	}
	return "sections " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
