package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/core"
)

// A running job's JSON carries a signed link to its live audio, which a
// client without a token (a browser's <audio>) plays; the link is the
// owner's alone, expires, and ends with the job, when it leads on to the
// podcast's (signed) audio.
func TestJobLiveAudioSignedURL(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.synth.blockAfter = 3
	tt.synth.release = make(chan struct{})
	id := tt.startListenable()
	var v jobView
	tt.do("GET", "/jobs/"+id, tt.aliceTok, nil).want(200).decode(&v)
	if !strings.HasPrefix(v.LiveAudioURL, "/jobs/"+id+"/audio?u=") || !strings.Contains(v.LiveAudioURL, "&sig=") {
		t.Fatalf("liveAudioUrl %q", v.LiveAudioURL)
	}
	var list jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 1 || list.Jobs[0].LiveAudioURL != v.LiveAudioURL {
		t.Fatalf("the job list does not carry the same link: %+v", list.Jobs)
	}

	// No token: the signature is the key.
	r := tt.do("GET", v.LiveAudioURL, "", nil, "Range: bytes=0-2047").want(206)
	probeMP3(t, r.body)
	resp, err := tt.srv.Client().Get(tt.srv.URL + v.LiveAudioURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 2048)
	if _, err := io.ReadFull(resp.Body, first); err != nil || resp.Header.Get("Content-Type") != "audio/mpeg" {
		t.Fatalf("live audio by its signed link: %v %s", err, resp.Header.Get("Content-Type"))
	}

	// The link is the owner's, for this job, and expires.
	var bobs jobAccepted
	tt.do("POST", "/podcasts/generate/text", tt.bobTok, map[string]any{
		"text": sourceText, "title": "Bob's", "minutes": 0.5, "writer": "extractive", "tts": "espeak",
	}).want(202).decode(&bobs)
	if bobs.Job.LiveAudioURL == "" {
		t.Fatal("a started job has no live link")
	}
	tt.do("GET", strings.Replace(v.LiveAudioURL, "u="+tt.alice.ID, "u="+tt.bob.ID, 1), "", nil).want(401, "invalid_signature")
	tt.do("GET", strings.Replace(bobs.Job.LiveAudioURL, "/jobs/"+bobs.JobID+"/", "/jobs/"+id+"/", 1), "", nil).want(401, "invalid_signature")
	tt.do("GET", v.LiveAudioURL+"x", "", nil).want(401, "invalid_signature")
	tt.clock.advance(DefaultSignedURLTTL + 11*time.Minute)
	tt.do("GET", v.LiveAudioURL, "", nil, "Range: bytes=0-1").want(401, "signature_expired")
	tt.clock.advance(-(DefaultSignedURLTTL + 11*time.Minute))
	tt.do("DELETE", "/jobs/"+bobs.JobID, tt.bobTok, nil).want(200)

	// The job goes on to its end; the link then leads to the podcast's
	// audio, signed too, and the job's JSON has no live link any more.
	close(tt.synth.release)
	st, err := tt.jobs.Wait(context.Background(), id)
	if err != nil || st.State != core.Done {
		t.Fatalf("job: %+v %v", st, err)
	}
	rest, err := io.ReadAll(resp.Body)
	if err != nil || len(rest) == 0 {
		t.Fatalf("the live stream did not go on to the end: %d bytes, %v", len(rest), err)
	}
	probeMP3(t, append(first, rest...))
	client := *tt.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	done, err := client.Get(tt.srv.URL + v.LiveAudioURL)
	if err != nil {
		t.Fatal(err)
	}
	done.Body.Close()
	to := done.Header.Get("Location")
	if done.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, "/podcasts/"+st.PodcastID+"/audio?u=") {
		t.Fatalf("finished job's signed audio: %d → %s", done.StatusCode, to)
	}
	tt.do("GET", to, "", nil, "Range: bytes=0-1").want(206)
	var ended jobView
	tt.do("GET", "/jobs/"+id, tt.aliceTok, nil).want(200).decode(&ended)
	if ended.State != core.Done || ended.LiveAudioURL != "" {
		t.Fatalf("a finished job still has a live link: %q", ended.LiveAudioURL)
	}
}
