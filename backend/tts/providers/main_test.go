package providers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// TestMain fails the run if any test leaves a goroutine behind (a stuck
// reader, writer or HTTP connection).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fastRetry keeps retry tests quick; back-off is still exercised.
var fastRetry = tts.RetryPolicy{Attempts: 3, Initial: time.Millisecond, Max: 4 * time.Millisecond}

// serve starts h on 127.0.0.1 for the test's lifetime.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// testClient is an HTTP client with its own connection pool, closed when
// the test ends so no keep-alive goroutine outlives it.
func testClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

// counter is middleware counting requests by "METHOD /path" and
// announcing each started request on a channel (dropped when full).
type counter struct {
	h       http.Handler
	started chan string

	mu     sync.Mutex
	counts map[string]int
}

func count(h http.Handler) *counter {
	return &counter{h: h, started: make(chan string, 16), counts: map[string]int{}}
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	c.mu.Lock()
	c.counts[key]++
	c.mu.Unlock()
	select {
	case c.started <- key:
	default:
	}
	c.h.ServeHTTP(w, r)
}

func (c *counter) n(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[key]
}

// cancelOnStart cancels ctx once the server has started a request.
func cancelOnStart(c *counter, cancel context.CancelFunc) {
	go func() {
		<-c.started
		cancel()
	}()
}

// checkAudioOrError asserts a synthesis result: audio when wantErr is
// empty, otherwise an error containing every string of wantErr.
func checkAudioOrError(t *testing.T, clip audio.Clip, err error, wantErr []string) {
	t.Helper()
	if len(wantErr) == 0 {
		if err != nil || clip.Duration() == 0 {
			t.Fatalf("got %.3f s, %v; want audio", clip.Duration(), err)
		}
		return
	}
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("error: %v", err)
	for _, s := range wantErr {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}
