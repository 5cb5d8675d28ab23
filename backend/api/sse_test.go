package api

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"testing"

	"podcastfy/backend/core"
)

// A stream that does not read keeps only the latest status, so Emit never
// blocks and the final status is never lost.
func TestHubKeepsLatest(t *testing.T) {
	h := NewHub(0)
	sub := h.subscribe("job1")
	other := h.subscribe("job2")
	for i := range 1000 {
		h.Emit("job:progress", core.Status{ID: "job1", State: core.Synthesising, Segment: i})
	}
	h.Emit("job:done", core.Status{ID: "job1", State: core.Done})
	h.Emit("player:position", 1.5) // not a job: ignored
	st, ok := sub.take()
	if !ok || st.State != core.Done {
		t.Fatalf("latest: %+v %v", st, ok)
	}
	if _, ok := sub.take(); ok {
		t.Fatal("a status was delivered twice")
	}
	if _, ok := other.take(); ok {
		t.Fatal("another job's stream got job1's status")
	}
	h.unsubscribe("job1", sub)
	h.unsubscribe("job2", other)
	if len(h.subs) != 0 {
		t.Fatalf("subscriptions left: %v", h.subs)
	}
	h.Close()
	h.Close() // twice is fine
}

func TestEventNames(t *testing.T) {
	for state, want := range map[core.State]string{
		core.Queued: "progress", core.Writing: "progress", core.Synthesising: "progress", core.Mastering: "progress",
		core.Done: "done", core.Failed: "failed", core.Cancelled: "failed", core.Interrupted: "failed",
	} {
		if got := eventName(core.Status{State: state}); got != want {
			t.Errorf("%s: %s, want %s", state, got, want)
		}
	}
}

// FuzzAudioForm feeds arbitrary multipart bodies to the upload decoder:
// the answer is a request or a 4xx *Error, never a panic.
func FuzzAudioForm(f *testing.F) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("BOUNDARY")
	mw.WriteField("title", "Talk")
	mw.WriteField("minutes", "2")
	mw.WriteField("voices", `{"Alex":"en"}`)
	fw, _ := mw.CreateFormFile("audio", "a.mp3")
	fw.Write([]byte("ID3 data"))
	mw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"x\"\r\n\r\n\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"minutes\"\r\n\r\nNaN\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\n\r\n--BOUNDARY--"))
	f.Add([]byte(""))
	s := &server{maxUpload: 1 << 16}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/podcasts/generate/audio", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=BOUNDARY")
		_, n, err := s.readAudioForm(httptest.NewRecorder(), req)
		if err == nil {
			if n <= 0 {
				t.Fatalf("accepted a form with %d audio bytes", n)
			}
			return
		}
		e, ok := err.(*Error)
		if !ok || e.Status < 400 || e.Status > 499 || e.Message == "" {
			t.Fatalf("%q: %#v", body, err)
		}
	})
}
