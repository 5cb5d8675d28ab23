// Package asr owns speech recognition: the Transcriber interface, clients for
// the servers a user runs (Whisper ASR Webservice, OpenAI-compatible
// /v1/audio/transcriptions such as speaches, LocalAI or OpenAI itself, and the
// whisper.cpp server), audio format sniffing, and the duration estimate that
// scales each request's time-out. Wire formats follow
// shared/reference/protocols.md §2–3; package asrtest holds faithful fakes.
package asr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Provider names accepted by New.
const (
	ProviderWhisperASR = "whisper-asr" // onerahmet/openai-whisper-asr-webservice, POST /asr
	ProviderOpenAI     = "openai"      // POST /v1/audio/transcriptions (speaches, LocalAI, OpenAI)
	ProviderWhisperCpp = "whispercpp"  // whisper.cpp whisper-server, POST /inference
)

// Default base URLs, used when New is given an empty one.
const (
	DefaultWhisperASRURL = "http://127.0.0.1:9000"
	DefaultOpenAIURL     = "http://127.0.0.1:8000" // speaches
	DefaultWhisperCppURL = "http://127.0.0.1:8080"
	DefaultOpenAIModel   = "whisper-1"
)

// Progress stages reported through Options.Progress.
const (
	StageUploading    = "uploading"    // the audio is being sent; Sent counts bytes
	StageTranscribing = "transcribing" // everything is sent; the server is working
	StageDone         = "done"         // the transcript has arrived
)

// Progress tells how far one transcription is.
type Progress struct {
	Stage string
	Sent  int64 // audio bytes sent so far
	Total int64 // audio bytes to send
}

// Options tune one transcription.
type Options struct {
	// Language is an ISO-639-1 code ("en"); empty lets the server detect it.
	Language string
	// Task is "transcribe" (default) or "translate" (into English).
	Task string
	// WordTimestamps asks for word timings where the server supports them.
	WordTimestamps bool
	// Progress, when set, is called from the calling goroutine with upload and
	// transcription stages; it is throttled to roughly one call per percent.
	Progress func(Progress)
}

// Task values.
const (
	TaskTranscribe = "transcribe"
	TaskTranslate  = "translate"
)

// Segment is one timed stretch of the transcript, in seconds.
type Segment struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

// Transcript is what a server heard.
type Transcript struct {
	Text     string    `json:"text"`
	Language string    `json:"language,omitempty"` // as the server names it ("en" or "english")
	Duration float64   `json:"duration,omitempty"` // seconds of audio
	Segments []Segment `json:"segments,omitempty"`
}

// Transcriber turns recorded speech into text. Implementations are safe for
// concurrent use.
type Transcriber interface {
	// Name is the provider name: "whisper-asr", "openai" or "whispercpp".
	Name() string
	// Transcribe sends size bytes of audio read from audio (named filename,
	// whose extension servers may use to pick a decoder) and returns the
	// transcript. The request's time-out grows with the audio's estimated
	// duration (see Budget); ctx can end it sooner.
	Transcribe(ctx context.Context, filename string, audio io.Reader, size int64, opts Options) (Transcript, error)
	// Health reports whether the server answers and looks like the right kind.
	Health(ctx context.Context) error
}

// Errors callers can test with errors.Is.
var (
	// ErrUnavailable: the server could not be reached at all.
	ErrUnavailable = errors.New("speech recognition server is not reachable")
	// ErrRejected: the server answered with an error status.
	ErrRejected = errors.New("speech recognition server rejected the request")
	// ErrTimeout: the scaled time-out ran out before the transcript arrived.
	ErrTimeout = errors.New("speech recognition took too long")
	// ErrBadResponse: the server answered 2xx with something unreadable.
	ErrBadResponse = errors.New("speech recognition server sent an unreadable answer")
	// ErrBadAudio: the audio given to Transcribe is unusable before sending.
	ErrBadAudio = errors.New("unusable audio")
)

// StatusError is an error status from a server. It matches ErrRejected.
type StatusError struct {
	Provider   string // human name, e.g. "Whisper ASR Webservice"
	URL        string // the endpoint that answered
	StatusCode int
	Message    string // what the server said, condensed
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s at %s answered %d %s", e.Provider, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if hint := statusHint(e.StatusCode); hint != "" {
		msg += " — " + hint
	}
	return msg
}

// Is makes errors.Is(err, ErrRejected) true.
func (e *StatusError) Is(target error) bool { return target == ErrRejected }

func statusHint(code int) string {
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		return "check the API key in the speech recognition settings"
	case http.StatusNotFound:
		return "check the server URL and that the model is installed"
	case http.StatusUnprocessableEntity:
		return "the server did not accept the request's fields; is the provider type right?"
	case http.StatusInternalServerError:
		return "the server failed, often because it could not decode the audio"
	case http.StatusServiceUnavailable:
		return "the server is busy or still loading its model; try again shortly"
	}
	return ""
}

// New returns a Transcriber for provider at baseURL. An empty baseURL means
// the provider's usual local address; model matters only for "openai"
// (default "whisper-1"). hc may be nil; its Timeout is ignored because each
// request gets a time-out scaled to the audio (see Budget).
func New(provider, baseURL, model string, hc *http.Client, log *slog.Logger) (Transcriber, error) {
	switch provider {
	case ProviderWhisperASR:
		return NewWhisperASR(baseURL, hc, log)
	case ProviderOpenAI:
		return NewOpenAI(baseURL, model, "", hc, log)
	case ProviderWhisperCpp:
		return NewWhisperCpp(baseURL, hc, log)
	}
	return nil, fmt.Errorf("unknown speech recognition provider %q: use %q, %q or %q",
		provider, ProviderWhisperASR, ProviderOpenAI, ProviderWhisperCpp)
}

// parseBase validates a server base URL and trims its trailing slash.
func parseBase(raw, fallback string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = fallback
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("speech recognition server URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("speech recognition server URL %q must look like http://host:port", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}
