package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"podcastfy/backend/apperr"
	"podcastfy/backend/auth"
	"podcastfy/backend/core"
)

// Error is an answer for the client: an HTTP status, a stable code for
// programs, the request field at fault (when one is) and a message for
// people. Every error response has the body
// {"error":{"code":"…","field":"…","message":"…"}}, "field" left out when
// empty. Handlers return it for what only HTTP knows (a body that is not
// JSON, an upload too large); the services' errors are *apperr.Error.
type Error struct {
	Status  int
	Code    string
	Field   string
	Message string
	// RetryAfter, in seconds, is sent as the Retry-After header when > 0.
	RetryAfter int
	// Problems are every error the checks before a job found, for a
	// client that shows each at its field (the first is Field, Message).
	Problems []core.Problem
}

func (e *Error) Error() string { return e.Message }

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string         `json:"code"`
	Field    string         `json:"field,omitempty"`
	Message  string         `json:"message"`
	Problems []core.Problem `json:"problems,omitempty"`
}

// badRequest is a 400 about the request as HTTP carries it (not JSON, a
// bad form).
func badRequest(code, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: msg}
}

// fieldError is a 400 invalid_request about one input of the request.
func fieldError(field, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: apperr.Invalid, Field: field, Message: msg}
}

func notFound(msg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: apperr.NotFound, Message: msg}
}

// statusOf is the HTTP status of each domain error code.
var statusOf = map[string]int{
	apperr.Invalid:              http.StatusBadRequest,
	apperr.NotFound:             http.StatusNotFound,
	apperr.Forbidden:            http.StatusForbidden,
	apperr.ReadOnly:             http.StatusForbidden,
	apperr.Conflict:             http.StatusConflict,
	apperr.JobRunning:           http.StatusConflict,
	apperr.JobFinished:          http.StatusConflict,
	apperr.Unavailable:          http.StatusServiceUnavailable,
	apperr.Unauthorized:         http.StatusUnauthorized,
	apperr.InvalidCredentials:   http.StatusUnauthorized,
	apperr.InvalidToken:         http.StatusUnauthorized,
	apperr.Throttled:            http.StatusTooManyRequests,
	apperr.PreconditionRequired: http.StatusPreconditionRequired,
	apperr.PreconditionFailed:   http.StatusPreconditionFailed,
	apperr.WriterUnavailable:    http.StatusServiceUnavailable,
	apperr.OverBudget:           http.StatusRequestEntityTooLarge,
	apperr.DiskFull:             http.StatusInsufficientStorage,
}

// toError maps a Go error to its answer; this is the only place where
// domain errors become HTTP statuses. Anything not recognised is a 500
// whose details are logged, not sent.
func toError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	d := apperr.From(err)
	status, ok := statusOf[d.Code]
	if !ok {
		return &Error{Status: http.StatusInternalServerError, Code: apperr.Internal,
			Message: "the server failed to handle the request; the details are in its log"}
	}
	out := &Error{Status: status, Code: d.Code, Field: d.Field, Message: d.Message}
	var refused *core.Refusal
	if errors.As(err, &refused) {
		out.Problems = refused.Problems
	}
	var throttled *auth.ThrottledError
	var limited interface{ RetryAfterSeconds() int }
	switch {
	case errors.As(err, &throttled):
		out.RetryAfter = throttled.Seconds()
	case errors.As(err, &limited):
		out.RetryAfter = limited.RetryAfterSeconds()
	}
	if d.Code == apperr.InvalidToken {
		out.Message += "; log in again"
	}
	return out
}

// writeError sends err as a JSON error answer, logging server-side failures.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := toError(err)
	if e.Status >= 500 {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		s.Log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "status", e.Status, "code", e.Code, "err", err)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	if e.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="podcastfy"`)
	}
	writeJSON(w, e.Status, errorBody{Error: errorDetail{Code: e.Code, Field: e.Field, Message: e.Message, Problems: e.Problems}})
}

// writeJSON sends v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own response types reach here, all of which encode.
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"encoding the answer failed"}}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
