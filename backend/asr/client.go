package asr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// healthTimeout bounds a health check when ctx allows longer.
const healthTimeout = 5 * time.Second

// maxResponse bounds a transcript body; hours of audio with word timings
// stay well below it.
const maxResponse = 64 << 20

// client is what the three providers share: where the server is, how to name
// it in errors, and the request plumbing.
type client struct {
	provider string   // ProviderX
	human    string   // "Whisper ASR Webservice"
	startIt  string   // what to do when it is not reachable
	base     *url.URL // without trailing slash
	hc       *http.Client
	log      *slog.Logger
	budget   func(seconds float64) time.Duration // Budget; tests shorten it
}

func newClient(provider, human, startIt string, base *url.URL, hc *http.Client, log *slog.Logger) client {
	if hc == nil {
		hc = &http.Client{}
	} else {
		// Each request carries its own scaled deadline; a fixed client-wide
		// time-out would cut long recordings short.
		cp := *hc
		cp.Timeout = 0
		hc = &cp
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return client{provider: provider, human: human, startIt: startIt, base: base, hc: hc,
		log: log.With("asr", provider), budget: Budget}
}

// Name implements Transcriber.
func (c *client) Name() string { return c.provider }

// endpoint joins path and query onto the base URL.
func (c *client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	return u.String()
}

// kindError carries a user-facing message while matching a sentinel with
// errors.Is and exposing the underlying cause.
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }
func (e *kindError) Unwrap() error        { return e.cause }

func (c *client) unreachable(err error) error {
	return &kindError{kind: ErrUnavailable, cause: err,
		msg: fmt.Sprintf("%s is not reachable at %s — %s (%v)", c.human, c.base, c.startIt, rootCause(err))}
}

func (c *client) badResponse(endpoint string, err error) error {
	return &kindError{kind: ErrBadResponse, cause: err,
		msg: fmt.Sprintf("%s at %s sent an answer that is not a transcript: %v — is the provider type right?",
			c.human, endpoint, err)}
}

// rootCause strips url.Error's "Post <url>:" prefix, which repeats the URL.
func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// get performs a health-check GET and returns the body of a 2xx answer.
func (c *client) get(ctx context.Context, path string, header http.Header) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	endpoint := c.endpoint(path, nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.human, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.unreachable(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, c.unreachable(err)
	}
	if resp.StatusCode >= 300 {
		return nil, &StatusError{Provider: c.human, URL: endpoint, StatusCode: resp.StatusCode, Message: errorMessage(body)}
	}
	return body, nil
}

// transcribeTimeout turns the end of the scaled deadline into ErrTimeout and
// leaves the caller's own cancellation as it is.
func (c *client) transcribeTimeout(parent context.Context, seconds float64, budget time.Duration, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("%s transcription stopped: %w", c.human, parent.Err())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &kindError{kind: ErrTimeout, cause: err,
			msg: fmt.Sprintf("%s at %s did not finish transcribing about %s of audio within %s — the server may be overloaded or too slow for its model",
				c.human, c.base, roughly(time.Duration(seconds*float64(time.Second))), roughly(budget))}
	}
	return nil
}

// roughly rounds a duration for a message: whole seconds from a second up.
func roughly(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// errorMessage condenses an error body into one line, knowing the shapes the
// servers use: FastAPI {"detail": "…"} or {"detail": [{loc, msg}]},
// whisper.cpp {"error": "…"}, OpenAI {"error": {"message": "…"}}, Kokoro's
// {"detail": {"message": "…"}}, or plain text.
func errorMessage(body []byte) string {
	var v struct {
		Detail  json.RawMessage `json:"detail"`
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil {
		for _, raw := range []json.RawMessage{v.Detail, v.Error} {
			if m := rawMessage(raw); m != "" {
				return m
			}
		}
		if v.Message != "" {
			return v.Message
		}
	}
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// rawMessage reads a string, an object with a message, or a pydantic list.
func rawMessage(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		return obj.Message
	}
	var list []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(raw, &list) == nil {
		var parts []string
		for _, it := range list {
			loc := make([]string, len(it.Loc))
			for i, l := range it.Loc {
				loc[i] = fmt.Sprint(l)
			}
			parts = append(parts, strings.Join(loc, ".")+": "+it.Msg)
		}
		return strings.Join(parts, "; ")
	}
	return ""
}
