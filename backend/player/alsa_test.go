package player

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// These tests play through the real speaker (oto over ALSA) into a file
// device, each in a child process set up by inALSAChild.

func newALSAPlayer(t *testing.T) (*Player, *recorder) {
	t.Helper()
	rec := newRecorder()
	p := New(childLogger(), rec.emit, Options{})
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return p, rec
}

// checkRuns fails unless the tones played are 440 Hz then 880 Hz for about
// the given seconds (±0.1 s; a negative first length means "from lo to hi").
func checkRuns(t *testing.T, played []float64, first, second float64) {
	t.Helper()
	runs := toneRuns(played, 24000)
	if len(runs) != 2 || runs[0].tone != 440 || runs[1].tone != 880 ||
		math.Abs(runs[0].seconds-first) > 0.1 || math.Abs(runs[1].seconds-second) > 0.1 {
		t.Errorf("the device played %+v, want %.2f s of 440 Hz then %.2f s of 880 Hz", runs, first, second)
	}
}

func TestALSAPlaysTheFile(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaCapture) {
		return
	}
	path, want := twoToneMP3(t)
	c := startCapture(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, path)

	if st, err := p.Play(); err != nil || st.State != StatePlaying {
		t.Fatalf("play: %+v, %v", st, err)
	}
	end := rec.waitState(t, 10*time.Second, StateEnded)
	if end.Position != end.Duration {
		t.Errorf("ended at %v of %v", end.Position, end.Duration)
	}
	c.waitSounding(t, len(left(want)), 5*time.Second)
	got, _, _ := c.snapshot()
	sameSound(t, left(got), left(want))
	checkRuns(t, left(got), 1, 1)
}

func TestALSASeek(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaCapture) {
		return
	}
	path, want := twoToneMP3(t)
	c := startCapture(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, path)

	// Before playing: only the 880 Hz part from 1.5 s on is played.
	if st, err := p.Seek(1.5); err != nil || st.Position != 1.5 {
		t.Fatalf("seek: %+v, %v", st, err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	rec.waitState(t, 10*time.Second, StateEnded)
	c.waitSounding(t, len(left(want[36000:])), 5*time.Second)
	c.waitQuiet(t, 200*time.Millisecond, 5*time.Second)
	got, before, _ := c.snapshot()
	sameSound(t, left(got), left(want[36000:]))

	// While playing: the device stalls half a second into the 440 Hz part,
	// the player seeks to 1.25 s, and the rest is the 880 Hz part from there.
	mark := rec.mark()
	reached := c.gateAt(before + 12000)
	if _, err := p.Seek(0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	<-reached
	if st, err := p.Seek(1.25); err != nil || st.Position != 1.25 || st.State != StatePlaying {
		t.Fatalf("seek while playing: %+v, %v", st, err)
	}
	c.release()
	rec.waitStateFrom(t, 10*time.Second, mark, StateEnded)
	c.waitQuiet(t, 200*time.Millisecond, 5*time.Second)
	got, _, _ = c.snapshot()
	played := left(got)[before:]

	// What the device held when it stalled (the pipe, ALSA's buffer, oto's)
	// still plays before the seek: a little more than 0.5 s of 440 Hz.
	runs := toneRuns(played, 24000)
	if len(runs) != 2 || runs[0].tone != 440 || runs[1].tone != 880 ||
		runs[0].seconds < 0.45 || runs[0].seconds > 0.85 || math.Abs(runs[1].seconds-0.8) > 0.1 {
		t.Errorf("the device played %+v, want 0.5–0.8 s of 440 Hz then 0.8 s of 880 Hz", runs)
	}
	tail := left(want[30000:])
	if len(played) < len(tail) {
		t.Fatalf("the device played %d sounding frames, want at least %d", len(played), len(tail))
	}
	sameSound(t, played[len(played)-len(tail):], tail)
}

func TestALSAPauseResume(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaCapture) {
		return
	}
	path, want := twoToneMP3(t)
	c := startCapture(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, path)

	reached := c.gateAt(12000)
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	<-reached
	// Pausing waits for the device's current write, which waits for the
	// reader: pause, and let the reader go once the player has paused.
	paused := make(chan error, 1)
	go func() {
		_, err := p.Pause()
		paused <- err
	}()
	waitFor(t, 5*time.Second, "paused", func() bool { return p.Status().State == StatePaused })
	c.release()
	if err := <-paused; err != nil {
		t.Fatalf("pause: %v", err)
	}
	at := p.Status().Position
	held := c.waitQuiet(t, 300*time.Millisecond, 5*time.Second)
	// The device heard about 0.55 s (0.5 s of tone after the encoder's
	// padding); Position allows for the buffers a real device fills.
	if at < 0.25 || at > 0.9 {
		t.Errorf("paused at %.3f s, want about 0.5 s", at)
	}
	if st := p.Status(); st.Position != at || st.State != StatePaused {
		t.Errorf("while paused the status moved to %+v", st)
	}
	if total := len(left(want)); held >= total {
		t.Fatalf("all %d frames played before the pause took effect", total)
	}

	mark := rec.mark()
	if st, err := p.Resume(); err != nil || st.State != StatePlaying {
		t.Fatalf("resume: %+v, %v", st, err)
	}
	rec.waitStateFrom(t, 10*time.Second, mark, StateEnded)
	c.waitSounding(t, len(left(want)), 5*time.Second)
	got, _, _ := c.snapshot()
	// Every sample once, in order: nothing lost or repeated across the pause.
	sameSound(t, left(got), left(want))
}

func TestALSASpeedAndVolume(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaCapture) {
		return
	}
	path, _ := twoToneMP3(t)
	c := startCapture(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, path)
	if _, err := p.SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetVolume(0.5); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	rec.waitState(t, 10*time.Second, StateEnded)
	c.waitQuiet(t, 200*time.Millisecond, 5*time.Second)
	got, _, _ := c.snapshot()
	played := left(got)

	// Twice as fast, same pitch.
	checkRuns(t, played, 0.5, 0.5)
	// Volume 0.5 is a quarter of the amplitude: a 0.5 tone peaks at 0.125.
	var sum float64
	mid := played[len(played)/4 : len(played)*3/4]
	for _, v := range mid {
		sum += v * v
	}
	if rms, want := math.Sqrt(sum/float64(len(mid))), 0.125/math.Sqrt2; math.Abs(rms-want)/want > 0.1 {
		t.Errorf("level %.4f, want %.4f", rms, want)
	}
}

