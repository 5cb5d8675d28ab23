//go:build unix

package config

import (
	"io/fs"
	"syscall"
)

// inode tells a file replaced by rename (editors, Save) from the one before
// even when its time and size match.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
