package player

import (
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/effects"
	"github.com/gopxl/beep/v2/mp3"
)

// resampleQuality is beep's interpolation quality for files whose rate is
// not the device's; 4 is clean for speech at little cost.
const resampleQuality = 4

// track is a loaded MP3 file and the chain of streamers playing it.
type track struct {
	path     string
	dec      beep.StreamSeekCloser
	rate     beep.SampleRate
	duration float64 // seconds
	chain    beep.Streamer
	gain     *effects.Volume // the chain's last stage
	live     *liveSource     // set for a growing track (LoadLive); dec is it
}

// openTrack opens and decodes the head of an MP3 file; decoding the rest
// happens as it plays.
func openTrack(path string) (*track, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open podcast audio: %w", err)
	}
	dec, format, err := decodeMP3(f)
	if err != nil {
		return nil, errors.Join(
			fmt.Errorf("read %s as MP3 (is it an MP3 file?): %w", path, err), f.Close())
	}
	// The timeline starts at the first sample the file was made from, as the
	// captions do; without this the transcript runs ahead of the sound.
	trimmedDec, err := trim(dec, readGapless(f))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("read %s as MP3: %w", path, err), dec.Close())
	}
	dec = trimmedDec
	t := &track{path: path, dec: dec, rate: format.SampleRate}
	if t.rate <= 0 || dec.Len() <= 0 {
		return nil, errors.Join(fmt.Errorf("%s holds no MP3 audio", path), dec.Close())
	}
	t.duration = float64(dec.Len()) / float64(t.rate)
	return t, nil
}

// decodeMP3 calls beep's decoder. The decoder trusts what it reads, and a
// panic on a malformed file would otherwise end the app from the device's
// goroutine: guarded turns one into an error.
func decodeMP3(f *os.File) (s beep.StreamSeekCloser, format beep.Format, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed MP3 data: %v", r)
		}
	}()
	dec, format, err := mp3.Decode(f)
	if err != nil {
		return nil, format, err
	}
	return &guarded{StreamSeekCloser: dec}, format, nil
}

// guarded is a decoder whose panics become its error.
type guarded struct {
	beep.StreamSeekCloser
	err error
}

func (g *guarded) Stream(samples [][2]float64) (n int, ok bool) {
	if g.err != nil {
		return 0, false
	}
	defer g.recover(func() { n, ok = 0, false })
	return g.StreamSeekCloser.Stream(samples)
}

func (g *guarded) Seek(p int) (err error) {
	if g.err != nil {
		return g.err
	}
	defer g.recover(func() { err = g.err })
	return g.StreamSeekCloser.Seek(p)
}

func (g *guarded) Err() error {
	if g.err != nil {
		return g.err
	}
	return g.StreamSeekCloser.Err()
}

func (g *guarded) recover(after func()) {
	if r := recover(); r != nil {
		g.err = fmt.Errorf("malformed MP3 data: %v", r)
		after()
	}
}

// build points the chain at pos seconds: decoder, resampler if the file's
// rate is not the device's, time-stretch if speed is not 1, then volume.
func (t *track) build(pos float64, outRate beep.SampleRate, speed, volume float64) error {
	frame := int(math.Round(pos * float64(t.rate)))
	var s beep.Streamer = t.dec
	if t.live != nil {
		// A growing track goes on from where it is: it cannot seek.
	} else if frame >= t.dec.Len() {
		// The decoder cannot seek to its very end; nothing is left to play.
		s = beep.Silence(0)
	} else if err := t.dec.Seek(max(0, frame)); err != nil {
		return fmt.Errorf("seek in %s: %w", t.path, err)
	}
	if t.rate != outRate {
		s = beep.Resample(resampleQuality, t.rate, outRate, s)
	}
	if speed != 1 {
		s = newStretcher(s, speed, outRate)
	}
	t.gain = &effects.Volume{Streamer: s, Base: 2}
	setGain(t.gain, volume)
	t.chain = t.gain
	return nil
}

// setGain maps a 0–1 volume to an amplitude of volume², which sounds even
// across the range (0.5 is -12 dB); 0 is silent. As a power of two:
// 2^(2·log2 v) = v².
func setGain(g *effects.Volume, volume float64) {
	g.Silent = volume <= 0
	if !g.Silent {
		g.Volume = 2 * math.Log2(volume)
	}
}

func (t *track) close() error {
	if err := t.dec.Close(); err != nil {
		return fmt.Errorf("close %s: %w", t.path, err)
	}
	return nil
}

// feed is what the device pulls from: one start of the stream. Once the
// player restarts the stream elsewhere it drains, so a read still in flight
// for the old start cannot take samples meant for the new one.
type feed struct {
	p   *Player
	gen uint64
}

func (f feed) Stream(samples [][2]float64) (int, bool) { return f.p.pull(f.gen, samples) }

// Err is nil: the player reports stream errors itself.
func (f feed) Err() error { return nil }

// pull runs on the device's goroutine.
func (p *Player) pull(gen uint64, samples [][2]float64) (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.track
	if gen != p.gen || t == nil || p.srcDone {
		return 0, false
	}
	if p.state != StatePlaying {
		// Paused, with the device not yet stopped: hold the place.
		clear(samples)
		return len(samples), true
	}
	if t.live != nil {
		t.duration = float64(t.live.Len()) / float64(t.rate)
		// Ahead of the audio made so far: silence, and the position waits
		// (with room for what resampling and stretching read ahead).
		need := int(float64(len(samples))*p.speed*float64(t.rate)/float64(p.outRate)) + 4096
		if !t.live.ready(need) {
			clear(samples)
			p.pulled += int64(len(samples))
			return len(samples), true
		}
	}
	n := 0
	for n < len(samples) {
		k, ok := t.chain.Stream(samples[n:])
		n += k
		if !ok {
			p.srcDone, p.streamErr = true, t.chain.Err()
			select {
			case p.wake <- struct{}{}:
			default:
			}
			break
		}
		if k == 0 {
			clear(samples[n:]) // a streamer that gave nothing but is not done
			n = len(samples)
		}
	}
	p.pulled += int64(n)
	p.pos = min(p.pos+float64(n)*p.speed/float64(p.outRate), t.duration)
	return n, n > 0
}
