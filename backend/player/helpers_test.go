package player

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

// twoTone is 440 Hz for the first second and 880 Hz for the next, so the
// frequency of what was played tells which part it came from.
const twoTone = "if(lt(t\\,1)\\,0.5*sin(2*PI*440*t)\\,0.5*sin(2*PI*880*t))"

// fixtureDir holds the MP3s made for this test process.
var fixtureDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "player-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixtureDir = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

type fixture struct {
	path    string
	samples [][2]float64
	err     error
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
)

// makeMP3 encodes the ffmpeg aevalsrc expression expr (mono) as an MP3 at
// rate for the given seconds, once per test process, and returns its path.
func makeMP3(t testing.TB, expr string, rate int, seconds float64) string {
	t.Helper()
	return loadFixture(t, expr, rate, seconds).path
}

// twoToneMP3 returns the two-tone MP3 and its samples as beep decodes them.
func twoToneMP3(t testing.TB) (string, [][2]float64) {
	t.Helper()
	f := loadFixture(t, twoTone, 24000, 2)
	return f.path, f.samples
}

func loadFixture(t testing.TB, expr string, rate int, seconds float64) *fixture {
	t.Helper()
	key := fmt.Sprintf("%s|%d|%g", expr, rate, seconds)
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	f, ok := fixtures[key]
	if !ok {
		f = &fixture{path: filepath.Join(fixtureDir, fmt.Sprintf("tone-%d.mp3", len(fixtures)))}
		src := fmt.Sprintf("aevalsrc=%s:s=%d:d=%g", expr, rate, seconds)
		out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
			"-i", src, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", f.path).CombinedOutput()
		if err != nil {
			f.err = fmt.Errorf("ffmpeg: %w\n%s", err, out)
		} else {
			f.samples, f.err = decodeFile(f.path)
		}
		fixtures[key] = f
	}
	if f.err != nil {
		t.Fatal(f.err)
	}
	return f
}

// decodeFile decodes a whole MP3 as the player's track does (beep's
// decoder, less the encoder's lead-in and padding), for reference.
func decodeFile(path string) ([][2]float64, error) {
	t, err := openTrack(path)
	if err != nil {
		return nil, err
	}
	var all [][2]float64
	buf := make([][2]float64, 4096)
	for {
		n, ok := t.dec.Stream(buf)
		all = append(all, buf[:n]...)
		if !ok {
			return all, errors.Join(t.dec.Err(), t.close())
		}
	}
}

