//go:build soak

package api

import (
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"podcastfy/backend/core"
)

// TestSoak is the shared-server soak (make soak; not part of make test):
// the real server on loopback, five users for soakFor of mixed traffic
// while the first floods the queue and uploads. It prints the other users'
// job start delays against one job's time alone, the 5xx count, memory
// growth and the bytes the flooder leaves on disk once its jobs are
// cancelled, and fails on a 5xx or on bytes left behind.
func TestSoak(t *testing.T) {
	const soakFor = 60 * time.Second
	tt := newTester(t, testOptions{})
	toks := []string{tt.aliceTok, tt.bobTok}
	for _, name := range []string{"carol", "dave", "erin"} {
		tt.addUser(name)
		toks = append(toks, tt.login(name))
	}
	var fivexx atomic.Int64
	do := func(method, path, tok string, body any, headers ...string) reply {
		r := tt.do(method, path, tok, body, headers...)
		if r.status >= 500 {
			fivexx.Add(1)
		}
		return r
	}
	// startDelay is how long a job waited in the queue: from its request
	// to its first state other than queued.
	startDelay := func(tok string) (time.Duration, string) {
		begin := time.Now()
		var acc jobAccepted
		r := do("POST", "/podcasts/generate/text", tok, map[string]any{"text": sourceText, "minutes": 0.5})
		if r.status != http.StatusAccepted {
			return 0, ""
		}
		r.decode(&acc)
		for {
			var st core.Status
			do("GET", acc.StatusURL, tok, nil).decode(&st)
			if st.State != core.Queued {
				return time.Since(begin), acc.JobID
			}
			runtime.Gosched()
		}
	}
	waitDone := func(tok, id string) {
		tt.follow(id, tok)
	}

	// One job alone, for scale.
	solo := time.Now()
	_, id := startDelay(toks[1])
	waitDone(toks[1], id)
	oneJob := time.Since(solo)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	deadline := time.Now().Add(soakFor)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var delays []time.Duration
	var floodAccepted, floodRefused atomic.Int64
	var floodJobs []string
	// The flooder: text jobs and 5 MB uploads as fast as the server answers.
	upload := strings.Repeat("Rivers carve valleys over many years. ", 5<<20/38)
	wg.Go(func() {
		for i := 0; time.Now().Before(deadline); i++ {
			var r reply
			if i%5 == 4 {
				ct, body := multipartForm(formPart{"minutes", "", "0.5"}, formPart{"file", "big.txt", upload})
				r = do("POST", "/podcasts/generate/files", toks[0], body, "Content-Type: "+ct)
			} else {
				r = do("POST", "/podcasts/generate/text", toks[0], map[string]any{"text": strings.Repeat(sourceText+" ", 50), "minutes": 0.5})
			}
			if r.status == http.StatusAccepted {
				var acc jobAccepted
				r.decode(&acc)
				mu.Lock()
				floodJobs = append(floodJobs, acc.JobID)
				mu.Unlock()
				floodAccepted.Add(1)
			} else {
				floodRefused.Add(1)
			}
		}
	})
	// The others: browse, and now and then make a podcast.
	for _, tok := range toks[1:] {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				do("GET", "/me", tok, nil)
				do("GET", "/podcasts", tok, nil)
				do("GET", "/jobs", tok, nil)
				do("GET", "/templates", tok, nil)
				if i%10 == 0 {
					d, id := startDelay(tok)
					if id != "" {
						waitDone(tok, id)
						mu.Lock()
						delays = append(delays, d)
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()

	for _, id := range floodJobs {
		do("DELETE", "/jobs/"+id, toks[0], nil) // cancel a running one …
		do("DELETE", "/jobs/"+id, toks[0], nil) // … and remove it with its uploads
	}
	tt.settle()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	left := dirBytes(uploadDir(tt.paths))
	for _, id := range floodJobs {
		matches, _ := filepath.Glob(filepath.Join(tt.paths.JobsDir(), id+"*"))
		for _, m := range matches {
			left += dirBytes(m)
		}
	}

	slices.Sort(delays)
	var maxDelay, median time.Duration
	if len(delays) > 0 {
		maxDelay, median = delays[len(delays)-1], delays[len(delays)/2]
	}
	fmt.Printf("soak: %s, 5 users, user 1 flooding (%d jobs accepted, %d refused)\n", soakFor, floodAccepted.Load(), floodRefused.Load())
	fmt.Printf("soak: one job alone took %s\n", oneJob.Round(time.Millisecond))
	fmt.Printf("soak: other users' job start delays: %d jobs, median %s, max %s\n", len(delays), median.Round(time.Millisecond), maxDelay.Round(time.Millisecond))
	fmt.Printf("soak: 5xx answers: %d\n", fivexx.Load())
	fmt.Printf("soak: heap in use before %.1f MB, after %.1f MB (growth %.1f MB)\n",
		float64(before.HeapAlloc)/(1<<20), float64(after.HeapAlloc)/(1<<20), float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20))
	fmt.Printf("soak: bytes left in uploads and job files after cancelling the flooder's jobs: %d\n", left)
	if fivexx.Load() > 0 || left > 0 {
		t.Errorf("soak: %d 5xx answers, %d bytes left", fivexx.Load(), left)
	}
}

// dirBytes is the size of every file under dir.
func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
