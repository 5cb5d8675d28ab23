package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// checker is a request body that validates itself after decoding: missing
// fields, ranges and formats.
type checker interface {
	check() error
}

// decodeJSON reads a JSON object of at most MaxJSONBytes from the request
// into v (strictly: see decodeStrict), then runs v's own checks.
func decodeJSON(w http.ResponseWriter, r *http.Request, v checker) error {
	return decodeJSONLimit(w, r, v, MaxJSONBytes)
}

// decodeJSONLimit is decodeJSON with another bound on the body: a body
// that says it is larger is refused before it is read, and one that
// grows past the bound is cut off there.
func decodeJSONLimit(w http.ResponseWriter, r *http.Request, v checker, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
				Message: fmt.Sprintf("send the body as application/json, not %q", ct)}
		}
	}
	if r.ContentLength > limit {
		return tooLarge(limit)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge(limit)
	case err != nil:
		return badRequest("bad_body", "reading the request body failed: "+err.Error())
	}
	return decodeStrict(data, v)
}

func tooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
		Message: fmt.Sprintf("the request body is larger than the limit of %s", formatBytes(limit))}
}

// decodeStrict decodes one JSON object into v: unknown fields, wrong types,
// trailing data and anything but an object are 400 errors naming the
// problem (and the field). Then v checks itself.
func decodeStrict(data []byte, v checker) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return badRequest("invalid_json", "the request body is empty; send a JSON object")
	}
	if trimmed[0] != '{' {
		return badRequest("invalid_json", "the request body must be a JSON object ({…})")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeDecodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("invalid_json", "unexpected data after the JSON object")
	}
	return v.check()
}

func describeDecodeError(err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest("invalid_json", fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: ")))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("invalid_json", "the JSON object is cut short")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("wrong_type", "the request body must be a JSON object")
		}
		e := badRequest("wrong_type", fmt.Sprintf("field %q must be %s, not a JSON %s", typ.Field, typeName(typ.Type.Kind().String()), typ.Value))
		e.Field = typ.Field
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("unknown_field", fmt.Sprintf("unknown field %s; see /docs for the fields this endpoint takes", strings.TrimPrefix(err.Error(), "json: unknown field ")))
	}
	return badRequest("invalid_json", strings.TrimPrefix(err.Error(), "json: "))
}

// typeName names a Go kind the way a JSON user thinks of it.
func typeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "ptr":
		return "a string or null"
	}
	return "a number"
}

// required reports a missing field.
func required(field string) *Error {
	return fieldError(field, fmt.Sprintf("field %q is required", field))
}

func formatBytes(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
