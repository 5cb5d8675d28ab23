//go:build unix

package core

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// freeBytes is the space an unprivileged process may still write on the
// disk holding dir (or its nearest existing parent: an upload folder is
// made on the first upload).
func freeBytes(dir string) (int64, bool) {
	for {
		var st unix.Statfs_t
		if err := unix.Statfs(dir, &st); err == nil {
			return int64(st.Bavail) * int64(st.Bsize), true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return 0, false
		}
		dir = parent
	}
}
