package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"podcastfy/backend/store/atomicfile"
	"podcastfy/backend/template"
)

// Templates merges the built-in templates with the shared folder
// (<config>/templates/<id>.yaml), where a file overrides the built-in of the
// same id, and each user's own folder (<config>/templates/users/<user
// id>/<id>.yaml; see templates_owned.go). Folders are read on every call,
// so hand edits show at once. Get, List, Save and Delete work on the shared
// templates (the CLI's view); the *For methods on one user's view.
type Templates struct {
	dir string
	log *slog.Logger

	builtin     map[string]template.Template
	builtinErrs []error

	mu sync.Mutex // serialises Save and Delete
}

func newTemplates(dir string, builtin fs.FS, log *slog.Logger) *Templates {
	t := &Templates{dir: dir, log: log, builtin: map[string]template.Template{}}
	if builtin == nil {
		return t
	}
	names, err := fs.Glob(builtin, "*.yaml")
	if err != nil {
		t.builtinErrs = append(t.builtinErrs, fmt.Errorf("built-in templates: %w", err))
		return t
	}
	for _, name := range names {
		tpl, err := readTemplate(builtin, name, "built-in "+name)
		if err != nil {
			log.Error("built-in template is invalid", "err", err)
			t.builtinErrs = append(t.builtinErrs, err)
			continue
		}
		tpl.BuiltIn = true
		t.builtin[tpl.ID] = tpl
	}
	return t
}

// readTemplate parses one file whose name must be <id>.yaml; label names it
// in errors.
func readTemplate(fsys fs.FS, name, label string) (template.Template, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return template.Template{}, fmt.Errorf("%s: %w", label, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return template.Template{}, fmt.Errorf("%s: %w", label, err)
	}
	if !fi.Mode().IsRegular() {
		return template.Template{}, fmt.Errorf("%s: not a regular file", label)
	}
	if fi.Size() > template.MaxFileBytes {
		return template.Template{}, fmt.Errorf("%s: the file is larger than %d bytes", label, template.MaxFileBytes)
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return template.Template{}, fmt.Errorf("%s: %w", label, err)
	}
	tpl, err := template.Parse(label, data)
	if err != nil {
		return template.Template{}, err
	}
	if stem := strings.TrimSuffix(path.Base(name), ".yaml"); tpl.ID != stem {
		return template.Template{}, fmt.Errorf("%s: the id %q does not match the file name; name the file %s.yaml", label, tpl.ID, tpl.ID)
	}
	return tpl, nil
}

// userFile reads the shared folder's <id>.yaml; ok is false when there is
// none.
func (t *Templates) userFile(id string) (tpl template.Template, ok bool, err error) {
	return fileIn(t.dir, id)
}

// fileIn reads dir's <id>.yaml; ok is false when there is none.
func fileIn(dir, id string) (tpl template.Template, ok bool, err error) {
	p := filepath.Join(dir, id+".yaml")
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return template.Template{}, false, nil
	}
	tpl, err = readTemplate(os.DirFS(dir), id+".yaml", p)
	return tpl, true, err
}

// readFolder reads every <id>.yaml of dir into into, replacing entries of
// the same id; problems are returned, the files skipped.
func readFolder(dir string, into map[string]template.Template) []error {
	var errs []error
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, fmt.Errorf("reading the templates folder: %w", err))
	}
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, ".yaml")
		if !ok || e.IsDir() || atomicfile.IsTemp(name) {
			continue
		}
		if err := template.ValidID(id); err != nil {
			errs = append(errs, fmt.Errorf("%s: the file name is not a template id: %w", filepath.Join(dir, name), err))
			continue
		}
		tpl, _, err := fileIn(dir, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		into[id] = tpl
	}
	return errs
}

// List returns every usable template sorted by name (then id): built-ins,
// replaced by user files of the same id. Files that fail to parse are
// reported in the errors (each naming the file and line) and skipped; a
// broken override leaves the built-in listed.
func (t *Templates) List() ([]template.Template, []error) {
	merged := make(map[string]template.Template, len(t.builtin))
	for id, tpl := range t.builtin {
		merged[id] = cloneTemplate(tpl)
	}
	errs := slices.Clone(t.builtinErrs)
	errs = append(errs, readFolder(t.dir, merged)...)
	return sortTemplates(merged), errs
}

// sortTemplates lists templates by name, then id.
func sortTemplates(merged map[string]template.Template) []template.Template {
	out := make([]template.Template, 0, len(merged))
	for _, tpl := range merged {
		out = append(out, tpl)
	}
	slices.SortFunc(out, func(a, b template.Template) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Get returns the user's template of that id, else the built-in one. A
// user file that does not parse is an error (not silently the built-in).
func (t *Templates) Get(id string) (template.Template, error) {
	if err := template.ValidID(id); err != nil {
		return template.Template{}, fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	tpl, ok, err := t.userFile(id)
	if err != nil {
		return template.Template{}, err
	}
	if ok {
		return tpl, nil
	}
	if b, ok := t.builtin[id]; ok {
		return cloneTemplate(b), nil
	}
	return template.Template{}, fmt.Errorf("template %s: %w", id, ErrNotFound)
}

// Save validates tpl and writes it atomically to the user's folder as
// <id>.yaml, creating or replacing the user template (and overriding a
// built-in of the same id).
func (t *Templates) Save(tpl template.Template) error {
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
	if err := os.MkdirAll(t.dir, 0o700); err != nil {
		return fmt.Errorf("saving template %s: %w", tpl.ID, err)
	}
	return atomicfile.WriteFile(filepath.Join(t.dir, tpl.ID+".yaml"), data, 0o600)
}

// Delete removes the user's template of that id; if it overrode a built-in,
// the built-in shows again. ErrReadOnly for a built-in without a user file.
func (t *Templates) Delete(id string) error {
	if err := template.ValidID(id); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	err := os.Remove(filepath.Join(t.dir, id+".yaml"))
	switch {
	case err == nil:
		return atomicfile.SyncDir(t.dir)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("deleting template %s: %w", id, err)
	case t.builtin[id].ID != "":
		return fmt.Errorf("template %s is built in: %w", id, ErrReadOnly)
	default:
		return fmt.Errorf("template %s: %w", id, ErrNotFound)
	}
}

func cloneTemplate(t template.Template) template.Template {
	if t.TTSConfig != nil {
		c := *t.TTSConfig
		t.TTSConfig = &c
	}
	t.Structure = slices.Clone(t.Structure)
	t.Style = slices.Clone(t.Style)
	sp := make([]template.Speaker, len(t.Speakers))
	for i, s := range t.Speakers {
		s.Voices = maps.Clone(s.Voices)
		sp[i] = s
	}
	t.Speakers = sp
	return t
}
