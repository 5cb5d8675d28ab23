package script

import (
	"strings"
	"testing"
)

// What manuals in any language hold that no one reads aloud: the synopsis,
// the list of other pages, tables of numbered codes, section numbers of
// references, e-mail addresses, symbols quoted in emptied brackets.
func TestPrepareSourceManuals(t *testing.T) {
	text := strings.Join([]string{
		"NAME", "man - eine Oberfläche für die System-Referenzhandbücher",
		"ÜBERSICHT", "man [man Optionen] [[Abschnitt] Seite ...] ...",
		"BESCHREIBUNG", "Siehe ascii(7) und exit(3tcl) für Details zu MAN-\nROFFOPT.",
		"Ein Backslash («\\») maskiert, die Zeichenkette «» ist leer.",
		"EXIT-STATUS", "0 Erfolgreiche Programmausführung. 1 Fehler beim Aufruf. 2 Betriebsbedingter Fehler.",
		"AUTOR", "Wilf (G.Wilford@ee.surrey.ac.uk) hat das Paket gewartet.",
		"SIEHE AUCH", "apropos(1), groff(1), less(1)",
	}, "\n\n")
	src := PrepareSource(text, "de")
	var titles []string
	for _, s := range src.Sections {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, "|"); got != "Name|Beschreibung|Exit-status|Autor" {
		t.Errorf("sections %q", got)
	}
	want := "Siehe ascii und exit für Details zu MANROFFOPT.\n\nEin Backslash maskiert, die Zeichenkette ist leer.\n\nWilf hat das Paket gewartet."
	var paras []string
	for _, s := range src.Sections[1:] {
		paras = append(paras, s.Paragraphs...)
	}
	if got := strings.Join(paras, "\n\n"); got != want {
		t.Errorf("paragraphs\n got %q\nwant %q", got, want)
	}
}
