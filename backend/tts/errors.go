package tts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ProviderError is a failure reported by, or while talking to, a TTS
// provider. Its message names the provider, the voice and the reason so a
// user can act on it without reading logs.
type ProviderError struct {
	Provider string // "espeak", "openai", "kyutai" or "piper"
	Voice    string // the voice asked for; empty when not voice-specific
	// Status is the HTTP status the server answered with; 0 when there was
	// no HTTP answer (connection refused, WebSocket error, local process).
	Status int
	Reason string
	// Retryable is true for failures worth trying again: connection errors,
	// 5xx answers and a busy server.
	Retryable bool
	// Err is the underlying error, if any (kept for errors.Is / errors.As).
	Err error
}

func (e *ProviderError) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	b.WriteString(" TTS")
	if e.Voice != "" {
		fmt.Fprintf(&b, " (voice %q)", e.Voice)
	}
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
	}
	b.WriteString(e.Reason)
	return b.String()
}

func (e *ProviderError) Unwrap() error { return e.Err }

// StatusError builds the error for a non-2xx HTTP answer, extracting the
// useful message from the body. 5xx answers are retryable; 4xx are not.
func StatusError(provider, voice string, status int, contentType string, body []byte) *ProviderError {
	return &ProviderError{
		Provider:  provider,
		Voice:     voice,
		Status:    status,
		Reason:    ErrorReason(status, contentType, body),
		Retryable: status >= 500,
	}
}

// maxReason bounds the length of a reason taken from a server's body.
const maxReason = 300

// ErrorReason extracts a short human-readable message from an HTTP error
// body. It understands the shapes the supported servers send:
//
//	Kokoro-FastAPI  {"detail":{"error":…,"message":"…"}}
//	FastAPI         {"detail":"…"} and 422 {"detail":[{"loc":[…],"msg":"…"}]}
//	OpenAI          {"error":{"message":"…"}}
//	whisper.cpp     {"error":"…"}
//	Flask / proxies an HTML page: the status text plus a short snippet
//
// Anything else is returned as trimmed text; an empty body gives the status
// text.
func ErrorReason(status int, contentType string, body []byte) string {
	body = bytes.TrimSpace(body)
	statusText := http.StatusText(status)
	if statusText == "" {
		statusText = "unexpected status"
	}
	if len(body) == 0 {
		return statusText + " (empty body)"
	}
	if LooksLikeHTML(contentType, body) {
		text := htmlText(body)
		if text == "" {
			return statusText + " (HTML page)"
		}
		return fmt.Sprintf("%s (HTML page: %q)", statusText, shorten(text, 160))
	}
	if body[0] == '{' || body[0] == '[' {
		var v any
		if json.Unmarshal(body, &v) == nil {
			if msg := jsonMessage(v); msg != "" {
				return shorten(msg, maxReason)
			}
		}
	}
	return shorten(collapseSpace(string(body)), maxReason)
}

// jsonMessage finds the message in the known JSON error shapes.
func jsonMessage(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, key := range []string{"detail", "error", "message"} {
		switch d := m[key].(type) {
		case string:
			if d != "" {
				return d
			}
		case map[string]any:
			if msg, ok := d["message"].(string); ok && msg != "" {
				return msg
			}
			if msg := jsonMessage(d); msg != "" {
				return msg
			}
		case []any:
			if msg := validationMessage(d); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// validationMessage renders a FastAPI 422 list:
// [{"loc":["body","speed"],"msg":"Input should be …"}] → "body.speed: Input should be …".
func validationMessage(items []any) string {
	var parts []string
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		msg, _ := m["msg"].(string)
		if msg == "" {
			continue
		}
		var loc []string
		if l, ok := m["loc"].([]any); ok {
			for _, p := range l {
				loc = append(loc, fmt.Sprint(p))
			}
		}
		if len(loc) > 0 {
			msg = strings.Join(loc, ".") + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

// LooksLikeHTML reports whether a body is an HTML page. Piper serves WAV
// with a text/html content type, so the body decides unless it is empty.
func LooksLikeHTML(contentType string, body []byte) bool {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '<' {
		return false
	}
	head := strings.ToLower(string(body[:min(len(body), 512)]))
	if strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html") ||
		strings.Contains(head, "<title") || strings.Contains(head, "<body") {
		return true
	}
	return strings.Contains(strings.ToLower(contentType), "html")
}

var (
	scriptStyle = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)\s*>`)
	titleTag    = regexp.MustCompile(`(?is)<title\b[^>]*>.*?</title\s*>`)
	tags        = regexp.MustCompile(`(?s)<[^>]*>`)
	entities    = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")
)

// PageText returns the visible text of an HTML page, shortened for a message.
func PageText(body []byte) string {
	return shorten(htmlText(body), 160)
}

// htmlText strips an HTML page to its visible text. The title is left out
// (error pages repeat it as a heading) unless it is all there is.
func htmlText(body []byte) string {
	s := scriptStyle.ReplaceAllString(string(body), " ")
	text := visible(titleTag.ReplaceAllString(s, " "))
	if text == "" {
		text = visible(s)
	}
	return text
}

func visible(s string) string {
	return collapseSpace(entities.Replace(tags.ReplaceAllString(s, " ")))
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis, and
// replaces invalid UTF-8 so binary junk cannot garble a message.
func shorten(s string, n int) string {
	s = strings.ToValidUTF8(s, "�")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}
