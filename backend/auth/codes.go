package auth

import "podcastfy/backend/apperr"

// The account errors keep their types (callers read RetryAfter and Field)
// and tell the doors their codes through apperr.Coded.

// ErrorCode makes a ValidationError an invalid request about its field.
func (e *ValidationError) ErrorCode() string { return apperr.Invalid }

// ErrorField is the request field at fault: "username", "password" or "email".
func (e *ValidationError) ErrorField() string { return e.Field }

// ErrorCode makes a ThrottledError the "throttled" code.
func (e *ThrottledError) ErrorCode() string { return apperr.Throttled }
