package script

import (
	"regexp"
	"strings"
)

// langWords are the few words the speakable stage says in place of symbols,
// per language.
type langWords struct {
	point   string // decimal separator read aloud
	to      string // ranges: 3–5
	equals  string
	percent string
	and     string
	or      string
	minus   string
	plus    string
	times   string
	// decimalComma: "3,5" is three and a half and "1.000" a thousand.
	decimalComma bool
	// abbrevs maps an abbreviation, as written, to its spoken form.
	abbrevs map[string]string
}

var languages = map[string]*langWords{
	"en": {point: "point", to: "to", equals: "equals", percent: "percent", and: "and", or: "or", minus: "minus",
		plus: "plus", times: "times",
		abbrevs: map[string]string{"e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus",
			"approx.": "approximately", "Dr.": "Doctor", "Mr.": "Mister", "Mrs.": "Missus", "Prof.": "Professor",
			"cf.": "compare", "w.r.t.": "with respect to", "a.k.a.": "also known as", "incl.": "including",
			"excl.": "excluding", "min.": "minimum", "max.": "maximum", "Fig.": "Figure", "fig.": "figure",
			"Sec.": "Section", "sec.": "section", "Ch.": "Chapter", "Vol.": "Volume", "No.": "Number", "esp.": "especially"}},
	"de": {point: "Komma", to: "bis", equals: "gleich", percent: "Prozent", and: "und", or: "oder", minus: "minus",
		plus: "plus", times: "mal", decimalComma: true,
		abbrevs: map[string]string{"z.B.": "zum Beispiel", "z. B.": "zum Beispiel", "d.h.": "das heißt",
			"d. h.": "das heißt", "usw.": "und so weiter", "bzw.": "beziehungsweise", "ca.": "circa",
			"u.a.": "unter anderem", "u. a.": "unter anderem", "ggf.": "gegebenenfalls", "vgl.": "vergleiche",
			"evtl.": "eventuell", "inkl.": "inklusive", "Nr.": "Nummer", "Abb.": "Abbildung", "S.": "Seite",
			"Dr.": "Doktor", "Hr.": "Herr", "Fr.": "Frau", "etc.": "et cetera"}},
	"fr": {point: "virgule", to: "à", equals: "égale", percent: "pour cent", and: "et", or: "ou", minus: "moins",
		plus: "plus", times: "fois", decimalComma: true,
		abbrevs: map[string]string{"p. ex.": "par exemple", "p.ex.": "par exemple", "c.-à-d.": "c'est-à-dire",
			"etc.": "et cetera", "env.": "environ", "M.": "Monsieur", "Mme": "Madame", "n°": "numéro", "cf.": "voir"}},
	"es": {point: "coma", to: "a", equals: "igual a", percent: "por ciento", and: "y", or: "o", minus: "menos",
		plus: "más", times: "por", decimalComma: true,
		abbrevs: map[string]string{"p. ej.": "por ejemplo", "p.ej.": "por ejemplo", "etc.": "etcétera",
			"aprox.": "aproximadamente", "Sr.": "Señor", "Sra.": "Señora", "Dr.": "Doctor", "núm.": "número"}},
	"it": {point: "virgola", to: "a", equals: "uguale a", percent: "per cento", and: "e", or: "o", minus: "meno",
		plus: "più", times: "per", decimalComma: true,
		abbrevs: map[string]string{"ad es.": "ad esempio", "es.": "esempio", "ecc.": "eccetera", "etc.": "eccetera",
			"Sig.": "Signor", "Dott.": "Dottor", "pag.": "pagina", "n.": "numero"}},
	"pt": {point: "vírgula", to: "a", equals: "igual a", percent: "por cento", and: "e", or: "ou", minus: "menos",
		plus: "mais", times: "vezes", decimalComma: true,
		abbrevs: map[string]string{"p. ex.": "por exemplo", "p.ex.": "por exemplo", "etc.": "et cetera",
			"Sr.": "Senhor", "Sra.": "Senhora", "Dr.": "Doutor", "pág.": "página", "nº": "número"}},
	"nl": {point: "komma", to: "tot", equals: "is gelijk aan", percent: "procent", and: "en", or: "of", minus: "min",
		plus: "plus", times: "keer", decimalComma: true,
		abbrevs: map[string]string{"bijv.": "bijvoorbeeld", "d.w.z.": "dat wil zeggen", "enz.": "enzovoort",
			"o.a.": "onder andere", "m.a.w.": "met andere woorden", "ca.": "circa", "nr.": "nummer", "dhr.": "de heer",
			"mevr.": "mevrouw", "etc.": "et cetera"}},
}

// abbrevRes match each language's abbreviations as whole words.
var abbrevRes = func() map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for code, lw := range languages {
		var alts []string
		for a := range lw.abbrevs {
			alts = append(alts, regexp.QuoteMeta(a))
		}
		// Longest first, so "p. ex." wins over "ex.".
		sortByLenDesc(alts)
		out[code] = regexp.MustCompile(`(^|[\s(,;])(` + strings.Join(alts, "|") + `)(\s|$|[,;)])`)
	}
	return out
}()

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (len(s[j]) > len(s[j-1]) || len(s[j]) == len(s[j-1]) && s[j] < s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// baseLang reduces a BCP-47 tag to its primary language, lower-case:
// "en-GB" → "en", "" → "en".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "" {
		return "en"
	}
	return tag
}

// wordsFor returns the language's words; unknown languages get English
// words for symbols only where a symbol must go (never numbers).
func wordsFor(lang string) (*langWords, bool) {
	if lw, ok := languages[lang]; ok {
		return lw, true
	}
	return languages["en"], false
}

// Conjunction is the language's "and", for joining words in a title
// ("Bienen und Honig"); English for a language it does not know.
func Conjunction(lang string) string {
	lw, _ := wordsFor(baseLang(lang))
	return lw.and
}
