package llm

import (
	"errors"
	"fmt"
)

// Kinds of failure; test with errors.Is. Every error a writer returns also
// carries a message a user can act on.
var (
	// ErrEmptySource: the source text is empty or only whitespace.
	ErrEmptySource = errors.New("the source text is empty")
	// ErrSourceTooLarge: the source text is over the writer's limit.
	ErrSourceTooLarge = errors.New("the source text is too large")
	// ErrNoSpeakers: the template is missing or names no speakers.
	ErrNoSpeakers = errors.New("the template names no speakers")
	// ErrUnreachable: nothing answers at the Ollama address.
	ErrUnreachable = errors.New("Ollama is not reachable")
	// ErrModelMissing: the model is not pulled.
	ErrModelMissing = errors.New("the model is not pulled")
	// ErrStalled: Ollama sent nothing for the idle timeout.
	ErrStalled = errors.New("Ollama stopped responding")
	// ErrInterrupted: the connection ended before the answer was complete.
	ErrInterrupted = errors.New("Ollama closed the connection early")
	// ErrOllama: Ollama answered with an error.
	ErrOllama = errors.New("Ollama reported an error")
	// ErrInvalidOutput: the model's answer was unusable even after one repair.
	ErrInvalidOutput = errors.New("the model's answer is not a usable script")
)

// Error is a failure of a kind above, with a message for the user and the
// underlying cause.
type Error struct {
	Kind error
	Msg  string
	Err  error
}

// Error returns the message alone: each message already names the cause
// where that helps the user.
func (e *Error) Error() string { return e.Msg }

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func newError(kind, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: cause}
}
