package script

import (
	"regexp"
	"strconv"
	"strings"
)

// Dates, times, ordinals, years and units read the way speakers of German,
// French, Spanish, Italian, Portuguese and Dutch say them (English has its
// own rules in numbers.go). Each rule rewrites digits into words, or into
// the language's written form that the plain number rule then reads
// ("2024-10-03" → "3. Oktober 2024" → "dritten Oktober …").

var monthNames = map[string][]string{
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
}

var (
	reDateDE      = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b`)
	reOrdinalDE   = regexp.MustCompile(`(\p{L}+\s+|^|[^\p{L}\d])(\d{1,3})\.\s+(\p{L}+)`)
	reOrdinalFR   = regexp.MustCompile(`\b(\d{1,3})(er|re|ère|e|ème|è)\b`)
	reOrdinalNL   = regexp.MustCompile(`\b(\d{1,3})(ste|de|e)\b`)
	reOrdinalIbIt = regexp.MustCompile(`\b(\d{1,3})\.?([ºª°])([^CF]|$)`)
)

// localDates rewrites ISO and German numeric dates into the language's
// spoken order, with the month named.
func localDates(s, lang string) string {
	months := monthNames[lang]
	if months == nil {
		return s
	}
	date := func(d, mo int, y string) string {
		day := strconv.Itoa(d)
		m := months[mo-1]
		switch lang {
		case "de":
			return day + ". " + m + " " + y
		case "fr":
			if d == 1 {
				day = "1er"
			}
			return day + " " + m + " " + y
		case "es", "pt":
			if d == 1 && lang == "pt" {
				day = "1º"
			}
			return day + " de " + m + " de " + y
		case "it":
			if d == 1 {
				day = "1º"
			}
		}
		return day + " " + m + " " + y
	}
	valid := func(d, mo string) (int, int, bool) {
		dn, _ := strconv.Atoi(d)
		mn, _ := strconv.Atoi(mo)
		return dn, mn, dn >= 1 && dn <= 31 && mn >= 1 && mn <= 12
	}
	if strings.Contains(s, "-") {
		s = reISODate.ReplaceAllStringFunc(s, func(m string) string {
			p := reISODate.FindStringSubmatch(m)
			if d, mo, ok := valid(p[3], p[2]); ok {
				return date(d, mo, p[1])
			}
			return m
		})
	}
	if lang == "de" && strings.Contains(s, ".") {
		s = reDateDE.ReplaceAllStringFunc(s, func(m string) string {
			p := reDateDE.FindStringSubmatch(m)
			if d, mo, ok := valid(p[1], p[2]); ok {
				return date(d, mo, p[3])
			}
			return m
		})
	}
	if lang == "de" || lang == "nl" {
		s = reYearDENL.ReplaceAllStringFunc(s, func(m string) string {
			p := reYearDENL.FindStringSubmatch(m)
			y, _ := strconv.ParseInt(p[2], 10, 64)
			return p[1] + yearDENL(y, lang)
		})
	}
	return s
}

// reYearDENL is a year before 2000 after a word that introduces years or
// a month, in German or Dutch: "im 1990", "seit 1848", "Oktober 1990",
// "in 1995", "sinds 1980", "maart 1990".
var reYearDENL = regexp.MustCompile(`(?i)(\b(?:im|in|seit|bis|ab|von|vor|nach|um|anno|jahre?s?|sinds|tot|van|jaar|januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|januari|februari|maart|mei|augustus)\s+)(1[1-9]\d\d)\b`)

// germanOrdinalContext: the words after which "3." is an ordinal, and the
// ending it takes ("am dritten", "der dritte").
var germanOrdinalContext = map[string]string{
	"der": "e", "die": "e", "das": "e",
	"am": "en", "im": "en", "vom": "en", "zum": "en", "beim": "en", "zur": "en", "dem": "en", "den": "en",
	"des": "en", "seit": "en", "ab": "en", "bis": "en", "vor": "en", "nach": "en", "jedem": "en", "jeden": "en",
	"ihrem": "en", "ihren": "en", "seinem": "en", "seinen": "en", "diesem": "en", "diesen": "en",
}

// germanOrdinalNouns follow an ordinal without an article ("3. Oktober").
var germanOrdinalNouns = map[string]bool{"jahrhundert": true, "jahrtausend": true, "mal": true, "platz": true,
	"klasse": true, "auflage": true, "stock": true, "stelle": true, "tag": true, "woche": true, "kapitel": true,
	"teil": true, "version": true, "ausgabe": true, "runde": true, "liga": true}

// germanOrdinals reads "am 3. Oktober", "im 19. Jahrhundert", "der 2.
// Platz" with the ordinal's ending; a number with a dot elsewhere is left
// alone (it may end a sentence).
func germanOrdinals(s string) string {
	return reOrdinalDE.ReplaceAllStringFunc(s, func(m string) string {
		p := reOrdinalDE.FindStringSubmatch(m)
		prefix, num, next := p[1], p[2], p[3]
		ending, article := germanOrdinalContext[strings.ToLower(strings.TrimSpace(prefix))]
		lnext := strings.ToLower(next)
		month := false
		for _, mo := range monthNames["de"] {
			month = month || strings.ToLower(mo) == lnext
		}
		if !article && !month && !germanOrdinalNouns[lnext] {
			return m
		}
		if !article {
			ending = "er"
		}
		n, _ := strconv.ParseInt(num, 10, 64)
		if n == 0 {
			return m
		}
		return prefix + ordinalStemDE(n) + ending + " " + next
	})
}

// ordinalStemDE is the ordinal without its ending: 1 → "erst", 3 →
// "dritt", 20 → "zwanzigst".
func ordinalStemDE(n int64) string {
	small := map[int64]string{1: "erst", 3: "dritt", 7: "siebt", 8: "acht"}
	r := n % 100
	if r == 0 || r >= 20 {
		return cardinalDE(n, false) + "st"
	}
	head := ""
	if n >= 100 {
		head = cardinalDE(n-r, false)
	}
	if s, ok := small[r]; ok {
		return head + s
	}
	return head + cardinalDE(r, false) + "t"
}

// yearDENL reads a year before 2000 the way German and Dutch speakers do:
// 1990 → "neunzehnhundertneunzig", "negentienhonderdnegentig".
func yearDENL(n int64, lang string) string {
	hi, lo := n/100, n%100
	if lang == "de" {
		s := cardinalDE(hi, false) + "hundert"
		if lo > 0 {
			s += cardinalDE(lo, false)
		}
		return s
	}
	s := cardinalNL(hi) + "honderd"
	if lo > 0 {
		s += cardinalNL(lo)
	}
	return s
}

// clockWords: hours, the word between hours and minutes, and the words for
// a full hour.
var clockWords = map[string]struct{ sep, full string }{
	"de": {" Uhr ", " Uhr"}, "fr": {" heures ", " heures"}, "nl": {" uur ", " uur"},
	"es": {" y ", " en punto"}, "it": {" e ", " in punto"}, "pt": {" e ", " em ponto"},
}

// localClock reads "14:30" as "vierzehn Uhr dreißig" (a following "Uhr",
// "h" or "heures" is dropped, since it is said already).
func localClock(s, lang string) string {
	cw, ok := clockWords[lang]
	if !ok || !strings.Contains(s, ":") {
		return s
	}
	return reClockLocal.ReplaceAllStringFunc(s, func(m string) string {
		p := reClockLocal.FindStringSubmatch(m)
		h, _ := strconv.ParseInt(p[1], 10, 64)
		mi, _ := strconv.ParseInt(p[2], 10, 64)
		if h > 23 || mi > 59 {
			return m
		}
		hw, _ := cardinal(h, lang)
		if mi == 0 {
			return hw + cw.full
		}
		mw, _ := cardinal(mi, lang)
		return hw + cw.sep + mw
	})
}

var reClockLocal = regexp.MustCompile(`\b([01]?\d|2[0-3]):([0-5]\d)\b(?:\s?(?:Uhr|uur|heures|h)\b)?`)

// localOrdinals reads the written ordinals of French ("1er", "2e"),
// Dutch ("1e", "2de", "8ste"), and Spanish, Portuguese and Italian ("1.º",
// "2ª", "3°").
func localOrdinals(s, lang string) string {
	switch lang {
	case "fr":
		return reOrdinalFR.ReplaceAllStringFunc(s, func(m string) string {
			p := reOrdinalFR.FindStringSubmatch(m)
			n, _ := strconv.ParseInt(p[1], 10, 64)
			switch {
			case n == 1 && (p[2] == "re" || p[2] == "ère"):
				return "première"
			case n == 1:
				return "premier"
			case n == 0:
				return m
			}
			return ordinalFR(n)
		})
	case "nl":
		return reOrdinalNL.ReplaceAllStringFunc(s, func(m string) string {
			p := reOrdinalNL.FindStringSubmatch(m)
			n, _ := strconv.ParseInt(p[1], 10, 64)
			if n == 0 {
				return m
			}
			return ordinalNL(n)
		})
	case "es", "pt", "it":
		return reOrdinalIbIt.ReplaceAllStringFunc(s, func(m string) string {
			p := reOrdinalIbIt.FindStringSubmatch(m)
			n, _ := strconv.ParseInt(p[1], 10, 64)
			w, ok := ordinalRomance(n, lang, p[2] == "ª")
			if !ok {
				return m
			}
			return w + p[3]
		})
	}
	return s
}

func ordinalFR(n int64) string {
	c := cardinalFR(n)
	switch {
	case strings.HasSuffix(c, "cinq"):
		return c + "uième"
	case strings.HasSuffix(c, "neuf"):
		return c[:len(c)-1] + "vième"
	case strings.HasSuffix(c, "vingts"), strings.HasSuffix(c, "cents"):
		c = c[:len(c)-1]
	case strings.HasSuffix(c, "e"):
		c = c[:len(c)-1]
	}
	return c + "ième"
}

func ordinalNL(n int64) string {
	switch n {
	case 1:
		return "eerste"
	case 3:
		return "derde"
	case 8:
		return "achtste"
	}
	r := n % 100
	if n >= 20 && (r == 0 || r >= 20) || n >= 100 && r == 0 {
		return cardinalNL(n) + "ste"
	}
	if n >= 100 {
		return cardinalNL(n-r) + " " + ordinalNL(r)
	}
	return cardinalNL(n) + "de"
}

var ordinalsRomance = map[string][]string{
	"es": {"primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno", "décimo"},
	"pt": {"primeiro", "segundo", "terceiro", "quarto", "quinto", "sexto", "sétimo", "oitavo", "nono", "décimo"},
	"it": {"primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo", "ottavo", "nono", "decimo"},
}

// ordinalRomance spells 1–10 in Spanish and Portuguese and any ordinal in
// Italian (cardinal + "esimo"); feminine for "ª".
func ordinalRomance(n int64, lang string, fem bool) (string, bool) {
	var w string
	switch {
	case n >= 1 && n <= 10:
		w = ordinalsRomance[lang][n-1]
	case lang == "it" && n > 10:
		c := cardinalIT(n)
		if strings.HasSuffix(c, "tré") {
			c = strings.TrimSuffix(c, "tré") + "tre"
		} else {
			c = strings.TrimRight(c, "aeiou")
		}
		w = c + "esimo"
	default:
		return "", false
	}
	if fem {
		w = strings.TrimSuffix(w, "o") + "a"
	}
	return w, true
}

// unitNames: symbol → singular and plural, per language (English in
// numbers.go).
var unitNames = map[string]map[string][2]string{
	"de": {"km": {"Kilometer", "Kilometer"}, "cm": {"Zentimeter", "Zentimeter"}, "mm": {"Millimeter", "Millimeter"},
		"kg": {"Kilogramm", "Kilogramm"}, "mg": {"Milligramm", "Milligramm"}, "ms": {"Millisekunde", "Millisekunden"},
		"KB": {"Kilobyte", "Kilobyte"}, "kB": {"Kilobyte", "Kilobyte"}, "MB": {"Megabyte", "Megabyte"},
		"GB": {"Gigabyte", "Gigabyte"}, "TB": {"Terabyte", "Terabyte"}, "Hz": {"Hertz", "Hertz"},
		"kHz": {"Kilohertz", "Kilohertz"}, "MHz": {"Megahertz", "Megahertz"}, "GHz": {"Gigahertz", "Gigahertz"},
		"°C": {"Grad Celsius", "Grad Celsius"}, "min": {"Minute", "Minuten"}, "km/h": {"Kilometer pro Stunde", "Kilometer pro Stunde"}},
	"fr": {"km": {"kilomètre", "kilomètres"}, "cm": {"centimètre", "centimètres"}, "mm": {"millimètre", "millimètres"},
		"kg": {"kilogramme", "kilogrammes"}, "mg": {"milligramme", "milligrammes"}, "ms": {"milliseconde", "millisecondes"},
		"KB": {"kilooctet", "kilooctets"}, "kB": {"kilooctet", "kilooctets"}, "MB": {"mégaoctet", "mégaoctets"},
		"GB": {"gigaoctet", "gigaoctets"}, "TB": {"téraoctet", "téraoctets"}, "Hz": {"hertz", "hertz"},
		"kHz": {"kilohertz", "kilohertz"}, "MHz": {"mégahertz", "mégahertz"}, "GHz": {"gigahertz", "gigahertz"},
		"°C": {"degré Celsius", "degrés Celsius"}, "min": {"minute", "minutes"}, "km/h": {"kilomètre heure", "kilomètres heure"}},
	"es": {"km": {"kilómetro", "kilómetros"}, "cm": {"centímetro", "centímetros"}, "mm": {"milímetro", "milímetros"},
		"kg": {"kilogramo", "kilogramos"}, "mg": {"miligramo", "miligramos"}, "ms": {"milisegundo", "milisegundos"},
		"KB": {"kilobyte", "kilobytes"}, "kB": {"kilobyte", "kilobytes"}, "MB": {"megabyte", "megabytes"},
		"GB": {"gigabyte", "gigabytes"}, "TB": {"terabyte", "terabytes"}, "Hz": {"hercio", "hercios"},
		"kHz": {"kilohercio", "kilohercios"}, "MHz": {"megahercio", "megahercios"}, "GHz": {"gigahercio", "gigahercios"},
		"°C": {"grado Celsius", "grados Celsius"}, "min": {"minuto", "minutos"}, "km/h": {"kilómetro por hora", "kilómetros por hora"}},
	"it": {"km": {"chilometro", "chilometri"}, "cm": {"centimetro", "centimetri"}, "mm": {"millimetro", "millimetri"},
		"kg": {"chilogrammo", "chilogrammi"}, "mg": {"milligrammo", "milligrammi"}, "ms": {"millisecondo", "millisecondi"},
		"KB": {"kilobyte", "kilobyte"}, "kB": {"kilobyte", "kilobyte"}, "MB": {"megabyte", "megabyte"},
		"GB": {"gigabyte", "gigabyte"}, "TB": {"terabyte", "terabyte"}, "Hz": {"hertz", "hertz"},
		"kHz": {"kilohertz", "kilohertz"}, "MHz": {"megahertz", "megahertz"}, "GHz": {"gigahertz", "gigahertz"},
		"°C": {"grado Celsius", "gradi Celsius"}, "min": {"minuto", "minuti"}, "km/h": {"chilometro orario", "chilometri orari"}},
	"pt": {"km": {"quilômetro", "quilômetros"}, "cm": {"centímetro", "centímetros"}, "mm": {"milímetro", "milímetros"},
		"kg": {"quilograma", "quilogramas"}, "mg": {"miligrama", "miligramas"}, "ms": {"milissegundo", "milissegundos"},
		"KB": {"kilobyte", "kilobytes"}, "kB": {"kilobyte", "kilobytes"}, "MB": {"megabyte", "megabytes"},
		"GB": {"gigabyte", "gigabytes"}, "TB": {"terabyte", "terabytes"}, "Hz": {"hertz", "hertz"},
		"kHz": {"quilohertz", "quilohertz"}, "MHz": {"megahertz", "megahertz"}, "GHz": {"gigahertz", "gigahertz"},
		"°C": {"grau Celsius", "graus Celsius"}, "min": {"minuto", "minutos"}, "km/h": {"quilômetro por hora", "quilômetros por hora"}},
	"nl": {"km": {"kilometer", "kilometer"}, "cm": {"centimeter", "centimeter"}, "mm": {"millimeter", "millimeter"},
		"kg": {"kilogram", "kilogram"}, "mg": {"milligram", "milligram"}, "ms": {"milliseconde", "milliseconden"},
		"KB": {"kilobyte", "kilobyte"}, "kB": {"kilobyte", "kilobyte"}, "MB": {"megabyte", "megabyte"},
		"GB": {"gigabyte", "gigabyte"}, "TB": {"terabyte", "terabyte"}, "Hz": {"hertz", "hertz"},
		"kHz": {"kilohertz", "kilohertz"}, "MHz": {"megahertz", "megahertz"}, "GHz": {"gigahertz", "gigahertz"},
		"°C": {"graad Celsius", "graden Celsius"}, "min": {"minuut", "minuten"}, "km/h": {"kilometer per uur", "kilometer per uur"}},
}

// reUnitLocal matches the units every language table has.
var reUnitLocal = regexp.MustCompile(`\b(\d[\d.,]*\d|\d)\s?(km/h|KB|kB|MB|GB|TB|kHz|MHz|GHz|Hz|km|cm|mm|kg|mg|ms|°C|min)(?:\b|$)`)

// localUnits reads "1,5 km" as "eins Komma fünf Kilometer".
func localUnits(s, lang string, num func(string) string) string {
	names := unitNames[lang]
	if names == nil {
		return s
	}
	return reUnitLocal.ReplaceAllStringFunc(s, func(m string) string {
		p := reUnitLocal.FindStringSubmatch(m)
		u := names[p[2]]
		if p[1] == "1" {
			return oneBefore(u[0], lang) + " " + u[0]
		}
		return num(p[1]) + " " + u[1]
	})
}

// feminineUnits take the feminine "one".
var feminineUnits = map[string]bool{"Minute": true, "Millisekunde": true, "libra": true, "sterlina": true,
	"milliseconde": true, "minute": true, "quilograma": false, "miligrama": false}

// oneBefore is "one" before a unit or currency: "ein Kilometer", "eine
// Minute", "un kilómetro", "uma libra" (the cardinal "eins", "uno" is
// said only alone).
func oneBefore(noun, lang string) string {
	fem := feminineUnits[noun]
	switch lang {
	case "de":
		if fem {
			return "eine"
		}
		return "ein"
	case "es", "it":
		if fem {
			return "una"
		}
		return "un"
	case "fr":
		if fem {
			return "une"
		}
		return "un"
	case "pt":
		if fem {
			return "uma"
		}
		return "um"
	}
	w, _ := cardinal(1, lang)
	return w
}
