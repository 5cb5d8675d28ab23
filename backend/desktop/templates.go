package desktop

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"podcastfy/backend/config/strictyaml"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

// FieldProblem is one thing wrong with a template, at its field
// ("speakers[1].name").
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError is a template that breaks the rules. Its message is the
// JSON {"problems":[{"field":…,"message":…}]}, so the window can show each
// problem at its field.
type ValidationError struct {
	Problems []FieldProblem `json:"problems"`
}

func (e *ValidationError) Error() string {
	b, err := json.Marshal(e)
	if err != nil {
		return "the template is not valid"
	}
	return string(b)
}

// Templates is the facade of podcast templates: the built-in ones and the
// user's own.
type Templates struct {
	store   *store.Templates
	session *Session
	log     *slog.Logger
}

// caller is the signed-in user as the store's template rules see them: the
// desktop's templates are its local user's own, like any LAN user's.
func (t *Templates) caller() (store.Caller, error) {
	u, err := t.session.User()
	if err != nil {
		return store.Caller{}, err
	}
	return store.Caller{ID: u.ID, Admin: u.IsAdmin}, nil
}

// List returns every template the user sees: built-in, shared and their
// own. A template file that cannot be read is left out and logged.
func (t *Templates) List() ([]template.Template, error) {
	c, err := t.caller()
	if err != nil {
		return nil, err
	}
	list, problems := t.store.ListFor(c)
	for _, p := range problems {
		t.log.Warn("skipping a template file", "err", p)
	}
	out := make([]template.Template, len(list))
	for i, sc := range list {
		out[i] = sc.Template
	}
	return out, nil
}

// Get returns one template as the user sees it.
func (t *Templates) Get(id string) (template.Template, error) {
	c, err := t.caller()
	if err != nil {
		return template.Template{}, err
	}
	sc, err := t.store.GetFor(c, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		return template.Template{}, fmt.Errorf("there is no template %q", clipText(id))
	}
	return sc.Template, err
}

// Save validates and writes a template as the user's own (or over a shared
// one, for an administrator). Rule breaks come back as a ValidationError.
func (t *Templates) Save(tpl template.Template) (template.Template, error) {
	c, err := t.caller()
	if err != nil {
		return template.Template{}, err
	}
	if problems := problemsOf(tpl); len(problems) > 0 {
		return template.Template{}, &ValidationError{Problems: problems}
	}
	if _, err := t.store.SaveFor(c, tpl, false); err != nil {
		return template.Template{}, t.explain(err, tpl.ID)
	}
	return t.Get(tpl.ID)
}

// Delete removes the user's template; built-in ones cannot be removed, and
// shared ones only by an administrator.
func (t *Templates) Delete(id string) error {
	c, err := t.caller()
	if err != nil {
		return err
	}
	return t.explain(t.store.DeleteFor(c, id), id)
}

// explain words a store refusal for the window.
func (t *Templates) explain(err error, id string) error {
	switch {
	case errors.Is(err, store.ErrForbidden):
		return fmt.Errorf("%q is a shared template; only an administrator can change it — save a copy under a new id", clipText(id))
	case errors.Is(err, store.ErrReadOnly):
		return fmt.Errorf("%q is a built-in template and cannot be changed or deleted", clipText(id))
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalidID):
		return fmt.Errorf("there is no template %q", clipText(id))
	}
	return err
}

// Validate lists what is wrong with a template, each at its field; empty
// when it can be saved.
func (t *Templates) Validate(tpl template.Template) ([]FieldProblem, error) {
	if _, err := t.session.User(); err != nil {
		return nil, err
	}
	return problemsOf(tpl), nil
}

// problemsOf splits the template's validation errors by field.
func problemsOf(tpl template.Template) []FieldProblem {
	out := []FieldProblem{}
	err := tpl.Validate()
	if err == nil {
		return out
	}
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *strictyaml.FieldError
		if errors.As(err, &fe) {
			out = append(out, FieldProblem{Field: fe.Path, Message: fe.Problem})
			return
		}
		out = append(out, FieldProblem{Field: "", Message: strings.TrimSpace(err.Error())})
	}
	walk(err)
	return out
}
