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

// List returns every template, built-in and the user's. A user template
// file that cannot be read is left out and logged.
func (t *Templates) List() ([]template.Template, error) {
	if _, err := t.session.User(); err != nil {
		return nil, err
	}
	list, problems := t.store.List()
	for _, p := range problems {
		t.log.Warn("skipping a template file", "err", p)
	}
	if list == nil {
		list = []template.Template{}
	}
	return list, nil
}

// Get returns one template.
func (t *Templates) Get(id string) (template.Template, error) {
	if _, err := t.session.User(); err != nil {
		return template.Template{}, err
	}
	tpl, err := t.store.Get(id)
	if errors.Is(err, store.ErrNotFound) {
		return template.Template{}, fmt.Errorf("there is no template %q", clipText(id))
	}
	return tpl, err
}

// Save validates and writes a template as the user's own (one with a
// built-in's id overrides it). Rule breaks come back as a ValidationError.
func (t *Templates) Save(tpl template.Template) (template.Template, error) {
	if _, err := t.session.User(); err != nil {
		return template.Template{}, err
	}
	if problems := problemsOf(tpl); len(problems) > 0 {
		return template.Template{}, &ValidationError{Problems: problems}
	}
	if err := t.store.Save(tpl); err != nil {
		return template.Template{}, err
	}
	return t.store.Get(tpl.ID)
}

// Delete removes the user's template; a built-in one cannot be removed.
func (t *Templates) Delete(id string) error {
	if _, err := t.session.User(); err != nil {
		return err
	}
	err := t.store.Delete(id)
	switch {
	case errors.Is(err, store.ErrReadOnly):
		return fmt.Errorf("%q is a built-in template and cannot be deleted", clipText(id))
	case errors.Is(err, store.ErrNotFound):
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
