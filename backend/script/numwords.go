package script

import "strings"

// Number words, written here because no maintained Go library that the
// module proxy serves spells numbers in these languages (the well-known
// github.com/moul/number-to-words is not served, and it lacks German and
// Dutch). Cardinals cover 0 to 999 999 999 999 in en, de, fr, es, it, pt
// and nl; ordinals are English. Other languages keep their digits, which
// every TTS engine reads in its own language.

// maxSpelled is the largest number spelled out; longer digit runs are read
// digit by digit (serial numbers, phone numbers).
const maxSpelled = 999_999_999_999

// cardinal spells n in lang ("en", "de", …); ok is false for a language it
// does not know or a number out of range.
func cardinal(n int64, lang string) (string, bool) {
	if n < 0 || n > maxSpelled {
		return "", false
	}
	switch lang {
	case "en":
		return cardinalEN(n), true
	case "de":
		return cardinalDE(n, false), true
	case "nl":
		return cardinalNL(n), true
	case "fr":
		return cardinalFR(n), true
	case "es":
		return cardinalES(n), true
	case "it":
		return cardinalIT(n), true
	case "pt":
		return cardinalPT(n), true
	}
	return "", false
}

var (
	enOnes = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	enTens = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
)

// scales are the short-scale group names, from the largest down.
var scales = []struct {
	value int64
	en    string
}{{1_000_000_000, "billion"}, {1_000_000, "million"}, {1000, "thousand"}}

func cardinalEN(n int64) string {
	if n < 100 {
		if n < 20 {
			return enOnes[n]
		}
		if n%10 == 0 {
			return enTens[n/10]
		}
		return enTens[n/10] + "-" + enOnes[n%10]
	}
	if n < 1000 {
		s := enOnes[n/100] + " hundred"
		if n%100 != 0 {
			s += " " + cardinalEN(n%100)
		}
		return s
	}
	for _, sc := range scales {
		if n >= sc.value {
			s := cardinalEN(n/sc.value) + " " + sc.en
			if r := n % sc.value; r != 0 {
				s += " " + cardinalEN(r)
			}
			return s
		}
	}
	return ""
}

// ordinalEN spells the English ordinal: 1 → first, 21 → twenty-first.
func ordinalEN(n int64) string {
	c := cardinalEN(n)
	i := strings.LastIndexAny(c, " -") + 1
	last := c[i:]
	irregular := map[string]string{"one": "first", "two": "second", "three": "third", "five": "fifth",
		"eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
	switch {
	case irregular[last] != "":
		last = irregular[last]
	case strings.HasSuffix(last, "y"):
		last = last[:len(last)-1] + "ieth"
	default:
		last += "th"
	}
	return c[:i] + last
}

// yearEN reads a year the way English speakers do: 1999 → nineteen
// ninety-nine, 2024 → twenty twenty-four, 2005 → two thousand five.
func yearEN(n int64) string {
	if n >= 2000 && n < 2010 || n%1000 == 0 || n < 1100 || n > 2099 {
		return cardinalEN(n)
	}
	hi, lo := n/100, n%100
	switch {
	case lo == 0:
		return cardinalEN(hi) + " hundred"
	case lo < 10:
		return cardinalEN(hi) + " oh " + cardinalEN(lo)
	}
	return cardinalEN(hi) + " " + cardinalEN(lo)
}

var (
	deOnes = []string{"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
		"elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"}
	deTens = []string{"", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"}
)

// cardinalDE writes German numbers below a million as one word;
// inCompound drops the final "s" of "eins" before hundert and tausend.
func cardinalDE(n int64, inCompound bool) string {
	switch {
	case n == 1 && inCompound:
		return "ein"
	case n < 20:
		return deOnes[n]
	case n < 100:
		if n%10 == 0 {
			return deTens[n/10]
		}
		return cardinalDE(n%10, true) + "und" + deTens[n/10]
	case n < 1000:
		s := cardinalDE(n/100, true) + "hundert"
		if n%100 != 0 {
			s += cardinalDE(n%100, false)
		}
		return s
	case n < 1_000_000:
		s := cardinalDE(n/1000, true) + "tausend"
		if n%1000 != 0 {
			s += cardinalDE(n%1000, false)
		}
		return s
	}
	big := []struct {
		v          int64
		one, other string
	}{{1_000_000_000, "eine Milliarde", "Milliarden"}, {1_000_000, "eine Million", "Millionen"}}
	for _, b := range big {
		if n >= b.v {
			s := b.one
			if q := n / b.v; q > 1 {
				s = cardinalDE(q, false) + " " + b.other
			}
			if r := n % b.v; r != 0 {
				s += " " + cardinalDE(r, false)
			}
			return s
		}
	}
	return ""
}

var (
	nlOnes = []string{"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
		"elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"}
	nlTens = []string{"", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"}
)

func cardinalNL(n int64) string {
	switch {
	case n < 20:
		return nlOnes[n]
	case n < 100:
		if n%10 == 0 {
			return nlTens[n/10]
		}
		and := "en"
		if u := n % 10; u == 2 || u == 3 {
			and = "ën" // tweeëntwintig, drieëndertig
		}
		return nlOnes[n%10] + and + nlTens[n/10]
	case n < 1000:
		s := "honderd"
		if n/100 > 1 {
			s = nlOnes[n/100] + s
		}
		if n%100 != 0 {
			s += cardinalNL(n % 100)
		}
		return s
	case n < 1_000_000:
		s := "duizend"
		if n/1000 > 1 {
			s = cardinalNL(n/1000) + s
		}
		if n%1000 != 0 {
			s += " " + cardinalNL(n%1000)
		}
		return s
	}
	return bigRomance(n, cardinalNL, [2][2]string{{"één miljard", "miljard"}, {"één miljoen", "miljoen"}})
}

// bigRomance writes millions and billions with the language's names, the
// singular written out in full ("un million") and the plural after the
// spelled count ("deux millions").
func bigRomance(n int64, spell func(int64) string, names [2][2]string) string {
	for i, v := range []int64{1_000_000_000, 1_000_000} {
		if n >= v {
			s := names[i][0]
			if q := n / v; q > 1 {
				s = spell(q) + " " + names[i][1]
			}
			if r := n % v; r != 0 {
				s += " " + spell(r)
			}
			return s
		}
	}
	return spell(n)
}
