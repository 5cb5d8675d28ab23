package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"sync"
	"time"
)

// Live is the settings in force: config.yaml as last read or saved, shared
// by everything that follows the settings (the job service, the desktop's
// settings screen, the LAN server). Get notices a file written by another
// process or an editor, so a change applies to the next piece of work with
// no restart; Save and such a change notify the subscribers.
type Live struct {
	path string

	mu    sync.Mutex
	cur   Settings
	stamp stamp
	// bad is the stamp of a damaged file already reported, so that it is
	// read (and logged) once, not at every Get.
	bad     stamp
	badErr  error
	subs    map[int]func(Settings)
	nextSub int
}

// stamp identifies one version of the file cheaply: an edit changes the
// modification time or the size (an atomic replace changes both the inode
// and, in practice, the time).
type stamp struct {
	exists  bool
	modTime time.Time
	size    int64
	ino     uint64
}

// OpenLive loads path (Load) and follows it from then on.
func OpenLive(path string) (*Live, error) {
	st, err := statFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Live{path: path, cur: s, stamp: st, subs: map[int]func(Settings){}}, nil
}

// Path is the file the settings live in.
func (l *Live) Path() string { return l.path }

// Get returns the settings in force. When the file changed since it was
// last read, it is read again first; a file that cannot be read as settings
// leaves the last good settings in force (Current reports why).
func (l *Live) Get() Settings {
	s, _ := l.Current()
	return s
}

// Current is Get that also reports a config.yaml changed into something
// that is not valid settings (the error names the file, line and key); the
// settings returned are then the last good ones.
func (l *Live) Current() (Settings, error) {
	st, err := statFile(l.path)
	l.mu.Lock()
	if err != nil {
		defer l.mu.Unlock()
		return l.cur, err
	}
	if st == l.stamp {
		defer l.mu.Unlock()
		return l.cur, nil
	}
	if st == l.bad {
		defer l.mu.Unlock()
		return l.cur, l.badErr
	}
	s, err := Load(l.path)
	if err != nil {
		l.bad, l.badErr = st, err
		defer l.mu.Unlock()
		return l.cur, err
	}
	changed := !reflect.DeepEqual(s, l.cur)
	l.cur, l.stamp, l.bad, l.badErr = s, st, stamp{}, nil
	subs := l.subscribers()
	l.mu.Unlock()
	if changed {
		notify(subs, s)
	}
	return s, nil
}

// Save validates s and writes it (see Save), then puts it in force and
// notifies the subscribers.
func (l *Live) Save(s Settings) error {
	s.followPreset()
	l.mu.Lock()
	if err := Save(l.path, s); err != nil {
		l.mu.Unlock()
		return err
	}
	st, err := statFile(l.path)
	if err != nil {
		l.mu.Unlock()
		return err
	}
	// What was saved is what a fresh Load gives, defaults filled in.
	if s.TTS.Voices == nil {
		s.TTS.Voices = map[string]string{}
	}
	if s.Server.CORSOrigins == nil {
		s.Server.CORSOrigins = []string{}
	}
	if s.TTS.Servers == nil {
		s.TTS.Servers = []TTSServer{}
	}
	l.cur, l.stamp, l.bad, l.badErr = s, st, stamp{}, nil
	subs := l.subscribers()
	l.mu.Unlock()
	notify(subs, s)
	return nil
}

// Subscribe calls fn with the new settings after each change (a Save, or
// a changed file noticed by Get), on the goroutine that noticed it; fn must
// not call Save. The returned function ends the subscription.
func (l *Live) Subscribe(fn func(Settings)) (cancel func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.nextSub
	l.nextSub++
	l.subs[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.subs, id)
		l.mu.Unlock()
	}
}

func (l *Live) subscribers() []func(Settings) {
	out := make([]func(Settings), 0, len(l.subs))
	for _, fn := range l.subs {
		out = append(out, fn)
	}
	return out
}

func notify(subs []func(Settings), s Settings) {
	for _, fn := range subs {
		fn(s)
	}
}

func statFile(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return stamp{}, nil
	}
	if err != nil {
		return stamp{}, fmt.Errorf("reading settings: %w", err)
	}
	return stamp{exists: true, modTime: fi.ModTime(), size: fi.Size(), ino: inode(fi)}, nil
}
