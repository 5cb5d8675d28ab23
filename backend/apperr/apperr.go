// Package apperr is the one error type the doors show: a stable code for
// programs, the request field at fault (when one input is), and a message
// for people. Services return it (or wrap it); the LAN API maps it to an
// HTTP answer in one place (api/errors.go) and the desktop to a rejected
// promise in one place (desktop/errors.go). It imports nothing of ours, so
// every package may use it.
package apperr

import (
	"errors"
	"fmt"
)

// Codes. They are part of the API: never rename one.
const (
	Invalid            = "invalid_request"     // a request input is wrong; Field says which
	NotFound           = "not_found"           // no such thing, or not the caller's
	Forbidden          = "forbidden"           // the caller may not do this
	Conflict           = "conflict"            // it exists already, or changed meanwhile
	JobRunning         = "job_running"         // the job must finish first
	JobFinished        = "job_finished"        // the job has finished already
	Unavailable        = "unavailable"         // a component (Ollama, TTS, Whisper) is not there
	ReadOnly           = "read_only"           // built-in, cannot be changed
	Unauthorized       = "unauthorized"        // nobody is logged in
	InvalidCredentials = "invalid_credentials" // wrong username or password
	InvalidToken       = "invalid_token"       // the session ended
	Throttled          = "throttled"           // too many attempts; wait
	OverBudget         = "over_budget"         // over the user's disk budget
	DiskFull           = "disk_full"           // the server's disk is down to its reserve
	Internal           = "internal"            // a bug or a failing disk: see the log
	// PreconditionRequired: a change must say which version it was made
	// from (an ETag); PreconditionFailed: that version is no longer current.
	PreconditionRequired = "precondition_required"
	PreconditionFailed   = "precondition_failed"
	WriterUnavailable    = "writer_unavailable" // the LLM writer (Ollama) cannot be used now; the message says why
)

// Error is a domain error. Use errors.As to find it in a chain, or From.
type Error struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// New returns an error with code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an invalid_request error about one request field, named as
// the request names it ("title", "minutes", "sources" …).
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Coded is implemented by error types of other packages that know their
// code (and perhaps their field) but keep their own type, such as the
// account checks of package auth.
type Coded interface {
	error
	ErrorCode() string
}

// Fielded is a Coded error about one request field.
type Fielded interface {
	ErrorField() string
}

// From returns err as an *Error. The first *Error or Coded error in err's
// chain gives the code and the field; the message is err's whole text, so
// the details a wrapper added ("podcast x: not found") are kept. Anything
// else is Internal with err's text; a door that must not show internals
// (the LAN API) replaces that message. From(nil) is nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: e.Code, Field: e.Field, Message: err.Error()}
	}
	var c Coded
	if errors.As(err, &c) {
		out := &Error{Code: c.ErrorCode(), Message: err.Error()}
		if f, ok := c.(Fielded); ok {
			out.Field = f.ErrorField()
		}
		return out
	}
	return &Error{Code: Internal, Message: err.Error()}
}

// CodeOf is From(err).Code, "" for nil.
func CodeOf(err error) string {
	if e := From(err); e != nil {
		return e.Code
	}
	return ""
}
