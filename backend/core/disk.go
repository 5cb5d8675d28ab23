package core

import (
	"fmt"
	"os"
	"sync"

	"podcastfy/backend/apperr"
)

// Disk limits. Each user's uploads and job files (the growing MP3, the job
// record, the uploads a job keeps to resume) share one budget, and the disk
// keeps a reserve nobody's upload may eat into, so one user cannot fill the
// server's disk for everyone (nor for the library).
const (
	DefaultDiskPerUser = 1 << 30   // 1 GB
	DefaultDiskReserve = 512 << 20 // 512 MB
)

// DiskLimits bound what jobs may keep on disk; a zero PerUser takes its
// default.
type DiskLimits struct {
	PerUser int64 // bytes of uploads and job files per user
	Reserve int64 // bytes the disk keeps free
}

func (s *Service) diskLimits() DiskLimits {
	if s.cfg.Disk == nil {
		return DiskLimits{PerUser: DefaultDiskPerUser, Reserve: DefaultDiskReserve}
	}
	l := s.cfg.Disk()
	if l.PerUser <= 0 {
		l.PerUser = DefaultDiskPerUser
	}
	l.Reserve = max(l.Reserve, 0)
	return l
}

// claims are the bytes of uploads still arriving, per user: not yet a
// job's, so not found by walking the jobs.
type claims struct {
	mu sync.Mutex
	by map[string]int64
}

// Claim is room set aside on disk for one upload while it arrives. Grow
// claims more as bytes come (a body of unknown length); Release gives the
// room back once the upload belongs to a job, or was refused. A Claim is
// used by one goroutine.
type Claim struct {
	s       *Service
	owner   string
	dir     string
	claimed int64 // set aside
	written int64 // counted by Grow
	done    bool
}

// ClaimUpload checks, before anything of an upload is written, that owner
// may start another job (the queue cap, ErrThrottled → 429) and that size
// more bytes fit in owner's disk budget (apperr.OverBudget → 413) and on
// the disk holding dir, with its reserve kept (apperr.DiskFull → 507).
// size is the declared length, or 0 when unknown; Grow then claims as the
// bytes arrive. The caller must Release the claim.
func (s *Service) ClaimUpload(owner, dir string, size int64) (*Claim, error) {
	s.mu.Lock()
	err := s.checkUserCap(owner)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	c := &Claim{s: s, owner: owner, dir: dir}
	if err := c.claim(max(size, 0)); err != nil {
		return nil, err
	}
	return c, nil
}

// Grow counts n more bytes about to be written, claiming more room when
// they go beyond what was claimed. On an error nothing more may be written.
// A nil Claim claims nothing (a caller that checks no budget).
func (c *Claim) Grow(n int64) error {
	if c == nil {
		return nil
	}
	c.written += n
	if c.written <= c.claimed {
		return nil
	}
	return c.claim(c.written - c.claimed)
}

// Release gives the claimed room back. It may be called more than once.
func (c *Claim) Release() {
	if c == nil || c.done {
		return
	}
	c.done = true
	c.s.claims.mu.Lock()
	if c.s.claims.by[c.owner] -= c.claimed; c.s.claims.by[c.owner] <= 0 {
		delete(c.s.claims.by, c.owner)
	}
	c.s.claims.mu.Unlock()
}

// claim sets n more bytes aside, if the budget and the disk allow.
func (c *Claim) claim(n int64) error {
	l := c.s.diskLimits()
	used := c.s.diskUsed(c.owner) // outside claims.mu: it stats files
	cl := &c.s.claims
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if used+cl.by[c.owner]+n > l.PerUser {
		return overBudget(used+cl.by[c.owner], n, l.PerUser)
	}
	if err := checkFree(c.dir, n, l.Reserve); err != nil {
		return err
	}
	if cl.by == nil {
		cl.by = map[string]int64{}
	}
	cl.by[c.owner] += n
	c.claimed += n
	return nil
}

// checkDiskRoom refuses a new job when owner's files already fill the
// budget or the disk holding the jobs is down to its reserve.
func (s *Service) checkDiskRoom(owner string) error {
	l := s.diskLimits()
	s.claims.mu.Lock()
	arriving := s.claims.by[owner]
	s.claims.mu.Unlock()
	if used := s.diskUsed(owner) + arriving; used >= l.PerUser {
		return overBudget(used, 0, l.PerUser)
	}
	return checkFree(s.cfg.JobsDir, 0, l.Reserve)
}

// diskUsed is the size of owner's job files: records, growing MP3s and the
// uploads the jobs own.
func (s *Service) diskUsed(owner string) int64 {
	var paths []string
	s.mu.Lock()
	for id, j := range s.jobs {
		if j.rec.Status.Owner != owner {
			continue
		}
		paths = append(paths, s.jobPath(id), s.framesPath(id))
		for _, src := range j.rec.Request.Sources {
			if src.Owned && src.Path != "" {
				paths = append(paths, src.Path)
			}
		}
	}
	s.mu.Unlock()
	var n int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func overBudget(used, adding, budget int64) error {
	if adding == 0 {
		return apperr.New(apperr.OverBudget,
			"your uploads and job files take %s, your whole disk budget of %s (server.diskPerUserMB); remove ended jobs to make room",
			sizeText(used), sizeText(budget))
	}
	return apperr.New(apperr.OverBudget,
		"this upload of %s does not fit in your disk budget: your uploads and job files take %s of %s (server.diskPerUserMB); remove ended jobs or send less",
		sizeText(adding), sizeText(used), sizeText(budget))
}

// checkFree refuses n more bytes on the disk holding dir when fewer than
// n+reserve are free. A disk whose free space cannot be read is not
// refused: the write itself will say what is wrong.
func checkFree(dir string, n, reserve int64) error {
	free, ok := freeBytes(dir)
	if !ok || free >= n+reserve {
		return nil
	}
	if n == 0 {
		return apperr.New(apperr.DiskFull,
			"the server's disk is nearly full: %s free, and %s is kept free (server.diskReserveMB); free some space on the server",
			sizeText(free), sizeText(reserve))
	}
	return apperr.New(apperr.DiskFull,
		"the server's disk has no room for this upload of %s: %s free, and %s is kept free (server.diskReserveMB); free some space on the server",
		sizeText(n), sizeText(free), sizeText(reserve))
}

// sizeText writes a byte count for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
