package desktop

import (
	"math"
	"testing"
	"time"

	"podcastfy/backend/events"
	"podcastfy/backend/player"
	"podcastfy/backend/store"
)

func TestPlayerNeedsLogin(t *testing.T) {
	e := newEnv(t)
	p := e.d.Player
	calls := map[string]func() (player.Status, error){
		"Load":        func() (player.Status, error) { return p.Load("x") },
		"Play":        p.Play,
		"Pause":       p.Pause,
		"Toggle":      p.Toggle,
		"Stop":        p.Stop,
		"Status":      p.Status,
		"Seek":        func() (player.Status, error) { return p.Seek(1) },
		"SeekChapter": func() (player.Status, error) { return p.SeekChapter("x", 0) },
		"SeekLine":    func() (player.Status, error) { return p.SeekLine("x", 0) },
		"SetSpeed":    func() (player.Status, error) { return p.SetSpeed(1) },
		"SetVolume":   func() (player.Status, error) { return p.SetVolume(1) },
	}
	for name, call := range calls {
		_, err := call()
		notLoggedIn(t, name, err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.05 }

func TestPlayerControls(t *testing.T) {
	e := newEnv(t)
	bob, _ := e.auth.CreateUser("bob", testPassword, nil, false)
	ann := e.login(t, "ann", true)
	pod := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	foreign := e.addPodcast(t, bob.ID, "Bob's", 3, e.now())
	p := e.d.Player

	if _, err := p.Load(foreign.ID); err == nil {
		t.Error("Load of someone else's podcast worked")
	}
	_, err := p.Play()
	wantErr(t, err, "no podcast loaded")

	st, err := p.Load(pod.ID)
	if err != nil || st.PodcastID != pod.ID || st.State != player.StateIdle || math.Abs(st.Duration-3) > 0.1 {
		t.Fatalf("Load = %+v, %v; want idle, 3 s", st, err)
	}
	steps := []struct {
		name  string
		call  func() (player.Status, error)
		state player.State
		pos   float64 // -1: any
		err   string
	}{
		{"play", p.Play, player.StatePlaying, -1, ""},
		{"pause", p.Pause, player.StatePaused, -1, ""},
		{"toggle plays", p.Toggle, player.StatePlaying, -1, ""},
		{"toggle pauses", p.Toggle, player.StatePaused, -1, ""},
		{"seek", func() (player.Status, error) { return p.Seek(2) }, player.StatePaused, 2, ""},
		{"seek past the end", func() (player.Status, error) { return p.Seek(99) }, player.StatePaused, -1, ""},
		{"seek before 0", func() (player.Status, error) { return p.Seek(-1) }, player.StatePaused, -1, "0 or more seconds"},
		{"chapter 2", func() (player.Status, error) { return p.SeekChapter(pod.ID, 1) }, player.StatePaused, 1.2, ""},
		{"no chapter 3", func() (player.Status, error) { return p.SeekChapter(pod.ID, 2) }, player.StatePaused, 1.2, "has no chapter 3 (it has 2)"},
		{"line 2", func() (player.Status, error) { return p.SeekLine(pod.ID, 1) }, player.StatePaused, 1.35, ""},
		{"no line -1", func() (player.Status, error) { return p.SeekLine(pod.ID, -1) }, player.StatePaused, 1.35, "has no transcript line 0"},
		{"speed", func() (player.Status, error) { return p.SetSpeed(1.5) }, player.StatePaused, 1.35, ""},
		{"speed too fast", func() (player.Status, error) { return p.SetSpeed(3) }, player.StatePaused, 1.35, "between 0.5 and 2"},
		{"volume", func() (player.Status, error) { return p.SetVolume(0.25) }, player.StatePaused, 1.35, ""},
		{"volume too loud", func() (player.Status, error) { return p.SetVolume(1.5) }, player.StatePaused, 1.35, "between 0 and 1"},
		{"status", p.Status, player.StatePaused, 1.35, ""},
		{"stop", p.Stop, player.StateIdle, 0, ""},
	}
	for _, s := range steps {
		st, err := s.call()
		wantErr(t, err, s.err)
		if st.State != s.state || (s.pos >= 0 && !near(st.Position, s.pos)) {
			t.Errorf("%s: state %s at %.2f s, want %s at %.2f s", s.name, st.State, st.Position, s.state, s.pos)
		}
	}
	if st, _ := p.Status(); st.Speed != 1.5 || st.Volume != 0.25 {
		t.Errorf("speed %g and volume %g, want 1.5 and 0.25", st.Speed, st.Volume)
	}
}

func TestPlayerSeekLoadsThePodcast(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	a := e.addPodcast(t, ann.ID, "A", 3, e.now())
	b := e.addPodcast(t, ann.ID, "B", 3, e.now())
	if _, err := e.d.Player.Load(a.ID); err != nil {
		t.Fatal(err)
	}
	st, err := e.d.Player.SeekLine(b.ID, 2)
	if err != nil || st.PodcastID != b.ID || !near(st.Position, 2.5) {
		t.Fatalf("SeekLine in another podcast = %+v, %v; want B at 2.5 s", st, err)
	}
	st, err = e.d.Player.SeekChapter(a.ID, 1)
	if err != nil || st.PodcastID != a.ID || !near(st.Position, 1.2) {
		t.Fatalf("SeekChapter in another podcast = %+v, %v; want A at 1.2 s", st, err)
	}
}

func TestPlayerMissingAudio(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	pod := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	path, _ := e.store.Podcasts().MediaPath(pod.ID, store.KindAudio)
	if err := writeFile(path, "not an mp3"); err != nil {
		t.Fatal(err)
	}
	st, err := e.d.Player.Load(pod.ID)
	if err == nil || st.State != player.StateError {
		t.Errorf("Load of a damaged MP3 = %+v, %v; want the error state", st, err)
	}
}

func TestPlayerEvents(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	pod := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	if _, err := e.d.Player.Load(pod.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Player.Play(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.out.pull(24000) // one second of audio reaches the device
	ev := e.rt.waitEvent(t, 5*time.Second, "player:position", func(ev events.Event) bool {
		st, ok := ev.Data.(player.Status)
		return ev.Name == events.PlayerPosition && ok && st.Position > 0.5
	})
	if st := ev.Data.(player.Status); st.PodcastID != pod.ID || st.State != player.StatePlaying {
		t.Errorf("position event = %+v", st)
	}
	// Let the position run for a while, then count: at most 10 a second.
	e.rt.waitEvent(t, 5*time.Second, "more positions", func(events.Event) bool { return time.Since(start) > 700*time.Millisecond })
	if _, err := e.d.Player.Pause(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	var positions, states int
	var sawPlaying, sawPaused bool
	for _, ev := range e.rt.Events() {
		st, _ := ev.Data.(player.Status)
		switch ev.Name {
		case events.PlayerPosition:
			positions++
		case events.PlayerState:
			states++
			sawPlaying = sawPlaying || st.State == player.StatePlaying
			sawPaused = sawPaused || st.State == player.StatePaused
		}
	}
	if limit := int(elapsed.Seconds()*10) + 1; positions > limit || positions == 0 {
		t.Errorf("%d position events in %v, want 1 to %d", positions, elapsed, limit)
	}
	if !sawPlaying || !sawPaused {
		t.Errorf("state events: playing %v, paused %v; want both", sawPlaying, sawPaused)
	}
}
