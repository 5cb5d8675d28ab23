package core

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"podcastfy/backend/events"
)

// audioSignal tells a test when a job's first audio is playable.
type audioSignal chan Status

func (a audioSignal) Emit(name string, data any) {
	if name == events.JobAudio {
		a <- data.(Status)
	}
}

// liveHarness is a harness whose service also signals first audio.
func liveHarness(t *testing.T, synth *toneSynth, lines int) (*harness, audioSignal) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(lines)}}, staticSource{synth})
	sig := make(audioSignal, 4)
	deps := h.deps
	deps.Emitter = events.Multi{h.rec, sig}
	svc, err := NewService(h.cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	h.svc = svc
	return h, sig
}

// follow reads a job's live audio until it ends.
func follow(t *testing.T, a *LiveAudio) []byte {
	t.Helper()
	defer a.Close()
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := a.Follow(context.Background(), buf)
		out.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			return out.Bytes()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// mp3Seconds is the duration ffprobe finds in MP3 data.
func mp3Seconds(t *testing.T, data []byte) float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.mp3")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=format_name,duration", "-of", "default=nw=1", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	if !strings.Contains(string(out), "format_name=mp3") {
		t.Fatalf("ffprobe sees %s", out)
	}
	_, d, _ := strings.Cut(strings.TrimSpace(string(out)), "duration=")
	secs, err := strconv.ParseFloat(strings.Fields(d)[0], 64)
	if err != nil {
		t.Fatalf("ffprobe duration: %s", out)
	}
	return secs
}

// A listener follows the job's MP3 while it is made: cancelled midway the
// stream ends with the lines made so far, resumed it plays to the end, and
// the job says when its first audio came.
func TestLiveAudioAcrossCancelAndResume(t *testing.T) {
	synth := &toneSynth{blockOn: "Line three of part one", blocked: make(chan struct{})}
	h, sig := liveHarness(t, synth, 8)
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	first := <-sig
	if first.FirstAudio <= 0 || first.ID != st.ID {
		t.Fatalf("first audio event: %+v", first)
	}
	if _, err := h.svc.LiveAudio(t.Context(), "intruder", st.ID); !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("another user's live audio: %v", err)
	}
	a, err := h.svc.LiveAudio(t.Context(), "u", st.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() { got <- follow(t, a) }()
	<-synth.blocked
	if _, err := h.svc.Cancel(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	partial := <-got
	if secs := mp3Seconds(t, partial); secs < 0.5 {
		t.Errorf("cancelled stream holds %.2f s of MP3", secs)
	}
	if _, err := h.svc.LiveAudio(t.Context(), "u", st.ID); !errors.Is(err, ErrNoLiveAudio) {
		t.Fatalf("live audio of a cancelled job: %v", err)
	}

	synth.blockOn = ""
	if _, err := h.svc.Resume(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	again := <-sig
	if again.FirstAudio <= 0 {
		t.Fatalf("resumed job's first audio: %+v", again)
	}
	a, err = h.svc.LiveAudio(t.Context(), "u", st.ID)
	if err != nil {
		t.Fatal(err)
	}
	whole := follow(t, a)
	done := h.wait(t, st.ID)
	if done.State != Done {
		t.Fatalf("resumed job ended %s: %s", done.State, done.Error)
	}
	p, err := h.store.Podcasts().Get(done.PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	// The live stream carried the whole episode (ffprobe counts the
	// encoder's delay and padding frames too).
	if secs := mp3Seconds(t, whole); math.Abs(secs-p.Duration) > 0.15 {
		t.Errorf("live stream %.2f s, podcast %.2f s", secs, p.Duration)
	}
	if _, err := os.Stat(h.svc.framesPath(st.ID)); !os.IsNotExist(err) {
		t.Errorf("frames file left behind: %v", err)
	}
}

// A job that fails midway ends its live stream with what was made.
func TestLiveAudioEndsWhenTheJobFails(t *testing.T) {
	synth := &toneSynth{failOn: "Line four of part one", failErr: errors.New("voice server gone")}
	h, sig := liveHarness(t, synth, 8)
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	<-sig
	a, err := h.svc.LiveAudio(t.Context(), "u", st.ID)
	if err != nil {
		// The failure may already have ended the job.
		if !errors.Is(err, ErrNoLiveAudio) {
			t.Fatal(err)
		}
	} else if secs := mp3Seconds(t, follow(t, a)); secs < 0.5 {
		t.Errorf("stream of the failed job holds %.2f s", secs)
	}
	if end := h.wait(t, st.ID); end.State != Failed || !strings.Contains(end.Error, "voice server gone") {
		t.Fatalf("job ended %s: %s", end.State, end.Error)
	}
}
