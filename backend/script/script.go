// Package script owns the podcast script: the dialogue a writer produces and
// the synthesiser speaks, with its validation rules (known speakers, no empty
// lines, nothing a TTS engine would read aloud as markup).
package script

// Script is a whole podcast dialogue, split into chapters.
type Script struct {
	Title    string    `json:"title"`
	Summary  string    `json:"summary"`
	Chapters []Chapter `json:"chapters"`
}

// Chapter is a titled run of lines; chapters become ID3 CHAP frames and
// Podcasting 2.0 chapters.
type Chapter struct {
	Title string `json:"title"`
	Lines []Line `json:"lines"`
}

// Line is one turn: a speaker (a name from the template) and what they say.
type Line struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// LineCount returns the number of lines over all chapters.
func (s Script) LineCount() int {
	n := 0
	for _, c := range s.Chapters {
		n += len(c.Lines)
	}
	return n
}

// Words returns the number of whitespace-separated words over all lines.
func (s Script) Words() int {
	n := 0
	for _, c := range s.Chapters {
		for _, l := range c.Lines {
			n += countWords(l.Text)
		}
	}
	return n
}

func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := r == ' ' || r == '\n' || r == '\t' || r == '\r'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
