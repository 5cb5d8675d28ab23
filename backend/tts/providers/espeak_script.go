package providers

import (
	"unicode"
)

// scriptLanguages maps writing systems that are not Latin to the languages
// (primary subtags, as espeak-ng names them) that are written in them.
// espeak-ng reads text in a script its voice does not know letter by
// letter ("Chinese letter, Chinese letter…") instead of failing, so the
// provider checks first. Scripts not listed here are not checked.
var scriptLanguages = []struct {
	name   string
	tables []*unicode.RangeTable
	langs  []string
}{
	{"Chinese (Han)", []*unicode.RangeTable{unicode.Han}, []string{"cmn", "yue", "hak", "zh", "ja"}},
	{"Japanese (kana)", []*unicode.RangeTable{unicode.Hiragana, unicode.Katakana}, []string{"ja"}},
	{"Korean (Hangul)", []*unicode.RangeTable{unicode.Hangul}, []string{"ko"}},
	{"Cyrillic", []*unicode.RangeTable{unicode.Cyrillic}, []string{"ru", "uk", "be", "bg", "mk", "sr", "ba", "cv", "kk", "ky", "tt", "mn", "cu", "sah", "bs"}},
	{"Greek", []*unicode.RangeTable{unicode.Greek}, []string{"el", "grc"}},
	{"Arabic", []*unicode.RangeTable{unicode.Arabic}, []string{"ar", "fa", "ur", "ps", "sd", "ug", "ku", "ckb", "bal", "ks"}},
	{"Hebrew", []*unicode.RangeTable{unicode.Hebrew}, []string{"he", "yi", "lad"}},
	{"Devanagari", []*unicode.RangeTable{unicode.Devanagari}, []string{"hi", "mr", "ne", "sa", "kok", "mai", "bpy", "bh", "sd"}},
	{"Thai", []*unicode.RangeTable{unicode.Thai}, []string{"th"}},
	{"Georgian", []*unicode.RangeTable{unicode.Georgian}, []string{"ka"}},
	{"Armenian", []*unicode.RangeTable{unicode.Armenian}, []string{"hy", "hyw"}},
}

// foreignScript returns the name of the script most of the letters of
// text are written in, when that script is one the voice cannot read.
// It returns "" when the text is readable (or mostly Latin, digits and
// punctuation, which every voice reads).
func foreignScript(text string, v espeakVoice) string {
	counts := make([]int, len(scriptLanguages))
	letters := 0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		for i, s := range scriptLanguages {
			if unicode.In(r, s.tables...) {
				counts[i]++
				break
			}
		}
	}
	for i, s := range scriptLanguages {
		if letters == 0 || counts[i]*2 < letters {
			continue
		}
		for _, l := range s.langs {
			if v.speaks(l) {
				return ""
			}
		}
		return s.name
	}
	return ""
}
