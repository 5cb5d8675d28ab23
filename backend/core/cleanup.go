package core

import (
	"context"
	"fmt"
	"os"
	"time"
)

// DefaultInterruptedMaxAge is how long an interrupted job, and the uploads
// it keeps so it can resume, wait for a resume before they are swept.
const DefaultInterruptedMaxAge = 7 * 24 * time.Hour

// Remove deletes an ended job (done, failed, cancelled or interrupted): its
// record, its growing audio and the uploads it still owns. A running or
// queued job is ErrJobRunning: cancel it first. The podcast it made, if
// any, stays in the library.
func (s *Service) Remove(_ context.Context, owner, id string) error {
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		s.mu.Unlock()
		return ErrJobNotFound
	}
	if j.rec.Status.State.Running() {
		s.mu.Unlock()
		return ErrJobRunning
	}
	delete(s.jobs, id)
	srcs, done := j.rec.Request.Sources, j.done
	s.mu.Unlock()
	// A run that has just ended may still be saving its final state (its
	// record is written outside the lock); removing before that save lands
	// would let it bring the record back. done closes once it has.
	<-done
	return s.removeFiles(id, srcs)
}

// removeFiles deletes what a job left on disk.
func (s *Service) removeFiles(id string, srcs []Source) error {
	removeOwnedSources(srcs)
	var first error
	for _, p := range []string{s.framesPath(id), s.jobPath(id)} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) && first == nil {
			first = fmt.Errorf("removing job %s: %w", id, err)
		}
	}
	return first
}

// SweepInterrupted removes the interrupted jobs not resumed for longer
// than the configured age (Config.InterruptedMaxAge), with their uploads,
// and reports how many went. NewService sweeps once; a long-running server
// calls it now and then.
func (s *Service) SweepInterrupted() int {
	now := s.deps.Now()
	type victim struct {
		id   string
		srcs []Source
	}
	var gone []victim
	s.mu.Lock()
	for id, j := range s.jobs {
		st := j.rec.Status
		if st.State == Interrupted && now.Sub(st.UpdatedAt) > s.cfg.InterruptedMaxAge {
			delete(s.jobs, id)
			gone = append(gone, victim{id, j.rec.Request.Sources})
		}
	}
	s.mu.Unlock()
	for _, v := range gone {
		if err := s.removeFiles(v.id, v.srcs); err != nil {
			s.log.Warn("sweeping an interrupted job", "job", v.id, "err", err)
		}
	}
	if len(gone) > 0 {
		s.log.Info("swept interrupted jobs never resumed", "jobs", len(gone), "olderThan", s.cfg.InterruptedMaxAge)
	}
	return len(gone)
}
