package api

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"podcastfy/backend/core"
)

// diskLimits is a settable disk limit for the job service under test.
type diskLimits struct{ perUser, reserve atomic.Int64 }

func (d *diskLimits) get() core.DiskLimits {
	return core.DiskLimits{PerUser: d.perUser.Load(), Reserve: d.reserve.Load()}
}

// An upload whose declared length passes the user's disk budget is refused
// with 413 before a byte is written; the budget counts what a running job
// holds (its upload, and its record with the text read from it), is the
// user's alone, and frees once the job is gone.
func TestUploadOverDiskBudget(t *testing.T) {
	var lim diskLimits
	lim.perUser.Store(2 << 20)
	tt := newTester(t, testOptions{disk: lim.get})
	tt.synth.blockOn = " " // the first job holds its upload while it runs
	doc := strings.Repeat(sourceText+"\n", (700<<10)/len(sourceText))
	upload := func(tok string) reply {
		ct, body := multipartForm(formPart{"minutes", "", "0.5"}, formPart{"file", "notes.txt", doc})
		return tt.do("POST", "/podcasts/generate/files", tok, body, "Content-Type: "+ct)
	}
	first := tt.accept(upload(tt.aliceTok))
	<-tt.synth.blocked
	held := tt.uploadsLeft()

	r := upload(tt.aliceTok).want(http.StatusRequestEntityTooLarge, "over_budget")
	if !strings.Contains(string(r.body), "server.diskPerUserMB") {
		t.Errorf("the refusal does not name the setting: %s", r.body)
	}
	if got := tt.uploadsLeft(); len(got) != len(held) {
		t.Fatalf("the refused upload wrote %v (before: %v)", got, held)
	}
	// A text job needs no upload: alice's budget is not full yet.
	tt.accept(tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 0.5}))
	// Bob's budget is his own.
	bob := tt.accept(upload(tt.bobTok))

	tt.do("DELETE", "/jobs/"+first.JobID, tt.aliceTok, nil).want(http.StatusOK)
	tt.do("DELETE", "/jobs/"+bob.JobID, tt.bobTok, nil).want(http.StatusOK)
	tt.accept(upload(tt.aliceTok))
}

// A body of unknown length (chunked) stops at the budget: 413, and the
// part already written is removed.
func TestChunkedUploadStopsAtBudget(t *testing.T) {
	var lim diskLimits
	lim.perUser.Store(1 << 20)
	tt := newTester(t, testOptions{disk: lim.get})
	conn, err := net.Dial("tcp", tt.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const boundary = "b0undary"
	go func() {
		w := bufio.NewWriter(conn)
		fmt.Fprintf(w, "POST /podcasts/generate/files HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n", tt.srv.Listener.Addr(), tt.aliceTok)
		fmt.Fprintf(w, "Content-Type: multipart/form-data; boundary=%s\r\nTransfer-Encoding: chunked\r\n\r\n", boundary)
		chunk := func(s string) error {
			fmt.Fprintf(w, "%x\r\n%s\r\n", len(s), s)
			return w.Flush()
		}
		chunk("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.txt\"\r\nContent-Type: text/plain\r\n\r\n")
		line := strings.Repeat(sourceText+"\n", 40)
		for sent := 0; sent < 8<<20; sent += len(line) {
			if chunk(line) != nil {
				return // the server has answered and closed
			}
		}
		chunk("\r\n--" + boundary + "--\r\n")
		chunk("")
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("the refused upload left %v", left)
	}
}

// When the disk is down to its reserve, uploads are refused with 507
// before anything is written, and so are new jobs.
func TestUploadWhenDiskFull(t *testing.T) {
	var lim diskLimits
	lim.reserve.Store(1 << 60) // more than any disk has free
	tt := newTester(t, testOptions{disk: lim.get})
	ct, body := multipartForm(formPart{"file", "notes.txt", sourceText})
	r := tt.do("POST", "/podcasts/generate/files", tt.aliceTok, body, "Content-Type: "+ct).want(http.StatusInsufficientStorage, "disk_full")
	if !strings.Contains(string(r.body), "server.diskReserveMB") {
		t.Errorf("the refusal does not name the setting: %s", r.body)
	}
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("the refused upload left %v", left)
	}
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": sourceText}).want(http.StatusInsufficientStorage, "disk_full")
	lim.reserve.Store(0) // the setting is read at each request
	tt.accept(tt.do("POST", "/podcasts/generate/files", tt.aliceTok, body, "Content-Type: "+ct))
}
