package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// maxBody caps every response body read from a server (about ten minutes
// of 24 kHz float audio as WAV is far less), so a broken server cannot
// exhaust memory.
const maxBody = 100 << 20

// reply is a fully read 2xx HTTP answer.
type reply struct {
	status      int
	contentType string
	body        []byte
}

// client is the HTTP plumbing shared by the HTTP providers; every failure
// it returns is a *tts.ProviderError.
type client struct {
	provider string
	hc       *http.Client
	header   http.Header // added to every request (auth)
}

// do sends one request and reads the whole answer. Non-2xx answers become
// tts.StatusError; transport failures are retryable.
func (c client) do(ctx context.Context, method, u, voice string, body any) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, fmt.Errorf("%s TTS: encode request: %w", c.provider, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return reply{}, c.fail(voice, "bad request URL: "+err.Error(), false, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return reply{}, c.transportError(ctx, voice, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return reply{}, c.cancelled(ctx, voice)
		}
		return reply{}, c.fail(voice, fmt.Sprintf("connection dropped after %d bytes of the answer: %v", len(data), err), true, err)
	}
	if len(data) > maxBody {
		return reply{}, c.fail(voice, fmt.Sprintf("answer larger than %d MB", maxBody>>20), false, nil)
	}
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return reply{}, tts.StatusError(c.provider, voice, resp.StatusCode, ct, data)
	}
	return reply{status: resp.StatusCode, contentType: ct, body: data}, nil
}

func (c client) fail(voice, reason string, retryable bool, err error) *tts.ProviderError {
	return &tts.ProviderError{Provider: c.provider, Voice: voice, Reason: reason, Retryable: retryable, Err: err}
}

func (c client) cancelled(ctx context.Context, voice string) *tts.ProviderError {
	cause := context.Cause(ctx)
	return c.fail(voice, "stopped: "+cause.Error(), false, cause)
}

// transportError describes a request that got no HTTP answer.
func (c client) transportError(ctx context.Context, voice, u string, err error) *tts.ProviderError {
	if ctx.Err() != nil {
		return c.cancelled(ctx, voice)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return c.fail(voice, fmt.Sprintf("cannot reach %s (is the server running?): %v", redact(u), err), true, err)
}

// checkAudio rejects 2xx answers that are not audio: an empty body, an HTML
// page (a proxy or a web UI) or a JSON message.
func (c client) checkAudio(voice string, r reply) error {
	if len(r.body) == 0 {
		return c.fail(voice, fmt.Sprintf("empty audio (the server answered %d with no data)", r.status), false, nil)
	}
	if tts.LooksLikeHTML(r.contentType, r.body) {
		return c.fail(voice, fmt.Sprintf("the server answered %d with an HTML page instead of audio: %q", r.status, tts.PageText(r.body)), false, nil)
	}
	if strings.Contains(strings.ToLower(r.contentType), "json") {
		return c.fail(voice, fmt.Sprintf("the server answered %d with JSON instead of audio: %s", r.status, tts.ErrorReason(r.status, r.contentType, r.body)), false, nil)
	}
	return nil
}

// decodeWAV decodes a WAV answer, tolerating streamed placeholder sizes.
func (c client) decodeWAV(voice string, r reply) (audio.Clip, error) {
	if err := c.checkAudio(voice, r); err != nil {
		return audio.Clip{}, err
	}
	clip, err := audio.DecodeWAV(bytes.NewReader(r.body))
	if err != nil {
		return audio.Clip{}, c.fail(voice, fmt.Sprintf("%v (%d bytes received)", err, len(r.body)), false, err)
	}
	if len(clip.Samples) == 0 {
		return audio.Clip{}, c.fail(voice, "empty audio (a WAV with no samples)", false, nil)
	}
	return clip, nil
}

// redact drops credentials from a URL before it goes into a message.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Redacted()
}

// parseBaseURL validates a configured server URL.
func parseBaseURL(provider, raw string, schemes ...string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("%s TTS: no server URL configured", provider)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s TTS: bad server URL %q: %w", provider, raw, err)
	}
	ok := false
	for _, s := range schemes {
		ok = ok || strings.EqualFold(u.Scheme, s)
	}
	if !ok || u.Host == "" {
		return nil, fmt.Errorf("%s TTS: bad server URL %q: want %s://host:port", provider, raw, strings.Join(schemes, " or "))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}
