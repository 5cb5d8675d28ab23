package api

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/config"
	"podcastfy/backend/core"
)

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct {
	name   string
	status core.Status
}

// follow reads a job's event stream to its end, returning the events and
// whether a heartbeat comment was seen.
func (tt *tester) follow(id, token string) (events []sseEvent, pings int) {
	tt.t.Helper()
	req, err := http.NewRequest("GET", tt.srv.URL+"/jobs/"+id+"/events", nil)
	if err != nil {
		tt.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		tt.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	var name string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ": ping"):
			pings++
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var st core.Status
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &st); err != nil {
				tt.t.Fatalf("event data: %v", err)
			}
			events = append(events, sseEvent{name, st})
		}
	}
	return events, pings
}

func TestGenerateAndFollow(t *testing.T) {
	tt := newTester(t, testOptions{})
	var acc jobAccepted
	r := tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{
		"text": sourceText, "title": "Rivers", "minutes": 0.5, "writer": "extractive", "tts": "espeak",
		"voices": map[string]string{"Alex": "en-us"},
	}).want(202)
	r.decode(&acc)
	if acc.JobID == "" || acc.StatusURL != "/jobs/"+acc.JobID || acc.EventsURL != acc.StatusURL+"/events" || r.header.Get("Location") != acc.StatusURL {
		t.Fatalf("accepted: %+v, Location %q", acc, r.header.Get("Location"))
	}
	// Bob can neither see nor follow nor cancel it.
	tt.do("GET", acc.StatusURL, tt.bobTok, nil).want(404, "not_found")
	tt.do("GET", acc.EventsURL, tt.bobTok, nil).want(404, "not_found")
	tt.do("DELETE", acc.StatusURL, tt.bobTok, nil).want(404, "not_found")

	events, _ := tt.follow(acc.JobID, tt.aliceTok)
	if len(events) == 0 {
		t.Fatal("no events")
	}
	last := events[len(events)-1]
	if last.name != "done" || last.status.State != core.Done || last.status.PodcastID != acc.JobID {
		t.Fatalf("last event: %+v", last)
	}
	heard := 0 // a follower that came late may have missed it
	for _, e := range events[:len(events)-1] {
		switch {
		case e.name == "audio" && e.status.FirstAudio > 0:
			heard++
		case e.name != "progress":
			t.Fatalf("event before the end: %+v", e)
		}
	}
	if heard > 1 || last.status.FirstAudio <= 0 {
		t.Fatalf("%d audio events; first audio after %g s", heard, last.status.FirstAudio)
	}

	var st core.Status
	tt.do("GET", acc.StatusURL, tt.aliceTok, nil).want(200).decode(&st)
	if st.State != core.Done {
		t.Fatalf("status: %+v", st)
	}
	var list jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 1 || list.Jobs[0].ID != acc.JobID {
		t.Fatalf("jobs: %+v", list)
	}
	tt.do("GET", "/jobs", tt.bobTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 0 {
		t.Fatalf("bob sees alice's jobs: %+v", list)
	}
	var p podcastJSON
	tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(200).decode(&p)
	if p.Title != "Rivers" || p.Duration <= 0 || p.AudioBytes == 0 {
		t.Fatalf("podcast: %+v", p)
	}
	tt.do("GET", p.AudioURL, "", nil, "Range: bytes=0-99").want(206)

	// A finished job: its final event at once, then the end; cancel is 409.
	events, _ = tt.follow(acc.JobID, tt.aliceTok)
	if len(events) != 1 || events[0].name != "done" {
		t.Fatalf("events of a finished job: %+v", events)
	}
	// Bob cannot remove it; alice can, and the podcast stays.
	tt.do("DELETE", acc.StatusURL, tt.bobTok, nil).want(404)
	tt.do("DELETE", acc.StatusURL, tt.aliceTok, nil).want(204)
	tt.do("GET", acc.StatusURL, tt.aliceTok, nil).want(404)
	tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(200)
	tt.do("DELETE", "/jobs/no-such-job", tt.aliceTok, nil).want(404)
	tt.do("GET", "/jobs/no-such-job/events", tt.aliceTok, nil).want(404)
}

