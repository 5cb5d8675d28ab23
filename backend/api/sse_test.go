package api

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// FuzzAudioForm feeds arbitrary multipart bodies to the upload reader:
// the answer is a form whose files are saved, or a 4xx *Error, never a
// panic; removing the form leaves no file behind.
func FuzzAudioForm(f *testing.F) {
	form := func(parts ...string) []byte {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.SetBoundary("BOUNDARY")
		for i := 0; i+2 < len(parts); i += 3 {
			if parts[i+1] == "" {
				mw.WriteField(parts[i], parts[i+2])
				continue
			}
			fw, _ := mw.CreateFormFile(parts[i], parts[i+1])
			fw.Write([]byte(parts[i+2]))
		}
		mw.Close()
		return buf.Bytes()
	}
	wav := "RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
	f.Add(form("title", "", "Talk", "minutes", "", "2", "voices", "", `{"Alex":"en"}`, "audio", "a.wav", wav))
	f.Add(form("audio", "a.mp3", "ID3 not really"))
	f.Add(form("file", "notes.md", "# Notes\n\nText.", "file", "../../etc/passwd", "plain text", "url", "", "https://example.com/"))
	f.Add(form("file", "paper.pdf", "%PDF-1.4\n%%EOF", "file", "x.bin", "\x00\x01\x02\xff"))
	f.Add(form("url", "", "file:///etc/passwd", "text", "", "hello"))
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"x\"\r\n\r\n\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"minutes\"\r\n\r\nNaN\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\n\r\n--BOUNDARY--"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		dir := t.TempDir()
		s := &server{Deps: Deps{UploadDir: dir}, maxUpload: 1 << 16}
		req := httptest.NewRequest("POST", "/podcasts/generate/audio", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=BOUNDARY")
		form, err := s.readUploadForm(httptest.NewRecorder(), req, nil)
		defer func() {
			form.remove()
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("removing the form left %v", left)
			}
		}()
		if err == nil {
			for _, src := range form.sources {
				fi, err := os.Stat(src.Path)
				if err != nil || fi.Size() == 0 || filepath.Dir(filepath.Dir(src.Path)) != dir || !src.Owned {
					t.Fatalf("saved source %+v: %v", src, err)
				}
			}
			return
		}
		e, ok := err.(*Error)
		if !ok || e.Status < 400 || e.Status > 499 || e.Message == "" {
			t.Fatalf("%q: %#v", body, err)
		}
	})
}
