package llm

import (
	"strings"
	"unicode"
)

// Abbreviations end with a dot without ending a sentence ("Dr. Smith",
// "z. B. Bienen"), per language, lower-case and without the final dot.
// "etc" and its kin (usw, enz, ecc) are left out on purpose: they usually do
// end the sentence. Lists are per language because a word that abbreviates
// in one ends sentences in another (Spanish "no.", Italian "es.").
var abbreviationLists = map[string]string{
	"en": `mr mrs ms dr prof sr jr st mt ft vs cf al approx inc ltd co corp dept est fig figs no nos vol pp
		ed eds rev gen col lt sgt capt gov sen rep pres jan feb mar apr jun jul aug sep sept oct nov dec e.g
		i.e u.s u.k e.u a.m p.m ph.d b.c a.d ca viz resp`,
	"de": `z.b d.h u.a u.ä o.ä v.a z.t bzw ca ggf vgl evtl inkl zzgl nr abb s dr hr fr prof st str bspw sog
		jh mio mrd tel bd hrsg ff geb gest ehem eigtl allg insb i.d.r u.u s.o s.u m.e jan feb mär apr jun
		jul aug sep sept okt nov dez`,
	"fr": `m mm mme mlle mgr dr pr st ste p ex c.-à-d cf env av apr j.-c chap vol éd fig n° no janv févr avr
		juil sept oct nov déc`,
	"es": `sr sra srta sres dr dra ud uds p ej aprox núm pág págs admón av avda cía dpto gral lic prof vol
		fig art cap ene feb abr jun jul ago sept oct nov dic`,
	"it": `sig sigg sig.ra dott dott.ssa prof ing avv es pag pagg p n cfr ca sec vol fig cap art gen feb
		mar apr giu lug ago sett ott nov dic`,
	"pt": `sr sra srta dr dra p ex pág págs nº prof av dto fig vol cap art jan fev mar abr jun jul ago set
		out nov dez`,
	"nl": `bijv bv b.v d.w.z o.a m.a.w ca nr dhr mevr mw e.d i.p.v m.b.t t.o.v z.g.a blz fig hfst prof dr
		ir ing drs mr jan feb mrt apr jun jul aug sep sept okt nov dec`,
}

var abbreviationSets = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, list := range abbreviationLists {
		m := map[string]bool{}
		for w := range strings.FieldsSeq(list) {
			m[w] = true
		}
		out[lang] = m
	}
	return out
}()

// abbreviationsFor returns the language's abbreviations; an unknown
// language gets the English ones, the commonest in any technical text.
func abbreviationsFor(lang string) map[string]bool {
	if m, ok := abbreviationSets[baseLanguage(lang)]; ok {
		return m
	}
	return abbreviationSets["en"]
}

// baseLanguage reduces a BCP-47 tag to its primary language: "de-AT" →
// "de", "" → "en".
func baseLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "" {
		return "en"
	}
	return tag
}

// monthsDE are the German month names (and "Jahrhundert"), before which a
// number with a dot is an ordinal even with more than two digits.
var monthsDE = map[string]bool{"januar": true, "jänner": true, "februar": true, "märz": true, "april": true,
	"mai": true, "juni": true, "juli": true, "august": true, "september": true, "oktober": true,
	"november": true, "dezember": true, "jahrhundert": true, "jahrtausend": true}

// ordinalDot: in German a number with a dot is an ordinal ("am 3. Oktober",
// "im 19. Jahrhundert", "der 2. Platz"), not the end of a sentence, when
// it has one or two digits or a month follows.
func ordinalDot(word, after, lang string) bool {
	if baseLanguage(lang) != "de" || word == "" || strings.TrimFunc(word, unicode.IsDigit) != "" {
		return false
	}
	next := strings.ToLower(strings.TrimRight(strings.Fields(after + " x")[0], ".,;:"))
	return len(word) <= 2 || monthsDE[next]
}
