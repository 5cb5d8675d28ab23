package core

// A job's record on disk (jobs/<id>.json): loaded when the service starts,
// saved at every change of state and, throttled, as it progresses.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/store"
)

// loadJobs reads the job records at start-up (see NewService).
func (s *Service) loadJobs() error {
	entries, err := os.ReadDir(s.cfg.JobsDir)
	if err != nil {
		return fmt.Errorf("read jobs folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || store.ValidID(strings.TrimSuffix(name, ".json")) != nil {
			continue
		}
		path := filepath.Join(s.cfg.JobsDir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read job file: %w", err)
		}
		var rec jobRecord
		if err := json.Unmarshal(data, &rec); err != nil || rec.Status.ID == "" {
			// A job file is our own state, written atomically; one that does
			// not parse is reported and left for the user to inspect.
			s.log.Warn("ignoring unreadable job file", "file", path, "err", err)
			continue
		}
		if !rec.Status.State.Running() && rec.Status.State != Interrupted && s.deps.Now().Sub(rec.Status.UpdatedAt) > JobMaxAge {
			// Finished long ago: the podcast (if any) lives in the library.
			os.Remove(path)
			continue
		}
		if rec.Status.State.Running() && s.runByLiveProcess(rec) {
			s.elsewhere[rec.Status.Owner]++
			continue
		}
		j := &job{rec: rec, done: make(chan struct{})}
		close(j.done)
		if rec.Status.State.Running() {
			j.rec.Status.State = Interrupted
			j.rec.Status.Stage = "Interrupted when podcastfy stopped — resume to continue"
			if err := s.saveRecord(j, j.rec); err != nil {
				return err
			}
		}
		s.jobs[rec.Status.ID] = j
	}
	return nil
}

// runByLiveProcess reports whether a running job's record belongs to a
// process that is still alive: this one (another service in it) or
// another. A record without a process is from a version that marked none.
func (s *Service) runByLiveProcess(rec jobRecord) bool {
	if rec.Process == "" || s.deps.Process == nil || !s.deps.Process.Alive(rec.Process) {
		return false
	}
	s.log.Debug("leaving a job another podcastfy process is running", "job", rec.Status.ID, "process", rec.Process)
	return true
}

func (s *Service) jobPath(id string) string { return filepath.Join(s.cfg.JobsDir, id+".json") }

func (s *Service) saveRecord(j *job, rec jobRecord) error {
	if s.deps.Process != nil {
		rec.Process = s.deps.Process.ID()
	}
	req, sc, err := j.parts.encode(rec)
	if err != nil {
		return fmt.Errorf("save job %s: %w", rec.Status.ID, err)
	}
	// jobRecord's fields, put together here: json.Marshal would scan the
	// encoded request (megabytes) again on every save.
	status, err := json.Marshal(rec.Status)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Grow(len(status) + len(req) + len(sc) + 64)
	if rec.Process != "" {
		proc, _ := json.Marshal(rec.Process)
		b.WriteString(`{"process":`)
		b.Write(proc)
		b.WriteString(`,"status":`)
	} else {
		b.WriteString(`{"status":`)
	}
	b.Write(status)
	b.WriteString(`,"request":`)
	b.Write(req)
	if sc != nil {
		b.WriteString(`,"script":`)
		b.Write(sc)
	}
	b.WriteString("}\n")
	if err := store.WriteFileAtomic(s.jobPath(rec.Status.ID), b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("save job %s: %w", rec.Status.ID, err)
	}
	// Progress is saved about once a second, and less often when the
	// record is large (an upload's whole text): at most saveRate bytes a
	// second, so that one user's large jobs do not keep the disk from
	// everyone else's. A change of state is saved at once all the same.
	gap := max(time.Second, time.Duration(b.Len())*time.Second/saveRate)
	s.mu.Lock()
	j.saveGap = gap
	s.mu.Unlock()
	return nil
}

// saveRate bounds the bytes a second that progress saves write per job.
const saveRate = 1 << 20

// recordParts keeps a job's request and script as last encoded. A running
// job's record is saved every second or so for its progress, and its
// request holds the whole source text (megabytes, for an upload): encoding
// that anew each time took the CPU and the disk's time that other users'
// jobs needed to start. They change once or twice in a job's life
// (jobRecord.inputs says when), so they are encoded that often.
type recordParts struct {
	mu      sync.Mutex
	inputs  uint64
	ok      bool
	request json.RawMessage
	script  json.RawMessage
}

// encode returns rec's request and script encoded, from what it kept when
// they have not changed since.
func (p *recordParts) encode(rec jobRecord) (req, sc json.RawMessage, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ok && p.inputs == rec.inputs {
		return p.request, p.script, nil
	}
	if req, err = json.Marshal(rec.Request); err != nil {
		return nil, nil, err
	}
	if rec.Script != nil {
		if sc, err = json.Marshal(rec.Script); err != nil {
			return nil, nil, err
		}
	}
	p.request, p.script, p.inputs, p.ok = req, sc, rec.inputs, true
	return req, sc, nil
}
