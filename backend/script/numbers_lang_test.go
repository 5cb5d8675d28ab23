package script

import (
	"strings"
	"testing"
)

// Numbers, dates, times, ordinals, units, currencies and abbreviations read
// the way a speaker of each language says them.
func TestSpeakableLanguages(t *testing.T) {
	tests := map[string]struct{ lang, in, want string }{
		"de date":          {"de", "Die Mauer fiel am 9. November 1989.", "Die Mauer fiel am neunten November neunzehnhundertneunundachtzig."},
		"de ordinal":       {"de", "Im 19. Jahrhundert und der 2. Platz.", "Im neunzehnten Jahrhundert und der zweite Platz."},
		"de numeric date":  {"de", "Stand: 03.10.2024, 14:30 Uhr", "Stand: dritter Oktober zweitausendvierundzwanzig, vierzehn Uhr dreißig"},
		"de iso date":      {"de", "Seit dem 2024-10-03 gilt das.", "Seit dem dritten Oktober zweitausendvierundzwanzig gilt das."},
		"de money, units":  {"de", "Es kostet 3,50 € und wiegt 1,5 kg, z. B. 1 km.", "Es kostet drei Euro fünfzig und wiegt eins Komma fünf Kilogramm, zum Beispiel ein Kilometer."},
		"de sentence end":  {"de", "Es sind 3. Danach kam nichts.", "Es sind drei. Danach kam nichts."},
		"de percent":       {"de", "Das sind 12,5 % mehr, d. h. 1.000 Stück.", "Das sind zwölf Komma fünf Prozent mehr, das heißt eintausend Stück."},
		"fr ordinal, time": {"fr", "Le 1er mai à 14:30, au 2e étage.", "Le premier mai à quatorze heures trente, au deuxième étage."},
		"fr money, units":  {"fr", "Il coûte 12,99 € pour 5 km, p. ex. M. Dupont.", "Il coûte douze euros quatre-vingt-dix-neuf pour cinq kilomètres, par exemple Monsieur Dupont."},
		"fr iso date":      {"fr", "Publié le 2024-03-01.", "Publié le premier mars deux mille vingt-quatre."},
		"fr 21st":          {"fr", "Au 21e siècle.", "Au vingt et unième siècle."},
		"es":               {"es", "El 3 de octubre a las 9:00, p. ej. 2,5 km y el 1.º puesto.", "El tres de octubre a las nueve en punto, por ejemplo dos coma cinco kilómetros y el primero puesto."},
		"es iso date":      {"es", "Desde 2024-10-03.", "Desde tres de octubre de dos mil veinticuatro."},
		"it":               {"it", "Il 3° capitolo, ad es. 10 MB alle 18:45.", "Il terzo capitolo, ad esempio dieci megabyte alle diciotto e quarantacinque."},
		"pt":               {"pt", "O 1º lugar custa 1 € e 2 GB, p. ex. hoje.", "O primeiro lugar custa um euro e dois gigabytes, por exemplo hoje."},
		"nl":               {"nl", "De 1e versie van maart 1990, bijv. 3 MB om 8:15.", "De eerste versie van maart negentienhonderdnegentig, bijvoorbeeld drie megabyte om acht uur vijftien."},
		"nl ordinals":      {"nl", "Het 8ste en 21ste deel.", "Het achtste en eenentwintigste deel."},
		"man reference":    {"de", "Siehe ascii(7) und man(1).", "Siehe ascii und man."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Speakable(tc.in, tc.lang); got != tc.want {
				t.Errorf("Speakable(%q, %s)\n got %q\nwant %q", tc.in, tc.lang, got, tc.want)
			}
		})
	}
}

// FuzzSpeakableLanguages: in every language the stage leaves no symbol a
// voice would read out.
func FuzzSpeakableLanguages(f *testing.F) {
	for _, s := range []string{"am 3. Oktober 1990", "03.10.2024, 14:30 Uhr", "le 1er mai à 14:30", "3,50 €", "1.º puesto",
		"3° capitolo", "de 8ste", "ascii(7)", "MAN- ROFFOPT", "« » (‘)", "z. B. 1 km", "2024-10-03"} {
		f.Add(s, uint8(0))
	}
	langs := []string{"de", "fr", "es", "it", "pt", "nl"}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		lang := langs[int(k)%len(langs)]
		out := Speakable(s, lang)
		if strings.ContainsAny(out, "`{}[]<>|*\\#") {
			t.Fatalf("Speakable(%q, %s) = %q keeps a symbol", s, lang, out)
		}
	})
}
