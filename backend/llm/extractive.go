package llm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"podcastfy/backend/script"
)

// Extractive writes a script without an LLM: it ranks the source's sentences
// with TextRank, keeps the best that fit the target length, in source order,
// and shares them among the template's speakers with short host transitions,
// an intro and an outro. The same request always gives the same script.
//
// Transitions, intro and outro are English. For any other language the
// script holds only the source's own sentences, shared among the speakers
// and grouped under the template's section titles, so nothing is said in the
// wrong language.
type Extractive struct{}

// NewExtractive returns the offline extractive writer.
func NewExtractive() *Extractive { return &Extractive{} }

// Name implements Writer.
func (e *Extractive) Name() string { return "extractive" }

// Candidate sentences are between these lengths in words; outside them they
// make poor spoken turns.
const (
	minCandidateWords = 5
	maxCandidateWords = 60
)

// Write implements Writer. It fails only on bad input (ErrEmptySource,
// ErrSourceTooLarge, ErrNoSpeakers), on a source with nothing speakable in
// it, or when ctx ends.
func (e *Extractive) Write(ctx context.Context, req Request, progress ProgressFunc) (script.Script, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	src, names, err := prepare(req, MaxExtractiveSourceBytes)
	if err != nil {
		return script.Script{}, err
	}
	if err := ctx.Err(); err != nil {
		return script.Script{}, err
	}
	progress(Progress{Stage: "writing", Part: 1, Parts: 1})

	// The source's own sentences are read, so they are prepared, split and
	// ranked in the language they are written in.
	lang := sourceLanguage(src, requestLanguage(req))
	doc := script.PrepareSource(src, lang)
	sentences, section := docSentences(doc, lang)
	checker := script.NewTextChecker(names)
	clean, cands := candidates(sentences, checker, lang)
	if len(cands) == 0 {
		return script.Script{}, fmt.Errorf("the source text has no sentences that can be read aloud: %w", ErrEmptySource)
	}
	rs, err := rankSentencesIn(ctx, clean, cands, lang)
	if err != nil {
		return script.Script{}, err
	}

	if shapeOf(req.Template) == shapeExplain {
		preferPlain(rs, clean)
	}
	sh := newShow(req, names, firstNonEmpty(doc.Title, sourceTitle(doc, checker)), lang)
	budget := TargetWords(req.Template, req.Minutes) - sh.overheadWords()
	var chosen []int
	if hasHeadings(doc) {
		chosen = selectBySection(rs, clean, section, budget)
		sh.groups, sh.titles = sectionGroups(chosen, clean, section, doc, budget)
	} else {
		chosen = selectSentences(rs, clean, budget)
	}
	if sh.title == "" {
		sh.title = keywordTitle(chosen, clean, lang)
	}
	target := TargetWords(req.Template, req.Minutes)
	if have := chosenWords(chosen, clean) + sh.overheadWords(); req.Warn != nil && have*10 < target*9 {
		per := float64(TargetWords(req.Template, 1))
		req.Warn(ShortfallNote(float64(have)/per, float64(target)/per))
	}
	sc := sh.build(chosen, clean)
	sc.Summary = summary(rs, chosen, clean)
	sc.Normalize(names)
	if err := sc.Validate(names); err != nil {
		return script.Script{}, fmt.Errorf("the extractive writer built an invalid script (a bug): %w", err)
	}
	return sc, nil
}

// requestLanguage is the request's language, else the template's.
func requestLanguage(req Request) string {
	if req.Language != "" {
		return req.Language
	}
	if req.Template != nil {
		return req.Template.Language
	}
	return ""
}

// docSentences splits every paragraph into sentences and tells, for each,
// the index of its section.
func docSentences(doc script.Source, lang string) ([]string, []int) {
	var out []string
	var sec []int
	for si, s := range doc.Sections {
		for _, p := range s.Paragraphs {
			n := len(out)
			out = splitParagraph(p, lang, out)
			for range len(out) - n {
				sec = append(sec, si)
			}
		}
	}
	return out, sec
}

// candidates returns the indices worth ranking: speakable, of a reasonable
// length, ending like a sentence. When none qualifies (a list of fragments,
// say) every speakable sentence does. The sentences have been through the
// speakable stage already; clean holds them, "" for those the checker
// refuses.
func candidates(sentences []string, checker *script.TextChecker, lang string) ([]string, []int) {
	clean := make([]string, len(sentences))
	var good, any []int
	for i, c := range sentences {
		if c == "" || checker.Problems(c) != nil || describesSyntax(c) || danglingEnd(c, lang) {
			continue
		}
		clean[i] = c
		any = append(any, i)
		n := len(strings.Fields(c))
		if n >= minCandidateWords && n <= maxCandidateWords && endsSentence(c) {
			good = append(good, i)
		}
	}
	if len(good) == 0 {
		return clean, any
	}
	return clean, good
}

// selectSentences takes ranked sentences best first until the budget is
// nearly met, skipping any that would overshoot it, and returns their
// indices in source order. A first pass also skips sentences that mostly
// repeat one already taken; a second pass fills what is left without that
// rule, for sources that say the same thing many times.
func selectSentences(rs []ranked, clean []string, budget int) []int {
	budget = max(budget, 1)
	var chosen []ranked
	taken := make([]bool, len(rs))
	total := 0
	for pass := range 2 {
		for i, r := range rs {
			if total >= budget*95/100 {
				break
			}
			w := len(strings.Fields(clean[r.index]))
			if taken[i] || (total > 0 && total+w > budget*105/100) {
				continue
			}
			if pass == 0 && slices.ContainsFunc(chosen, func(c ranked) bool { return jaccard(c.words, r.words) > 0.6 }) {
				continue
			}
			chosen = append(chosen, r)
			taken[i] = true
			total += w
		}
	}
	idx := make([]int, len(chosen))
	for i, c := range chosen {
		idx[i] = c.index
	}
	slices.Sort(idx)
	return idx
}

// summary joins the two best chosen sentences, in source order.
func summary(rs []ranked, chosen []int, clean []string) string {
	var best []int
	for _, r := range rs {
		if len(best) == 2 {
			break
		}
		if _, ok := slices.BinarySearch(chosen, r.index); ok {
			best = append(best, r.index)
		}
	}
	slices.Sort(best)
	var parts []string
	for _, i := range best {
		parts = append(parts, clean[i])
	}
	return shorten(strings.Join(parts, " "), 400)
}

// sourceTitle uses the source's first paragraph when it looks like a
// heading (a short line without a full stop).
func sourceTitle(doc script.Source, checker *script.TextChecker) string {
	if len(doc.Sections) == 0 || len(doc.Sections[0].Paragraphs) == 0 || doc.Sections[0].Title != "" {
		return ""
	}
	line := doc.Sections[0].Paragraphs[0]
	n := len(strings.Fields(line))
	if n == 0 || n > 12 || len(line) > 100 || endsSentence(line) || checker.Problems(line) != nil {
		return ""
	}
	return line
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// keywordTitle names the text by its two most frequent content words, in
// the source's language ("Bienen und Honig").
func keywordTitle(chosen []int, clean []string, lang string) string {
	texts := make([]string, len(chosen))
	for i, idx := range chosen {
		texts[i] = clean[idx]
	}
	forms, _ := keyWords(texts, nil, 2, lang)
	return or(keyTitle(forms, lang), wordsIn(lang).topic)
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// shorten cuts s at a word boundary to at most n bytes.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

func chosenWords(chosen []int, clean []string) int {
	n := 0
	for _, i := range chosen {
		n += len(strings.Fields(clean[i]))
	}
	return n
}
