package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"time"

	"podcastfy/backend/store/atomicfile"
)

// Reading and writing users.json, which other processes may change at any
// time (see Users).

func openUsers(path string, now func() time.Time) (*Users, error) {
	u := &Users{path: path, lock: path + ".lock", now: now}
	if err := u.load(); err != nil {
		return nil, err
	}
	return u, nil
}

// current stats users.json and reports whether list is its content.
// Callers hold mu.
func (u *Users) current() (bool, error) {
	fi, err := os.Stat(u.path)
	if errors.Is(err, fs.ErrNotExist) {
		return u.stamp == noFile, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the accounts file: %w", err)
	}
	st := stampOf(fi, u.now())
	return st != fileStamp{} && st == u.stamp, nil
}

// sync reads users.json again if it changed. Callers hold mu for writing.
func (u *Users) sync() error {
	ok, err := u.current()
	if err != nil || ok {
		return err
	}
	return u.load()
}

// load reads users.json into list. A file that does not parse is an error
// naming it; list keeps its last good content, and the next call tries
// again. Callers hold mu for writing.
func (u *Users) load() error {
	f, err := os.Open(u.path)
	if errors.Is(err, fs.ErrNotExist) {
		u.list, u.stamp = nil, noFile
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the accounts file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("reading the accounts file: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxUsersFileBytes+1))
	if err != nil {
		return fmt.Errorf("reading the accounts file: %w", err)
	}
	list, err := parseUsers(u.path, data)
	if err != nil {
		u.stamp = fileStamp{}
		return err
	}
	u.list, u.stamp = list, stampOf(fi, u.now())
	return nil
}

// read runs fn on the up-to-date list.
func (u *Users) read(fn func(list []User)) error {
	u.mu.RLock()
	ok, err := u.current()
	if err == nil && ok {
		defer u.mu.RUnlock()
		fn(u.list)
		return nil
	}
	u.mu.RUnlock()
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.sync(); err != nil {
		return err
	}
	fn(u.list)
	return nil
}

// modify runs fn on a copy of the up-to-date list and saves the list fn
// returns, holding the lock file throughout so that no other process
// writes in between. An error from fn cancels the change.
func (u *Users) modify(fn func(list []User) ([]User, error)) error {
	u.writeMu.Lock()
	defer u.writeMu.Unlock()
	unlock, err := lockFile(u.lock)
	if err != nil {
		return fmt.Errorf("changing accounts: %w", err)
	}
	defer unlock()
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.sync(); err != nil {
		return err
	}
	next, err := fn(slices.Clone(u.list))
	if err != nil {
		return err
	}
	if reflect.DeepEqual(next, u.list) {
		// Nothing changed (GET /me asking for a feed key the user already
		// has): no write, so no fsync held under the lock that every
		// request's sign-in check reads through.
		return nil
	}
	return u.save(next)
}

// save writes list as users.json; callers hold mu and the lock file, and
// list is adopted only when the write succeeds, so memory and file never
// disagree.
func (u *Users) save(list []User) error {
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding accounts: %w", err)
	}
	if err := atomicfile.WriteFile(u.path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("saving accounts: %w", err)
	}
	u.list, u.stamp = list, fileStamp{}
	// Under the lock file no other process has written since.
	if fi, err := os.Stat(u.path); err == nil {
		u.stamp = stampOf(fi, u.now())
	}
	return nil
}
