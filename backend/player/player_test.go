package player

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newFakePlayer returns a player on a fake device with a generous watchdog,
// closed when the test ends.
func newFakePlayer(t *testing.T) (*Player, *fakeOutput, *recorder) {
	t.Helper()
	out, rec := &fakeOutput{}, newRecorder()
	p := New(nil, rec.emit, Options{Output: out, Watchdog: 10 * time.Second})
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return p, out, rec
}

func mustLoad(t *testing.T, p *Player, path string) Status {
	t.Helper()
	st, err := p.Load("pod-1", path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return st
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.mp3")
	if err := os.WriteFile(text, []byte(strings.Repeat("not audio at all\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.mp3")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	good, _ := twoToneMP3(t)

	tests := map[string]struct {
		id, path string
		wantErr  string
		want     State
	}{
		"an MP3":         {"pod-1", good, "", StateIdle},
		"missing file":   {"pod-1", filepath.Join(dir, "gone.mp3"), "no such file", StateError},
		"text file":      {"pod-1", text, "is it an MP3 file?", StateError},
		"empty file":     {"pod-1", empty, "is it an MP3 file?", StateError},
		"no podcast ID":  {" ", good, "podcast ID is empty", StateIdle},
		"no file path":   {"pod-1", "", "path is empty", StateIdle},
		"directory path": {"pod-1", dir, "MP3", StateError},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, _, rec := newFakePlayer(t)
			st, err := p.Load(tc.id, tc.path)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("load: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("load error %v, want one mentioning %q", err, tc.wantErr)
			}
			if st.State != tc.want {
				t.Errorf("state %q, want %q", st.State, tc.want)
			}
			if tc.wantErr == "" {
				// Exactly the 2 s encoded: the LAME tag gives the encoder's
				// lead-in and padding, which are not counted.
				if st.Duration != 2 || st.PodcastID != "pod-1" || st.Position != 0 {
					t.Errorf("status %+v, want pod-1 at 0 of 2 s", st)
				}
				rec.waitState(t, time.Second, StateLoading)
			}
			if tc.want == StateError && st.Error == "" {
				t.Errorf("error state without a message: %+v", st)
			}
		})
	}
}

func TestNothingLoaded(t *testing.T) {
	t.Parallel()
	p, _, _ := newFakePlayer(t)
	if _, err := p.Play(); !errors.Is(err, ErrNoTrack) {
		t.Errorf("play: %v, want ErrNoTrack", err)
	}
	if _, err := p.Seek(1); !errors.Is(err, ErrNoTrack) {
		t.Errorf("seek: %v, want ErrNoTrack", err)
	}
	for name, op := range map[string]func() (Status, error){"pause": p.Pause, "stop": p.Stop} {
		if st, err := op(); err != nil || st.State != StateIdle {
			t.Errorf("%s: %+v, %v; want idle and no error", name, st, err)
		}
	}
}

func TestPlaysDecodedSamplesToTheEnd(t *testing.T) {
	t.Parallel()
	path, want := twoToneMP3(t)
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, path)

	st, err := p.Play()
	if err != nil || st.State != StatePlaying {
		t.Fatalf("play: %+v, %v", st, err)
	}
	out.pullAll(t)
	end := rec.waitState(t, 5*time.Second, StateEnded)
	if end.Position != end.Duration {
		t.Errorf("ended at %v of %v", end.Position, end.Duration)
	}
	got := out.samples()
	if len(got) != len(want) {
		t.Fatalf("played %d samples, the file has %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sample %d is %v, want %v", i, got[i], want[i])
		}
	}

	// Play after the end starts again from the beginning.
	if st, err := p.Play(); err != nil || st.State != StatePlaying || st.Position != 0 {
		t.Fatalf("replay: %+v, %v", st, err)
	}
	if c := out.counts(); c.starts != 2 {
		t.Errorf("device started %d times, want 2", c.starts)
	}
}

func TestSeek(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		to      float64
		wantErr string
		want    float64 // position; -1 means the duration
	}{
		"middle":          {to: 1.25, want: 1.25},
		"start":           {to: 0, want: 0},
		"past the end":    {to: 1e9, want: -1},
		"chapter start":   {to: 1.75, want: 1.75},
		"NaN":             {to: math.NaN(), wantErr: "number of seconds"},
		"infinity":        {to: math.Inf(1), wantErr: "number of seconds"},
		"negative":        {to: -1, wantErr: "0 or more"},
		"tiny negative":   {to: -1e-9, wantErr: "0 or more"},
		"negative infity": {to: math.Inf(-1), wantErr: "number of seconds"},
	}
	path, _ := twoToneMP3(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, _, _ := newFakePlayer(t)
			loaded := mustLoad(t, p, path)
			st, err := p.Seek(tc.to)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("seek(%v): %v, want an error mentioning %q", tc.to, err, tc.wantErr)
				}
				if st.Position != 0 {
					t.Errorf("a refused seek moved to %v", st.Position)
				}
				return
			}
			if err != nil {
				t.Fatalf("seek(%v): %v", tc.to, err)
			}
			want := tc.want
			if want < 0 {
				want = loaded.Duration
			}
			if st.Position != want {
				t.Errorf("position %v, want %v", st.Position, want)
			}
		})
	}
}

