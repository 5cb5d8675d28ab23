package api

import (
	"context"
	"testing"
	"time"

	"podcastfy/backend/core"
)

// interruptUpload starts a job from an uploaded file whose synthesis
// blocks, then stops the job service as a server shutdown does: the job is
// interrupted and keeps its upload for a resume.
func (tt *tester) interruptUpload() jobAccepted {
	tt.t.Helper()
	tt.synth.blockOn = " "
	ct, body := multipartForm(formPart{"title", "", "Kept"}, formPart{"minutes", "", "0.5"},
		formPart{"file", "notes.txt", sourceText})
	acc := tt.accept(tt.do("POST", "/podcasts/generate/files", tt.aliceTok, body, "Content-Type: "+ct))
	<-tt.synth.blocked
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tt.jobs.Shutdown(ctx); err != nil {
		tt.t.Fatal(err)
	}
	tt.synth.blockOn = "" // no synthesis runs now: the service has stopped
	var st core.Status
	tt.do("GET", acc.StatusURL, tt.aliceTok, nil).want(200).decode(&st)
	if st.State != core.Interrupted {
		tt.t.Fatalf("after shutdown: %+v", st)
	}
	if len(tt.uploadsLeft()) == 0 {
		tt.t.Fatal("the interrupted job lost its upload")
	}
	return acc
}

// An interrupted job resumes over HTTP (202), finishes, and then its upload
// is gone; only its owner may resume it, and a done job cannot be resumed.
func TestResumeInterruptedJob(t *testing.T) {
	tt := newTester(t, testOptions{})
	acc := tt.interruptUpload()
	tt.do("POST", acc.StatusURL+"/resume", tt.bobTok, nil).want(404)
	var again jobAccepted
	r := tt.do("POST", acc.StatusURL+"/resume", tt.aliceTok, nil).want(202)
	r.decode(&again)
	if again.JobID != acc.JobID || r.header.Get("Location") != acc.StatusURL {
		t.Fatalf("resume answer %+v, Location %q", again, r.header.Get("Location"))
	}
	events, _ := tt.follow(acc.JobID, tt.aliceTok)
	if last := events[len(events)-1]; last.name != "done" {
		t.Fatalf("resumed job ended with %s: %+v", last.name, last.status)
	}
	tt.settle()
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("uploads left after the resumed job finished: %v", left)
	}
	tt.do("POST", acc.StatusURL+"/resume", tt.aliceTok, nil).want(409)
	tt.do("POST", "/jobs/no-such-job/resume", tt.aliceTok, nil).want(404)
}

// DELETE removes an interrupted job together with the upload it kept.
func TestDeleteInterruptedJobRemovesUploads(t *testing.T) {
	tt := newTester(t, testOptions{})
	acc := tt.interruptUpload()
	tt.do("DELETE", acc.StatusURL, tt.bobTok, nil).want(404)
	tt.do("DELETE", acc.StatusURL, tt.aliceTok, nil).want(204)
	tt.do("GET", acc.StatusURL, tt.aliceTok, nil).want(404)
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("uploads left after DELETE: %v", left)
	}
	tt.do("POST", acc.StatusURL+"/resume", tt.aliceTok, nil).want(404)
}
