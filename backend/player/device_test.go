package player

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

// handWatchdog is a device-opening watchdog the test fires by hand
// (Options.After), so the tests say when the player gives up on a device
// instead of timing it.
type handWatchdog struct {
	armed chan struct{} // a Play started waiting for the device
	fire  chan time.Time
}

func newHandWatchdog() *handWatchdog {
	return &handWatchdog{armed: make(chan struct{}, 8), fire: make(chan time.Time)}
}

func (w *handWatchdog) after(time.Duration) <-chan time.Time {
	w.armed <- struct{}{}
	return w.fire
}

type played struct {
	st  Status
	err error
}

func playAsync(p *Player) <-chan played {
	res := make(chan played, 1)
	go func() {
		st, err := p.Play()
		res <- played{st, err}
	}()
	return res
}

// expire lets a waiting Play's watchdog fire and returns what Play
// returned; Play must have been waiting for the device, not returned.
func (w *handWatchdog) expire(t *testing.T, res <-chan played) played {
	t.Helper()
	select {
	case r := <-res:
		t.Fatalf("play returned without waiting for the device: %+v, %v", r.st, r.err)
	case <-w.armed:
	}
	select {
	case r := <-res:
		t.Fatalf("play returned before its watchdog fired: %+v, %v", r.st, r.err)
	case w.fire <- time.Time{}:
	}
	return <-res
}

func TestNoOutputDevice(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		out *fakeOutput
		// hangs: Play waits for the device until the watchdog fires;
		// otherwise it reports the device's own refusal at once.
		hangs bool
		opens int // by the two Plays
	}{
		// Asked again on the second Play: it might have been plugged in.
		"device refuses to open": {&fakeOutput{openErr: errors.New("ALSA: no card")}, false, 2},
		// Still opening on the second Play: waited for again, not reopened.
		"device hangs opening": {&fakeOutput{release: make(chan struct{})}, true, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder()
			wd := newHandWatchdog()
			p := New(nil, rec.emit, Options{Output: tc.out, After: wd.after})
			mustLoad(t, p, twoTonePath(t))

			play := func() played {
				if tc.hangs {
					return wd.expire(t, playAsync(p))
				}
				return <-playAsync(p) // the watchdog never fires
			}
			r := play()
			if !errors.Is(r.err, ErrNoOutput) || r.st.State != StateNoOutput || r.st.Error != "no audio output device found" {
				t.Fatalf("play: %+v, %v; want the no-output state", r.st, r.err)
			}
			if waited := strings.Contains(r.err.Error(), "did not open within"); waited != tc.hangs {
				t.Errorf("play: %v; want it to wait for the device only while it hangs", r.err)
			}
			rec.waitState(t, time.Second, StateNoOutput)

			// Everything else keeps working.
			if st, err := p.Seek(1.5); err != nil || st.Position != 1.5 {
				t.Errorf("seek without a device: %+v, %v", st, err)
			}
			if _, err := p.SetSpeed(1.5); err != nil {
				t.Errorf("speed without a device: %v", err)
			}
			if r := play(); !errors.Is(r.err, ErrNoOutput) {
				t.Errorf("second play: %v, want ErrNoOutput", r.err)
			}
			// Close ends even the opening that hangs (the test's own
			// timeout catches a Close that does not), and waits for it.
			if err := p.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			if c := tc.out.counts(); c.opens != tc.opens {
				t.Errorf("device opened %d times, want %d", c.opens, tc.opens)
			}
		})
	}
}

func TestLateDeviceIsUsed(t *testing.T) {
	t.Parallel()
	out := &fakeOutput{release: make(chan struct{})}
	p := New(nil, nil, Options{Output: out, Watchdog: 50 * time.Millisecond})
	defer p.Close()
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); !errors.Is(err, ErrNoOutput) {
		t.Fatalf("play before the device opened: %v", err)
	}
	close(out.release)
	if st, err := p.Play(); err != nil || st.State != StatePlaying {
		t.Fatalf("play once the device opened: %+v, %v", st, err)
	}
}