func TestSeekPlaysFromThere(t *testing.T) {
	t.Parallel()
	path, _ := twoToneMP3(t)
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, path)
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.pull(12000) // 0.5 s of the 440 Hz half
	if st := p.Status(); math.Abs(st.Position-0.5) > 1e-9 {
		t.Fatalf("position %v after 0.5 s, want 0.5", st.Position)
	}
	if _, err := p.Seek(1.5); err != nil {
		t.Fatal(err)
	}
	if c := out.counts(); c.starts != 2 {
		t.Fatalf("seeking while playing started the device %d times in all, want 2", c.starts)
	}
	out.pullAll(t)
	rec.waitState(t, 5*time.Second, StateEnded)

	runs := toneRuns(left(out.samples()), 24000)
	if len(runs) != 2 || runs[0].tone != 440 || runs[1].tone != 880 ||
		math.Abs(runs[0].seconds-0.5) > 0.11 || math.Abs(runs[1].seconds-0.55) > 0.11 {
		t.Errorf("played %+v, want 0.5 s of 440 Hz then about 0.55 s of 880 Hz", runs)
	}
}

func TestPauseResumeHoldsThePlace(t *testing.T) {
	t.Parallel()
	path, want := twoToneMP3(t)
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, path)
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.pull(24000)
	st, err := p.Pause()
	if err != nil || st.State != StatePaused || st.Position != 1 {
		t.Fatalf("pause: %+v, %v; want paused at 1 s", st, err)
	}
	if out.pull(1000) {
		t.Fatal("a paused device still took samples")
	}
	if st, err := p.Toggle(); err != nil || st.State != StatePlaying || st.Position != 1 {
		t.Fatalf("toggle: %+v, %v; want playing from 1 s", st, err)
	}
	if c := out.counts(); c.resumes != 1 || c.starts != 1 {
		t.Errorf("device resumed %d and started %d times, want 1 and 1", c.resumes, c.starts)
	}
	out.pullAll(t)
	rec.waitState(t, 5*time.Second, StateEnded)
	if got := out.samples(); len(got) != len(want) {
		t.Errorf("played %d samples, the file has %d", len(got), len(want))
	}
}

func TestPauseWhileTheDeviceStillReads(t *testing.T) {
	t.Parallel()
	// A real device may read once more after Pause before it stops: it must
	// get silence, and the position must not move.
	path, _ := twoToneMP3(t)
	p, out, _ := newFakePlayer(t)
	mustLoad(t, p, path)
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	s := out.s
	out.mu.Unlock()
	if _, err := p.Pause(); err != nil {
		t.Fatal(err)
	}
	buf := make([][2]float64, 100)
	buf[3] = [2]float64{1, 1}
	if n, ok := s.Stream(buf); n != 100 || !ok || buf[3] != [2]float64{} {
		t.Errorf("paused stream gave %d, %v, %v; want 100 silent samples", n, ok, buf[3])
	}
	if st := p.Status(); st.Position != 0 {
		t.Errorf("position moved to %v while paused", st.Position)
	}
}

func TestStopGoesBackToTheStart(t *testing.T) {
	t.Parallel()
	p, out, _ := newFakePlayer(t)
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.pull(5000)
	st, err := p.Stop()
	if err != nil || st.State != StateIdle || st.Position != 0 || st.PodcastID != "pod-1" {
		t.Fatalf("stop: %+v, %v", st, err)
	}
	if out.pull(10) {
		t.Error("a stopped device still took samples")
	}
}

func TestSpeedAndVolume(t *testing.T) {
	t.Parallel()
	path, ref := twoToneMP3(t)
	tests := map[string]struct {
		speed, volume float64
		gain          float64 // expected amplitude factor
	}{
		"as recorded":           {speed: 1, volume: 1, gain: 1},
		"half volume":           {speed: 1, volume: 0.5, gain: 0.25},
		"silent":                {speed: 1, volume: 0, gain: 0},
		"double speed":          {speed: 2, volume: 1, gain: 1},
		"half speed, quieter":   {speed: 0.5, volume: 0.8, gain: 0.64},
		"one and a half, whole": {speed: 1.5, volume: 1, gain: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, out, rec := newFakePlayer(t)
			mustLoad(t, p, path)
			if st, err := p.SetSpeed(tc.speed); err != nil || st.Speed != tc.speed {
				t.Fatalf("speed: %+v, %v", st, err)
			}
			if st, err := p.SetVolume(tc.volume); err != nil || st.Volume != tc.volume {
				t.Fatalf("volume: %+v, %v", st, err)
			}
			if _, err := p.Play(); err != nil {
				t.Fatal(err)
			}
			out.pullAll(t)
			rec.waitState(t, 5*time.Second, StateEnded)
			got := out.samples()

			wantLen := float64(len(ref)) / tc.speed
			if math.Abs(float64(len(got))-wantLen) > 0.04*24000 {
				t.Errorf("played %d samples, want about %.0f", len(got), wantLen)
			}
			if tc.speed == 1 {
				for i := range got {
					if math.Abs(got[i][0]-ref[i][0]*tc.gain) > 1e-12 {
						t.Fatalf("sample %d is %v, want %v × %v", i, got[i][0], ref[i][0], tc.gain)
					}
				}
				return
			}
			runs := toneRuns(left(got), 24000)
			if len(runs) != 2 || runs[0].tone != 440 || runs[1].tone != 880 ||
				math.Abs(runs[0].seconds-1/tc.speed) > 0.1 {
				t.Errorf("played %+v, want 440 Hz then 880 Hz, %.2f s each", runs, 1/tc.speed)
			}
		})
	}
}

