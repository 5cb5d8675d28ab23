package script

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// expandNumbers writes out numbers the way a person reads them: dates,
// times, versions, currencies, percentages, ordinals, numbers with units,
// ranges and plain numbers (with the language's separators). Languages
// without number words keep their digits, apart from ranges and symbols.
func expandNumbers(s string, lang string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	lw, known := wordsFor(lang)
	if _, ok := cardinal(1, lang); !ok || !known {
		return s
	}
	if strings.Contains(s, "(") {
		// "grep(1)", "ascii(7)": a manual's section number, never read.
		s = reManRef.ReplaceAllString(s, "$1")
	}
	num := func(n string) string {
		if reYear.MatchString(n) && len(n) == 4 {
			// "1999–2004", "in 1500": read as people read years.
			y, _ := strconv.ParseInt(n, 10, 64)
			if lang == "en" {
				return yearEN(y)
			}
		}
		return spellNumber(n, lang, lw)
	}
	if lang != "en" {
		s = localDates(s, lang)
		s = localClock(s, lang)
		if lang == "de" && strings.Contains(s, ".") {
			s = germanOrdinals(s)
		} else {
			s = localOrdinals(s, lang)
		}
	}
	if lang == "en" && strings.Contains(s, "-") {
		s = reISODate.ReplaceAllStringFunc(s, func(m string) string {
			p := reISODate.FindStringSubmatch(m)
			y, _ := strconv.ParseInt(p[1], 10, 64)
			mo, _ := strconv.Atoi(p[2])
			d, _ := strconv.ParseInt(p[3], 10, 64)
			if mo < 1 || mo > 12 || d < 1 || d > 31 {
				return m
			}
			return enMonths[mo-1] + " " + ordinalEN(d) + ", " + yearEN(y)
		})
	}
	if lang == "en" && strings.Contains(s, ":") {
		s = reClock.ReplaceAllStringFunc(s, func(m string) string {
			p := reClock.FindStringSubmatch(m)
			h, _ := strconv.ParseInt(p[1], 10, 64)
			mi, _ := strconv.ParseInt(p[2], 10, 64)
			if h > 23 || mi > 59 {
				return m
			}
			switch {
			case mi == 0:
				return cardinalEN(h) + " o'clock"
			case mi < 10:
				return cardinalEN(h) + " oh " + cardinalEN(mi)
			}
			return cardinalEN(h) + " " + cardinalEN(mi)
		})
	}
	if lang == "en" {
		s = reOrdinalEN.ReplaceAllStringFunc(s, func(m string) string {
			n, err := strconv.ParseInt(strings.TrimRight(m, "stndrh"), 10, 64)
			if err != nil || n > maxSpelled {
				return m
			}
			return ordinalEN(n)
		})
	}
	if strings.ContainsAny(s, ".vV") {
		s = replaceVersions(s, lang, lw)
	}
	if strings.ContainsAny(s, "$€£¥") {
		s = reCurrencyBefore.ReplaceAllStringFunc(s, func(m string) string {
			p := reCurrencyBefore.FindStringSubmatch(m)
			return money(p[2], currencySymbols[p[1]], lang, lw)
		})
	}
	if strings.Contains(s, "€") || strings.Contains(s, "EUR") || strings.Contains(s, "USD") || strings.Contains(s, "GBP") {
		s = reCurrencyAfter.ReplaceAllStringFunc(s, func(m string) string {
			p := reCurrencyAfter.FindStringSubmatch(m)
			return money(p[1], currencySymbols[p[2]], lang, lw)
		})
	}
	if strings.Contains(s, "%") {
		s = rePercent.ReplaceAllStringFunc(s, func(m string) string {
			p := rePercent.FindStringSubmatch(m)
			return num(p[1]) + " " + lw.percent
		})
	}
	if lang != "en" {
		s = localUnits(s, lang, num)
	} else {
		s = reUnit.ReplaceAllStringFunc(s, func(m string) string {
			p := reUnit.FindStringSubmatch(m)
			u := enUnits[p[2]]
			word := u[1]
			if p[1] == "1" {
				word = u[0]
			}
			return num(p[1]) + " " + word
		})
	}
	if strings.ContainsAny(s, "-–—") {
		s = reRange.ReplaceAllStringFunc(s, func(m string) string {
			p := reRange.FindStringSubmatch(m)
			return num(p[1]) + " " + lw.to + " " + num(p[2])
		})
	}
	if strings.ContainsAny(s, "-−") {
		s = reNegative.ReplaceAllStringFunc(s, func(m string) string {
			p := reNegative.FindStringSubmatch(m)
			return p[1] + lw.minus + " " + num(p[2])
		})
	}
	return replaceFree(s, reNumber, num)
}

