package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/core"
)

// startListenable starts a job and returns its id once its first audio is
// playable, as the job's event stream announces it.
func (tt *tester) startListenable() string {
	tt.t.Helper()
	var acc jobAccepted
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{
		"text": sourceText, "title": "Rivers", "minutes": 0.5, "writer": "extractive", "tts": "espeak",
	}).want(202).decode(&acc)
	req, err := http.NewRequest("GET", tt.srv.URL+acc.EventsURL, nil)
	if err != nil {
		tt.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "event: audio" && sc.Scan() {
			var st core.Status
			if err := json.Unmarshal([]byte(strings.TrimPrefix(sc.Text(), "data: ")), &st); err != nil || st.FirstAudio <= 0 {
				tt.t.Fatalf("audio event: %s (%v)", sc.Text(), err)
			}
			return acc.JobID
		}
	}
	tt.t.Fatal("the event stream ended without an audio event")
	return ""
}

// listen opens GET /jobs/{id}/audio.
func (tt *tester) listen(ctx context.Context, id string) *http.Response {
	tt.t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", tt.srv.URL+"/jobs/"+id+"/audio", nil)
	if err != nil {
		tt.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		tt.t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/mpeg" {
		tt.t.Fatalf("live audio: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return resp
}

// probeMP3 fails unless ffprobe reads data as MP3 audio.
func probeMP3(t *testing.T, data []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.mp3")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate", "-of", "csv=p=0", path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "mp3,24000" {
		t.Fatalf("ffprobe on %d bytes: %v %s", len(data), err, out)
	}
}

// A running job can be listened to from its first bytes; a listener that
// drops and comes back gets the stream again; cancelling ends it.
func TestJobAudioWhileRunning(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.synth.blockAfter = 3
	id := tt.startListenable()
	tt.do("GET", "/jobs/"+id+"/audio", tt.bobTok, nil).want(404, "not_found")

	ctx, drop := context.WithCancel(context.Background())
	resp := tt.listen(ctx, id)
	first := make([]byte, 2048)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	probeMP3(t, first)
	drop() // the listener goes away mid-stream
	resp.Body.Close()

	// What exists now can be fetched by range, like a file.
	r := tt.do("GET", "/jobs/"+id+"/audio", tt.aliceTok, nil, "Range: bytes=0-1023").want(206)
	if len(r.body) != 1024 || !strings.HasPrefix(r.header.Get("Content-Range"), "bytes 0-1023/") {
		t.Fatalf("range: %d bytes, %s", len(r.body), r.header.Get("Content-Range"))
	}

	back := tt.listen(context.Background(), id)
	defer back.Body.Close()
	got := make(chan []byte)
	go func() {
		data, _ := io.ReadAll(back.Body) // ends when the job does
		got <- data
	}()
	<-tt.synth.blocked
	tt.do("DELETE", "/jobs/"+id, tt.aliceTok, nil).want(200)
	data := <-got
	if len(data) <= len(first) || string(data[:len(first)]) != string(first) {
		t.Fatalf("the second listener got %d bytes, not the same stream", len(data))
	}
	probeMP3(t, data)
	tt.do("GET", "/jobs/"+id+"/audio", tt.aliceTok, nil).want(404, "not_found")
}

// A listener hears the job to its end; then the job's audio is its podcast's.
func TestJobAudioToTheEnd(t *testing.T) {
	tt := newTester(t, testOptions{})
	id := tt.startListenable()
	resp, err := func() (*http.Response, error) {
		req, _ := http.NewRequest("GET", tt.srv.URL+"/jobs/"+id+"/audio", nil)
		req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
		return tt.srv.Client().Do(req)
	}()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == 200 {
		probeMP3(t, data)
	}
	st, err := tt.jobs.Wait(context.Background(), id)
	if err != nil || st.State != core.Done {
		t.Fatalf("job: %+v %v", st, err)
	}
	client := *tt.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("GET", tt.srv.URL+"/jobs/"+id+"/audio", nil)
	req.Header.Set("Authorization", "Bearer "+tt.aliceTok)
	done, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	done.Body.Close()
	if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != "/podcasts/"+st.PodcastID+"/audio" {
		t.Fatalf("finished job's audio: %d → %s", done.StatusCode, done.Header.Get("Location"))
	}
}
