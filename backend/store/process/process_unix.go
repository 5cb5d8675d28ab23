//go:build unix

// Package process tells the files a live podcastfy process is working on
// from those a process that has died left behind. Several processes share
// one store (the desktop app or `podcastfy serve` runs while the user runs
// `podcastfy generate` in a terminal), and each stages files: a job's media
// before they are committed, an upload while it arrives, the record of a
// running job. Each such process claims an id (Claim): it holds an
// exclusive advisory lock (flock) on <dir>/<id>.lock for as long as it
// lives, and marks what it stages with that id. The kernel drops the lock
// when the process ends, however it ends (SIGKILL included), so any other
// process can ask whether an id still has an owner (Alive): a lock it
// cannot take belongs to a live process; a lock it can take, or no lock
// file at all, means the process is gone and what carries its id may be
// removed at once, whatever its age.
package process

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

const (
	lockSuffix  = ".lock"
	claimPrefix = ".claim-" // a lock file not yet complete (see Claim)
)

// Self is this process's claim on one folder of lock files. Its lock is
// held until Release, or until the process ends. It is safe for
// concurrent use.
type Self struct {
	dir string
	id  string

	mu sync.Mutex
	f  *os.File // holds the lock; nil once released
}

// Claim makes a fresh id and locks <dir>/<id>.lock, creating dir if
// needed. The lock file is made and locked under a temporary name, then
// renamed: a lock file under its final name is always locked by its owner
// for as long as the owner lives, so another process never mistakes a
// process that is starting for one that is gone.
func Claim(dir string) (*Self, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("making the process folder: %w", err)
	}
	id := newID()
	tmp := filepath.Join(dir, claimPrefix+id)
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("claiming a process lock: %w", err)
	}
	// A fresh file: nobody else can hold its lock, so this never waits.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("locking %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, id+lockSuffix)); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("claiming a process lock: %w", err)
	}
	return &Self{dir: dir, id: id, f: f}, nil
}

// ID is the id this process marks its staged files with.
func (s *Self) ID() string { return s.id }

// Alive reports whether the process that claimed id still holds its lock:
// this process (until Release), or another process, in this one or
// elsewhere, that has not ended. An id that is not valid is not alive.
// When the lock file cannot be inspected (permissions, I/O), the answer is
// true: keeping a dead process's files costs disk, removing a live one's
// would break its work.
func (s *Self) Alive(id string) bool {
	if !ValidID(id) {
		return false
	}
	if id == s.id {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.f != nil
	}
	f, err := os.Open(filepath.Join(s.dir, id+lockSuffix))
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		return true
	}
	defer f.Close() // also drops the shared lock taken below
	// Locks of separate opens conflict even within one process, so a
	// lock this process holds under another Self answers as alive too.
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	return err != nil
}

// Prune removes the lock files of processes that are gone (and of claims a
// crash interrupted before their rename), and returns how many it removed.
// Call it after removing what those processes staged: an id without a
// lock file still reads as gone, so a crash in between loses nothing.
func (s *Self) Prune() (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, fmt.Errorf("reading the process folder: %w", err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, lockSuffix)
		if !ok {
			id, ok = strings.CutPrefix(name, claimPrefix)
		}
		if !ok || !ValidID(id) || id == s.id || !e.Type().IsRegular() {
			continue
		}
		gone, err := removeIfUnlocked(filepath.Join(s.dir, name))
		if err != nil {
			return n, err
		}
		if gone {
			n++
		}
	}
	return n, nil
}

// removeIfUnlocked removes a lock file whose lock nobody holds, holding
// the lock itself while it does, so that no live owner loses its file.
func removeIfUnlocked(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil // another process pruned it
	}
	if err != nil {
		return false, fmt.Errorf("pruning %s: %w", path, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false, nil // held: its process is alive
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("pruning %s: %w", path, err)
	}
	return true, nil
}

// Release removes this process's lock file and drops its lock: what it
// staged is then anyone's to remove. Later calls do nothing.
func (s *Self) Release() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := os.Remove(filepath.Join(s.dir, s.id+lockSuffix))
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("releasing the process lock: %w", err)
	}
	return nil
}
