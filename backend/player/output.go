package player

import (
	"context"
	"time"

	"github.com/gopxl/beep/v2"
)

// Output is the sound device a Player plays through. [NewSpeaker] is the
// real one; tests use others.
//
// The Player calls Open once, on its own goroutine. The other methods are
// called only after Open succeeded, one at a time. They must return in
// bounded time even when the device misbehaves.
type Output interface {
	// Open readies the device for stereo samples at rate. A broken driver can
	// make it block: it must return when ctx is done, and the Player stops
	// waiting for it after its watchdog.
	Open(ctx context.Context, rate beep.SampleRate) error
	// Start drops whatever is still buffered and plays s from its start,
	// pulling samples on the output's own goroutine until s is drained.
	Start(s beep.Streamer) error
	// Pause stops playing and keeps what is buffered; Resume plays on.
	Pause() error
	Resume() error
	// Drained reports whether the streamer given to Start is drained and
	// everything it gave has been handed to the device.
	Drained() bool
	// Err reports a failure of the device after Open; nil while it works.
	Err() error
	// Latency is how far ahead of what is heard the output pulls samples
	// once it runs: the buffers between the streamer and the speaker.
	Latency() time.Duration
	// Close stops playing and releases what it can.
	Close() error
}
