package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxUsersFileBytes bounds users.json.
const MaxUsersFileBytes = 16 << 20

// User is one account; users.json is a JSON array of them. The first four
// fields are the seed's schema.
type User struct {
	ID           string  `json:"id"`
	Username     string  `json:"username"`
	PasswordHash string  `json:"passwordHash"`
	Email        *string `json:"email"`

	IsAdmin   bool      `json:"isAdmin"`
	CreatedAt time.Time `json:"createdAt"`
	// FeedKey is a secret that lets podcast apps read this user's RSS feed.
	FeedKey string `json:"feedKey,omitempty"`
	// TokenVersion invalidates every issued token when incremented.
	TokenVersion int `json:"tokenVersion"`
}

// Users is the accounts file, cached in memory and rewritten atomically
// (mode 0600) on every change. Other processes may change the file too:
// every call first compares the file's identity with the one it last read
// (one stat) and reads it again when it differs, and every change holds the
// lock file users.json.lock from reading the file to writing it back, so
// no process loses another's change.
type Users struct {
	path string
	lock string
	now  func() time.Time

	// writeMu queues this process's changes before the lock file, so that
	// mu, which readers need, is held only for the read-modify-write.
	writeMu sync.Mutex
	mu      sync.RWMutex
	list    []User    // sorted by CreatedAt, then ID
	stamp   fileStamp // users.json as list was read or written; zero: read it again
}

// parseUsers decodes and checks users.json; errors name the file and say
// what to fix. The file is never changed here.
func parseUsers(path string, data []byte) ([]User, error) {
	if len(data) > MaxUsersFileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes; it is not a podcastfy accounts file", path, MaxUsersFileBytes)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%s: the file is empty; restore it from a backup, or remove it to start with no accounts", path)
	}
	if trimmed[0] != '[' {
		return nil, fmt.Errorf("%s: expected a JSON array of users ([…]); restore it from a backup, or remove it to start with no accounts", path)
	}
	var list []User
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%s: %s; fix the file, restore it from a backup, or remove it to start with no accounts", path, describeJSONError(data, err))
	}
	ids, names := map[string]int{}, map[string]int{}
	for i, u := range list {
		where := fmt.Sprintf("%s: user %d (%q)", path, i+1, clip(u.Username))
		if err := ValidID(u.ID); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if err := checkUser(u); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if j, dup := ids[u.ID]; dup {
			return nil, fmt.Errorf("%s: id %s is also used by user %d", where, u.ID, j+1)
		}
		key := usernameKey(u.Username)
		if j, dup := names[key]; dup {
			return nil, fmt.Errorf("%s: the username is also used by user %d", where, j+1)
		}
		ids[u.ID], names[key] = i, i
	}
	sortUsers(list)
	return list, nil
}

