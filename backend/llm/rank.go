package llm

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ranking bounds: TextRank is quadratic in the sentences it compares, so a
// cheap centrality score first keeps the most promising maxRanked sentences.
const (
	maxRanked      = 1000
	rankIterations = 40
	rankDamping    = 0.85
	rankEpsilon    = 1e-6
)

// stopwords are the English function words skipped when comparing
// sentences; stopwords.go has the other languages'.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for w := range strings.FieldsSeq(`a about above after again against all also am an and any are as at be
		because been before being below between both but by can could did do does doing down during each
		even few for from further had has have having he her here hers herself him himself his how however
		i if in into is it its itself just may me might more most must my myself no nor not now of off on
		once only or other our ours ourselves out over own same she should so some such than that the
		their theirs them themselves then there these they this those through to too under until up upon
		us very was we were what when where which while who whom why will with would you your yours
		yourself yourselves one two many much well still yet like get got make made said says every
		near across along around within without really quite rather almost often`) {
		m[w] = true
	}
	return m
}()

// ranked is a sentence with its words as interned ids.
type ranked struct {
	index int     // position in the source
	words []int32 // sorted, unique content-word ids
	score float64
}

// vocabulary interns content words.
type vocabulary struct {
	ids map[string]int32
	df  []int32 // sentences containing each word
}

// contentWords returns the sentence's content words, lower-cased and lightly
// stemmed, in order of appearance (with repeats).
func contentWords(s, lang string) []string {
	var out []string
	eachContentWord(s, lang, func(key, _ string) { out = append(out, key) })
	return out
}

// eachContentWord calls fn with each content word of s: its key
// (lower-cased, lightly stemmed in English) and its form as written.
func eachContentWord(s, lang string, fn func(key, form string)) {
	stop := stopwordsFor(lang)
	base := baseLanguage(lang)
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		key := strings.ToLower(w)
		if len(key) < 3 || stop[key] {
			continue
		}
		fn(stemIn(key, base), w)
	}
}

// stemIn folds a word's commonest inflections together, so "page" and
// "pages", "pagina" and "pagine", "Handbuchseite" and "Handbuchseiten"
// count as one key word. It is deliberately light: a key, never shown.
func stemIn(w, lang string) string {
	n := utf8.RuneCountInString(w)
	trim := func(suffixes ...string) {
		for _, s := range suffixes {
			if n > len([]rune(s))+3 && strings.HasSuffix(w, s) {
				w = strings.TrimSuffix(w, s)
				n -= len([]rune(s))
				return
			}
		}
	}
	switch lang {
	case "de":
		trim("en", "er", "e", "n", "s")
	case "nl":
		trim("'s", "’s", "en", "s")
	case "fr":
		trim("s", "x")
		trim("e")
	case "es", "pt":
		trim("s")
		trim("a", "e", "o")
	case "it":
		trim("a", "e", "i", "o")
	case "en", "":
		return stem(w)
	}
	return w
}

// stem folds the commonest English plural forms together.
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// newRanked interns the words of each candidate sentence.
func newRanked(sentences []string, candidates []int, lang string) ([]ranked, *vocabulary) {
	v := &vocabulary{ids: map[string]int32{}}
	out := make([]ranked, 0, len(candidates))
	for _, idx := range candidates {
		words := contentWords(sentences[idx], lang)
		ids := make([]int32, 0, len(words))
		for _, w := range words {
			id, ok := v.ids[w]
			if !ok {
				id = int32(len(v.df))
				v.ids[w] = id
				v.df = append(v.df, 0)
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			v.df[id]++
		}
		out = append(out, ranked{index: idx, words: ids})
	}
	return out, v
}

// rankSentences scores candidates (indices into sentences) by TextRank over
// word-overlap similarity, with a small bonus for sentences near the start
// and a penalty for sentences a person would not say (see sayability).
// The result is sorted best first; ties keep source order, so the ranking is
// deterministic.
func rankSentences(ctx context.Context, sentences []string, candidates []int) ([]ranked, error) {
	return rankSentencesIn(ctx, sentences, candidates, "")
}

// rankSentencesIn is rankSentences with the key words of language lang.
func rankSentencesIn(ctx context.Context, sentences []string, candidates []int, lang string) ([]ranked, error) {
	rs, vocab := newRanked(sentences, candidates, lang)
	if len(rs) > maxRanked {
		rs = preselect(rs, vocab)
	}
	if err := textRank(ctx, rs, len(vocab.df)); err != nil {
		return nil, err
	}
	n := float64(len(sentences))
	for i := range rs {
		rs[i].score *= (1 + 0.3*math.Exp(-float64(rs[i].index)/(0.05*n+1))) * sayability(sentences[rs[i].index])
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.index - b.index
	})
	return rs, nil
}

// preselect keeps the maxRanked most central sentences by a cheap score: the
// mean document frequency of their words (what TextRank's graph degree
// approximates), in source order.
func preselect(rs []ranked, v *vocabulary) []ranked {
	for i := range rs {
		sum := 0.0
		for _, id := range rs[i].words {
			sum += math.Log1p(float64(v.df[id]))
		}
		rs[i].score = sum / math.Sqrt(float64(len(rs[i].words))+1)
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.index - b.index
	})
	rs = rs[:maxRanked]
	slices.SortFunc(rs, func(a, b ranked) int { return a.index - b.index })
	return rs
}

// textRank sets each sentence's score to its TextRank over a graph whose edge
// weights are shared words / (log|Si| + log|Sj|), as in Mihalcea & Tarau.
func textRank(ctx context.Context, rs []ranked, vocabSize int) error {
	n := len(rs)
	if n == 0 {
		return nil
	}
	postings := make([][]int32, vocabSize)
	for i, r := range rs {
		for _, id := range r.words {
			postings[id] = append(postings[id], int32(i))
		}
	}
	type edge struct {
		to int32
		w  float32
	}
	adj := make([][]edge, n)
	overlap := make([]int32, n)
	var touched []int32
	for i, r := range rs {
		if i%128 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		touched = touched[:0]
		for _, id := range r.words {
			for _, j := range postings[id] {
				if int(j) <= i {
					continue
				}
				if overlap[j] == 0 {
					touched = append(touched, j)
				}
				overlap[j]++
			}
		}
		slices.Sort(touched)
		for _, j := range touched {
			w := float32(float64(overlap[j]) / (math.Log(float64(len(r.words))+1) + math.Log(float64(len(rs[j].words))+1)))
			adj[i] = append(adj[i], edge{j, w})
			adj[j] = append(adj[j], edge{int32(i), w})
			overlap[j] = 0
		}
	}
	out := make([]float64, n)
	for i, es := range adj {
		for _, e := range es {
			out[i] += float64(e.w)
		}
	}
	score := make([]float64, n)
	next := make([]float64, n)
	for i := range score {
		score[i] = 1
	}
	for range rankIterations {
		if err := ctx.Err(); err != nil {
			return err
		}
		delta := 0.0
		for i, es := range adj {
			sum := 0.0
			for _, e := range es {
				sum += float64(e.w) / out[e.to] * score[e.to]
			}
			next[i] = (1 - rankDamping) + rankDamping*sum
			delta += math.Abs(next[i] - score[i])
		}
		score, next = next, score
		if delta < rankEpsilon*float64(n) {
			break
		}
	}
	for i := range rs {
		rs[i].score = score[i]
	}
	return nil
}

// jaccard is the overlap of two sorted id sets.
func jaccard(a, b []int32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, common := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// midThought are first words that lean on a sentence the listener has not
// heard: an extract starting with them sounds cut off.
var midThought = map[string]bool{"this": true, "these": true, "that": true, "those": true, "it": true,
	"they": true, "such": true, "and": true, "but": true, "or": true, "so": true, "also": true,
	"however": true, "therefore": true, "thus": true, "hence": true, "otherwise": true, "similarly": true,
	"then": true, "here": true, "there": true, "dies": true, "diese": true, "dieser": true, "es": true,
	"aber": true, "und": true, "cela": true, "ceci": true, "mais": true, "et": true, "esto": true,
	"pero": true, "questo": true, "ma": true, "isso": true, "mas": true, "dit": true, "maar": true,
	"dieses": true, "diesem": true, "diesen": true, "darum": true, "daher": true, "deshalb": true, "dann": true,
	"dazu": true, "dabei": true, "damit": true, "jedoch": true, "er": true,
	"il": true, "elle": true, "ils": true, "elles": true, "ce": true, "cette": true, "ces": true, "ainsi": true,
	"donc": true, "alors": true, "cependant": true, "toutefois": true,
	"este": true, "esta": true, "estos": true, "estas": true, "eso": true, "ello": true, "así": true,
	"entonces": true, "además": true, "questa": true, "questi": true, "queste": true, "quello": true,
	"quindi": true, "così": true, "però": true, "inoltre": true, "esso": true, "essa": true, "isto": true,
	"esse": true, "assim": true, "então": true, "porém": true, "deze": true, "dus": true, "daarom": true,
	"echter": true, "ook": true}

// reSyntax finds what only a reader of syntax can use: a symbol quoted
// on its own (‘:’, « % », "("), a printf conversion (%s, %-5d) and brackets
// that do not pair up once code was removed ("entouré par « (» et «) »").
var reSyntax = regexp.MustCompile(`[‘'"“«„‹»›]\s*[^\p{L}\p{N}\s]{1,3}\s*[’'"”»“›«‹]|(^|\s)%[-+#0 ]?\d*(\.\d+)?[a-zA-Z]\b`)

// glued finds punctuation inside a word or doubled, as in a prompt string
// quoted from a manual ("man PN?ltlinha.."). It runs on every sentence of a
// long source, so it scans instead of using a regular expression.
func glued(s string) bool {
	prev := ' '
	for i, r := range s {
		switch {
		case (r == '?' || r == '!' || r == ';') && unicode.IsLetter(prev):
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(next) {
				return true
			}
		case r == '.' && prev == '.':
			if (i < 2 || s[i-2] != '.') && (i+1 >= len(s) || s[i+1] != '.') {
				return true // "..", not an ellipsis
			}
		}
		prev = r
	}
	return false
}

// danglingWords end no sentence: one that stops on them lost what followed
// (usually code that was removed: "you can use:", "except that:").
var danglingWords = func() map[string]map[string]bool {
	lists := map[string]string{
		"en": "the a an of to for with by from than and or but using which whose into onto via including except",
		"de": "der die das den dem des ein eine einen einem einer und oder als dass für",
		"fr": "le la les un une des de du et ou avec pour par que comme à",
		"es": "el la los las un una de del y o con para por que como",
		"it": "il lo la i gli le un una di del della e o con per da che come",
		"pt": "o a os as um uma de do da e ou com para por que como",
		"nl": "de het een en of",
	}
	out := map[string]map[string]bool{}
	for lang, list := range lists {
		out[lang] = map[string]bool{}
		for w := range strings.FieldsSeq(list) {
			out[lang][w] = true
		}
	}
	return out
}()

// danglingEnd: the sentence ends on a word that cannot end one in lang.
func danglingEnd(s, lang string) bool {
	s = strings.TrimRight(s, ".:")
	last := strings.ToLower(s[strings.LastIndexAny(s, " \t")+1:])
	base := baseLanguage(lang)
	words, ok := danglingWords[base]
	if !ok {
		words, base = danglingWords["en"], "en"
	}
	if base == "en" && (last == "use" || last == "that") {
		// "you can use:", "except that:" — not "ready for use." or "not that."
		rest := strings.TrimSpace(s[:len(s)-len(last)])
		prev := strings.ToLower(rest[strings.LastIndexAny(rest, " \t")+1:])
		return danglingPairs[prev+" "+last]
	}
	return words[last]
}

var danglingPairs = map[string]bool{"can use": true, "to use": true, "you use": true, "should use": true,
	"must use": true, "may use": true, "except that": true, "such that": true, "so that": true, "in that": true}

// describesSyntax: a sentence about syntax rather than meaning, which the
// offline writer never reads aloud.
func describesSyntax(s string) bool {
	if strings.Count(s, "(") != strings.Count(s, ")") || glued(s) {
		return true
	}
	return strings.ContainsAny(s, "%'\"‘“«„‹»›") && reSyntax.MatchString(s)
}

// sayability is a factor in (0, 1] for how well a sentence stands alone
// when spoken: lower for one that starts mid-thought, one still holding
// traces of code (single letters and symbols a reader skipped), and a
// fragment without a single ordinary word.
func sayability(s string) float64 {
	f := 1.0
	words := strings.Fields(s)
	if len(words) == 0 {
		return 0.01
	}
	first := strings.ToLower(strings.Trim(words[0], `,;:"'“‘(`))
	if midThought[first] {
		f *= 0.6
	}
	if r := []rune(words[0])[0]; unicode.IsLower(r) {
		f *= 0.4
	}
	single, plain := 0, 0
	for _, w := range words[1:] {
		w = strings.Trim(w, `.,;:!?"'()“”‘’`)
		switch {
		case len(w) == 1 && w != "a" && w != "I" && unicode.IsLetter(rune(w[0])):
			single++
		case len(w) >= 4 && strings.IndexFunc(w, unicode.IsUpper) < 0:
			plain++
		}
	}
	if single > 1 {
		f *= 0.6
	}
	if plain == 0 {
		f *= 0.5
	}
	return f
}
