package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"podcastfy/backend/auth"
	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Error is an answer for the client: an HTTP status, a stable code for
// programs and a message for people. Every error response has the body
// {"error":{"code":"…","message":"…"}}.
type Error struct {
	Status  int
	Code    string
	Message string
	// RetryAfter, in seconds, is sent as the Retry-After header when > 0.
	RetryAfter int
}

func (e *Error) Error() string { return e.Message }

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func badRequest(code, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: msg}
}

func notFound(msg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: msg}
}

// toError maps a Go error to its answer; this is the only place where
// domain errors become HTTP statuses. Anything not recognised is a 500
// whose details are logged, not sent.
func toError(err error) *Error {
	var e *Error
	var throttled *auth.ThrottledError
	var invalid *auth.ValidationError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &throttled):
		return &Error{Status: http.StatusTooManyRequests, Code: "throttled", RetryAfter: throttled.Seconds(),
			Message: throttled.Error()}
	case errors.As(err, &invalid):
		return badRequest("invalid_"+invalid.Field, invalid.Error())
	case errors.Is(err, auth.ErrInvalidCredentials):
		return &Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Message: "wrong username or password"}
	case errors.Is(err, auth.ErrInvalidToken):
		return &Error{Status: http.StatusUnauthorized, Code: "invalid_token", Message: err.Error() + "; log in again"}
	case errors.Is(err, core.ErrJobNotFound):
		return notFound("no such job")
	case errors.Is(err, core.ErrJobFinished):
		return &Error{Status: http.StatusConflict, Code: "job_finished", Message: err.Error()}
	case errors.Is(err, core.ErrJobRunning):
		return &Error{Status: http.StatusConflict, Code: "job_running", Message: err.Error()}
	case errors.Is(err, core.ErrBadRequest):
		return badRequest("invalid_request", err.Error())
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalidID):
		return notFound(err.Error())
	case errors.Is(err, store.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: err.Error()}
	case errors.Is(err, store.ErrReadOnly):
		return &Error{Status: http.StatusForbidden, Code: "read_only", Message: err.Error()}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal",
		Message: "the server failed to handle the request; the details are in its log"}
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
	writeJSON(w, e.Status, errorBody{Error: errorDetail{Code: e.Code, Message: e.Message}})
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
