package api

import (
	"strings"
	"testing"

	"podcastfy/backend/core"
)

// One user may have only so many jobs queued or running (429 beyond), and
// another user's job does not wait for the flooder's: it starts and
// finishes while the flooder's first job still holds the shared place and
// its others wait.
func TestQueueIsBoundedAndFair(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.synth.blockOn = "Floodword" // alice's jobs stall in synthesis
	flood := strings.Repeat("Floodword rivers carve valleys over many years. ", 8)
	var alice []jobAccepted
	for range core.DefaultMaxQueuedPerUser {
		alice = append(alice, tt.accept(tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": flood, "minutes": 0.5})))
	}
	<-tt.synth.blocked // alice's first job holds the only place
	r := tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": flood, "minutes": 0.5}).want(429, "throttled")
	if !strings.Contains(string(r.body), "queued or running") {
		t.Errorf("429 does not say why: %s", r.body)
	}
	bob := tt.accept(tt.do("POST", "/podcasts/generate/text", tt.bobTok, map[string]any{"text": sourceText, "minutes": 0.5}))

	events, _ := tt.follow(bob.JobID, tt.bobTok)
	if last := events[len(events)-1]; last.name != "done" {
		t.Fatalf("bob's job ended with %s: %+v", last.name, last.status)
	}
	for i, a := range alice {
		var st core.Status
		tt.do("GET", a.StatusURL, tt.aliceTok, nil).want(200).decode(&st)
		if running := st.State != core.Queued; running != (i == 0) {
			t.Fatalf("alice's job %d is %s while bob's finished; want only the first running", i+1, st.State)
		}
	}
	tt.do("DELETE", alice[0].StatusURL, tt.aliceTok, nil).want(200)
	// A cancelled job frees a place under the cap at once.
	tt.accept(tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": flood, "minutes": 0.5}))
	for _, a := range alice[1:] {
		tt.do("DELETE", a.StatusURL, tt.aliceTok, nil).want(200)
	}
}
