package store

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/template"
)

// Who owns what among templates. Every rule about who may see or change a
// template lives here, so the LAN API and the desktop apply the same ones:
//
//   - A user's own templates (users/<id>/) are theirs alone: no one else
//     sees them, not even an administrator.
//   - Shared templates (the folder's top level) are read by everyone and
//     changed only by administrators. Files that were in the folder before
//     templates had owners are shared templates: nothing moves, nothing is
//     lost, and only an administrator (or the CLI) changes them now.
//   - Built-in templates are read-only.
//
// Within one user's view a template id names their own template first,
// then a shared one, then a built-in.

// Caller is who asks: a user id and whether the user is an administrator.
type Caller struct {
	ID    string
	Admin bool
}

// Template scopes, as answers report them.
const (
	ScopeBuiltIn  = "builtin"
	ScopeShared   = "shared"
	ScopePersonal = "personal"
)

// ErrForbidden refuses a change the caller may not make (a shared template
// by a non-administrator); the message says why.
var ErrForbidden = fmt.Errorf("%w: only administrators change shared templates", ErrReadOnly)

// ownDir is the folder of a user's own templates.
func (t *Templates) ownDir(userID string) (string, error) {
	if err := ValidID(userID); err != nil {
		return "", err
	}
	return filepath.Join(t.dir, "users", userID), nil
}

// Scoped is a template with the scope it came from.
type Scoped struct {
	template.Template
	Scope string `json:"scope"` // ScopeBuiltIn, ScopeShared or ScopePersonal
}

// ListFor returns the templates c sees, sorted by name: built-ins, replaced
// by shared ones of the same id, replaced by c's own.
func (t *Templates) ListFor(c Caller) ([]Scoped, []error) {
	dir, err := t.ownDir(c.ID)
	if err != nil {
		return nil, []error{err}
	}
	shared, errs := t.List()
	scopes := make(map[string]string, len(shared))
	merged := make(map[string]template.Template, len(shared))
	for _, tpl := range shared {
		merged[tpl.ID] = tpl
		scopes[tpl.ID] = ScopeShared
		if tpl.BuiltIn {
			scopes[tpl.ID] = ScopeBuiltIn
		}
	}
	own := map[string]template.Template{}
	errs = append(errs, readFolder(dir, own)...)
	for id := range own {
		scopes[id] = ScopePersonal
	}
	maps.Copy(merged, own)
	sorted := sortTemplates(merged)
	out := make([]Scoped, len(sorted))
	for i, tpl := range sorted {
		out[i] = Scoped{Template: tpl, Scope: scopes[tpl.ID]}
	}
	return out, errs
}

