package script

import (
	"strings"
	"testing"
)

// The cases quote the transcripts issue 10 complained about.
func TestSpeakable(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		{"en", "…using the clippy lint group (`#![deny(clippy::all)]`).", "…Using the clippy lint group."},
		{"en", `The file starts with the magic string "MIME-Magic\0\n".`,
			`The file starts with the magic string "MIME-Magic null newline".`},
		{"en", "To get the constructed URL string, use the href property accessor:",
			"To get the constructed URL string, use the href property accessor."},
		{"en", "If the −L option is given, the initial‐ ization runs (de‐ fault).",
			"If the L option is given, the initialization runs (default)."},
		{"en", "pre- and post-war", "Pre- and post-war"},
		{"en", "Set OPENSSL_CONF to /etc/ssl/openssl.cnf on x86_64 systems.", "Set openssl conf to openssl.cnf on x86-64 systems."},
		{"en", "Call fs.readFile(path[, options], callback) or `fs.readFileSync()`; see https://nodejs.org/api/fs.html.",
			"Call fs read file or fs read file sync; see nodejs.org."},
		{"en", "In 1999, 45% of the 1,234 users paid $3.50 for 2 GB.",
			"In nineteen ninety-nine, forty-five percent of the one thousand two hundred thirty-four users paid three dollars fifty for two gigabytes."},
		{"en", "On 2024-03-05 at 10:30 we shipped v1.2.3.",
			"On March fifth, twenty twenty-four at ten thirty we shipped version one point two point three."},
		{"en", "It was the 21st time; pages 10-20 e.g. cover it.", "It was the twenty-first time; pages ten to twenty for example cover it."},
		{"en", "use a == b && c", "Use a equals b and c"},
		{"en", "**Important:** see [the docs](http://example.com/docs) for *details* [1].", "Important: see the docs for details."},
		{"en", "Give it <file> and --volno-file=FILE.", "Give it file and volno-file."},
		{"en", "C# is nice; issue #42 is open.", "C sharp is nice; issue number forty-two is open."},
		{"en", "The std::vector type and the p->next pointer.", "The std vector type and the p next pointer."},
		{"en", "Use readFile() ()", "Use read file"},
		{"en", "`{}` [] ** ##", ""},
		{"de", "Die Datei hat 1.234,5 Einträge, z. B. 21 Zeilen.",
			"Die Datei hat eintausendzweihundertvierunddreißig Komma fünf Einträge, zum Beispiel einundzwanzig Zeilen."},
		{"fr", "Il y a 71 lignes et 80 colonnes, 3,5 %.", "Il y a soixante et onze lignes et quatre-vingts colonnes, trois virgule cinq pour cent."},
		{"es", "Hay 1.500 filas.", "Hay mil quinientos filas."},
		{"it", "Ci sono 28 righe e 183 colonne.", "Ci sono ventotto righe e centottantatré colonne."},
		{"pt", "Tem 1021 linhas.", "Tem mil e vinte e um linhas."},
		{"nl", "Het heeft 22 regels en 1234 kolommen.", "Het heeft tweeëntwintig regels en duizend tweehonderdvierendertig kolommen."},
		{"ja", "2024年に 3 件。", "2024年に 3 件。"},
	}
	for _, c := range cases {
		got := Speakable(c.in, c.lang)
		if got != c.want {
			t.Errorf("Speakable(%q, %s)\n got %q\nwant %q", c.in, c.lang, got, c.want)
		}
		if again := Speakable(got, c.lang); again != got {
			t.Errorf("Speakable is not idempotent on %q: %q", got, again)
		}
	}
}

func TestCardinals(t *testing.T) {
	cases := map[string]map[int64]string{
		"en": {0: "zero", 13: "thirteen", 40: "forty", 101: "one hundred one", 1_000_001: "one million one"},
		"de": {1: "eins", 21: "einundzwanzig", 101: "einhunderteins", 2_000_000: "zwei Millionen"},
		"fr": {21: "vingt et un", 77: "soixante-dix-sept", 80: "quatre-vingts", 95: "quatre-vingt-quinze", 200: "deux cents", 1000: "mille"},
		"es": {16: "dieciséis", 21: "veintiuno", 100: "cien", 101: "ciento uno", 21000: "veintiún mil"},
		"it": {21: "ventuno", 28: "ventotto", 23: "ventitré", 1000: "mille", 2000: "duemila"},
		"pt": {100: "cem", 101: "cento e um", 2000: "dois mil"},
		"nl": {21: "eenentwintig", 22: "tweeëntwintig", 100: "honderd", 1000: "duizend"},
	}
	for lang, m := range cases {
		for n, want := range m {
			if got, ok := cardinal(n, lang); !ok || got != want {
				t.Errorf("cardinal(%d, %s) = %q, want %q", n, lang, got, want)
			}
		}
	}
	if got := ordinalEN(42); got != "forty-second" {
		t.Errorf("ordinalEN(42) = %q", got)
	}
	if _, ok := cardinal(maxSpelled+1, "en"); ok {
		t.Error("a number beyond the range was spelled")
	}
}

func FuzzSpeakable(f *testing.F) {
	for _, s := range []string{"a_b", "`x`", "1.2.3", "$5", "http://x.y/z", `\0`, "-L", "<a href=x>y</a>", "ü 12,5 %"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Speakable(s, "en")
		if strings.ContainsAny(out, "`{}[]<>|*\\#") {
			t.Fatalf("Speakable(%q) = %q keeps a symbol", s, out)
		}
	})
}
