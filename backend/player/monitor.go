package player

import (
	"fmt"
	"time"
)

// monitor watches playback until Close: it emits the position, notices the
// end of the track, and is the watchdog for a device that stops taking
// samples or fails.
func (p *Player) monitor() {
	defer p.wg.Done()
	tick := time.NewTicker(positionEvery / 2)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-p.wake:
		case <-tick.C:
		}
		p.check(time.Now())
	}
}

// check looks at a playing track once.
func (p *Player) check(now time.Time) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return
	}
	p.mu.Lock()
	if p.state != StatePlaying {
		p.mu.Unlock()
		return
	}
	if p.pulled != p.progress {
		p.progress, p.movedAt = p.pulled, now
	}
	srcDone, streamErr := p.srcDone, p.streamErr
	stalled := now.Sub(p.movedAt)
	due := now.Sub(p.lastPos) >= positionEvery
	p.mu.Unlock()

	switch err := p.out.Err(); {
	case err != nil:
		p.mu.Lock()
		p.dev, p.devErr = deviceFailed, fmt.Errorf("%w: %v", ErrNoOutput, err)
		p.mu.Unlock()
		p.deviceFailed(err)
	case streamErr != nil:
		p.log.Warn("playback stopped: the audio could not be decoded", "err", streamErr)
		p.quiet()
		p.setState(StateError, fmt.Sprintf("playback stopped: %v", streamErr))
		p.publish()
	case srcDone && p.out.Drained():
		p.quiet()
		p.mu.Lock()
		p.state = StateEnded
		if p.track != nil {
			p.pos = p.track.duration
		}
		p.mu.Unlock()
		p.publish()
	case stalled > p.watchdog:
		p.deviceFailed(fmt.Errorf("the sound device took no samples for %v", stalled.Round(time.Millisecond)))
	case due:
		p.mu.Lock()
		p.lastPos = now
		p.mu.Unlock()
		p.publish()
	}
}
