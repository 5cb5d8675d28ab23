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
)

// TestSoak is the shared-server soak (make soak; not part of make test):
// the real server on loopback, five users for soakFor of mixed traffic
// while the first floods the queue and uploads. For each of the other
// users' jobs it prints the start delay (from the request to the job's
// first state past queued, split into the request's answer and the wait
// after it) next to the duration of the longest job running when it was
// queued (the flooder's, when one of theirs ran), and the largest ratio of
// the two; then the 5xx count, memory growth and the bytes the flooder
// leaves on disk once its jobs are cancelled. It fails on a 5xx, on heap
// growth of 50 MB or more, or on bytes left behind; the times are
// reported, never asserted.
func TestSoak(t *testing.T) {
	const soakFor = 60 * time.Second
	tl := newTimeline()
	tt := newTester(t, testOptions{tap: tl})
	toks := []string{tt.aliceTok, tt.bobTok}
	for _, name := range []string{"carol", "dave", "erin"} {
		tt.addUser(name)
		toks = append(toks, tt.login(name))
	}
	flooder := tt.alice.ID
	var fivexx atomic.Int64
	do := func(method, path, tok string, body any, headers ...string) reply {
		r := tt.do(method, path, tok, body, headers...)
		if r.status >= 500 {
			fivexx.Add(1)
		}
		return r
	}
	// measured is one job of a user other than the flooder.
	type measured struct {
		id                  string
		admission, queue    time.Duration // request → 202, 202 → started
		running             time.Duration // the job running when it was queued
		runningOwner        string
		runningKnown, stuck bool
	}
	start := func(tok string) (measured, bool) {
		begin := time.Now().UTC()
		var acc jobAccepted
		r := do("POST", "/podcasts/generate/text", tok, map[string]any{"text": sourceText, "minutes": 0.5})
		queued := time.Now().UTC()
		if r.status != http.StatusAccepted {
			return measured{}, false
		}
		r.decode(&acc)
		m := measured{id: acc.JobID, admission: queued.Sub(begin)}
		m.running, m.runningOwner, m.runningKnown = tl.runningAt(queued, acc.JobID, flooder)
		started := tl.waitStart(acc.JobID, 2*time.Minute)
		if m.stuck = started.IsZero(); !m.stuck {
			m.queue = max(started.Sub(queued), 0)
		}
		return m, true
	}

	// One job alone, for scale.
	solo := time.Now()
	if m, ok := start(toks[1]); ok {
		tt.follow(m.id, toks[1])
	}
	oneJob := time.Since(solo)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	deadline := time.Now().Add(soakFor)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var jobs []measured
	var floodAccepted, floodRefused atomic.Int64
	var floodJobs []string
	// The flooder: text jobs and 5 MB uploads as fast as the server answers.
	uploadType, uploadBody := multipartForm(formPart{"minutes", "", "0.5"},
		formPart{"file", "big.txt", strings.Repeat("Rivers carve valleys over many years. ", 5<<20/38)})
	// Each text differs, so no job is made of lines the TTS cache holds
	// from an earlier one: every one of the flooder's jobs is real work.
	floodText := func(i int) map[string]any {
		text := strings.ReplaceAll(strings.Repeat(sourceText+" ", 50), "water", fmt.Sprintf("water (sample %d)", i))
		return map[string]any{"text": text, "minutes": 0.5}
	}
	wg.Go(func() {
		for i := 0; time.Now().Before(deadline); i++ {
			var r reply
			if i%5 == 4 {
				r = do("POST", "/podcasts/generate/files", toks[0], uploadBody, "Content-Type: "+uploadType)
			} else {
				r = do("POST", "/podcasts/generate/text", toks[0], floodText(i))
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
					if m, ok := start(tok); ok {
						tt.follow(m.id, tok)
						mu.Lock()
						jobs = append(jobs, m)
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
	leftNames := dirFiles(uploadDir(tt.paths))
	for _, id := range floodJobs {
		matches, _ := filepath.Glob(filepath.Join(tt.paths.JobsDir(), id+"*"))
		for _, m := range matches {
			left += dirBytes(m)
			leftNames = append(leftNames, dirFiles(m)...)
		}
	}

	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	fmt.Printf("soak: %s, 5 users, user 1 flooding (%d jobs accepted, %d refused)\n", soakFor, floodAccepted.Load(), floodRefused.Load())
	fmt.Printf("soak: one job alone took %s\n", ms(oneJob))
	fmt.Printf("soak: the flooder's jobs: %s\n", tl.summary(flooder))
	var delays []time.Duration
	maxRatio, stuck := 0.0, 0
	for i, m := range jobs {
		delay := m.admission + m.queue
		delays = append(delays, delay)
		line := fmt.Sprintf("soak: job %3d: start delay %7s (answer %7s + wait %7s)", i+1, ms(delay), ms(m.admission), ms(m.queue))
		switch {
		case m.stuck:
			stuck++
			line += "  never started"
		case !m.runningKnown:
			line += "  no job was running when it was queued"
		default:
			who := "another user's"
			if m.runningOwner == flooder {
				who = "the flooder's"
			}
			ratio := float64(delay) / float64(m.running)
			maxRatio = max(maxRatio, ratio)
			line += fmt.Sprintf("  running when queued: %s job of %7s  ratio %.2f", who, ms(m.running), ratio)
		}
		fmt.Println(line)
	}
	slices.Sort(delays)
	if len(delays) > 0 {
		fmt.Printf("soak: other users' jobs: %d, start delay median %s, max %s; max ratio to the job running when queued %.2f\n",
			len(delays), ms(delays[len(delays)/2]), ms(delays[len(delays)-1]), maxRatio)
	}
	fmt.Printf("soak: 5xx answers: %d\n", fivexx.Load())
	growth := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	fmt.Printf("soak: heap in use before %.1f MB, after %.1f MB (growth %.1f MB)\n",
		float64(before.HeapAlloc)/(1<<20), float64(after.HeapAlloc)/(1<<20), growth)
	fmt.Printf("soak: bytes left in uploads and job files after cancelling the flooder's jobs: %d\n", left)
	for _, name := range leftNames {
		fmt.Printf("soak: left: %s\n", name)
	}
	if fivexx.Load() > 0 || left > 0 || growth >= 50 || stuck > 0 || len(jobs) == 0 {
		t.Errorf("soak: %d 5xx answers, %d bytes left, heap growth %.1f MB, %d of %d jobs never started", fivexx.Load(), left, growth, stuck, len(jobs))
	}
}

// dirFiles lists the files under dir (or dir itself, a file), with sizes.
func dirFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				out = append(out, fmt.Sprintf("%s (%d bytes, %s)", path, fi.Size(), fi.ModTime().Format("15:04:05.000")))
			}
		}
		return nil
	})
	return out
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
