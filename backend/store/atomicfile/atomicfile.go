// Package atomicfile writes files so that a crash at any moment leaves
// either the old or the new content under the final name, never a mix: the
// data goes to a temp file in the same folder, is flushed to disk, renamed
// over the target, and the folder itself is flushed so the rename survives.
//
// Temp files are named ".<target>.tmp-<random>"; IsTemp recognises them so
// that a program can remove the leftovers of a crash when it starts. Since
// several processes may write in one folder, RemoveTemps removes a temp
// file only when no live process can own it: one whose name carries its
// owner (OwnedTempName) as soon as that owner is gone, any other once it is
// old enough that no live write can still be making it.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"podcastfy/backend/store/process"
)

// tempMarker is part of every temp file name made here.
const tempMarker = ".tmp-"

// WriteFile writes data to path atomically with the given permissions.
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+tempMarker+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err == nil {
		if err = f.Chmod(perm); err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = SyncDir(dir); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// SyncDir flushes a folder's entries (new names, renames, removals) to disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("flushing folder %s: %w", dir, err)
	}
	return nil
}

// TempName returns a fresh temp-file name for target's folder that IsTemp
// recognises, for callers that write a file themselves before renaming it.
// The suffix must be unique, e.g. random.
func TempName(target, suffix string) string {
	dir, base := filepath.Split(target)
	return filepath.Join(dir, "."+base+tempMarker+suffix)
}

// ownerSep ends the owner's id in the suffix of an owned temp name. Random
// suffixes (os.CreateTemp's digits, hex ids) never hold it.
const ownerSep = "-"

// OwnedTempName is TempName for a file that a process stages for a while
// (minutes, not the milliseconds of WriteFile): the name carries owner, the
// id of the process making it (process.Self.ID), so that RemoveTemps can
// tell whether that process is still alive.
func OwnedTempName(target, owner, suffix string) string {
	return TempName(target, owner+ownerSep+suffix)
}

// TempOwner returns the owner an OwnedTempName carries; ok is false for a
// name that is not a temp name or names no process id.
func TempOwner(name string) (owner string, ok bool) {
	if !IsTemp(name) {
		return "", false
	}
	suffix := name[strings.LastIndex(name, tempMarker)+len(tempMarker):]
	owner, _, ok = strings.Cut(suffix, ownerSep)
	if !ok || !process.ValidID(owner) {
		return "", false
	}
	return owner, true
}

// IsTemp reports whether a file name (not a path) is one of our temp files.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker)
}

// RemoveTemps deletes the temp files in dir that no live process can own,
// and returns the names it removed: an owned one (OwnedTempName) when
// alive says its owner is gone, any other when it was last modified before
// cutoff (left by an interrupted write; a younger one may belong to a
// write another process is making now). A missing folder is not an error.
func RemoveTemps(dir string, cutoff time.Time, alive func(owner string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cleaning %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		if e.IsDir() || !IsTemp(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if os.IsNotExist(err) {
			continue // its write just finished or was cleaned up
		}
		if err != nil {
			return removed, fmt.Errorf("cleaning %s: %w", dir, err)
		}
		if owner, ok := TempOwner(e.Name()); ok {
			if alive(owner) {
				continue
			}
		} else if !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("cleaning %s: %w", dir, err)
		}
		removed = append(removed, e.Name())
	}
	if len(removed) > 0 {
		if err := SyncDir(dir); err != nil {
			return removed, err
		}
	}
	return removed, nil
}