// GetFor returns the template id as c sees it: c's own, else the shared
// one, else the built-in. Another user's own template is ErrNotFound.
func (t *Templates) GetFor(c Caller, id string) (Scoped, error) {
	if err := template.ValidID(id); err != nil {
		return Scoped{}, fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	dir, err := t.ownDir(c.ID)
	if err != nil {
		return Scoped{}, err
	}
	tpl, ok, err := fileIn(dir, id)
	if err != nil {
		return Scoped{}, err
	}
	if ok {
		return Scoped{Template: tpl, Scope: ScopePersonal}, nil
	}
	tpl, err = t.Get(id)
	if err != nil {
		return Scoped{}, err
	}
	if tpl.BuiltIn {
		return Scoped{Template: tpl, Scope: ScopeBuiltIn}, nil
	}
	return Scoped{Template: tpl, Scope: ScopeShared}, nil
}

// SaveFor writes tpl in c's view: over c's own template of that id (even
// one whose file no longer parses); else over the shared one, or as a new
// shared one when shared is asked (administrators only, ErrForbidden for
// others); else as c's own. A built-in id is ErrReadOnly. It reports
// whether the template is new.
func (t *Templates) SaveFor(c Caller, tpl template.Template, shared bool) (created bool, err error) {
	if err := template.ValidID(tpl.ID); err != nil {
		return false, fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	dir, err := t.ownDir(c.ID)
	if err != nil {
		return false, err
	}
	if fileExists(dir, tpl.ID) {
		return false, t.saveIn(dir, tpl)
	}
	hasShared := fileExists(t.dir, tpl.ID)
	_, builtIn := t.builtin[tpl.ID]
	switch {
	case hasShared || shared && !builtIn:
		if !c.Admin {
			return false, ErrForbidden
		}
		return !hasShared, t.saveIn(t.dir, tpl)
	case builtIn:
		return false, fmt.Errorf("template %s is built in: %w", tpl.ID, ErrReadOnly)
	}
	return true, t.saveIn(dir, tpl)
}

// DeleteFor removes the template id from c's view: c's own, else (for an
// administrator) the shared one. A shared template is ErrForbidden for
// others, a built-in ErrReadOnly, anything else ErrNotFound.
func (t *Templates) DeleteFor(c Caller, id string) error {
	if err := template.ValidID(id); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	dir, err := t.ownDir(c.ID)
	if err != nil {
		return err
	}
	switch _, builtIn := t.builtin[id]; {
	case fileExists(dir, id):
		return t.deleteIn(dir, id)
	case fileExists(t.dir, id) && c.Admin:
		return t.Delete(id)
	case fileExists(t.dir, id):
		return ErrForbidden
	case builtIn:
		return fmt.Errorf("template %s is built in: %w", id, ErrReadOnly)
	}
	return fmt.Errorf("template %s: %w", id, ErrNotFound)
}

// fileExists reports whether dir holds <id>.yaml (parsable or not).
func fileExists(dir, id string) bool {
	_, err := os.Lstat(filepath.Join(dir, id+".yaml"))
	return err == nil
}

// DeleteAllFor removes every template of a user (when the account goes)
// and reports how many there were.
func (t *Templates) DeleteAllFor(userID string) (int, error) {
	dir, err := t.ownDir(userID)
	if err != nil {
		return 0, err
	}
	own := map[string]template.Template{}
	readFolder(dir, own)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("removing the templates of user %s: %w", userID, err)
	}
	return len(own), nil
}

// saveIn validates tpl and writes it atomically into dir.
func (t *Templates) saveIn(dir string, tpl template.Template) error {
	if err := template.ValidID(tpl.ID); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	if err := tpl.Validate(); err != nil {
		return fmt.Errorf("template %s: %w", tpl.ID, err)
	}
	tpl.BuiltIn = false
	data, err := template.Marshal(tpl)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving template %s: %w", tpl.ID, err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, tpl.ID+".yaml"), data, 0o600)
}

// deleteIn removes dir's <id>.yaml.
func (t *Templates) deleteIn(dir, id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := os.Remove(filepath.Join(dir, id+".yaml")); err != nil {
		return fmt.Errorf("deleting template %s: %w", id, err)
	}
	return atomicfile.SyncDir(dir)
}

// MoveAllFor gives every template of user from to user to (when the
// account goes and its podcasts are kept). A template whose id to already
// has stays behind and is removed with from's folder; its id is reported
// in dropped.
func (t *Templates) MoveAllFor(from, to string) (moved int, dropped []string, err error) {
	src, err := t.ownDir(from)
	if err != nil {
		return 0, nil, err
	}
	dst, err := t.ownDir(to)
	if err != nil {
		return 0, nil, err
	}
	own := map[string]template.Template{}
	readFolder(src, own)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(own) > 0 {
		if err := os.MkdirAll(dst, 0o700); err != nil {
			return 0, nil, fmt.Errorf("keeping the templates of user %s: %w", from, err)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(own)) {
		if fileExists(dst, id) {
			dropped = append(dropped, id)
			continue
		}
		if err := os.Rename(filepath.Join(src, id+".yaml"), filepath.Join(dst, id+".yaml")); err != nil {
			return moved, dropped, fmt.Errorf("keeping template %s of user %s: %w", id, from, err)
		}
		moved++
	}
	if err := os.RemoveAll(src); err != nil {
		return moved, dropped, fmt.Errorf("removing the templates of user %s: %w", from, err)
	}
	return moved, dropped, nil
}
