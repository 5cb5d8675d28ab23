package player

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
	"github.com/gopxl/beep/v2"
)

const (
	// speakerBuffer is the device's buffer and, again, the player's buffer in
	// front of it: small enough that pause and seek feel immediate, large
	// enough for a busy desktop not to underrun.
	speakerBuffer = 100 * time.Millisecond
	// speakerRespond bounds a call that waits for the device's writer, which
	// is stuck for as long as a broken device blocks a write.
	speakerRespond = time.Second
	// bytesPerFrame is one stereo float32 frame, the format handed to oto.
	bytesPerFrame = 2 * 4
)

// speaker plays through the system's sound device with oto (ALSA on Linux).
type speaker struct {
	mu        sync.Mutex
	ctx       *oto.Context
	player    *oto.Player
	rate      beep.SampleRate
	suspended bool
	dryAt     time.Time // when the player was first seen run dry
}

// NewSpeaker returns the Output for the system's sound device. oto allows one
// device per process: a second speaker in the same process fails to open.
func NewSpeaker() Output {
	return &speaker{}
}

// Open creates oto's context and waits until it has opened the device.
// oto reports a missing device only through Err once ready, so that is
// checked here rather than left to show up as silence.
//
// oto creates one context per process and never retries a failed one, so
// ALSA is asked first whether a device opens: while none does, Open fails
// without touching oto and the next Open asks again. Called again after it
// succeeded, Open keeps the context it has, or reports that it broke.
func (s *speaker) Open(ctx context.Context, rate beep.SampleRate) error {
	s.mu.Lock()
	have := s.ctx
	s.mu.Unlock()
	if have != nil {
		if err := have.Err(); err != nil {
			return fmt.Errorf("the sound device stopped working (%w); restart the app to open it again", err)
		}
		return nil
	}
	probed := make(chan error, 1)
	go func() { probed <- probeDevice() }()
	select {
	case err := <-probed:
		if err != nil {
			return fmt.Errorf("open sound device: %w", err)
		}
	case <-ctx.Done():
		return fmt.Errorf("open sound device: %w", ctx.Err())
	}
	c, ready, err := oto.NewContext(&oto.NewContextOptions{
		SampleRate:   int(rate),
		ChannelCount: 2,
		Format:       oto.FormatFloat32LE,
		BufferSize:   speakerBuffer,
	})
	if err != nil {
		return fmt.Errorf("open sound device: %w", err)
	}
	select {
	case <-ready:
	case <-ctx.Done():
		return fmt.Errorf("open sound device: %w", ctx.Err())
	}
	if err := c.Err(); err != nil {
		return fmt.Errorf("open sound device: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.rate = c, rate
	// Quiet until the first Start, so an idle app does not feed silence.
	return s.suspendLocked()
}

// Start replaces oto's player by a new one reading s. A new player, rather
// than a reset, guarantees that nothing read for the old stream (a read may
// be in flight) is played after the new one starts.
func (s *speaker) Start(st beep.Streamer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.player != nil {
		if err := s.player.Close(); err != nil {
			return fmt.Errorf("stop previous stream: %w", err)
		}
	}
	pl := s.ctx.NewPlayer(&sampleReader{s: st})
	pl.SetBufferSize(s.rate.N(speakerBuffer) * bytesPerFrame)
	// Play fills the player's buffer before returning, so the device's first
	// write after resuming already carries sound.
	pl.Play()
	s.player, s.dryAt = pl, time.Time{}
	if s.suspended {
		return s.resumeLocked()
	}
	return nil
}

func (s *speaker) Pause() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.suspendLocked()
}

func (s *speaker) Resume() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumeLocked()
}

// Drained waits a device buffer after oto's player has run dry: what oto
// handed to ALSA last is still in the device's buffer, and suspending at
// once would leave it unplayed (a device that writes whole periods, as
// ALSA's file plugin does, would lose the last one).
func (s *speaker) Drained() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.player == nil {
		return true
	}
	if s.player.IsPlaying() {
		s.dryAt = time.Time{}
		return false
	}
	if s.dryAt.IsZero() {
		s.dryAt = time.Now()
	}
	return time.Since(s.dryAt) >= speakerBuffer
}

func (s *speaker) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return nil
	}
	return s.ctx.Err()
}

// Latency is oto's buffer plus the device's, both kept full while playing.
func (s *speaker) Latency() time.Duration {
	return 2 * speakerBuffer
}

// Close stops the stream and quiets the device. oto cannot close its
// context, so the device stays open, suspended, until the process ends.
func (s *speaker) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.player != nil {
		errs = append(errs, s.player.Close())
		s.player = nil
	}
	if s.ctx != nil {
		errs = append(errs, s.suspendLocked())
	}
	return errors.Join(errs...)
}

func (s *speaker) suspendLocked() error {
	if s.suspended {
		return nil
	}
	if err := respond("pause", s.ctx.Suspend); err != nil {
		return err
	}
	s.suspended = true
	return nil
}

func (s *speaker) resumeLocked() error {
	if !s.suspended {
		return nil
	}
	if err := respond("resume", s.ctx.Resume); err != nil {
		return err
	}
	s.suspended = false
	return nil
}

// respond runs f, which waits for oto's device writer, and gives up after
// speakerRespond: a device stuck in a write would otherwise hang the caller.
// The goroutine left behind ends when the write does.
func respond(what string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(speakerRespond)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s sound device: %w", what, err)
		}
		return nil
	case <-timer.C:
		return fmt.Errorf("%s sound device: no answer within %v", what, speakerRespond)
	}
}

// sampleReader turns a beep.Streamer into the little-endian float32 stereo
// bytes oto reads.
type sampleReader struct {
	s   beep.Streamer
	buf [][2]float64
}

func (r *sampleReader) Read(p []byte) (int, error) {
	frames := len(p) / bytesPerFrame
	if frames == 0 {
		return 0, nil
	}
	if len(r.buf) < frames {
		r.buf = make([][2]float64, frames)
	}
	n, ok := r.s.Stream(r.buf[:frames])
	if n == 0 && !ok {
		if err := r.s.Err(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	for i, f := range r.buf[:n] {
		binary.LittleEndian.PutUint32(p[i*bytesPerFrame:], math.Float32bits(float32(clamp1(f[0]))))
		binary.LittleEndian.PutUint32(p[i*bytesPerFrame+4:], math.Float32bits(float32(clamp1(f[1]))))
	}
	return n * bytesPerFrame, nil
}

func clamp1(v float64) float64 {
	return max(-1, min(1, v))
}