func sortUsers(list []User) {
	slices.SortStableFunc(list, func(a, b User) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func usernameKey(name string) string { return strings.ToLower(name) }

// checkUser validates the fields of one user, except uniqueness.
func checkUser(u User) error {
	name := u.Username
	switch {
	case name == "":
		return errors.New("the username is empty")
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > 64:
		return errors.New("the username must be at most 64 characters of text")
	case strings.TrimSpace(name) != name:
		return errors.New("the username must not start or end with a space")
	case strings.ContainsFunc(name, unicode.IsControl):
		return errors.New("the username must not hold control characters")
	case u.PasswordHash == "":
		return errors.New("the password hash is empty")
	}
	if u.Email != nil && *u.Email != "" {
		e := *u.Email
		if len(e) > 254 || strings.Count(e, "@") != 1 || strings.ContainsFunc(e, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			return fmt.Errorf("%q is not an email address", clip(e))
		}
	}
	if u.FeedKey != "" {
		if len(u.FeedKey) > 128 || !idChars(u.FeedKey) {
			return errors.New("the feed key must be up to 128 letters, digits, '_' or '-'")
		}
	}
	if u.TokenVersion < 0 {
		return errors.New("the token version is negative")
	}
	return nil
}

// conflicts returns an ErrConflict error if user clashes with a user of
// list (other than skip) by username, id or feed key.
func conflicts(list []User, user User, skip string) error {
	key := usernameKey(user.Username)
	for _, o := range list {
		switch {
		case o.ID == skip:
		case o.ID == user.ID:
			return fmt.Errorf("user id %s: %w", user.ID, ErrConflict)
		case usernameKey(o.Username) == key:
			return fmt.Errorf("username %q: %w", user.Username, ErrConflict)
		case user.FeedKey != "" && o.FeedKey == user.FeedKey:
			return fmt.Errorf("feed key: %w", ErrConflict)
		}
	}
	return nil
}

// Create adds a user. An empty ID gets a new one and a zero CreatedAt gets
// now. ErrConflict when the username (ignoring case), id or feed key is
// taken. The first user of an empty store becomes an admin.
func (u *Users) Create(user User) (User, error) {
	if user.ID == "" {
		user.ID = NewID()
	}
	if err := ValidID(user.ID); err != nil {
		return User{}, err
	}
	if err := checkUser(user); err != nil {
		return User{}, fmt.Errorf("user %q: %w", clip(user.Username), err)
	}
	if user.CreatedAt.IsZero() {
		user.CreatedAt = u.now()
	}
	user.CreatedAt = user.CreatedAt.Round(0).UTC()
	user.Email = clonePtr(user.Email)
	err := u.modify(func(list []User) ([]User, error) {
		if err := conflicts(list, user, ""); err != nil {
			return nil, err
		}
		if len(list) == 0 {
			user.IsAdmin = true
		}
		list = append(list, user)
		sortUsers(list)
		return list, nil
	})
	if err != nil {
		return User{}, err
	}
	return cloneUser(user), nil
}

func cloneUser(user User) User {
	user.Email = clonePtr(user.Email)
	return user
}

func (u *Users) find(match func(User) bool) (user User, ok bool, err error) {
	err = u.read(func(list []User) {
		if i := slices.IndexFunc(list, match); i >= 0 {
			user, ok = cloneUser(list[i]), true
		}
	})
	return user, ok, err
}

// Get finds a user by id.
func (u *Users) Get(id string) (User, error) {
	if err := ValidID(id); err != nil {
		return User{}, err
	}
	user, ok, err := u.find(func(x User) bool { return x.ID == id })
	if err != nil || ok {
		return user, err
	}
	return User{}, fmt.Errorf("user %s: %w", id, ErrNotFound)
}

// ByUsername finds a user by name, ignoring case.
func (u *Users) ByUsername(name string) (User, error) {
	key := usernameKey(name)
	user, ok, err := u.find(func(x User) bool { return usernameKey(x.Username) == key })
	if err != nil || ok && name != "" {
		return user, err
	}
	return User{}, fmt.Errorf("user %q: %w", clip(name), ErrNotFound)
}

// ByFeedKey finds the user whose feed key is key.
func (u *Users) ByFeedKey(key string) (User, error) {
	user, ok, err := u.find(func(x User) bool { return x.FeedKey != "" && x.FeedKey == key })
	if err != nil || ok {
		return user, err
	}
	return User{}, fmt.Errorf("feed key: %w", ErrNotFound)
}

// List returns every user, oldest first.
func (u *Users) List() ([]User, error) {
	var out []User
	err := u.read(func(list []User) {
		out = make([]User, len(list))
		for i, x := range list {
			out[i] = cloneUser(x)
		}
	})
	return out, err
}

// Count is the number of users. When users.json cannot be read it is the
// number last read; the other calls report the error.
func (u *Users) Count() int {
	n := 0
	if err := u.read(func(list []User) { n = len(list) }); err != nil {
		u.mu.RLock()
		defer u.mu.RUnlock()
		return len(u.list)
	}
	return n
}

// Update changes a user through fn and saves the file. The id cannot
// change (fn's change is discarded); the result is validated, and a
// username or feed key taken by another user is ErrConflict. An error from
// fn cancels the update.
func (u *Users) Update(id string, fn func(*User) error) (User, error) {
	if err := ValidID(id); err != nil {
		return User{}, err
	}
	var next User
	err := u.modify(func(list []User) ([]User, error) {
		i := slices.IndexFunc(list, func(x User) bool { return x.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("user %s: %w", id, ErrNotFound)
		}
		next = cloneUser(list[i])
		if err := fn(&next); err != nil {
			return nil, err
		}
		next.ID = id
		next.Email = clonePtr(next.Email)
		next.CreatedAt = next.CreatedAt.Round(0).UTC()
		if err := checkUser(next); err != nil {
			return nil, fmt.Errorf("user %q: %w", clip(next.Username), err)
		}
		if err := conflicts(list, next, id); err != nil {
			return nil, err
		}
		list[i] = next
		sortUsers(list)
		return list, nil
	})
	if err != nil {
		return User{}, err
	}
	return cloneUser(next), nil
}

// Delete removes a user. Their podcasts stay in the library; removing or
// reassigning them is the caller's decision.
func (u *Users) Delete(id string) error {
	if err := ValidID(id); err != nil {
		return err
	}
	return u.modify(func(list []User) ([]User, error) {
		i := slices.IndexFunc(list, func(x User) bool { return x.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("user %s: %w", id, ErrNotFound)
		}
		return slices.Delete(list, i, i+1), nil
	})
}
