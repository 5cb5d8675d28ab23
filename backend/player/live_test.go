package player

import (
	"errors"
	"io"
	"math"
	"os"
	"sync"
	"testing"
	"time"
)

// growing is an MP3 file that arrives in parts, as a running job's audio
// does: a Read waits for bytes not yet released, and Close ends it.
type growing struct {
	mu       sync.Mutex
	changed  *sync.Cond
	data     []byte
	avail    int
	complete bool
	closed   bool
	off      int
}

func newGrowing(t *testing.T, path string) *growing {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g := &growing{data: data}
	g.changed = sync.NewCond(&g.mu)
	return g
}

// release makes the first part of the file readable; all of it completes it.
func (g *growing) release(fraction float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.avail = max(g.avail, int(fraction*float64(len(g.data))))
	g.complete = g.avail == len(g.data)
	g.changed.Broadcast()
}

func (g *growing) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.off == g.avail && !g.complete && !g.closed {
		g.changed.Wait()
	}
	switch {
	case g.closed:
		return 0, errors.New("closed")
	case g.off == g.avail:
		return 0, io.EOF
	}
	n := copy(p, g.data[g.off:g.avail])
	g.off += n
	return n, nil
}

func (g *growing) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.changed.Broadcast()
	return nil
}

// A growing MP3 plays as it arrives, waits in silence where it runs out,
// and goes on in the finished file without a sample lost or repeated:
// what the device got is the file, decoded, from its first sample.
func TestLiveTrackGoesOnIntoTheFile(t *testing.T) {
	path, want := twoToneMP3(t)
	g := newGrowing(t, path)
	g.release(0.4)
	out := &fakeOutput{}
	rec := newRecorder()
	p := New(nil, rec.emit, Options{Output: out, Watchdog: time.Minute})
	defer p.Close()

	if _, err := p.LoadLive("", g); err == nil {
		t.Fatal("LoadLive without a job ID worked")
	}
	g = newGrowing(t, path)
	g.release(0.4)
	st, err := p.LoadLive("job1", g)
	if err != nil || st.JobID != "job1" || st.PodcastID != "" || st.State != StateIdle {
		t.Fatalf("LoadLive = %+v, %v", st, err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	// Play until the audio runs out: the device then gets silence.
	heard := 0
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("the live audio never ran out")
		}
		before := len(out.samples())
		out.pull(500)
		got := out.samples()[before:]
		if silent(got) && heard > 12000 {
			break
		}
		heard += len(got) - countSilent(got)
	}
	st = p.Status()
	if st.Position <= 0.5 || st.Position > 1 || st.Duration < st.Position {
		t.Errorf("starved at %.3f s of %.3f s decoded; 40%% of 2 s released", st.Position, st.Duration)
	}
	if _, err := p.Seek(0); !errors.Is(err, ErrLive) {
		t.Errorf("Seek in live audio: %v", err)
	}
	if _, err := p.Continue("job2", "pod1", path); err == nil {
		t.Error("Continue named another job and worked")
	}

	// The rest arrives; a little more plays live, then the file takes over.
	g.release(1)
	for range 20 {
		out.pull(500)
	}
	st, err = p.Continue("job1", "pod1", path)
	if err != nil || st.PodcastID != "pod1" || st.JobID != "" || st.State != StatePlaying || math.Abs(st.Duration-2) > 0.05 {
		t.Fatalf("Continue = %+v, %v", st, err)
	}
	out.pullAll(t)
	got, ref := left(out.samples()), left(want)
	if len(got) != len(ref) {
		t.Fatalf("the device got %d samples of audio, the file has %d", len(got), len(ref))
	}
	for i := range got {
		if got[i] != ref[i] {
			t.Fatalf("sample %d: %g, the file has %g", i, got[i], ref[i])
		}
	}
	if _, err := p.Seek(1); err != nil {
		t.Errorf("Seek in the finished file: %v", err)
	}
}

func silent(s [][2]float64) bool { return len(s) > 0 && countSilent(s) == len(s) }

func countSilent(s [][2]float64) int {
	n := 0
	for _, f := range s {
		if f == [2]float64{} {
			n++
		}
	}
	return n
}
