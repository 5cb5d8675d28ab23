package desktop

import (
	"podcastfy/backend/apperr"
)

// FormatError is the window's one mapping of errors, given to Wails as
// options.App.ErrorFormatter. A facade method's error rejects its promise
// in the frontend with this object (never a bare string):
//
//	{"code": "invalid_request", "field": "minutes", "message": "the length must be between 0.5 and 120 minutes"}
//
// code is one of the stable apperr codes ("invalid_request", "not_found",
// "forbidden", "unauthorized", "conflict", "job_running", "unavailable",
// "internal" …); field names the request input at fault and is left out
// when no single input is; message is for people. The window runs on the
// user's own machine, so an internal error keeps its full message.
//
// Wails reports a call it could not decode (wrong argument types) as a bare
// string before any method runs; the frontend adapter reads that as
// {"code":"internal","message":<the string>}.
func FormatError(err error) any {
	return apperr.From(err)
}
