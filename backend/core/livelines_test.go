package core

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/audio"
)

// The lines of a running job's audio come as they are encoded, each at
// its place in the MP3; a cancelled job keeps them, a resumed one starts
// over and, once done, has every line where the podcast's transcript puts it.
func TestLiveLinesFollowTheEncodedAudio(t *testing.T) {
	synth := &toneSynth{blockOn: "Line three of part one", blocked: make(chan struct{})}
	h, sig := liveHarness(t, synth, 8)
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	<-sig
	<-synth.blocked
	got, err := h.svc.LiveLines(t.Context(), "u", st.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Line three blocks, so one or two lines are in: the first audio
	// came with the first.
	if got.Ended || got.Count < 1 || got.Count > 2 || len(got.Lines) != got.Count {
		t.Fatalf("lines of the running job: %+v", got)
	}
	if l := got.Lines[0]; l.Index != 0 || l.Speaker != "Alex" || !strings.Contains(l.Text, "Line one of part one") || l.Start <= 0 || l.End <= l.Start {
		t.Errorf("first line: %+v", l)
	}
	if later, err := h.svc.LiveLines(t.Context(), "u", st.ID, got.Count); err != nil || len(later.Lines) != 0 || later.Count != got.Count {
		t.Errorf("lines from %d: %+v, %v", got.Count, later, err)
	}
	if _, err := h.svc.LiveLines(t.Context(), "intruder", st.ID, 0); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("another user's lines: %v", err)
	}
	if _, err := h.svc.LiveLines(t.Context(), "u", st.ID, -1); !errors.Is(err, ErrBadRequest) {
		t.Errorf("lines from -1: %v", err)
	}
	if _, err := h.svc.Cancel(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	// Line two may have been encoded since.
	if after, err := h.svc.LiveLines(t.Context(), "u", st.ID, 0); err != nil || !after.Ended || after.Count < got.Count || after.Count > 2 {
		t.Errorf("lines of the cancelled job: %+v, %v", after, err)
	}

	synth.blockOn = ""
	if _, err := h.svc.Resume(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	done := h.wait(t, st.ID)
	if done.State != Done {
		t.Fatalf("job ended %s: %s", done.State, done.Error)
	}
	all, err := h.svc.LiveLines(t.Context(), "u", st.ID, 0)
	if err != nil || !all.Ended {
		t.Fatalf("lines of the finished job: %+v, %v", all, err)
	}
	path, err := h.store.Podcasts().MediaPath(done.PodcastID, "vtt")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cues, err := audio.ReadVTT(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Lines) != len(cues) || all.Count != len(cues) {
		t.Fatalf("%d live lines, %d in the transcript", len(all.Lines), len(cues))
	}
	for i, c := range cues {
		l := all.Lines[i]
		// The VTT keeps milliseconds.
		if l.Index != i || l.Text != c.Text || math.Abs(l.Start-c.Start) > 0.001 || math.Abs(l.End-c.End) > 0.001 {
			t.Errorf("line %d: live %+v, transcript %+v", i, l, c)
		}
	}
}
