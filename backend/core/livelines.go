package core

import (
	"context"
	"fmt"
)

// LiveLine is one line a running job has voiced, placed in seconds on the
// timeline of its live audio, which is also the finished podcast's.
type LiveLine struct {
	Index   int     `json:"index"`
	Speaker string  `json:"speaker"`
	Text    string  `json:"text"`
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
}

// LiveLines is what a job has voiced so far, from one index on: the
// transcript a listener of its live audio follows.
type LiveLines struct {
	Lines []LiveLine `json:"lines"`
	// Count is how many lines are voiced in all (those before from too).
	Count int `json:"count"`
	// Ended is set once no more lines will come: the job ended (its
	// podcast, when done, has the whole transcript).
	Ended bool `json:"ended"`
}

// LiveLines returns the lines of a job's live audio from index from on.
// A job that has voiced nothing yet has none; once it ends, its last run's
// lines stay until it is resumed. It answers at once: ctx is taken for the
// same shape as the other methods.
func (s *Service) LiveLines(_ context.Context, owner, id string, from int) (LiveLines, error) {
	if from < 0 {
		return LiveLines{}, fmt.Errorf("%w: from must be 0 or more, got %d", ErrBadRequest, from)
	}
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		s.mu.Unlock()
		return LiveLines{}, ErrJobNotFound
	}
	live, running := j.live, j.rec.Status.State.Running()
	s.mu.Unlock()
	out := LiveLines{Lines: []LiveLine{}, Ended: !running}
	if live == nil {
		return out, nil
	}
	live.mu.Lock()
	defer live.mu.Unlock()
	out.Count = len(live.lines)
	rate := float64(live.rate)
	for i := from; i < len(live.lines); i++ {
		c := live.lines[i]
		out.Lines = append(out.Lines, LiveLine{Index: i, Speaker: c.Speaker, Text: c.Text,
			Start: float64(c.Start) / rate, End: float64(c.End) / rate})
	}
	return out, nil
}
