//go:build unix

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Several processes share one store: the desktop app or `podcastfy serve`
// runs while the user runs `podcastfy user add` or `podcastfy generate` in
// a terminal. Memory is a cache of the files, so each process notices the
// others' changes by looking at file identities (fileStamp), and writes
// that read, modify and write a shared file hold an advisory lock
// (lockFile) for the whole sequence.

// settleTime is how old a modification must be before its time can tell
// versions apart. File systems stamp times from a coarse clock (a kernel
// tick; a second or two on some), so two changes close together may carry
// the same time; a stamp taken sooner than this is not trusted, and the
// next look reads the file again.
const settleTime = 2 * time.Second

// fileStamp identifies one version of a file or folder. Atomic writes
// replace a file by a new inode, and adding, renaming or removing a
// folder's entry changes the folder's modification time. The zero stamp
// means "not known": it never equals a real stamp.
type fileStamp struct {
	ino   uint64
	size  int64
	mtime int64 // Unix nanoseconds
}

// noFile is the stamp of a file that does not exist.
var noFile = fileStamp{size: -1}

// rawStamp is fi's stamp, however recent.
func rawStamp(fi fs.FileInfo) fileStamp {
	s := fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino = uint64(st.Ino)
	}
	return s
}

// stampOf is fi's stamp, or the zero stamp when fi changed less than
// settleTime before now, so that a later change with the same time, size
// and a reused inode is not mistaken for this version.
func stampOf(fi fs.FileInfo, now time.Time) fileStamp {
	if now.Sub(fi.ModTime()) < settleTime {
		return fileStamp{}
	}
	return rawStamp(fi)
}

// lockWait bounds how long lockFile waits for another process: a write
// holds the lock for milliseconds, so a longer wait means a stuck process.
const lockWait = 10 * time.Second

// lockFile takes an exclusive advisory lock (flock) on path, creating the
// file if needed, and returns the function that releases it. Locks of
// separate calls conflict even within one process. The lock goes with the
// process, so a crash never leaves it taken.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	pause := time.Millisecond
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			// Closing the file releases the lock.
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another podcastfy process has held %s for over %v; if one is stuck, stop it", path, lockWait)
		}
		time.Sleep(pause)
		pause = min(2*pause, 20*time.Millisecond)
	}
}
