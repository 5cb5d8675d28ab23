package api

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// At shutdown an open event stream gets a final event saying the server is
// stopping, then ends, and Serve returns.
func TestEventStreamSaysServerIsStopping(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.synth.blockOn = " "
	url, cancel, result := startServe(t, ServeConfig{Hub: tt.hub}, tt.handler)
	var acc jobAccepted
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 0.5}).want(202).decode(&acc)
	<-tt.synth.blocked

	req, err := http.NewRequest("GET", url+acc.EventsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var events []string
	var lastData string
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, name)
			if name == "progress" && len(events) == 1 {
				cancel() // the stream is open: shut down
			}
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			lastData = d
		}
	}
	if len(events) < 2 || events[len(events)-1] != "stopping" {
		t.Fatalf("events %v, want the last to be stopping", events)
	}
	if !strings.Contains(lastData, "shutting down") || !strings.Contains(lastData, "resume") {
		t.Fatalf("stopping data %s", lastData)
	}
	if err := <-result; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
