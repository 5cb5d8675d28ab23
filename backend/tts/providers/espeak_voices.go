package providers

import (
	"bufio"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"podcastfy/backend/tts"
)

// espeakVoice is one row of `espeak-ng --voices`.
type espeakVoice struct {
	Priority int
	Lang     string // "en-us"
	Gender   string // "male", "female" or ""
	Name     string // "English (America)"; the listing writes spaces as '_'
	File     string // "gmw/en-US"; for variants "!v/f3"
	Others   []espeakLang
}

// espeakLang is an extra language a voice speaks, with its priority
// (lower is preferred).
type espeakLang struct {
	Code     string
	Priority int
}

var espeakOtherLang = regexp.MustCompile(`\(([^\s()]+)\s+(\d+)\)`)

// parseESpeakVoices reads the table printed by `espeak-ng --voices`:
//
//	Pty Language       Age/Gender VoiceName          File                 Other Languages
//	 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
//
// Columns are not aligned when a value is wider than its column, so rows
// are split on whitespace (names have '_' for spaces). Malformed rows are
// skipped; a listing without a header is an error.
func parseESpeakVoices(out string) ([]espeakVoice, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	header := false
	var voices []espeakVoice
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "Pty" {
			header = true
			continue
		}
		if len(f) < 5 {
			continue
		}
		pty, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		v := espeakVoice{
			Priority: pty,
			Lang:     strings.ToLower(f[1]),
			Name:     strings.TrimSpace(strings.ReplaceAll(f[3], "_", " ")),
			File:     f[4],
		}
		if _, g, ok := strings.Cut(f[2], "/"); ok {
			switch g {
			case "M":
				v.Gender = "male"
			case "F":
				v.Gender = "female"
			}
		}
		for _, m := range espeakOtherLang.FindAllStringSubmatch(strings.Join(f[5:], " "), -1) {
			p, _ := strconv.Atoi(m[2])
			v.Others = append(v.Others, espeakLang{Code: strings.ToLower(m[1]), Priority: p})
		}
		voices = append(voices, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, fmt.Errorf("not an espeak-ng voice listing (no header line)")
	}
	return voices, nil
}

// variantID is the name to put after '+': the file name in espeak-ng-data/voices/!v.
func (v espeakVoice) variantID() string {
	_, id, ok := strings.Cut(v.File, "!v/")
	if !ok {
		return v.File
	}
	return id
}

// speaks reports whether the voice speaks the language whose primary
// subtag is primary ("en" for "en-GB").
func (v espeakVoice) speaks(primary string) bool {
	if langPrimary(v.Lang) == primary {
		return true
	}
	for _, o := range v.Others {
		if langPrimary(o.Code) == primary {
			return true
		}
	}
	return false
}

func langPrimary(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	p, _, _ := strings.Cut(tag, "-")
	return p
}

// espeakCatalog is the cached result of the two listings.
type espeakCatalog struct {
	voices   []espeakVoice
	variants []espeakVoice
}

// find resolves a base voice as espeak-ng would: a language code, a voice
// file ("gmw/en-US" or "en-US"), a voice name ("English (America)", with '_'
// or spaces), or a language a voice lists among its others (lowest
// priority wins). Matching ignores case.
func (c *espeakCatalog) find(base string) (espeakVoice, bool) {
	key := strings.ToLower(strings.TrimSpace(base))
	if key == "" {
		return espeakVoice{}, false
	}
	for _, v := range c.voices {
		if v.Lang == key {
			return v, true
		}
	}
	for _, v := range c.voices {
		f := strings.ToLower(v.File)
		if f == key || f[strings.LastIndex(f, "/")+1:] == key {
			return v, true
		}
	}
	name := strings.ReplaceAll(key, "_", " ")
	for _, v := range c.voices {
		if strings.ToLower(v.Name) == name {
			return v, true
		}
	}
	return c.byOtherLanguage(key)
}

func (c *espeakCatalog) byOtherLanguage(code string) (espeakVoice, bool) {
	best, bestPrio, found := espeakVoice{}, 0, false
	for _, v := range c.voices {
		for _, o := range v.Others {
			if o.Code == code && (!found || o.Priority < bestPrio) {
				best, bestPrio, found = v, o.Priority, true
			}
		}
	}
	return best, found
}

// forLanguage picks a voice for a BCP-47 tag: the exact tag, then its
// primary language ("en-AU" → "en").
func (c *espeakCatalog) forLanguage(tag string) (espeakVoice, bool) {
	tag = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	for _, code := range []string{tag, langPrimary(tag)} {
		for _, v := range c.voices {
			if v.Lang == code {
				return v, true
			}
		}
		if v, ok := c.byOtherLanguage(code); ok {
			return v, true
		}
	}
	return espeakVoice{}, false
}

// variant resolves a variant name ignoring case, returning the exact file
// name espeak-ng needs (it matches variants case-sensitively and silently
// ignores unknown ones).
func (c *espeakCatalog) variant(name string) (string, bool) {
	for _, v := range c.variants {
		if strings.EqualFold(v.variantID(), name) {
			return v.variantID(), true
		}
	}
	return "", false
}

// suggest returns up to three known ids close to s, for error messages.
func suggest(s string, ids []string) []string {
	s = strings.ToLower(s)
	type cand struct {
		id   string
		dist int
	}
	var cs []cand
	seen := map[string]bool{}
	for _, id := range ids {
		l := strings.ToLower(id)
		if seen[l] {
			continue
		}
		seen[l] = true
		d := levenshtein(s, l)
		if strings.HasPrefix(l, s) || strings.HasPrefix(s, l) {
			d = min(d, 1)
		}
		if d <= max(2, len(s)/3) {
			cs = append(cs, cand{id, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].id < cs[j].id
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func didYouMean(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", quoteJoin(ids))
}

func quoteJoin(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
	}
	return strings.Join(q, ", ")
}

func (c *espeakCatalog) voiceIDs() []string {
	ids := make([]string, 0, len(c.voices))
	for _, v := range c.voices {
		ids = append(ids, v.Lang)
	}
	return ids
}

func (c *espeakCatalog) variantIDs() []string {
	ids := make([]string, 0, len(c.variants))
	for _, v := range c.variants {
		ids = append(ids, v.variantID())
	}
	return ids
}

// asVoice converts a listing row for tts.Voice.
func (v espeakVoice) asVoice(id string) tts.Voice {
	return tts.Voice{ID: id, Name: v.Name, Language: v.Lang, Gender: v.Gender}
}
