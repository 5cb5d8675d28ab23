package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Kinds of failure; test with errors.Is. Every error a writer returns also
// carries a message a user can act on.
var (
	// ErrEmptySource: the source text is empty or only whitespace.
	ErrEmptySource = errors.New("the source text is empty")
	// ErrSourceTooLarge: the source text is over the writer's limit.
	ErrSourceTooLarge = errors.New("the source text is too large")
	// ErrUnpunctuated: the source has too long a run without a sentence
	// end to be cut into lines (CheckSource).
	ErrUnpunctuated = errors.New("the source text has too long a run without punctuation")
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

// advice says what to do about an error Ollama reported in its own words.
func advice(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "more system memory") || strings.Contains(m, "out of memory") || strings.Contains(m, "cudamalloc") || strings.Contains(m, "oom"):
		return "the model needs more memory than is free: close other programs, choose a smaller model (for example llama3.2:1b) or lower ollama.options.num_ctx"
	case strings.Contains(m, "unexpected eof") || strings.Contains(m, "runner") || strings.Contains(m, "exit status") || strings.Contains(m, "signal"):
		return "the model runner stopped, most often for lack of memory: choose a smaller model or lower ollama.options.num_ctx, and check Ollama's log"
	case strings.Contains(m, "context") && (strings.Contains(m, "exceed") || strings.Contains(m, "too long") || strings.Contains(m, "limit")):
		return "the prompt does not fit the model's context: lower ollama.options.num_ctx to what the model supports, or shorten the source"
	case strings.Contains(m, "does not support"):
		return "choose a model that can chat, for example llama3.2 or qwen2.5"
	}
	return "check Ollama's log (journalctl -u ollama, or ~/.ollama/logs/server.log) and try again"
}

// Fallback reports whether the offline writer should take over after err:
// any failure of Ollama or of the model's output, but not bad input (the
// offline writer would refuse it too) nor a cancelled job.
func Fallback(err error) bool {
	if errors.Is(err, ErrEmptySource) || errors.Is(err, ErrNoSpeakers) || errors.Is(err, ErrUnpunctuated) {
		return false
	}
	var e *Error
	if errors.As(err, &e) { // a stall's cause is a cancel, yet it is Ollama's failure
		return true
	}
	return err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
