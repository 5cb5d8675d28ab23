package ingest

import (
	"errors"
	"fmt"
)

// Errors callers can test with errors.Is; every error Load returns is a
// *SourceError wrapping one of these (or an asr error for audio).
var (
	ErrEmpty        = errors.New("no readable text")
	ErrBinary       = errors.New("binary data, not text")
	ErrUnsupported  = errors.New("unsupported kind of source")
	ErrTooLarge     = errors.New("too large")
	ErrEncrypted    = errors.New("encrypted PDF")
	ErrNoTextLayer  = errors.New("PDF without a text layer")
	ErrNotAudio     = errors.New("not audio")
	ErrNoASR        = errors.New("no speech recognition server configured")
	ErrFetch        = errors.New("the page could not be fetched")
	ErrScheme       = errors.New("only http and https links can be read")
	ErrPrivateHost  = errors.New("links to private network addresses are not allowed here")
	ErrInvalidInput = errors.New("invalid source")
)

// SourceError names the source that failed. Error reads like
// `source 2 "report.pdf": report.pdf is encrypted …`.
type SourceError struct {
	Index int    // 1-based position in the list given to Load; 0 outside Load
	Name  string // the label, file name or URL
	Err   error
}

func (e *SourceError) Error() string {
	if e.Index > 0 {
		return fmt.Sprintf("source %d (%s): %v", e.Index, e.Name, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Name, e.Err)
}

func (e *SourceError) Unwrap() error { return e.Err }

// failf wraps a sentinel with a message a user can act on.
func failf(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)
}
