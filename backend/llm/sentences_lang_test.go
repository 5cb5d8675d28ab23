package llm

import (
	"slices"
	"testing"
)

// Sentences are cut where a reader of each language would stop, not at its
// abbreviations, ordinals or decimal commas, and across its quotation marks
// and spacing.
func TestSplitSentencesLanguages(t *testing.T) {
	tests := map[string]struct {
		lang, in string
		want     []string
	}{
		"de abbreviations": {"de", "Man zeigt z. B. die Seite an, d. h. die erste. Bzw. nicht. Dann endet es.",
			[]string{"Man zeigt z. B. die Seite an, d. h. die erste.", "Bzw. nicht.", "Dann endet es."}},
		"de ordinal": {"de", "Die Mauer fiel am 9. November 1989. Im 19. Jahrhundert war das anders. Es waren 2019. Danach nicht.",
			[]string{"Die Mauer fiel am 9. November 1989.", "Im 19. Jahrhundert war das anders.", "Es waren 2019.", "Danach nicht."}},
		"de quotes": {"de", "Er sagte: „Ja.“ Dann ging er. Sie las »Faust.« Es war spät.",
			[]string{"Er sagte: „Ja.“", "Dann ging er.", "Sie las »Faust.«", "Es war spät."}},
		"de decimal comma": {"de", "Es sind 3,5 Prozent. Vgl. Abb. 4 und Nr. 7 für Details.",
			[]string{"Es sind 3,5 Prozent.", "Vgl. Abb. 4 und Nr. 7 für Details."}},
		"fr spacing": {"fr", "Que fait man ? Il affiche les pages ! M. Dupont l’a dit : « C’est simple. » Voir p. ex. la section 2.",
			[]string{"Que fait man ?", "Il affiche les pages !", "M. Dupont l’a dit : « C’est simple. »", "Voir p. ex. la section 2."}},
		"es": {"es", "¿Qué hace man? ¡Muestra páginas! El Sr. García lo usa, p. ej. con la opción. Aprox. 3,5 MB.",
			[]string{"¿Qué hace man?", "¡Muestra páginas!", "El Sr. García lo usa, p. ej. con la opción.", "Aprox. 3,5 MB."}},
		"es no": {"es", "Dijo que no. Luego se fue.", []string{"Dijo que no.", "Luego se fue."}},
		"it": {"it", "Il Sig. Rossi usa man, ad es. con l’opzione. Il dott. Bianchi no. È così.",
			[]string{"Il Sig. Rossi usa man, ad es. con l’opzione.", "Il dott. Bianchi no.", "È così."}},
		"pt": {"pt", "O Sr. Silva usa o man, p. ex. com a opção. Veja a pág. 3. Fim.",
			[]string{"O Sr. Silva usa o man, p. ex. com a opção.", "Veja a pág. 3.", "Fim."}},
		"nl": {"nl", "Man toont bijv. de pagina, d.w.z. de eerste. Dhr. Jansen ook. Enz. Klaar.",
			[]string{"Man toont bijv. de pagina, d.w.z. de eerste.", "Dhr. Jansen ook.", "Enz.", "Klaar."}},
		"en keeps its rules": {"en", "See e.g. the page. No. 5 is next.", []string{"See e.g. the page.", "No. 5 is next."}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := splitSentencesIn(tc.in, tc.lang); !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := map[string]string{
		"Die Handbuchseite wird angezeigt, wenn sie in einem der Abschnitte gefunden wird und die Option nicht gesetzt ist. Das ist so.":                     "de",
		"La page de manuel est affichée si elle est trouvée dans une des sections et que l’option n’est pas utilisée. Il faut que ce soit le cas pour tous.": "fr",
		"La página de manual se muestra si se encuentra en una de las secciones y la opción no está puesta. Esto es así para todos los que la usan.":         "es",
		"La pagina di manuale è mostrata se si trova in una delle sezioni e l’opzione non è usata. Questo è vero per tutti quelli che la usano.":             "it",
		"A página do manual é mostrada se for encontrada numa das secções e a opção não está definida. Isto é assim para todos os que a usam.":               "pt",
		"De handleiding wordt getoond als hij in een van de secties wordt gevonden en de optie niet is gezet. Dat is zo voor iedereen die het gebruikt.":     "nl",
		"The manual page is shown when it is found in one of the sections and the option is not set. That is how it works for everyone who uses it.":         "en",
		"Zu kurz.": "",
	}
	for text, want := range tests {
		if got := detectLanguage(text); got != want {
			t.Errorf("detectLanguage(%.40q…) = %q, want %q", text, got, want)
		}
	}
}

// Sentences about syntax are not read aloud by the offline writer, in any
// language; ordinary punctuation is not mistaken for it.
func TestDescribesSyntax(t *testing.T) {
	tests := map[string]bool{
		"La chaîne est entourée par « (» et «) ».":                true,
		"Dans chaque commande, %s est remplacé par un nom.":       true,
		"Il valore è una lista separata da ‘:’ di sezioni.":       true,
		"Página do manual man PN?ltlinha..":                       true,
		"Die Zeichenkette wird von »(« und »)« umgeben.":          true,
		"Er sagte: „Ja.“ Und ging.":                               false,
		"Wait... what? Really!":                                   false,
		"It costs 5 % more (roughly), as the report says.":        false,
		"Le programme affiche « Bonjour » puis s’arrête ; voilà.": false,
	}
	for s, want := range tests {
		if got := describesSyntax(s); got != want {
			t.Errorf("describesSyntax(%q) = %v, want %v", s, got, want)
		}
	}
}

// A sentence that stops where removed code followed is not read aloud.
func TestDanglingEnd(t *testing.T) {
	tests := []struct {
		lang, s string
		want    bool
	}{
		{"en", "To get the uncompressed size for such a file, you can use.", true},
		{"en", "Its operation is the same as for ffi prep cif except that.", true},
		{"en", "The tool is ready for use.", false},
		{"en", "It is not that.", false},
		{"en", "Add the files to the.", true},
		{"de", "Die Ausgabe erfolgt mit der.", true},
		{"de", "Mach die Tür zu.", false},
		{"fr", "Le résultat est affiché avec.", true},
		{"es", "Se usa la opción de.", true},
		{"nl", "Dit is de.", true},
		{"nl", "Ik weet dat.", false},
	}
	for _, tc := range tests {
		if got := danglingEnd(tc.s, tc.lang); got != tc.want {
			t.Errorf("danglingEnd(%q, %s) = %v", tc.s, tc.lang, got)
		}
	}
}