// left returns the left channel, without frames that are exactly silent (the
// device is fed exact zeros while paused).
func left(frames [][2]float64) []float64 {
	out := make([]float64, 0, len(frames))
	for _, f := range frames {
		if f[0] != 0 || f[1] != 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// frequency estimates the frequency of a tone from its zero crossings.
func frequency(x []float64, rate int) float64 {
	crossings := 0
	for i := 1; i < len(x); i++ {
		if (x[i-1] < 0) != (x[i] < 0) {
			crossings++
		}
	}
	return float64(crossings) / 2 / (float64(len(x)) / float64(rate))
}

// toneRuns splits x into 50 ms windows, names each window's tone (440, 880,
// or 0 for anything else) and returns the runs of equal tones with their
// lengths in seconds. Runs shorter than two windows, the edges of a cut, and
// short runs of no tone, the encoder's padding, are dropped.
func toneRuns(x []float64, rate int) []toneRun {
	win := rate / 20
	var runs []toneRun
	for i := 0; i+win <= len(x); i += win {
		f := frequency(x[i:i+win], rate)
		tone := 0
		switch {
		case math.Abs(f-440) < 40:
			tone = 440
		case math.Abs(f-880) < 60:
			tone = 880
		}
		if n := len(runs); n > 0 && runs[n-1].tone == tone {
			runs[n-1].seconds += 0.05
			continue
		}
		runs = append(runs, toneRun{tone: tone, seconds: 0.05})
	}
	kept := runs[:0]
	for _, r := range runs {
		if r.seconds < 0.099 || r.tone == 0 && r.seconds < 0.2 {
			continue
		}
		if n := len(kept); n > 0 && kept[n-1].tone == r.tone {
			kept[n-1].seconds += r.seconds
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

type toneRun struct {
	tone    int
	seconds float64
}

// recorder keeps what a Player emits and lets a test wait for a status.
type recorder struct {
	mu      sync.Mutex
	got     []Status
	at      []time.Time
	changed chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{})} }

func (r *recorder) emit(s Status) {
	r.mu.Lock()
	r.got = append(r.got, s)
	r.at = append(r.at, time.Now())
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

func (r *recorder) all() ([]Status, []time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Status(nil), r.got...), append([]time.Time(nil), r.at...)
}

// wait returns the first status emitted that satisfies ok, failing the test
// after timeout.
func (r *recorder) wait(t testing.TB, timeout time.Duration, what string, ok func(Status) bool) Status {
	t.Helper()
	return r.waitFrom(t, timeout, 0, what, ok)
}

// mark returns how many statuses were emitted so far, for waitFrom.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// waitFrom is wait, looking only at statuses emitted after mark.
func (r *recorder) waitFrom(t testing.TB, timeout time.Duration, mark int, what string, ok func(Status) bool) Status {
	t.Helper()
	deadline := time.After(timeout)
	seen := mark
	for {
		r.mu.Lock()
		got, changed := r.got, r.changed
		r.mu.Unlock()
		for ; seen < len(got); seen++ {
			if ok(got[seen]) {
				return got[seen]
			}
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no %s status within %v; emitted: %+v", what, timeout, got[mark:])
		}
	}
}

func (r *recorder) waitState(t testing.TB, timeout time.Duration, s State) Status {
	t.Helper()
	return r.wait(t, timeout, string(s), func(st Status) bool { return st.State == s })
}

func (r *recorder) waitStateFrom(t testing.TB, timeout time.Duration, mark int, s State) Status {
	t.Helper()
	return r.waitFrom(t, timeout, mark, string(s), func(st Status) bool { return st.State == s })
}

// fakeOutput is a device the test drives: it pulls samples only when told.
type fakeOutput struct {
	mu      sync.Mutex
	openErr error
	release chan struct{} // when set, Open waits for it to close
	opens   int
	rate    beep.SampleRate
	s       beep.Streamer
	running bool
	drained bool
	failErr error
	got     [][2]float64
	starts  int
	resumes int
	closed  bool
}

func (f *fakeOutput) Open(ctx context.Context, rate beep.SampleRate) error {
	f.mu.Lock()
	f.opens++
	release, err := f.release, f.openErr
	f.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.mu.Lock()
	f.rate = rate
	f.mu.Unlock()
	return err
}

func (f *fakeOutput) Start(s beep.Streamer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.s, f.running, f.drained = s, true, false
	f.starts++
	return nil
}

func (f *fakeOutput) Pause() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.running = false
	return nil
}

func (f *fakeOutput) Resume() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.running = true
	f.resumes++
	return nil
}

func (f *fakeOutput) Drained() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.drained
}

func (f *fakeOutput) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failErr
}

// Latency is none: the fake plays what it pulls.
func (f *fakeOutput) Latency() time.Duration { return 0 }

func (f *fakeOutput) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed, f.running = true, false
	return nil
}

// pull takes up to n samples, as a device would while running, and reports
// whether the stream went on.
func (f *fakeOutput) pull(n int) bool {
	f.mu.Lock()
	s, running := f.s, f.running
	f.mu.Unlock()
	if s == nil || !running {
		return false
	}
	buf := make([][2]float64, n)
	k, ok := s.Stream(buf)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, buf[:k]...)
	f.drained = f.drained || !ok
	return ok
}

// pullAll pulls until the stream is drained.
func (f *fakeOutput) pullAll(t testing.TB) {
	t.Helper()
	for range 1_000_000 {
		if !f.pull(1000) {
			return
		}
	}
	t.Fatal("the stream never drained")
}

func (f *fakeOutput) samples() [][2]float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][2]float64(nil), f.got...)
}

func secondsDuration(s float64) time.Duration {
	return time.Duration(s * float64(time.Second))
}

type outputCounts struct {
	opens, starts, resumes int
	rate                   int
}

func (f *fakeOutput) counts() outputCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	return outputCounts{opens: f.opens, starts: f.starts, resumes: f.resumes, rate: int(f.rate)}
}
