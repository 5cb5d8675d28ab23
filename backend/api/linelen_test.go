package api

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/core"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
)

// wordSoup is n words of river vocabulary joined by sep, with no sentence
// punctuation.
func wordSoup(n int, sep string) string {
	vocab := strings.Fields("river valley water stone canyon delta silt boulder sea land flow carve speed sediment fertile earth")
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[(i*7+i/3)%len(vocab)]
	}
	return strings.Join(words, sep)
}

// Whatever the text looks like, every line of the script is bounded and
// the podcast is about as long as asked: 19 KB without punctuation, one
// giant sentence, a list of words one per line.
func TestLinesAreBoundedWhateverTheText(t *testing.T) {
	tt := newTester(t, testOptions{})
	tpl, err := tt.store.Templates().GetFor(store.Caller{ID: tt.alice.ID}, "deep-dive")
	if err != nil {
		t.Fatal(err)
	}
	oneMinute := llm.TargetWords(&tpl.Template, 1)
	cases := map[string]string{
		"19 KB unpunctuated": wordSoup(19<<10/6, " "),
		"one giant sentence": "The " + wordSoup(3000, " ") + ".",
		"a list of words":    wordSoup(3000, "\n"),
		"commas only":        wordSoup(3000, ", "),
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			tt := tt.with(t)
			acc := tt.accept(tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": text, "minutes": 1}))
			events, _ := tt.follow(acc.JobID, tt.aliceTok)
			last := events[len(events)-1].status
			if last.State != core.Done {
				t.Fatalf("job %s: %s", last.State, last.Error)
			}
			sc := podcastScript(tt, last.PodcastID)
			for _, ch := range sc.Chapters {
				for _, l := range ch.Lines {
					if n := len(strings.Fields(l.Text)); n > script.MaxLineWords {
						t.Fatalf("a line of %d words", n)
					}
				}
			}
			if w := sc.Words(); w > oneMinute*3/2 || w < oneMinute/2 {
				t.Fatalf("%d words for 1 minute (%d words a minute)", w, oneMinute)
			}
		})
	}
}

// Text that cannot be cut into lines (900 KB without a sentence end) is
// refused with a 400 at the text field before any job exists.
func TestUnpunctuatedBookRefused(t *testing.T) {
	tt := newTester(t, testOptions{})
	text := wordSoup(900<<10/6, " ")
	r := tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": text, "minutes": 1}).want(http.StatusBadRequest, "invalid_request:text")
	if !strings.Contains(string(r.body), "punctuation") {
		t.Errorf("the refusal does not say why: %s", r.body)
	}
	var list jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 0 {
		t.Fatalf("a refused text made jobs: %+v", list.Jobs)
	}
}

// podcastScript reads a finished podcast's script from the library.
func podcastScript(tt *tester, id string) script.Script {
	tt.t.Helper()
	path, err := tt.store.Podcasts().MediaPath(id, store.KindScript)
	if err != nil {
		tt.t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tt.t.Fatal(err)
	}
	var sc script.Script
	if err := json.Unmarshal(data, &sc); err != nil {
		tt.t.Fatal(err)
	}
	return sc
}
