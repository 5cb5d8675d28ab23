package player

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
)

// State is what the player is doing.
type State string

// States, as the frontend receives them.
const (
	StateIdle     State = "idle"      // nothing loaded, or loaded and not started
	StateLoading  State = "loading"   // opening and decoding a file
	StatePlaying  State = "playing"   // samples are going to the device
	StatePaused   State = "paused"    // stopped mid-track; Play goes on from Position
	StateEnded    State = "ended"     // played to the end; Play starts again
	StateNoOutput State = "no-output" // no usable sound device; everything else works
	StateError    State = "error"     // the file could not be loaded or decoded
)

// Status is the player's state as reported to the frontend.
type Status struct {
	State     State  `json:"state"`
	PodcastID string `json:"podcastId"`
	// JobID names the running job whose live audio plays (LoadLive);
	// PodcastID is then empty.
	JobID    string  `json:"jobId,omitempty"`
	Position float64 `json:"position"` // seconds from the start
	Duration float64 `json:"duration"` // seconds
	Speed    float64 `json:"speed"`    // 0.5–2
	Volume   float64 `json:"volume"`   // 0–1
	Error    string  `json:"error,omitempty"`
}

// Errors a caller may want to tell apart.
var (
	ErrNoOutput = errors.New("no audio output device found")
	ErrNoTrack  = errors.New("no podcast loaded: load one before playing or seeking")
	ErrClosed   = errors.New("the player is closed")
)

// Options configure a Player. The zero value plays through the system's
// sound device.
type Options struct {
	// Output is the sound device; nil means NewSpeaker().
	Output Output
	// Watchdog is how long the device may take to open, or to take samples
	// while playing, before the player reports StateNoOutput. Default 1 s.
	Watchdog time.Duration
	// After starts the device-opening watchdog (time.After when nil), so
	// a test decides when it fires instead of waiting for it.
	After func(time.Duration) <-chan time.Time
}

const (
	defaultWatchdog = time.Second
	// positionEvery spaces the position events: at most 10 a second.
	positionEvery = 100 * time.Millisecond
)

type deviceState int

const (
	deviceClosed deviceState = iota
	deviceOpening
	deviceOpen
	deviceFailed
)

// Player plays one podcast at a time. Its methods are safe for concurrent
// use; each returns the status after it ran.
type Player struct {
	log      *slog.Logger
	emit     func(Status)
	out      Output
	watchdog time.Duration
	after    func(time.Duration) <-chan time.Time
	latency  float64 // the output's, in seconds

	ctx       context.Context // ends on Close; bounds the device's opening
	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
	wake      chan struct{} // the stream ended: check without waiting for a tick
	wg        sync.WaitGroup

	opMu   sync.Mutex // one operation at a time; held across Output calls
	closed bool       // guarded by opMu
	active bool       // guarded by opMu: the device is running (not paused)

	emitMu sync.Mutex // keeps emitted statuses in the order they were taken

	mu        sync.Mutex // guards what the device's goroutine shares, below
	state     State
	errMsg    string
	podcastID string
	jobID     string // while a job's live audio is loaded
	track     *track
	speed     float64
	volume    float64
	outRate   beep.SampleRate // the device's rate: the first file's
	pos       float64         // seconds: where the samples handed to the device reach
	startPos  float64         // seconds: where this gen's stream starts
	gen       uint64          // bumped whenever the stream restarts elsewhere
	session   uint64          // the gen the device was last started with
	srcDone   bool            // this gen's stream is drained
	streamErr error           // why it was drained early, if it was
	pulled    int64           // samples the device has taken, ever
	progress  int64           // pulled when last seen to move
	movedAt   time.Time       // when pulled last moved, or playing began
	lastPos   time.Time       // when a position was last emitted
	dev       deviceState
	devErr    error
	opened    chan struct{} // closed when the device's Open returns
}

// New returns a Player. emit receives the status on every change of state
// and, while playing, the position at most 10 times a second; it is called
// from the player's goroutines, must not block for long and must not call
// the Player's control methods (Status is fine). emit may be nil.
func New(log *slog.Logger, emit func(Status), opts Options) *Player {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if emit == nil {
		emit = func(Status) {}
	}
	if opts.Output == nil {
		opts.Output = NewSpeaker()
	}
	if opts.Watchdog <= 0 {
		opts.Watchdog = defaultWatchdog
	}
	if opts.After == nil {
		opts.After = time.After
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Player{
		log:      log,
		emit:     emit,
		out:      opts.Output,
		watchdog: opts.Watchdog,
		after:    opts.After,
		latency:  opts.Output.Latency().Seconds(),
		ctx:      ctx,
		cancel:   cancel,
		done:     make(chan struct{}),
		wake:     make(chan struct{}, 1),
		state:    StateIdle,
		speed:    1,
		volume:   1,
	}
	p.wg.Add(1)
	go p.monitor()
	return p
}

// Status returns the current status.
func (p *Player) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statusLocked()
}

func (p *Player) statusLocked() Status {
	st := Status{
		State:     p.state,
		PodcastID: p.podcastID,
		JobID:     p.jobID,
		Position:  p.pos,
		Speed:     p.speed,
		Volume:    p.volume,
		Error:     p.errMsg,
	}
	if p.state != StateEnded {
		// What the device holds has not been heard yet.
		st.Position = max(p.startPos, p.pos-p.latency*p.speed)
	}
	if p.track != nil {
		st.Duration = p.track.duration
		st.Position = min(st.Position, st.Duration)
	}
	return st
}

// publish takes the status and emits it; under emitMu, so that a position
// taken before a change of state is never emitted after it.
func (p *Player) publish() Status {
	p.emitMu.Lock()
	defer p.emitMu.Unlock()
	st := p.Status()
	p.emit(st)
	return st
}

// Close stops playback, releases the file and quiets the device. Later calls
// return ErrClosed; Close itself may be called again.
func (p *Player) Close() error {
	// Wake whatever waits on the device, so the operation in flight ends.
	p.closeOnce.Do(func() {
		close(p.done)
		p.cancel()
	})
	p.opMu.Lock()
	if p.closed {
		p.opMu.Unlock()
		return nil
	}
	// No operation starts a goroutine once closed is set, so the wait ends.
	p.closed = true
	p.opMu.Unlock()
	p.wg.Wait()

	p.opMu.Lock()
	defer p.opMu.Unlock()
	p.mu.Lock()
	t, open := p.track, p.dev == deviceOpen
	p.track = nil
	p.gen++
	p.state = StateIdle
	p.mu.Unlock()

	var errs []error
	if open {
		if err := p.out.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if t != nil {
		if err := t.close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
