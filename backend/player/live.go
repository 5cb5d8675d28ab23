package player

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/mp3"
)

// ErrLive refuses what a growing track cannot do: seeking in audio still
// being made.
var ErrLive = errors.New("the podcast is still being made: seeking works once it is done")

// lameDelay is the encoder delay of libmp3lame, which makes the live frames
// (backend/audio): the finished file's LAME tag records the same, but the
// live stream's first frame is only the tag's placeholder.
const lameDelay = 576

// liveAhead is how many seconds of a growing track are decoded ahead of
// playback: enough to ride out a slow read, little memory.
const liveAhead = 3

// liveSource decodes a growing MP3 on its own goroutine, since a read may
// wait for audio not yet made, and hands the device what is decoded: pull
// never waits on the source.
type liveSource struct {
	src  io.ReadCloser
	dec  beep.StreamSeekCloser
	rate beep.SampleRate

	mu      sync.Mutex
	more    *sync.Cond // the buffer drained or the source closed
	buf     [][2]float64
	head    int // buf[head:] is not streamed yet
	skip    int // lead-in samples still to drop
	decoded int // samples of audio decoded (after the lead-in)
	pos     int // samples streamed
	done    bool
	err     error
	closed  bool
	ended   chan struct{} // the decoding goroutine returned
}

// openLive starts decoding src. It waits for the first frame, which the
// caller has (a job offers its audio once its first line is encoded).
func openLive(src io.ReadCloser) (*liveSource, error) {
	dec, format, err := decodeLive(src)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("read the live audio as MP3: %w", err), src.Close())
	}
	perFrame := 576 // MPEG-2 and 2.5 frames (below 32 kHz)
	if format.SampleRate >= 32000 {
		perFrame = 1152
	}
	l := &liveSource{src: src, dec: dec, rate: format.SampleRate, ended: make(chan struct{}),
		// The placeholder frame decodes as silence, then come the
		// encoder's delay and the filterbank's: the finished file's Info
		// tag says the same (readGapless), so both timelines agree.
		skip: perFrame + lameDelay + decoderDelay}
	l.more = sync.NewCond(&l.mu)
	go l.decode()
	return l, nil
}

// decodeLive is decodeMP3 for a reader that cannot seek.
func decodeLive(src io.ReadCloser) (s beep.StreamSeekCloser, format beep.Format, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed MP3 data: %v", r)
		}
	}()
	dec, format, err := mp3.Decode(src)
	if err != nil {
		return nil, format, err
	}
	return &guarded{StreamSeekCloser: dec}, format, nil
}

func (l *liveSource) decode() {
	defer close(l.ended)
	chunk := make([][2]float64, 2048)
	limit := liveAhead * int(l.rate)
	for {
		l.mu.Lock()
		for len(l.buf)-l.head >= limit && !l.closed {
			l.more.Wait()
		}
		closed := l.closed
		l.mu.Unlock()
		if closed {
			return
		}
		n, ok := l.dec.Stream(chunk) // may wait for the job to encode more
		l.mu.Lock()
		got := chunk[:n]
		drop := min(l.skip, len(got))
		l.skip -= drop
		got = got[drop:]
		if l.head > 0 && l.head >= len(l.buf)/2 {
			l.buf = append(l.buf[:0], l.buf[l.head:]...)
			l.head = 0
		}
		l.buf = append(l.buf, got...)
		l.decoded += len(got)
		if !ok {
			l.done = true
			if err := l.dec.Err(); err != nil && !l.closed {
				l.err = err
			}
		}
		l.mu.Unlock()
		if !ok {
			return
		}
	}
}

// ready reports whether n samples can be streamed without waiting, or the
// audio is complete.
func (l *liveSource) ready(n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done || len(l.buf)-l.head >= n
}

// Stream hands over what is decoded; it never waits.
func (l *liveSource) Stream(samples [][2]float64) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := copy(samples, l.buf[l.head:])
	l.head += n
	l.pos += n
	if n > 0 {
		l.more.Signal()
	}
	if n == 0 && l.done {
		return 0, false
	}
	return n, true
}

func (l *liveSource) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Len is what is decoded so far: it grows while the job runs.
func (l *liveSource) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.decoded
}

func (l *liveSource) Position() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pos
}

// Seek is refused: what is heard next is what comes next.
func (l *liveSource) Seek(int) error { return ErrLive }

// Close stops decoding and releases the source; a read waiting for audio
// ends with it.
func (l *liveSource) Close() error {
	l.mu.Lock()
	l.closed = true
	l.more.Broadcast()
	l.mu.Unlock()
	err := l.src.Close()
	<-l.ended
	return err
}

// LoadLive opens a growing MP3 — a running job's audio as it is encoded —
// in place of what was loaded; like Load it does not start playing. src is
// read on a goroutine of its own: a Read may wait for more audio, io.EOF
// says it is complete, and Close must end a Read that waits. While playback
// is ahead of what has arrived the device gets silence and the position
// waits. Seeking is refused (ErrLive) until Continue goes on in the
// finished file. The status names the job, not a podcast.
func (p *Player) LoadLive(jobID string, src io.ReadCloser) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		src.Close()
		return p.Status(), ErrClosed
	}
	if strings.TrimSpace(jobID) == "" {
		src.Close()
		return p.Status(), errors.New("listen: the job ID is empty")
	}
	_, err := p.replace("", jobID, func() (*track, error) {
		live, err := openLive(src)
		if err != nil {
			return nil, err
		}
		return &track{path: "job " + jobID, dec: live, live: live, rate: live.rate}, nil
	})
	if err != nil {
		p.log.Warn("opening a job's live audio failed", "job", jobID, "err", err)
		return p.publish(), err
	}
	return p.publish(), nil
}

// Continue goes on in podcastID's finished file (path) from where the live
// audio of its job is: the file holds the same frames, so playback carries
// on from the next sample without a restart, and a paused player stays
// paused at the same place. The file can then be seeked like any other.
func (p *Player) Continue(jobID, podcastID, path string) (Status, error) {
	p.opMu.Lock()
	defer p.opMu.Unlock()
	if p.closed {
		return p.Status(), ErrClosed
	}
	p.mu.Lock()
	live := p.track != nil && p.track.live != nil && p.jobID == jobID
	p.mu.Unlock()
	if !live {
		return p.Status(), fmt.Errorf("continue: the live audio of job %s is not what plays", jobID)
	}
	t, err := openTrack(path)
	if err != nil {
		return p.Status(), err
	}
	p.mu.Lock()
	old := p.track
	// The samples handed to the device reach pos: the file goes on from
	// there. The generation stays, so the device pulls on without a break.
	pos := min(p.pos, t.duration)
	if err := t.build(pos, p.outRate, p.speed, p.volume); err != nil {
		p.mu.Unlock()
		return p.Status(), errors.Join(err, t.close())
	}
	// A live audio already played to its end stays ended: the monitor
	// sees the device drain, as for any track.
	p.track, p.podcastID, p.jobID = t, podcastID, ""
	if p.state == StateEnded {
		p.pos = t.duration
	}
	p.mu.Unlock()
	if err := old.close(); err != nil {
		p.log.Warn("closing the live audio", "err", err)
	}
	return p.publish(), nil
}
