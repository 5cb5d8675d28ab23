package llm

import (
	"strings"
	"unicode/utf8"
)

// MaxUnpunctuatedWords bounds a run of words with no sentence end. Such a
// run is cut into spoken lines at arbitrary places (appendSentence), which
// is fine for a pasted paragraph or a transcript without punctuation, but
// a book's worth of it is not prose a writer can choose from: at this
// length (about two hours of speech) it is refused before the job.
const MaxUnpunctuatedWords = 20000

// CheckSource refuses a source no writer can turn into bounded lines:
// ErrUnpunctuated when a run of more than MaxUnpunctuatedWords words has
// no sentence end. It reads the text the way the writers split it, and
// costs one pass over it.
func CheckSource(text string) error {
	longest := 0
	for _, para := range paragraphs(cleanSource(text)) {
		run := 0
		for w := range strings.FieldsSeq(para) {
			run++
			longest = max(longest, run)
			r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(w, `"'”’)]»`))
			if isTerminator(r) {
				run = 0
			}
		}
	}
	if longest > MaxUnpunctuatedWords {
		return newError(ErrUnpunctuated, nil,
			"the text has a run of %d words with no full stop, question or exclamation mark; podcastfy cuts unpunctuated text into lines, but at most %d words in a row: add punctuation, or shorten the text",
			longest, MaxUnpunctuatedWords)
	}
	return nil
}
