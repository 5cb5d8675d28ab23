package player

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gopxl/beep/v2"
)

// Load opens and decodes an MP3 file, replacing what was loaded; it does not
// start playing. Speed and volume carry over. On failure the state is
// StateError and nothing is loaded.
func (p *Player) Load(podcastID, path string) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	if strings.TrimSpace(podcastID) == "" {
		return p.Status(), errors.New("load: the podcast ID is empty")
	}
	if strings.TrimSpace(path) == "" {
		return p.Status(), fmt.Errorf("load %s: the audio file path is empty", podcastID)
	}
	t, err := p.replace(podcastID, "", func() (*track, error) { return openTrack(path) })
	if err != nil {
		p.log.Warn("loading podcast audio failed", "podcast", podcastID, "path", path, "err", err)
		return p.publish(), err
	}
	p.log.Info("podcast audio loaded", "podcast", podcastID, "path", path,
		"rate", int(t.rate), "duration", t.duration)
	return p.publish(), nil
}

// replace unloads what is loaded and makes the track open gives the loaded
// one, ready to play from its start, for Load and LoadLive alike. On failure
// nothing is loaded and the state is StateError. Callers hold opMu.
func (p *Player) replace(podcastID, jobID string, open func() (*track, error)) (*track, error) {
	p.quiet()
	p.mu.Lock()
	old := p.track
	p.track = nil
	p.gen++
	p.state, p.errMsg, p.podcastID, p.jobID, p.pos, p.startPos = StateLoading, "", podcastID, jobID, 0, 0
	p.mu.Unlock()
	if old != nil {
		if err := old.close(); err != nil {
			p.log.Warn("closing the previous audio", "err", err)
		}
	}
	p.publish()

	t, err := open()
	if err == nil {
		p.mu.Lock()
		if p.outRate == 0 {
			p.outRate = t.rate
		}
		err = t.build(0, p.outRate, p.speed, p.volume)
		if err == nil {
			p.track, p.state, p.srcDone = t, StateIdle, false
		}
		p.mu.Unlock()
		if err != nil {
			err = errors.Join(err, t.close())
		}
	}
	if err != nil {
		p.setState(StateError, err.Error())
		return nil, err
	}
	return t, nil
}

// Play starts or resumes playback: from the start when the track has ended,
// otherwise from Position. With no usable sound device it returns
// ErrNoOutput (within the watchdog) and the state becomes StateNoOutput.
func (p *Player) Play() (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	return p.play()
}

// Resume is Play: it goes on from Position.
func (p *Player) Resume() (Status, error) {
	return p.Play()
}

// Toggle pauses while playing and plays otherwise.
func (p *Player) Toggle() (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.Status().State == StatePlaying {
		return p.pause()
	}
	return p.play()
}

// Pause stops playback where it is. Pausing when not playing changes nothing.
func (p *Player) Pause() (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	return p.pause()
}

// Stop stops playback and goes back to the start; the track stays loaded.
func (p *Player) Stop() (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	p.quiet()
	p.mu.Lock()
	err := p.rewindLocked(0)
	switch {
	case err != nil:
		p.state, p.errMsg = StateError, err.Error()
	case p.track != nil:
		p.state, p.errMsg = StateIdle, ""
	}
	p.mu.Unlock()
	return p.publish(), err
}

// Seek moves to seconds from the start, clamped to the track's length. A
// playing track plays on from there. Chapters and transcript lines are
// seeked by their start time.
func (p *Player) Seek(seconds float64) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	if math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return p.Status(), fmt.Errorf("seek: the position must be a number of seconds, got %v", seconds)
	}
	if seconds < 0 {
		return p.Status(), fmt.Errorf("seek: the position must be 0 or more seconds, got %g", seconds)
	}
	p.mu.Lock()
	if p.track == nil {
		p.mu.Unlock()
		return p.Status(), ErrNoTrack
	}
	if p.track.live != nil {
		p.mu.Unlock()
		return p.Status(), ErrLive
	}
	err := p.rewindLocked(min(seconds, p.track.duration))
	if p.state == StateEnded {
		p.state = StatePaused
	}
	playing, gen := p.state == StatePlaying, p.gen
	p.mu.Unlock()
	if err != nil {
		return p.Status(), err
	}
	if playing {
		// Drop the samples buffered from before the seek.
		if err := p.start(gen); err != nil {
			return p.Status(), err
		}
	}
	return p.publish(), nil
}

// SetSpeed sets the playback speed, 0.5 to 2, keeping the pitch.
func (p *Player) SetSpeed(x float64) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	if math.IsNaN(x) || x < 0.5 || x > 2 {
		return p.Status(), fmt.Errorf("speed must be between 0.5 and 2, got %v", x)
	}
	p.mu.Lock()
	changed := p.speed != x
	p.speed = x
	var err error
	if changed && p.track != nil && !p.srcDone {
		// Carry on from the same place; what the device holds plays out at
		// the old speed.
		err = p.track.build(p.pos, p.outRate, p.speed, p.volume)
		if err != nil {
			p.srcDone, p.streamErr = true, err
		}
	}
	p.mu.Unlock()
	return p.publish(), err
}

// SetVolume sets the volume, 0 (silent) to 1 (as recorded).
func (p *Player) SetVolume(v float64) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	if math.IsNaN(v) || v < 0 || v > 1 {
		return p.Status(), fmt.Errorf("volume must be between 0 and 1, got %v", v)
	}
	p.mu.Lock()
	p.volume = v
	if p.track != nil && p.track.gain != nil {
		setGain(p.track.gain, v)
	}
	p.mu.Unlock()
	return p.publish(), nil
}

