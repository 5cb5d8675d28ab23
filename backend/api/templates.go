package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"podcastfy/backend/config/strictyaml"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

// templateList is the answer of GET /templates: what the caller sees, each
// with its scope; problems name template files that could not be read (and
// were skipped).
type templateList struct {
	Templates []store.Scoped `json:"templates"`
	Problems  []string       `json:"problems"`
}

// caller is the request's user as the template rules see them.
func caller(r *http.Request) store.Caller {
	u := currentUser(r.Context())
	return store.Caller{ID: u.ID, Admin: u.IsAdmin}
}

func (s *server) listTemplates(w http.ResponseWriter, r *http.Request) {
	list, errs := s.Templates.ListFor(caller(r))
	out := templateList{Templates: list, Problems: make([]string, len(errs))}
	if out.Templates == nil {
		out.Templates = []store.Scoped{}
	}
	for i, e := range errs {
		out.Problems[i] = e.Error()
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getTemplate(w http.ResponseWriter, r *http.Request) {
	t, err := s.Templates.GetFor(caller(r), r.PathValue("id"))
	if err != nil {
		if e := templateError(err); e != err {
			err = e
		} else {
			err = &Error{Status: http.StatusInternalServerError, Code: "broken_template",
				Message: "the template file on the server cannot be used: " + err.Error() + "; replace it with PUT or fix the file"}
		}
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// templateError maps a store error about a template; a user file that does
// not parse is the server's data, not the client's mistake, but it is
// explained rather than hidden.
func templateError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalidID):
		return notFound("no such template")
	case errors.Is(err, store.ErrForbidden):
		return &Error{Status: http.StatusForbidden, Code: "read_only", Message: "shared templates are changed only by administrators; save a copy under a new id"}
	case errors.Is(err, store.ErrReadOnly):
		return &Error{Status: http.StatusForbidden, Code: "read_only", Message: "built-in templates cannot be changed or deleted; save a copy under a new id"}
	}
	return err
}

// templateBody is a template sent as JSON; it validates like a template file
// (podcastfy templates validate).
type templateBody struct {
	template.Template
	// Scope is what answers report; a client sending a template back as
	// it got it is not refused for it, and it changes nothing.
	Scope *string `json:"scope,omitempty"`
}

func (t *templateBody) check() error {
	return invalidTemplate(t.Validate())
}

// invalidTemplate is the answer to a template that breaks the rules: at
// its field when one field is at fault, so a form shows it there.
func invalidTemplate(err error) error {
	if err == nil {
		return nil
	}
	var fe *strictyaml.FieldError
	if j, ok := err.(interface{ Unwrap() []error }); (!ok || len(j.Unwrap()) == 1) && errors.As(err, &fe) {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_template", Field: fe.Path, Message: fe.Path + " " + fe.Problem}
	}
	return badRequest("invalid_template", "the template is not valid: "+err.Error())
}

// readTemplate decodes a template sent as JSON (strictly) or as YAML
// (Content-Type application/yaml: the file format, parsed exactly as the
// CLI's templates validate does).
func readTemplate(w http.ResponseWriter, r *http.Request) (template.Template, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml":
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, template.MaxFileBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return template.Template{}, tooLarge(template.MaxFileBytes)
			}
			return template.Template{}, badRequest("bad_body", "reading the request body failed: "+err.Error())
		}
		t, err := template.Parse("template", data)
		if err != nil {
			return template.Template{}, badRequest("invalid_template", err.Error())
		}
		return t, nil
	}
	var body templateBody
	if err := decodeJSON(w, r, &body); err != nil {
		return template.Template{}, err
	}
	return body.Template, nil
}

// createTemplate adds a template: the caller's own, or with ?shared=true a
// shared one (administrators only). An id the caller already sees is 409.
func (s *server) createTemplate(w http.ResponseWriter, r *http.Request) {
	shared := r.URL.Query().Get("shared") == "true"
	t, err := readTemplate(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.Templates.GetFor(caller(r), t.ID); err == nil {
		s.writeError(w, r, &Error{Status: http.StatusConflict, Code: "conflict", Field: "id",
			Message: fmt.Sprintf("you already have a template with the id %q: pick another id (or edit that template)", t.ID)})
		return
	} else if !errors.Is(err, store.ErrNotFound) {
		s.writeError(w, r, templateError(err))
		return
	}
	s.saveTemplate(w, r, t, shared)
}

// putTemplate replaces (or creates) a template in the caller's view: their
// own, or a shared one for an administrator; never a built-in.
func (s *server) putTemplate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if template.ValidID(id) != nil {
		s.writeError(w, r, notFound("no such template"))
		return
	}
	t, err := readTemplate(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if t.ID != id {
		s.writeError(w, r, badRequest("id_mismatch", fmt.Sprintf("the body's id %q differs from the URL's %q", t.ID, id)))
		return
	}
	s.saveTemplate(w, r, t, r.URL.Query().Get("shared") == "true")
}

func (s *server) saveTemplate(w http.ResponseWriter, r *http.Request, t template.Template, shared bool) {
	created, err := s.Templates.SaveFor(caller(r), t, shared)
	if err != nil {
		s.writeError(w, r, templateError(err))
		return
	}
	saved, err := s.Templates.GetFor(caller(r), t.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/templates/"+t.ID)
	writeJSON(w, status, saved)
}

func (s *server) deleteTemplate(w http.ResponseWriter, r *http.Request) {
	if err := s.Templates.DeleteFor(caller(r), r.PathValue("id")); err != nil {
		s.writeError(w, r, templateError(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