func TestDeviceThatStopsTakingSamples(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	out := &fakeOutput{}
	p := New(nil, rec.emit, Options{Output: out, Watchdog: 150 * time.Millisecond})
	defer p.Close()
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	// The fake takes nothing unless pulled: a stuck device.
	st := rec.waitState(t, 2*time.Second, StateNoOutput)
	if st.Error != "no audio output device found" {
		t.Errorf("error %q", st.Error)
	}
}

func TestDeviceFailure(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	out := &fakeOutput{}
	p := New(nil, rec.emit, Options{Output: out, Watchdog: 10 * time.Second})
	defer p.Close()
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	// Unplugged while playing: the device fails, and cannot be opened.
	unplugged := errors.New("ALSA: write failed: Broken pipe")
	out.mu.Lock()
	out.failErr, out.openErr = unplugged, unplugged
	out.mu.Unlock()
	rec.waitState(t, 2*time.Second, StateNoOutput)
	if _, err := p.Play(); !errors.Is(err, ErrNoOutput) {
		t.Errorf("play on a failed device: %v, want ErrNoOutput", err)
	}

	// Plugged in again: the next Play opens it and plays on.
	out.mu.Lock()
	out.failErr, out.openErr = nil, nil
	out.mu.Unlock()
	if st, err := p.Play(); err != nil || st.State != StatePlaying {
		t.Fatalf("play once the device is back: %+v, %v", st, err)
	}
	if c := out.counts(); c.opens != 3 || c.starts != 2 {
		t.Errorf("device opened %d times and started %d, want 3 and 2", c.opens, c.starts)
	}
	if !out.pull(1000) {
		t.Error("the device that came back takes no samples")
	}
}

func TestClosedPlayer(t *testing.T) {
	t.Parallel()
	p := New(nil, nil, Options{Output: &fakeOutput{}})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	ops := map[string]func() (Status, error){
		"load":   func() (Status, error) { return p.Load("x", "y.mp3") },
		"play":   p.Play,
		"pause":  p.Pause,
		"toggle": p.Toggle,
		"stop":   p.Stop,
		"seek":   func() (Status, error) { return p.Seek(1) },
		"speed":  func() (Status, error) { return p.SetSpeed(1) },
		"volume": func() (Status, error) { return p.SetVolume(1) },
	}
	for name, op := range ops {
		if _, err := op(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s after close: %v, want ErrClosed", name, err)
		}
	}
}

// panicky is a decoder that panics, as one might on a malformed file.
type panicky struct{ beep.StreamSeekCloser }

func (panicky) Stream([][2]float64) (int, bool) { panic("index out of range [7] with length 4") }
func (panicky) Seek(int) error                  { panic("index out of range [9] with length 2") }
func (panicky) Err() error                      { return nil }

func TestDecoderPanicStopsPlaybackWithAnError(t *testing.T) {
	t.Parallel()
	g := &guarded{StreamSeekCloser: panicky{}}
	if err := g.Seek(10); err == nil || !strings.Contains(err.Error(), "malformed MP3 data") {
		t.Errorf("seek: %v, want the panic as an error", err)
	}

	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, twoTonePath(t))
	p.mu.Lock()
	p.track.gain.Streamer = &guarded{StreamSeekCloser: panicky{}}
	p.mu.Unlock()
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	if out.pull(100) {
		t.Error("a panicking decoder still streamed")
	}
	st := rec.waitState(t, 5*time.Second, StateError)
	if !strings.Contains(st.Error, "malformed MP3 data") {
		t.Errorf("error %q, want it to name the malformed data", st.Error)
	}
}

func TestCloseWhilePlayWaitsForTheDevice(t *testing.T) {
	t.Parallel()
	out := &fakeOutput{release: make(chan struct{})}
	p := New(nil, nil, Options{Output: out, Watchdog: time.Minute})
	mustLoad(t, p, twoTonePath(t))
	played := make(chan error, 1)
	go func() {
		_, err := p.Play()
		played <- err
	}()
	// Close from two goroutines at once while Play waits for the device.
	closed := make(chan error, 2)
	for range 2 {
		go func() { closed <- p.Close() }()
	}
	for range 2 {
		if err := <-closed; err != nil {
			t.Errorf("close: %v", err)
		}
	}
	if err := <-played; !errors.Is(err, ErrClosed) && !errors.Is(err, ErrNoOutput) {
		t.Errorf("play interrupted by close: %v", err)
	}
}
