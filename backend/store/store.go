// Package store owns podcastfy's files on disk: the podcast library
// (<id>.json metadata in the seed's schema plus media files), the accounts
// file users.json, and the templates (built-in ones merged with the user's
// folder). Every write is atomic (temp file, fsync, rename, folder fsync),
// so a crash leaves either the old or the new file. Every id is validated
// before it becomes part of a file name; no client string is ever a path.
//
// A Store is safe for concurrent use, and several processes may open the
// same folders at once (the app or `podcastfy serve` running while the
// user runs `podcastfy user add` or `podcastfy generate`). Podcast and user
// records are served from memory, which follows the files: users.json is
// read again whenever its identity changes (one stat per call) and changed
// under a lock file; the podcast index looks at the folder at most once per
// RefreshInterval and, when the folder changed, loads only the metadata
// files that are new or replaced. Only a podcast's (possibly large) source
// text is read back from its file, by Get.
package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/config"
	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/store/process"
)

// Sentinel errors; test with errors.Is. Messages wrap them with details.
var (
	ErrNotFound  error = &apperr.Error{Code: apperr.NotFound, Message: "not found"}
	ErrConflict  error = &apperr.Error{Code: apperr.Conflict, Message: "already exists"}
	ErrInvalidID error = &apperr.Error{Code: apperr.NotFound, Message: "invalid id"} // an id no record can have
	ErrReadOnly  error = &apperr.Error{Code: apperr.ReadOnly, Message: "read-only"}
)

// LeftoverAge is how old a temp file of WriteFileAtomic, or the media of an
// unfinished commit, must be before Open removes it. Younger ones may
// belong to a write of another process that is running now: a write takes
// milliseconds, a commit's renames a moment. Staged files (StagePath) carry
// their process's id instead, and go as soon as that process has.
const LeftoverAge = 6 * time.Hour

// MaxIDLength bounds podcast and user ids.
const MaxIDLength = 64

// ValidID returns an error wrapping ErrInvalidID unless id is 1–64
// characters of A–Z, a–z, 0–9, '_' and '-'. Such an id cannot name another
// folder ("..", "/"), hide a NUL, or collide with our own suffixes (".json").
func ValidID(id string) error {
	if len(id) == 0 || len(id) > MaxIDLength {
		return fmt.Errorf("%w: %q must be 1 to %d characters long", ErrInvalidID, clip(id), MaxIDLength)
	}
	if !idChars(id) {
		return fmt.Errorf("%w: %q may only hold letters, digits, '_' and '-'", ErrInvalidID, clip(id))
	}
	return nil
}

// idChars reports whether s holds only A–Z, a–z, 0–9, '_' and '-'.
func idChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// NewID returns a random id (32 lower-case hex digits) that passes ValidID.
func NewID() string {
	var b [16]byte
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WriteFileAtomic writes data to path so that a crash leaves either the old
// or the new content: temp file in the same folder, fsync, rename, folder
// fsync. The temp file is removed on failure, and by Open after a crash
// (once it is LeftoverAge old).
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return atomicfile.WriteFile(path, data, perm)
}

// Store gives access to the library, the accounts and the templates.
type Store struct {
	proc      *process.Self
	podcasts  *Podcasts
	users     *Users
	templates *Templates
}

// Open prepares the folders in paths, claims this process's id (Process),
// removes the staged files of processes that have ended and the temp files
// a crash left (once they are LeftoverAge old), loads the accounts into
// memory, and parses the built-in templates (the *.yaml files at the root
// of builtinTemplates, which may be nil). The podcast index is built in the
// background, so start-up does not grow with the library: it finishes
// interrupted deletes and loads every metadata file, and the Podcasts
// methods wait for it (an error that stopped it is theirs to return). A
// users.json that cannot be read is an error naming the file and the
// problem; the file is left as it is. A podcast file that cannot be read is
// logged and skipped, not removed.
func Open(paths config.Paths, builtinTemplates fs.FS, log *slog.Logger) (*Store, error) {
	return openStore(paths, builtinTemplates, log, time.Now)
}

// openStore is Open with a clock, which tests move.
func openStore(paths config.Paths, builtinTemplates fs.FS, log *slog.Logger, now func() time.Time) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := paths.EnsureDirs(); err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	proc, err := process.Claim(paths.ProcessesDir())
	if err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	cutoff := now().Add(-LeftoverAge)
	for _, dir := range []string{paths.Config, paths.TemplatesDir(), paths.Data, paths.PodcastsDir()} {
		removed, err := atomicfile.RemoveTemps(dir, cutoff, proc.Alive)
		if err != nil {
			proc.Release()
			return nil, fmt.Errorf("opening the store: %w", err)
		}
		if len(removed) > 0 {
			log.Info("removed files left by an interrupted write or a process that ended", "dir", dir, "count", len(removed))
		}
	}
	// What the ended processes staged is gone; their locks can go too (an
	// id without a lock file reads as ended all the same).
	if _, err := proc.Prune(); err != nil {
		log.Warn("removing the locks of ended processes", "err", err)
	}
	users, err := openUsers(paths.UsersFile(), now)
	if err != nil {
		proc.Release()
		return nil, err
	}
	podcasts, err := openPodcasts(paths.PodcastsDir(), proc, log, now)
	if err != nil {
		proc.Release()
		return nil, err
	}
	return &Store{
		proc:      proc,
		podcasts:  podcasts,
		users:     users,
		templates: newTemplates(paths.TemplatesDir(), builtinTemplates, log),
	}, nil
}

// Process is this process's claim on what it stages: the job service marks
// its running jobs with it and the LAN server its uploads, so that another
// process starting meanwhile leaves them alone, and the first one to start
// after this one ends clears them. It is held until the process ends.
func (s *Store) Process() *process.Self { return s.proc }

// Podcasts is the library.
func (s *Store) Podcasts() *Podcasts { return s.podcasts }

// Settle waits until the background work Open started (building the
// podcast index and its sort orders) has ended, so that nothing of the
// store runs or logs after a short command has returned. The process's
// lock stays held until the process ends.
func (s *Store) Settle() { <-s.podcasts.settled }

// Users is the accounts file.
func (s *Store) Users() *Users { return s.users }

// Templates merges built-in and user templates.
func (s *Store) Templates() *Templates { return s.templates }

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