// replaceVersions reads "v1.2.3" as "version one point two point three".
func replaceVersions(s, lang string, lw *langWords) string {
	return reVersion.ReplaceAllStringFunc(s, func(m string) string {
		prefix := ""
		if m[0] == 'v' || m[0] == 'V' {
			prefix, m = versionWord(lang)+" ", m[1:]
		}
		parts := strings.Split(m, ".")
		for i, p := range parts {
			parts[i] = digitsOrNumber(p, lang)
		}
		return prefix + strings.Join(parts, " "+lw.point+" ")
	})
}

// replaceFree replaces the matches of re that stand free of letters on both
// sides, so "mp3", "x86" and "3D" stay as they are.
func replaceFree(s string, re *regexp.Regexp, fn func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		after, _ := utf8.DecodeRuneInString(s[m[1]:])
		if unicode.IsLetter(before) || unicode.IsLetter(after) || before == '_' || after == '_' {
			continue
		}
		if before == '-' && m[0] >= 2 { // the "64" of "x86-64"
			if r, _ := utf8.DecodeLastRuneInString(s[:m[0]-1]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(fn(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

var (
	reISODate        = regexp.MustCompile(`\b([12]\d{3})-(\d{2})-(\d{2})\b`)
	reClock          = regexp.MustCompile(`\b([01]?\d|2[0-3]):([0-5]\d)\b(?::\d)?`)
	reOrdinalEN      = regexp.MustCompile(`\b\d{1,9}(st|nd|rd|th)\b`)
	reVersion        = regexp.MustCompile(`\b[vV]?\d+(?:\.\d+){2,}\b|\b[vV]\d+(?:\.\d+)?\b`)
	reCurrencyBefore = regexp.MustCompile(`([$€£¥])\s?(\d[\d.,]*\d|\d)`)
	reCurrencyAfter  = regexp.MustCompile(`(\d[\d.,]*\d|\d)\s?(€|EUR\b|USD\b|GBP\b)`)
	reManRef         = regexp.MustCompile(`\b([A-Za-z][\w.+-]*)\(\d[a-z]{0,4}\)`)
	rePercent        = regexp.MustCompile(`(\d[\d.,]*\d|\d)\s?%`)
	reUnit           = regexp.MustCompile(`\b(\d[\d.,]*\d|\d)\s?(KiB|MiB|GiB|TiB|kB|KB|MB|GB|TB|kb|Kb|Mb|Gb|ms|µs|ns|km|cm|mm|kg|mg|kHz|MHz|GHz|Hz|°C|°F|px|pt|dpi|min|hrs|sec|fps|bps|kbps|Mbps|Gbps|mph|km/h)(?:\b|$)`)
	reYear           = regexp.MustCompile(`\b(1[1-9]\d{2}|20\d{2})\b`)
	reRange          = regexp.MustCompile(`\b(\d[\d.,]*\d|\d)\s?[–—-]\s?(\d[\d.,]*\d|\d)\b`)
	reNegative       = regexp.MustCompile(`(^|[\s(])[-−](\d[\d.,]*\d|\d)\b`)
	reNumber         = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

var enMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// enUnits: symbol → singular, plural.
var enUnits = map[string][2]string{
	"KiB": {"kibibyte", "kibibytes"}, "MiB": {"mebibyte", "mebibytes"}, "GiB": {"gibibyte", "gibibytes"},
	"TiB": {"tebibyte", "tebibytes"}, "kB": {"kilobyte", "kilobytes"}, "KB": {"kilobyte", "kilobytes"},
	"MB": {"megabyte", "megabytes"}, "GB": {"gigabyte", "gigabytes"}, "TB": {"terabyte", "terabytes"},
	"kb": {"kilobit", "kilobits"}, "Kb": {"kilobit", "kilobits"}, "Mb": {"megabit", "megabits"},
	"Gb": {"gigabit", "gigabits"}, "ms": {"millisecond", "milliseconds"}, "µs": {"microsecond", "microseconds"},
	"ns": {"nanosecond", "nanoseconds"}, "km": {"kilometre", "kilometres"}, "cm": {"centimetre", "centimetres"},
	"mm": {"millimetre", "millimetres"}, "kg": {"kilogram", "kilograms"}, "mg": {"milligram", "milligrams"},
	"Hz": {"hertz", "hertz"}, "kHz": {"kilohertz", "kilohertz"}, "MHz": {"megahertz", "megahertz"},
	"GHz": {"gigahertz", "gigahertz"}, "°C": {"degree Celsius", "degrees Celsius"},
	"°F": {"degree Fahrenheit", "degrees Fahrenheit"}, "px": {"pixel", "pixels"}, "pt": {"point", "points"},
	"dpi": {"dots per inch", "dots per inch"}, "min": {"minute", "minutes"}, "hrs": {"hour", "hours"},
	"sec": {"second", "seconds"}, "fps": {"frame per second", "frames per second"},
	"bps": {"bit per second", "bits per second"}, "kbps": {"kilobit per second", "kilobits per second"},
	"Mbps": {"megabit per second", "megabits per second"}, "Gbps": {"gigabit per second", "gigabits per second"},
	"mph": {"mile per hour", "miles per hour"}, "km/h": {"kilometre per hour", "kilometres per hour"},
}

// currency names: singular, plural, per language (en names elsewhere).
var currencySymbols = map[string]string{"$": "dollar", "USD": "dollar", "€": "euro", "EUR": "euro",
	"£": "pound", "GBP": "pound", "¥": "yen"}

var currencyNames = map[string]map[string][2]string{
	"en": {"dollar": {"dollar", "dollars"}, "euro": {"euro", "euros"}, "pound": {"pound", "pounds"}, "yen": {"yen", "yen"}},
	"de": {"dollar": {"Dollar", "Dollar"}, "euro": {"Euro", "Euro"}, "pound": {"Pfund", "Pfund"}, "yen": {"Yen", "Yen"}},
	"fr": {"dollar": {"dollar", "dollars"}, "euro": {"euro", "euros"}, "pound": {"livre", "livres"}, "yen": {"yen", "yens"}},
	"es": {"dollar": {"dólar", "dólares"}, "euro": {"euro", "euros"}, "pound": {"libra", "libras"}, "yen": {"yen", "yenes"}},
	"it": {"dollar": {"dollaro", "dollari"}, "euro": {"euro", "euro"}, "pound": {"sterlina", "sterline"}, "yen": {"yen", "yen"}},
	"pt": {"dollar": {"dólar", "dólares"}, "euro": {"euro", "euros"}, "pound": {"libra", "libras"}, "yen": {"iene", "ienes"}},
	"nl": {"dollar": {"dollar", "dollar"}, "euro": {"euro", "euro"}, "pound": {"pond", "pond"}, "yen": {"yen", "yen"}},
}

func versionWord(lang string) string {
	switch lang {
	case "de", "nl":
		return "Version"
	case "fr":
		return "version"
	case "es", "pt":
		return "versión"
	case "it":
		return "versione"
	}
	return "version"
}

// money reads an amount: "$1.50" → "one dollar fifty" (en), the fraction
// as cents only when it has two digits.
func money(amount, currency, lang string, lw *langWords) string {
	names := currencyNames[lang][currency]
	whole, frac := splitDecimal(amount, lw)
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > maxSpelled {
		return amount + " " + names[1]
	}
	word := names[1]
	if n == 1 {
		word = names[0]
	}
	w, _ := cardinal(n, lang)
	if n == 1 {
		w = oneBefore(word, lang)
	}
	out := w + " " + word
	if len(frac) == 2 && frac != "00" {
		c, _ := strconv.ParseInt(frac, 10, 64)
		cw, _ := cardinal(c, lang)
		out += " " + cw
	}
	return out
}

// splitDecimal separates a number's whole part (separators removed) from
// its decimal digits, by the language's conventions: in English "1,000.5",
// elsewhere "1.000,5"; a lone separator before exactly three digits groups
// thousands.
func splitDecimal(s string, lw *langWords) (whole, frac string) {
	dec, group := ".", ","
	if lw.decimalComma {
		dec, group = ",", "."
	}
	if i := strings.LastIndex(s, dec); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	} else {
		whole = s
	}
	if strings.Contains(whole, dec) { // "1.2.3" in en: not one number
		return "", ""
	}
	parts := strings.Split(whole, group)
	for i, p := range parts {
		if i > 0 && len(p) != 3 {
			return "", "" // "1,5" in English is not a thousands group
		}
	}
	return strings.Join(parts, ""), frac
}

// spellNumber reads one numeric token; what it cannot parse it reads digit
// by digit, never as a wrong number.
func spellNumber(tok, lang string, lw *langWords) string {
	whole, frac := splitDecimal(tok, lw)
	if whole == "" {
		parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '.' || r == ',' })
		for i, p := range parts {
			parts[i] = digitsOrNumber(p, lang)
		}
		return strings.Join(parts, " "+lw.point+" ")
	}
	out := digitsOrNumber(whole, lang)
	if frac != "" {
		ds := make([]string, 0, len(frac))
		for _, d := range frac {
			w, _ := cardinal(int64(d-'0'), lang)
			ds = append(ds, w)
		}
		out += " " + lw.point + " " + strings.Join(ds, " ")
	}
	return out
}

// digitsOrNumber spells a run of digits as one number, or digit by digit
// when it is too long or starts with zeros ("007").
func digitsOrNumber(d, lang string) string {
	n, err := strconv.ParseInt(d, 10, 64)
	if err == nil && n <= maxSpelled && (len(d) == 1 || d[0] != '0') {
		w, _ := cardinal(n, lang)
		return w
	}
	ds := make([]string, 0, len(d))
	for _, c := range d {
		if c < '0' || c > '9' {
			continue
		}
		w, _ := cardinal(int64(c-'0'), lang)
		ds = append(ds, w)
	}
	return strings.Join(ds, " ")
}
