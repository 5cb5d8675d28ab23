package providers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

// inFlight serves a fake and records the most requests it had at once.
type inFlight struct {
	h        http.Handler
	now, max atomic.Int64
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.now.Add(1)
	defer f.now.Add(-1)
	for m := f.max.Load(); n > m && !f.max.CompareAndSwap(m, n); m = f.max.Load() {
	}
	f.h.ServeHTTP(w, r)
}

// Lines spread over three Kokoro servers on loopback ports, each held to
// its concurrency; the one that fails is taken out after its first failure
// and its line is voiced by another.
func TestPoolSpreadsLinesAndRoutesAroundAFailingServer(t *testing.T) {
	fakes := []*ttstest.OpenAI{{Flavour: ttstest.Kokoro}, {Flavour: ttstest.Kokoro}, {Flavour: ttstest.Kokoro}}
	for range 100 {
		fakes[2].Fail(ttstest.ServerError)
	}
	conc := []int{2, 1, 1}
	var eps []tts.Endpoint
	var counters []*inFlight
	for i, f := range fakes {
		c := &inFlight{h: f}
		srv := httptest.NewServer(c)
		t.Cleanup(srv.Close)
		counters = append(counters, c)
		eps = append(eps, tts.Endpoint{Synth: newOpenAI(t, srv.URL, OpenAIConfig{}), Concurrency: conc[i]})
	}
	pool, err := tts.NewPool(eps, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pool.Capacity() != 4 || pool.Name() != NameOpenAI {
		t.Fatalf("capacity %d, name %q", pool.Capacity(), pool.Name())
	}
	const lines = 16
	voiceLines(t, pool, lines)
	if n := len(fakes[2].Requests()); n != 1 {
		t.Errorf("the failing server got %d requests, want 1 before it was taken out", n)
	}
	a, b := len(fakes[0].Requests()), len(fakes[1].Requests())
	if a+b != lines || a == 0 || b == 0 {
		t.Errorf("the healthy servers voiced %d and %d lines, want all %d between them", a, b, lines)
	}
	for i, c := range counters {
		if m := c.max.Load(); m > int64(conc[i]) {
			t.Errorf("server %d had %d requests at once, its concurrency is %d", i, m, conc[i])
		}
	}
}

// voiceLines has the pool voice n lines from as many workers as it has
// room for, as the job service's workers do, and fails the test on any
// line that fails or comes back without audio.
func voiceLines(t *testing.T, pool *tts.Pool, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	work := make(chan int)
	for range pool.Capacity() {
		wg.Go(func() {
			for range work {
				clip, err := pool.Synthesize(context.Background(), tts.Request{Text: "A line for the pool to voice.", Voice: "af_heart", Speed: 1})
				if err == nil && len(clip.Samples) == 0 {
					err = errors.New("no audio")
				}
				errs <- err
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a line failed: %v", err)
		}
	}
}

// counted counts the lines a server of the pool is asked to voice; the
// provider beneath does the work (here: fails to connect).
type counted struct {
	tts.Synthesizer
	calls atomic.Int64
}

func (c *counted) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	c.calls.Add(1)
	return c.Synthesizer.Synthesize(ctx, req)
}

// A Kokoro server on a closed port (connection refused), listed first
// among two live ones: the workers' lines all reach the live servers, the
// dead one is asked once and then left alone for its cooldown.
func TestPoolRoutesAroundAServerOnAClosedPort(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	dead := &counted{Synthesizer: newOpenAI(t, goneURL, OpenAIConfig{})}
	eps := []tts.Endpoint{{Synth: dead}}
	fakes := []*ttstest.OpenAI{{Flavour: ttstest.Kokoro}, {Flavour: ttstest.Kokoro}}
	for _, f := range fakes {
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		eps = append(eps, tts.Endpoint{Synth: newOpenAI(t, srv.URL, OpenAIConfig{})})
	}
	pool, err := tts.NewPool(eps, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	const lines = 12
	voiceLines(t, pool, lines)
	if n := dead.calls.Load(); n != 1 {
		t.Errorf("the server on a closed port was asked %d times, want once before its cooldown", n)
	}
	if a, b := len(fakes[0].Requests()), len(fakes[1].Requests()); a+b != lines || a == 0 || b == 0 {
		t.Errorf("the live servers voiced %d and %d lines, want all %d between them", a, b, lines)
	}
}

// When every server fails the line fails with the error; a server that is
// out is tried again once its cooldown is over.
func TestPoolFailsWhenEveryServerFails(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	down := &ttstest.OpenAI{Flavour: ttstest.Kokoro}
	down.Fail(ttstest.ServerError, ttstest.ProxyHTML)
	srv := httptest.NewServer(down)
	t.Cleanup(srv.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close() // connection refused
	pool, err := tts.NewPool([]tts.Endpoint{
		{Synth: newOpenAI(t, srv.URL, OpenAIConfig{})}, {Synth: newOpenAI(t, goneURL, OpenAIConfig{})},
	}, time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	req := tts.Request{Text: "Nobody will say this.", Voice: "af_heart"}
	if _, err := pool.Synthesize(context.Background(), req); err == nil || !tts.Retryable(err) {
		t.Fatalf("err = %v, want the last server's retryable error", err)
	}
	// Both are out; a new line still tries them rather than waiting.
	if _, err := pool.Synthesize(context.Background(), req); err == nil {
		t.Fatal("the second line succeeded on servers that fail")
	}
	now = now.Add(2 * time.Minute)
	if _, err := pool.Synthesize(context.Background(), req); err != nil {
		t.Fatalf("after the cooldown the recovered server failed: %v", err)
	}
	if n := len(down.Requests()); n != 3 {
		t.Errorf("the flaky server got %d requests, want 3", n)
	}
}