// play runs under opMu.
func (p *Player) play() (Status, error) {
	if p.closed {
		return p.Status(), ErrClosed
	}
	p.mu.Lock()
	if p.track == nil {
		p.mu.Unlock()
		return p.Status(), ErrNoTrack
	}
	if p.state == StatePlaying {
		p.mu.Unlock()
		return p.Status(), nil
	}
	p.mu.Unlock()

	if err := p.openDevice(); errors.Is(err, ErrClosed) {
		return p.Status(), err
	} else if err != nil {
		p.log.Warn("no audio output", "err", err)
		p.setState(StateNoOutput, ErrNoOutput.Error())
		return p.publish(), err
	}

	p.mu.Lock()
	resume := p.state == StatePaused && p.session == p.gen
	var err error
	switch {
	case p.state == StateEnded:
		err = p.rewindLocked(0)
	case !resume && (p.srcDone || p.session == p.gen):
		// The device or the decoder dropped this stream: start it again
		// from what was last heard.
		err = p.rewindLocked(p.statusLocked().Position)
	}
	if err != nil {
		p.state, p.errMsg = StateError, err.Error()
		p.mu.Unlock()
		return p.publish(), err
	}
	p.state, p.errMsg = StatePlaying, ""
	p.movedAt, p.progress = time.Now(), p.pulled
	gen := p.gen
	p.mu.Unlock()

	if resume {
		if err := p.out.Resume(); err != nil {
			return p.deviceFailed(err)
		}
		p.active = true
		return p.publish(), nil
	}
	if err := p.start(gen); err != nil {
		return p.publish(), err
	}
	return p.publish(), nil
}

// start (under opMu) has the device play the stream from gen's start.
func (p *Player) start(gen uint64) error {
	p.mu.Lock()
	p.session = gen
	p.movedAt, p.progress = time.Now(), p.pulled
	p.mu.Unlock()
	if err := p.out.Start(feed{p: p, gen: gen}); err != nil {
		_, err = p.deviceFailed(err)
		return err
	}
	p.active = true
	return nil
}

// pause runs under opMu.
func (p *Player) pause() (Status, error) {
	if p.closed {
		return p.Status(), ErrClosed
	}
	p.mu.Lock()
	if p.state != StatePlaying {
		p.mu.Unlock()
		return p.Status(), nil
	}
	// The stream holds its place at once; the device stops right after.
	p.state = StatePaused
	p.mu.Unlock()
	p.quiet()
	return p.publish(), nil
}

// quiet (under opMu) stops the device if it is running.
func (p *Player) quiet() {
	if !p.active {
		return
	}
	p.active = false
	if err := p.out.Pause(); err != nil {
		p.log.Warn("pausing the sound device", "err", err)
	}
}

// rewindLocked points the stream at pos seconds as a new start. Under mu.
func (p *Player) rewindLocked(pos float64) error {
	p.gen++
	p.pos, p.startPos, p.srcDone, p.streamErr = pos, pos, false, nil
	if p.track == nil {
		return nil
	}
	if err := p.track.build(pos, p.outRate, p.speed, p.volume); err != nil {
		p.srcDone, p.streamErr = true, err
		return err
	}
	if l := p.track.live; l != nil {
		// A growing track went on from where it was, wherever pos said.
		p.pos = float64(l.Position()) / float64(p.track.rate)
		p.startPos = p.pos
	}
	return nil
}

// deviceFailed (under opMu) reports a device that stopped working.
func (p *Player) deviceFailed(err error) (Status, error) {
	p.log.Warn("sound device failed", "err", err)
	p.quiet()
	p.setState(StateNoOutput, ErrNoOutput.Error())
	return p.publish(), fmt.Errorf("%w: %v", ErrNoOutput, err)
}

func (p *Player) setState(s State, msg string) {
	p.mu.Lock()
	p.state, p.errMsg = s, msg
	p.mu.Unlock()
}

// openDevice opens the device on first use and waits for it at most the
// watchdog. Under opMu.
func (p *Player) openDevice() error {
	p.mu.Lock()
	switch p.dev {
	case deviceOpen:
		p.mu.Unlock()
		return nil
	case deviceClosed, deviceFailed:
		// A device that was missing or broke is asked again on every Play:
		// speakers plugged in later are found without a restart.
		p.dev, p.opened = deviceOpening, make(chan struct{})
		p.wg.Add(1)
		go p.openOutput(p.outRate, p.opened)
	}
	opened := p.opened
	p.mu.Unlock()

	select {
	case <-opened:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.devErr
	case <-p.after(p.watchdog):
		return fmt.Errorf("%w: the sound device did not open within %v", ErrNoOutput, p.watchdog)
	case <-p.done:
		return ErrClosed
	}
}

// openOutput runs on its own goroutine: a driver may block in Open for as
// long as Close has not cancelled p.ctx. An open that comes late is used by
// the next Play; one that failed is tried again by the next Play.
func (p *Player) openOutput(rate beep.SampleRate, opened chan struct{}) {
	defer p.wg.Done()
	start := time.Now()
	err := p.out.Open(p.ctx, rate)
	p.mu.Lock()
	if err != nil {
		p.dev, p.devErr = deviceFailed, fmt.Errorf("%w: %v", ErrNoOutput, err)
	} else {
		p.dev, p.devErr = deviceOpen, nil
	}
	p.mu.Unlock()
	close(opened)
	if err != nil {
		p.log.Warn("sound device did not open", "err", err, "after", time.Since(start))
		return
	}
	p.log.Info("sound device open", "rate", int(rate), "after", time.Since(start))
}
