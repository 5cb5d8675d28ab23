//go:build soak

package api

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"podcastfy/backend/core"
)

// timeline records, from the job service's events, when each job started
// (its first state other than queued) and when it ended, by the job's own
// clock (Status.UpdatedAt; the server runs in this process, on the same
// clock as the clients). It is the soak's tap (testOptions.tap).
type timeline struct {
	mu   sync.Mutex
	jobs map[string]*span
}

type span struct {
	owner      string
	state      core.State // the last one seen
	err        string
	start, end time.Time
	started    chan struct{} // closed at start
}

func newTimeline() *timeline { return &timeline{jobs: map[string]*span{}} }

// get is id's span, made on first use. Called with mu held.
func (tl *timeline) get(id string) *span {
	sp, ok := tl.jobs[id]
	if !ok {
		sp = &span{started: make(chan struct{})}
		tl.jobs[id] = sp
	}
	return sp
}

func (tl *timeline) Emit(_ string, data any) {
	st, ok := data.(core.Status)
	if !ok {
		return
	}
	// The job's own time of the change, taken before its record is
	// saved: an event reaches listeners only after that save.
	at := st.UpdatedAt
	tl.mu.Lock()
	defer tl.mu.Unlock()
	sp := tl.get(st.ID)
	sp.owner, sp.state, sp.err = st.Owner, st.State, st.Error
	if st.State != core.Queued && sp.start.IsZero() {
		sp.start = at
		close(sp.started)
	}
	if !st.State.Running() && sp.end.IsZero() {
		sp.end = at
	}
}

// waitStart blocks until job id has started and returns when, or the zero
// time after limit.
func (tl *timeline) waitStart(id string, limit time.Duration) time.Time {
	tl.mu.Lock()
	sp := tl.get(id)
	tl.mu.Unlock()
	select {
	case <-sp.started:
	case <-time.After(limit):
		return time.Time{}
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return sp.start
}

// runningAt returns the longest of the jobs, other than id, running at t
// (started at or before, not ended before), preferring those of owner
// when any of theirs ran; ok is false when none ran.
func (tl *timeline) runningAt(t time.Time, id, owner string) (d time.Duration, who string, ok bool) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for other, sp := range tl.jobs {
		if other == id || sp.start.IsZero() || sp.start.After(t) || !sp.end.IsZero() && sp.end.Before(t) {
			continue
		}
		end := sp.end
		if end.IsZero() {
			end = time.Now()
		}
		preferred := sp.owner == owner
		if !ok || preferred && who != owner || (preferred == (who == owner)) && end.Sub(sp.start) > d {
			d, who, ok = end.Sub(sp.start), sp.owner, true
		}
	}
	return d, who, ok
}

// summary describes the jobs of owner that ran: how many ended how, and
// the shortest, median and longest run.
func (tl *timeline) summary(owner string) string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	states := map[core.State]int{}
	var runs []time.Duration
	firstErr := ""
	for _, sp := range tl.jobs {
		if sp.owner != owner || sp.start.IsZero() || sp.end.IsZero() {
			continue
		}
		states[sp.state]++
		runs = append(runs, sp.end.Sub(sp.start))
		if sp.err != "" && firstErr == "" {
			firstErr = sp.err
		}
	}
	if len(runs) == 0 {
		return "none ran"
	}
	slices.Sort(runs)
	out := fmt.Sprintf("%d ran (%v), shortest %s, median %s, longest %s", len(runs), states,
		runs[0].Round(time.Millisecond), runs[len(runs)/2].Round(time.Millisecond), runs[len(runs)-1].Round(time.Millisecond))
	if firstErr != "" {
		out += "; an error: " + firstErr
	}
	return out
}
