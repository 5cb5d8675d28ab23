package script

import "strings"

// Cardinals in French, Spanish, Italian and Portuguese (see numwords.go).

var frOnes = []string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
	"onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}

func cardinalFR(n int64) string {
	tens := []string{"", "", "vingt", "trente", "quarante", "cinquante", "soixante"}
	switch {
	case n < 20:
		return frOnes[n]
	case n < 70:
		t, u := n/10, n%10
		switch u {
		case 0:
			return tens[t]
		case 1:
			return tens[t] + " et un"
		}
		return tens[t] + "-" + frOnes[u]
	case n < 80: // soixante-dix … soixante-dix-neuf
		if n == 71 {
			return "soixante et onze"
		}
		return "soixante-" + frOnes[n-60]
	case n < 100: // quatre-vingts … quatre-vingt-dix-neuf
		if n == 80 {
			return "quatre-vingts"
		}
		return "quatre-vingt-" + frOnes[n-80]
	case n < 1000:
		h, r := n/100, n%100
		s := "cent"
		if h > 1 {
			s = frOnes[h] + " cent"
			if r == 0 {
				s += "s"
			}
		}
		if r != 0 {
			s += " " + cardinalFR(r)
		}
		return s
	case n < 1_000_000:
		s := "mille"
		if q := n / 1000; q > 1 {
			s = cardinalFR(q) + " mille"
		}
		if r := n % 1000; r != 0 {
			s += " " + cardinalFR(r)
		}
		return s
	}
	return bigRomance(n, cardinalFR, [2][2]string{{"un milliard", "milliards"}, {"un million", "millions"}})
}

var esOnes = []string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
	"once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
	"veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
	"veintisiete", "veintiocho", "veintinueve"}

func cardinalES(n int64) string {
	tens := []string{"", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"}
	hundreds := []string{"", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos",
		"seiscientos", "setecientos", "ochocientos", "novecientos"}
	switch {
	case n < 30:
		return esOnes[n]
	case n < 100:
		if n%10 == 0 {
			return tens[n/10]
		}
		return tens[n/10] + " y " + esOnes[n%10]
	case n == 100:
		return "cien"
	case n < 1000:
		s := hundreds[n/100]
		if n%100 != 0 {
			s += " " + cardinalES(n%100)
		}
		return s
	case n < 1_000_000:
		s := "mil"
		if q := n / 1000; q > 1 {
			s = apocopeES(cardinalES(q)) + " mil"
		}
		if r := n % 1000; r != 0 {
			s += " " + cardinalES(r)
		}
		return s
	}
	return bigRomance(n, func(v int64) string { return apocopeES(cardinalES(v)) },
		[2][2]string{{"mil millones", "mil millones"}, {"un millón", "millones"}})
}

// apocopeES shortens a final "uno" before a noun: veintiún mil, un millón.
func apocopeES(s string) string {
	switch {
	case s == "uno":
		return "un"
	case len(s) > 3 && s[len(s)-3:] == "uno":
		if strings.HasSuffix(s, "tiuno") {
			return s[:len(s)-3] + "ún"
		}
		return s[:len(s)-1]
	}
	return s
}

var itOnes = []string{"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
	"undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"}

func cardinalIT(n int64) string {
	tens := []string{"", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"}
	switch {
	case n < 20:
		return itOnes[n]
	case n < 100:
		t, u := tens[n/10], n%10
		if u == 1 || u == 8 { // ventuno, ventotto: the vowel drops
			t = t[:len(t)-1]
		}
		if u == 0 {
			return t
		}
		if u == 3 {
			return t + "tré"
		}
		return t + itOnes[u]
	case n < 1000:
		s := "cento"
		if n/100 > 1 {
			s = itOnes[n/100] + "cento"
		}
		if r := n % 100; r != 0 {
			if r/10 == 8 { // centottanta
				s = s[:len(s)-1]
			}
			s += cardinalIT(r)
		}
		return s
	case n < 1_000_000:
		s := "mille"
		if q := n / 1000; q > 1 {
			s = cardinalIT(q) + "mila"
		}
		if r := n % 1000; r != 0 {
			s += cardinalIT(r)
		}
		return s
	}
	return bigRomance(n, cardinalIT, [2][2]string{{"un miliardo", "miliardi"}, {"un milione", "milioni"}})
}

var ptOnes = []string{"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
	"onze", "doze", "treze", "catorze", "quinze", "dezasseis", "dezassete", "dezoito", "dezanove"}

func cardinalPT(n int64) string {
	tens := []string{"", "", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"}
	hundreds := []string{"", "cento", "duzentos", "trezentos", "quatrocentos", "quinhentos", "seiscentos",
		"setecentos", "oitocentos", "novecentos"}
	switch {
	case n < 20:
		return ptOnes[n]
	case n < 100:
		if n%10 == 0 {
			return tens[n/10]
		}
		return tens[n/10] + " e " + ptOnes[n%10]
	case n == 100:
		return "cem"
	case n < 1000:
		s := hundreds[n/100]
		if n%100 != 0 {
			s += " e " + cardinalPT(n%100)
		}
		return s
	case n < 1_000_000:
		s := "mil"
		if q := n / 1000; q > 1 {
			s = cardinalPT(q) + " mil"
		}
		if r := n % 1000; r != 0 {
			join := " "
			if r < 100 || r%100 == 0 {
				join = " e "
			}
			s += join + cardinalPT(r)
		}
		return s
	}
	return bigRomance(n, cardinalPT, [2][2]string{{"mil milhões", "mil milhões"}, {"um milhão", "milhões"}})
}
