package core

import (
	"context"
	"io"
	"os"
	"sync"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
)

// Errors of LiveAudio: a running job has no audio until its first line is
// encoded; a finished job has none live (its podcast has the whole file).
var (
	ErrNoAudioYet error = &apperr.Error{Code: apperr.Unavailable,
		Message: "the job has no audio yet: listen once its first line is made (the job reports firstAudioSeconds)"}
	ErrNoLiveAudio error = &apperr.Error{Code: apperr.NotFound,
		Message: "the job is not running, so it has no live audio; a finished job's podcast has the whole file"}
)

// liveAudio is the MP3 frames a running job has encoded so far: the file
// grows line by line while the job synthesises, and readers follow it.
type liveAudio struct {
	path string
	rate int // samples per second, for the lines' places
	mu   sync.Mutex
	// lines are the lines encoded so far, on the timeline of the MP3
	// (and of the finished podcast, which is the same frames).
	lines []audio.Cue
	size  int64         // bytes of whole frames written so far
	done  bool          // no more will come
	grew  chan struct{} // closed and replaced whenever size or done change
}

func newLiveAudio(path string, rate int) *liveAudio {
	return &liveAudio{path: path, rate: rate, grew: make(chan struct{})}
}

// addLine records the place of a line just encoded.
func (l *liveAudio) addLine(c audio.Cue) {
	l.mu.Lock()
	l.lines = append(l.lines, c)
	l.mu.Unlock()
}

// publish makes the first size bytes readable.
func (l *liveAudio) publish(size int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if size > l.size {
		l.size = size
		close(l.grew)
		l.grew = make(chan struct{})
	}
}

// end tells readers that nothing more will be written.
func (l *liveAudio) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.done = true
		close(l.grew)
		l.grew = make(chan struct{})
	}
}

func (l *liveAudio) state() (size int64, done bool, grew <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size, l.done, l.grew
}

// LiveAudio follows a running job's MP3 as it is encoded.
type LiveAudio struct {
	live *liveAudio
	f    *os.File
	pos  int64
}

// LiveAudio opens the MP3 a running job has produced so far, for reading
// while it grows: ErrNoAudioYet before its first line is encoded,
// ErrNoLiveAudio once the job has ended. It answers at once: ctx is taken
// for the same shape as the other methods.
func (s *Service) LiveAudio(_ context.Context, owner, id string) (*LiveAudio, error) {
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		s.mu.Unlock()
		return nil, ErrJobNotFound
	}
	live, running := j.live, j.rec.Status.State.Running()
	s.mu.Unlock()
	if !running {
		return nil, ErrNoLiveAudio
	}
	if live == nil {
		return nil, ErrNoAudioYet
	}
	size, done, _ := live.state()
	if done {
		return nil, ErrNoLiveAudio
	}
	if size == 0 {
		return nil, ErrNoAudioYet
	}
	// Opened while the job runs, the file stays readable after the job
	// removes it.
	f, err := os.Open(live.path)
	if err != nil {
		return nil, ErrNoLiveAudio
	}
	return &LiveAudio{live: live, f: f}, nil
}

// Size returns the bytes available now and whether the file is complete
// (the job ended: no more will come).
func (a *LiveAudio) Size() (int64, bool) {
	size, done, _ := a.live.state()
	return size, done
}

// ReadAt reads what is already available; it never waits.
func (a *LiveAudio) ReadAt(p []byte, off int64) (int, error) {
	size, _ := a.Size()
	if off >= size {
		return 0, io.EOF
	}
	if int64(len(p)) > size-off {
		p = p[:size-off]
	}
	return a.f.ReadAt(p, off)
}

// Follow reads on from where the last Follow stopped, waiting for more
// audio while the job is running; io.EOF once the job has ended and
// everything was read, ctx's error when ctx ends first.
func (a *LiveAudio) Follow(ctx context.Context, p []byte) (int, error) {
	for {
		size, done, grew := a.live.state()
		if a.pos < size {
			n, err := a.ReadAt(p, a.pos)
			a.pos += int64(n)
			if err == io.EOF && n > 0 {
				err = nil
			}
			return n, err
		}
		if done {
			return 0, io.EOF
		}
		select {
		case <-grew:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Close releases the file.
func (a *LiveAudio) Close() error { return a.f.Close() }
