package desktop

import (
	"fmt"
	"log/slog"
	"sync"

	"podcastfy/backend/events"
	"podcastfy/backend/player"
	"podcastfy/backend/store"
)

// Player is the facade of native playback of the user's podcasts. Status
// changes arrive as player:state events and, while playing, the position
// as player:position events, at most 10 a second.
type Player struct {
	p       *player.Player
	lib     *Library
	session *Session
	jobs    LiveJobs
	log     *slog.Logger
}

// playerEmitter turns the player's status callbacks into events: a status
// that only moved the position of a playing track is player:position,
// any other change is player:state.
func playerEmitter(emit events.Emitter) func(player.Status) {
	var mu sync.Mutex
	var last player.Status
	return func(st player.Status) {
		mu.Lock()
		name := events.PlayerState
		if st.State == player.StatePlaying && last.State == player.StatePlaying &&
			st.PodcastID == last.PodcastID && st.JobID == last.JobID && st.Speed == last.Speed && st.Volume == last.Volume {
			name = events.PlayerPosition
		}
		last = st
		mu.Unlock()
		emit.Emit(name, st)
	}
}

// Load opens one of the user's podcasts, ready to play from the start.
func (p *Player) Load(podcastID string) (player.Status, error) {
	pod, err := p.lib.own(podcastID)
	if err != nil {
		return p.p.Status(), err
	}
	return p.load(pod)
}

func (p *Player) load(pod store.Podcast) (player.Status, error) {
	path, err := p.lib.podcasts.MediaPath(pod.ID, store.KindAudio)
	if err != nil {
		return p.p.Status(), fmt.Errorf("%q has no audio file", pod.Title)
	}
	return p.p.Load(pod.ID, path)
}

// Play starts or resumes playback.
func (p *Player) Play() (player.Status, error) { return p.do(p.p.Play) }

// Pause pauses playback.
func (p *Player) Pause() (player.Status, error) { return p.do(p.p.Pause) }

// Toggle pauses while playing and plays otherwise.
func (p *Player) Toggle() (player.Status, error) { return p.do(p.p.Toggle) }

// Stop stops playback and goes back to the start.
func (p *Player) Stop() (player.Status, error) { return p.do(p.p.Stop) }

// Status returns the player's state.
func (p *Player) Status() (player.Status, error) {
	return p.do(func() (player.Status, error) { return p.p.Status(), nil })
}

// Seek moves to seconds from the start.
func (p *Player) Seek(seconds float64) (player.Status, error) {
	return p.do(func() (player.Status, error) { return p.p.Seek(seconds) })
}

// SetSpeed sets the speed, 0.5 to 2, keeping the pitch.
func (p *Player) SetSpeed(x float64) (player.Status, error) {
	return p.do(func() (player.Status, error) { return p.p.SetSpeed(x) })
}

// SetVolume sets the volume, 0 to 1.
func (p *Player) SetVolume(v float64) (player.Status, error) {
	return p.do(func() (player.Status, error) { return p.p.SetVolume(v) })
}

// SeekChapter moves to the start of chapter index of a podcast, loading
// it first when another one is loaded.
func (p *Player) SeekChapter(podcastID string, index int) (player.Status, error) {
	pod, err := p.lib.own(podcastID)
	if err != nil {
		return p.p.Status(), err
	}
	chapters, err := p.lib.chapters(pod)
	if err != nil {
		return p.p.Status(), err
	}
	if index < 0 || index >= len(chapters) {
		return p.p.Status(), fmt.Errorf("%q has no chapter %d (it has %d)", pod.Title, index+1, len(chapters))
	}
	return p.seekIn(pod, chapters[index].Start)
}

// SeekLine moves to the start of transcript line index of a podcast,
// loading it first when another one is loaded.
func (p *Player) SeekLine(podcastID string, index int) (player.Status, error) {
	d, err := p.lib.Get(podcastID)
	if err != nil {
		return p.p.Status(), err
	}
	if index < 0 || index >= len(d.Cues) {
		return p.p.Status(), fmt.Errorf("%q has no transcript line %d (it has %d)", d.Podcast.Title, index+1, len(d.Cues))
	}
	return p.seekIn(d.Podcast, d.Cues[index].Start)
}

func (p *Player) seekIn(pod store.Podcast, seconds float64) (player.Status, error) {
	if p.p.Status().PodcastID != pod.ID {
		if _, err := p.load(pod); err != nil {
			return p.p.Status(), err
		}
	}
	return p.p.Seek(seconds)
}

// do runs a control for the logged-in user.
func (p *Player) do(f func() (player.Status, error)) (player.Status, error) {
	if _, err := p.session.User(); err != nil {
		return p.p.Status(), err
	}
	return f()
}