func TestSpeedChangeWhilePlaying(t *testing.T) {
	t.Parallel()
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.pull(12000) // 0.5 s at 1×
	if _, err := p.SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	out.pull(6000) // 0.25 s at 2× is 0.5 s of the file
	if st := p.Status(); math.Abs(st.Position-1) > 1e-9 {
		t.Errorf("position %v, want 1", st.Position)
	}
	out.pullAll(t)
	rec.waitState(t, 5*time.Second, StateEnded)
	if got := float64(len(out.samples())) / 24000; math.Abs(got-1.275) > 0.04 {
		t.Errorf("played %.3f s, want about 0.5 + 0.25 + 1.05/2 s", got)
	}
}

func TestRejectsOutOfRangeSettings(t *testing.T) {
	t.Parallel()
	p, _, _ := newFakePlayer(t)
	for _, x := range []float64{0.49, 2.01, 0, -1, math.NaN(), math.Inf(1)} {
		if _, err := p.SetSpeed(x); err == nil || !strings.Contains(err.Error(), "between 0.5 and 2") {
			t.Errorf("speed %v: %v, want a range error", x, err)
		}
	}
	for _, v := range []float64{-0.01, 1.01, math.NaN(), math.Inf(-1)} {
		if _, err := p.SetVolume(v); err == nil || !strings.Contains(err.Error(), "between 0 and 1") {
			t.Errorf("volume %v: %v, want a range error", v, err)
		}
	}
	if st := p.Status(); st.Speed != 1 || st.Volume != 1 {
		t.Errorf("refused settings changed the status: %+v", st)
	}
}

func TestResamplesFilesAtAnotherRate(t *testing.T) {
	t.Parallel()
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, makeMP3(t, "0.5*sin(2*PI*440*t)", 24000, 0.5))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	out.pullAll(t)
	rec.waitState(t, 5*time.Second, StateEnded)

	st := mustLoad(t, p, makeMP3(t, "0.5*sin(2*PI*440*t)", 44100, 1))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	before := len(out.samples())
	out.pullAll(t)
	rec.waitState(t, 5*time.Second, StateEnded)
	if c := out.counts(); c.rate != 24000 || c.opens != 1 {
		t.Fatalf("device opened %d times at %d Hz, want once at 24000", c.opens, c.rate)
	}
	got := out.samples()[before:]
	if secs := float64(len(got)) / 24000; math.Abs(secs-st.Duration) > 0.001 {
		t.Errorf("44.1 kHz file of %.3f s played as %.3f s at 24 kHz", st.Duration, secs)
	}
	if f := frequency(left(got[2400:len(got)-2400]), 24000); math.Abs(f-440) > 2 {
		t.Errorf("resampled tone is %.1f Hz, want 440", f)
	}
}

func TestPositionEventsAtMostTenASecond(t *testing.T) {
	t.Parallel()
	p, out, rec := newFakePlayer(t)
	mustLoad(t, p, twoTonePath(t))
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	// Feed the device in real time until five position events came.
	stop := make(chan struct{})
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				out.pull(240)
			}
		}
	}()
	n := 0
	rec.wait(t, 5*time.Second, "fifth position", func(s Status) bool {
		if s.State == StatePlaying && s.Position > 0 {
			n++
		}
		return n == 5
	})
	close(stop)
	<-fed

	got, at := rec.all()
	var last time.Time
	for i, s := range got {
		if s.State != StatePlaying || s.Position == 0 {
			continue
		}
		if !last.IsZero() && at[i].Sub(last) < 90*time.Millisecond {
			t.Errorf("position events %v apart, want at least 100 ms", at[i].Sub(last))
		}
		last = at[i]
	}
}

func TestStatusJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Status{State: StateNoOutput, PodcastID: "p", Position: 1.5, Duration: 3,
		Speed: 1, Volume: 0.5, Error: "no audio output device found"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"state":"no-output","podcastId":"p","position":1.5,"duration":3,"speed":1,"volume":0.5,"error":"no audio output device found"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func twoTonePath(t testing.TB) string {
	t.Helper()
	path, _ := twoToneMP3(t)
	return path
}