// noOutput checks a player on a machine whose device cannot be used: Play
// says so — at once when the device refuses, when the watchdog fires when
// its opening hangs — and the rest keeps working.
func noOutput(t *testing.T, hangs bool) {
	t.Helper()
	path, _ := twoToneMP3(t)
	rec := newRecorder()
	wd := newHandWatchdog()
	p := New(childLogger(), rec.emit, Options{After: wd.after})
	mustLoad(t, p, path)

	play := func() played {
		if hangs {
			return wd.expire(t, playAsync(p))
		}
		return <-playAsync(p) // the watchdog never fires
	}
	r := play()
	if !errors.Is(r.err, ErrNoOutput) || r.st.State != StateNoOutput || r.st.Error != "no audio output device found" {
		t.Fatalf("play: %+v, %v; want the no-output state", r.st, r.err)
	}
	if waited := strings.Contains(r.err.Error(), "did not open within"); waited != hangs {
		t.Errorf("play: %v; want it to wait for the device only while it hangs", r.err)
	}
	rec.waitState(t, time.Second, StateNoOutput)

	if st, err := p.Seek(1); err != nil || st.Position != 1 {
		t.Errorf("seek without a device: %+v, %v", st, err)
	}
	if _, err := p.SetVolume(0.3); err != nil {
		t.Errorf("volume without a device: %v", err)
	}
	if st, err := p.Load("pod-2", path); err != nil || st.PodcastID != "pod-2" {
		t.Errorf("load without a device: %+v, %v", st, err)
	}
	if r := play(); !errors.Is(r.err, ErrNoOutput) {
		t.Errorf("second play: %v, want ErrNoOutput", r.err)
	}
	// Close ends even an opening blocked in ALSA (the test's own timeout
	// catches a Close that does not).
	if err := p.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

func TestALSANoDevice(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaNoDevice) {
		return
	}
	noOutput(t, false)
}

func TestALSADeviceHangsOpening(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaHangs) {
		return
	}
	// oto's opening goroutine stays blocked in ALSA; the player must not.
	noOutput(t, true)
}

func TestALSADevicePluggedInLater(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaAppears) {
		return
	}
	path, want := twoToneMP3(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, path)
	if st, err := p.Play(); !errors.Is(err, ErrNoOutput) || st.State != StateNoOutput {
		t.Fatalf("play with no device: %+v, %v; want the no-output state", st, err)
	}

	plugIn(t)
	c := startCapture(t)
	mark := rec.mark()
	if st, err := p.Play(); err != nil || st.State != StatePlaying {
		t.Fatalf("play once the device is there: %+v, %v", st, err)
	}
	rec.waitStateFrom(t, 10*time.Second, mark, StateEnded)
	c.waitSounding(t, len(left(want)), 5*time.Second)
	got, _, _ := c.snapshot()
	sameSound(t, left(got), left(want))
}

// TestALSATimelineMatchesCaptions plays a mastered file through the real
// speaker from a seek just before its second line: the device gets exactly
// the audio from there on, and in that audio each line sounds where its
// caption starts.
func TestALSATimelineMatchesCaptions(t *testing.T) {
	t.Parallel()
	if !inALSAChild(t, alsaCapture) {
		return
	}
	m := masterTones(t, 24000)
	want, err := decodeFile(m.path)
	if err != nil {
		t.Fatal(err)
	}
	checkOnsets(t, onsets(channel(want), m.rate), m.starts)

	c := startCapture(t)
	p, rec := newALSAPlayer(t)
	mustLoad(t, p, m.path)
	from := m.starts[1] - 0.08
	if _, err := p.Seek(from); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	rec.waitState(t, 10*time.Second, StateEnded)
	rest := want[int(math.Round(from*float64(m.rate))):]
	c.waitSounding(t, len(left(rest)), 5*time.Second)
	got, _, _ := c.snapshot()
	sameSound(t, left(got), left(rest))
}
