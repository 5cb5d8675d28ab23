package core

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
)

// chapterWriter hands its lines over one by one as the Ollama writer
// does; after the first chapter it waits for release. It may return a
// different script from the one it streamed.
type chapterWriter struct {
	streamed, final script.Script
	release         chan struct{}
}

func (w *chapterWriter) Name() string { return "ollama" }

func (w *chapterWriter) Write(ctx context.Context, req llm.Request, progress llm.ProgressFunc) (script.Script, error) {
	for i, c := range w.streamed.Chapters {
		if i == 1 {
			select {
			case <-w.release:
			case <-ctx.Done():
				return script.Script{}, ctx.Err()
			}
		}
		for _, l := range c.Lines {
			if err := req.OnLine(llm.ChapterLine{Chapter: i, Title: c.Title, Line: l}); err != nil {
				return script.Script{}, err
			}
		}
	}
	return w.final, nil
}

func streamingHarness(t *testing.T, w *chapterWriter, synth *toneSynth) (*harness, audioSignal) {
	h := newHarness(t, writerSource{w}, staticSource{synth})
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

func vttOf(t *testing.T, h *harness, id string) string {
	t.Helper()
	path, err := h.store.Podcasts().MediaPath(id, "vtt")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The first chapter is heard while the writer is still on the second.
func TestFirstChapterPlaysWhileTheWriterWrites(t *testing.T) {
	sc := sampleScript(8)
	w := &chapterWriter{streamed: sc, final: sc, release: make(chan struct{})}
	synth := &toneSynth{}
	h, sig := streamingHarness(t, w, synth)
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	first := <-sig
	if first.State != Writing || first.FirstAudio <= 0 {
		t.Fatalf("first audio came with the job %s (%g s)", first.State, first.FirstAudio)
	}
	close(w.release)
	done := h.wait(t, st.ID)
	if done.State != Done {
		t.Fatalf("job ended %s: %s", done.State, done.Error)
	}
	if n := synth.calls.Load(); n != 8 {
		t.Errorf("%d lines synthesised, want 8", n)
	}
	if vtt := vttOf(t, h, done.PodcastID); strings.Count(vtt, "<v ") != 8 {
		t.Errorf("transcript:\n%s", vtt)
	}
}

// A writer that goes back on what it streamed gets the script it finally
// returned, not the lines it sent first.
func TestStreamedLinesGiveWayToTheFinalScript(t *testing.T) {
	streamed := sampleScript(4)
	final := sampleScript(4)
	for i := range final.Chapters[0].Lines {
		final.Chapters[0].Lines[i].Text = "A better line about rivers, number " + numberWords[i] + "."
	}
	w := &chapterWriter{streamed: streamed, final: final, release: make(chan struct{})}
	close(w.release)
	h, _ := streamingHarness(t, w, &toneSynth{})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	done := h.wait(t, st.ID)
	if done.State != Done {
		t.Fatalf("job ended %s: %s", done.State, done.Error)
	}
	vtt := vttOf(t, h, done.PodcastID)
	if !strings.Contains(vtt, "A better line about rivers, number two.") || strings.Contains(vtt, "Line one of part one") {
		t.Errorf("transcript is not the final script's:\n%s", vtt)
	}
	if _, err := os.Stat(h.svc.framesPath(st.ID)); !os.IsNotExist(err) {
		t.Errorf("frames file left behind: %v", err)
	}
}

// Cancelling while the writer is midway and the first chapter is being
// heard stops both and leaves nothing behind; resuming finishes the job.
func TestCancelWhileStreamingThenResume(t *testing.T) {
	sc := sampleScript(8)
	w := &chapterWriter{streamed: sc, final: sc, release: make(chan struct{})}
	h, sig := streamingHarness(t, w, &toneSynth{})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	<-sig
	assertCancelled(t, h, st.ID)
	if _, err := os.Stat(h.svc.framesPath(st.ID)); !os.IsNotExist(err) {
		t.Errorf("frames file left behind: %v", err)
	}
	close(w.release)
	if _, err := h.svc.Resume(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	if done := h.wait(t, st.ID); done.State != Done {
		t.Fatalf("resumed job ended %s: %s", done.State, done.Error)
	}
}

// Lines the finished script has beyond those streamed follow them in the
// same MP3: a listener who came in on the first chapter hears it all.
func TestLinesAfterTheStreamedOnesFollowThem(t *testing.T) {
	sc := sampleScript(8)
	first := script.Script{Chapters: sc.Chapters[:1]}
	w := &chapterWriter{streamed: first, final: sc, release: make(chan struct{})}
	h, sig := streamingHarness(t, w, &toneSynth{})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	<-sig
	a, err := h.svc.LiveAudio(t.Context(), "u", st.ID)
	if err != nil {
		t.Fatal(err)
	}
	heard := make(chan []byte)
	go func() { heard <- follow(t, a) }()
	close(w.release)
	data := <-heard
	done := h.wait(t, st.ID)
	if done.State != Done {
		t.Fatalf("job ended %s: %s", done.State, done.Error)
	}
	p, err := h.store.Podcasts().Get(done.PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	if secs := mp3Seconds(t, data); p.Lines != 8 || math.Abs(secs-p.Duration) > 0.15 {
		t.Errorf("the listener heard %.2f s of a %.2f s podcast of %d lines", secs, p.Duration, p.Lines)
	}
}
