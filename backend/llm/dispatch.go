package llm

import (
	"context"
	"sync"

	"podcastfy/backend/script"
)

// maxWaitingLines bounds the lines a section written ahead of its turn
// holds before they can be handed over (a section has a few dozen).
const maxWaitingLines = 1024

// sectionRun is one section being written: its lines as they come, then
// its outcome.
type sectionRun struct {
	lines     chan script.Line
	result    chan error
	began     chan struct{} // closed once its first call has a host (or it ended)
	beganOnce sync.Once
	committed chan struct{} // closed once it is in s.done
}

func (r *sectionRun) begin() { r.beganOnce.Do(func() { close(r.began) }) }

// writeSections writes the sections, as many at once as the hosts have
// slots (one by one with a single host, each then seeing every section
// before it), and hands their lines to req.OnLine in script order: the
// lines of the section being heard as they come, those of sections
// written ahead once it is finished. Sections start in order and join
// s.done in order. The first error (a section's, or OnLine's) stops them
// all and is returned.
func (s *session) writeSections(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := len(s.plan.sections)
	runs := make([]*sectionRun, n)
	for i := range runs {
		runs[i] = &sectionRun{lines: make(chan script.Line, maxWaitingLines), result: make(chan error, 1),
			began: make(chan struct{}), committed: make(chan struct{})}
	}
	// flight holds a token per section being written.
	flight := make(chan struct{}, s.o.pool.Capacity())
	started := make(chan struct{}) // closed when no more sections start
	go func() {
		defer close(started)
		for i := range n {
			select {
			case flight <- struct{}{}:
			case <-ctx.Done():
				for _, r := range runs[i:] {
					close(r.lines)
					r.result <- ctx.Err()
				}
				return
			}
			go s.runSection(ctx, i, runs, flight)
			// The next section asks for a host only once this one has
			// one, so sections take the hosts in order.
			<-runs[i].began
		}
	}()
	defer func() {
		cancel()
		<-started
		for _, r := range runs {
			for range r.lines { // let blocked writers finish
			}
		}
	}()
	for i, r := range runs {
		title := s.plan.sections[i].title
		for l := range r.lines {
			if s.req.OnLine == nil {
				continue
			}
			if err := s.req.OnLine(ChapterLine{Chapter: i, Title: title, Line: l}); err != nil {
				return err
			}
		}
		if err := <-r.result; err != nil {
			return err
		}
	}
	return nil
}

// runSection writes section i on its own goroutine and, once the sections
// before it have joined s.done, adds it there and frees its flight token.
func (s *session) runSection(ctx context.Context, i int, runs []*sectionRun, flight chan struct{}) {
	r := runs[i]
	defer func() { <-flight }()
	defer r.begin()
	emit := func(l script.Line) error {
		select {
		case r.lines <- l:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var w written
	err := ctx.Err()
	if err == nil {
		w, err = s.writeSection(ctx, i, emit, r.begin)
	}
	close(r.lines)
	if err == nil && i > 0 {
		select {
		case <-runs[i-1].committed:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	if err == nil {
		s.mu.Lock()
		s.done = append(s.done, w)
		s.mu.Unlock()
		close(r.committed)
	}
	r.result <- err
}
