package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"podcastfy/backend/core"
)

// A listener's transcript: the lines a running job has encoded, from an
// index on, as the OpenAPI document describes them; another user's job is
// not found and a bad index is refused at its field.
func TestJobLinesWhileRunning(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.synth.blockAfter = 3
	id := tt.startListenable()
	var got core.LiveLines
	r := tt.do("GET", "/jobs/"+id+"/lines", tt.aliceTok, nil).want(200)
	r.decode(&got)
	if got.Ended || got.Count < 1 || len(got.Lines) != got.Count || got.Lines[0].Index != 0 || got.Lines[0].Text == "" || got.Lines[0].End <= got.Lines[0].Start {
		t.Fatalf("lines: %s", r.body)
	}
	var v any
	json.Unmarshal(r.body, &v)
	for _, problem := range checkSchema(tt.doc(), map[string]any{"$ref": "#/components/schemas/LiveLines"}, v, "LiveLines") {
		t.Error(problem)
	}
	var later core.LiveLines
	tt.do("GET", "/jobs/"+id+"/lines?from=1", tt.aliceTok, nil).want(200).decode(&later)
	if len(later.Lines) != later.Count-1 || (len(later.Lines) > 0 && later.Lines[0].Index != 1) {
		t.Errorf("lines from 1: %+v", later)
	}
	tt.do("GET", "/jobs/"+id+"/lines", tt.bobTok, nil).want(404, "not_found")
	tt.do("GET", "/jobs/"+id+"/lines?from=-1", tt.aliceTok, nil).want(400, "invalid_request")
	tt.do("GET", "/jobs/"+id+"/lines?from=two", tt.aliceTok, nil).want(400, "invalid_request")

	// A browser's <audio> asks for bytes=0-: it gets the live stream (no
	// length: it goes on until the job ends), not what exists now.
	req, err := http.NewRequestWithContext(context.Background(), "GET", tt.srv.URL+"/jobs/"+id+"/audio", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	req.Header.Set("Range", "bytes=0-")
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != -1 {
		t.Fatalf("bytes=0-: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
	got2 := make(chan []byte)
	go func() {
		data, _ := io.ReadAll(resp.Body)
		got2 <- data
	}()
	<-tt.synth.blocked
	tt.do("DELETE", "/jobs/"+id, tt.aliceTok, nil).want(200)
	data := <-got2
	probeMP3(t, data)
	var ended core.LiveLines
	tt.do("GET", "/jobs/"+id+"/lines", tt.aliceTok, nil).want(200).decode(&ended)
	if !ended.Ended || ended.Count < got.Count {
		t.Errorf("lines of the cancelled job: %+v", ended)
	}
}