func TestGenerateBadRequests(t *testing.T) {
	tt := newTester(t, testOptions{})
	for name, c := range map[string]struct {
		body   any
		status int
		code   string
	}{
		"missing text":      {map[string]any{"title": "x"}, 400, "invalid_request:text"},
		"blank text":        {map[string]any{"text": "   "}, 400, "invalid_request:text"},
		"unknown template":  {map[string]any{"text": sourceText, "templateId": "nope"}, 400, "invalid_request:template"},
		"bad template id":   {map[string]any{"text": sourceText, "templateId": "../../etc"}, 400, "invalid_request:template"},
		"minutes too long":  {map[string]any{"text": sourceText, "minutes": 500}, 400, "invalid_request:minutes"},
		"minutes string":    {`{"text":"x","minutes":"five"}`, 400, "wrong_type:minutes"},
		"voices array":      {`{"text":"x","voices":["a"]}`, 400, "wrong_type:voices"},
		"unknown speaker":   {map[string]any{"text": sourceText, "voices": map[string]string{"Nobody": "x"}}, 400, "invalid_request:voices"},
		"unknown writer":    {map[string]any{"text": sourceText, "writer": "gpt"}, 400, "invalid_request:writer"},
		"unknown tts":       {map[string]any{"text": sourceText, "tts": "nope"}, 400, "invalid_request:tts"},
		"title newline":     {map[string]any{"text": sourceText, "title": "a\nb"}, 400, "invalid_request:title"},
		"title override":    {map[string]any{"text": sourceText, "title": "a\u202Eb"}, 400, "invalid_request:title"},
		"minutes too short": {map[string]any{"text": sourceText, "minutes": 0.2}, 400, "invalid_request:minutes"},
		"language":          {map[string]any{"text": sourceText, "language": "not a language"}, 400, "invalid_request:language"},
		"unknown field":     {`{"text":"x","owner":"bob"}`, 400, "unknown_field:"},
		"text too large":    {map[string]any{"text": strings.Repeat("word ", MaxJSONBytes/4)}, 413, "too_large"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("POST", "/podcasts/generate/text", tt.aliceTok, c.body).want(c.status, c.code)
		})
	}
	tt.do("POST", "/podcasts/generate/text", "", map[string]any{"text": sourceText}).want(401)
	var list jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 0 {
		t.Fatalf("refused requests left jobs: %+v", list.Jobs)
	}
}

func TestCancelRunningJobAndHeartbeat(t *testing.T) {
	tt := newTester(t, testOptions{heartbeat: 20 * time.Millisecond})
	tt.synth.blockOn = " " // every line of more than one word
	var acc jobAccepted
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 0.5}).want(202).decode(&acc)
	<-tt.synth.blocked

	req, err := http.NewRequest("GET", tt.srv.URL+acc.EventsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	next := func(prefix string) string {
		t.Helper()
		for line := range lines {
			if strings.HasPrefix(line, prefix) {
				return line
			}
		}
		t.Fatalf("stream ended before a %q line", prefix)
		return ""
	}
	if first := next("event: "); first != "event: progress" {
		t.Fatalf("first event %q, want the running status", first)
	}
	next(": ping") // the job is stuck, so only heartbeats come

	var st core.Status
	tt.do("DELETE", acc.StatusURL, tt.aliceTok, nil).want(200).decode(&st)
	if st.State != core.Cancelled {
		t.Fatalf("after cancel: %+v", st)
	}
	if ev := next("event: "); ev != "event: failed" {
		t.Fatalf("after cancel the stream sent %q", ev)
	}
	data := next("data: ")
	if !strings.Contains(data, `"state":"cancelled"`) {
		t.Fatalf("final data %s", data)
	}
	for line := range lines {
		if strings.HasPrefix(line, "event: ") {
			t.Fatalf("event after the final one: %s", line)
		}
	}
	tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(404)
	// A second DELETE removes the cancelled job.
	tt.do("DELETE", acc.StatusURL, tt.aliceTok, nil).want(204)
	tt.do("GET", acc.StatusURL, tt.aliceTok, nil).want(404)
}

// serverSettings are settings with an upload limit of mb megabytes.
func serverSettings(mb int) config.ServerSettings {
	return config.ServerSettings{MaxUploadMB: mb}
}
