package desktop

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/player"
)

// longText is enough distinct sentences for a few minutes of speech, so
// the job is still voicing when listening starts.
func longText() string {
	var b strings.Builder
	for _, topic := range []string{"Rivers", "Glaciers", "Forests", "Deserts", "Oceans", "Volcanoes", "Wetlands", "Mountains"} {
		n := strings.ToLower(topic)
		fmt.Fprintf(&b, "%s change the land around them. Scientists have long studied how %s shape the places people live. "+
			"Because of this, %s matter to farmers and to cities alike. Travellers who visit %s often describe the silence they found there.\n", topic, n, n, n)
	}
	return b.String()
}

// Listen now on the desktop: a running job (extractive writer, real
// espeak-ng) plays through the real player while it is made, its lines come
// as they are voiced, and once it is done playback goes on in the
// podcast's file from where it was, without a restart.
func TestListenLiveGoesOnIntoThePodcast(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	p := e.d.Player
	if _, err := p.ListenLive("no-such-job"); err == nil || !strings.Contains(err.Error(), "no such job") {
		t.Fatalf("ListenLive of no job: %v", err)
	}
	job, err := e.d.Generator.Start(GenerateRequest{Text: longText(), Title: "Landscapes", Writer: "extractive", TTS: "espeak", Minutes: 3})
	if err != nil {
		t.Fatal(err)
	}
	e.rt.waitEvent(t, 2*time.Minute, "job:audio", jobEvent(job.ID, events.JobAudio))
	asked := time.Now()
	st, err := p.ListenLive(job.ID)
	if err != nil || st.JobID != job.ID || st.PodcastID != "" || st.State != player.StateIdle {
		t.Fatalf("ListenLive = %+v, %v", st, err)
	}
	if _, err := p.Play(); err != nil {
		t.Fatal(err)
	}
	listenTo(e, 0)
	t.Logf("ListenLive → first audible sample at the device: %v", time.Since(asked).Round(time.Millisecond))
	e.rt.waitEvent(t, 5*time.Second, "a position of the live audio", func(ev events.Event) bool {
		s, ok := ev.Data.(player.Status)
		return ok && s.JobID == job.ID && s.Position > 0
	})
	if _, err := p.Seek(1); !errors.Is(err, player.ErrLive) {
		t.Errorf("Seek in the live audio: %v", err)
	}
	lines, err := e.d.Generator.LiveLines(job.ID, 0)
	if err != nil || lines.Count < 1 || lines.Lines[0].Index != 0 || lines.Lines[0].Text == "" {
		t.Fatalf("LiveLines = %+v, %v", lines, err)
	}
	listenTo(e, 1) // a second of listening

	done, err := e.jobs.Wait(t.Context(), job.ID)
	if err != nil || done.State != core.Done {
		t.Fatalf("job ended %s: %s (%v)", done.State, done.Error, err)
	}
	ev := e.rt.waitEvent(t, 10*time.Second, "the podcast's file takes over", func(ev events.Event) bool {
		s, ok := ev.Data.(player.Status)
		return ok && ev.Name == events.PlayerState && s.PodcastID == done.PodcastID
	})
	handed := ev.Data.(player.Status)
	if handed.JobID != "" || handed.State != player.StatePlaying || handed.Position < 1 {
		t.Fatalf("after the handover: %+v", handed)
	}
	// The window asks too when it sees the job done: nothing changes.
	if again, err := p.ContinueLive(done.PodcastID); err != nil || again.PodcastID != done.PodcastID || again.Position < handed.Position {
		t.Errorf("ContinueLive after the handover = %+v, %v", again, err)
	}
	e.out.pull(12000)
	if now := p.p.Status(); !near(now.Position, handed.Position+0.5) || now.State != player.StatePlaying {
		t.Errorf("after half a second more: %+v (handed over at %.2f s)", now, handed.Position)
	}
	// The transcript of the podcast is the one that was followed.
	d, err := e.d.Library.Get(done.PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	all, err := e.d.Generator.LiveLines(job.ID, 0)
	if err != nil || !all.Ended || all.Count != len(d.Cues) || all.Lines[0].Text != d.Cues[0].Text {
		t.Errorf("live lines %+v, podcast transcript of %d lines", all, len(d.Cues))
	}
	if _, err := p.Seek(2); err != nil {
		t.Errorf("Seek in the podcast: %v", err)
	}
	if _, err := p.ContinueLive("another"); err == nil {
		t.Error("ContinueLive into a podcast no live audio made worked")
	}
}

// listenTo has the device take samples as a sound card would, a few
// milliseconds at a time, until the player's position is past seconds: the
// position moves only with audio, not with the silence of waiting for it.
func listenTo(e *testEnv, seconds float64) {
	for st := e.d.player.Status(); st.Position <= seconds && st.State == player.StatePlaying; st = e.d.player.Status() {
		e.out.pull(240)
		runtime.Gosched()
	}
}
