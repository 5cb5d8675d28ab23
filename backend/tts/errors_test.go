package tts

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

func TestErrorReason(t *testing.T) {
	tests := map[string]struct {
		status int
		ct     string
		body   string
		want   string
	}{
		"kokoro detail object": {400, "application/json",
			`{"detail":{"error":"validation_error","message":"Voice 'zz' not found. Available voices: af_heart","type":"invalid_request_error"}}`,
			"Voice 'zz' not found. Available voices: af_heart"},
		"kokoro processing error": {500, "application/json",
			`{"detail":{"error":"processing_error","message":"boom","type":"server_error"}}`, "boom"},
		"fastapi detail string": {404, "application/json",
			"{\"detail\":\"Model 'x' is not installed locally. You can download the model using `POST /v1/models`\"}",
			"Model 'x' is not installed locally. You can download the model using `POST /v1/models`"},
		"fastapi 422 list": {422, "application/json",
			`{"detail":[{"type":"less_than_equal","loc":["body","speed"],"msg":"Input should be less than or equal to 4","input":5},{"type":"missing","loc":["body","voice"],"msg":"Field required"}]}`,
			"body.speed: Input should be less than or equal to 4; body.voice: Field required"},
		"openai error object": {401, "application/json",
			`{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			"Incorrect API key provided"},
		"whisper.cpp error string": {400, "application/json", `{"error":"no 'file' field in the request"}`, "no 'file' field in the request"},
		"flask html 500": {500, "text/html; charset=utf-8",
			"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n",
			`Internal Server Error (HTML page: "Internal Server Error The server encountered an internal error.")`},
		"nginx html without content type": {502, "",
			"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>",
			`Bad Gateway (HTML page: "502 Bad Gateway")`},
		"html with only a title": {503, "text/html", "<html><head><title>Maintenance</title></head></html>", `Service Unavailable (HTML page: "Maintenance")`},
		"empty body":             {401, "", "", "Unauthorized (empty body)"},
		"whisper.cpp text":       {500, "text/plain", "500 Internal Server Error\nstd::bad_alloc", "500 Internal Server Error std::bad_alloc"},
		"json without shape":     {500, "application/json", `{"status":"bad"}`, `{"status":"bad"}`},
		"broken json":            {500, "application/json", `{"detail":`, `{"detail":`},
		"unknown status":         {599, "", "", "unexpected status (empty body)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ErrorReason(tc.status, tc.ct, []byte(tc.body)); got != tc.want {
				t.Errorf("ErrorReason = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorReasonShortensLongBodies(t *testing.T) {
	got := ErrorReason(500, "text/plain", []byte(strings.Repeat("x", 5000)))
	if n := utf8.RuneCountInString(got); n > maxReason+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("reason has %d runes, ends %q; want ≤ %d and an ellipsis", n, got[len(got)-5:], maxReason+1)
	}
}

func TestProviderErrorMessage(t *testing.T) {
	tests := map[string]struct {
		err  *ProviderError
		want string
	}{
		"http": {StatusError("openai", "af_heart", 400, "application/json", []byte(`{"detail":{"message":"Voice 'zz' not found"}}`)),
			`openai TTS (voice "af_heart"): 400 Voice 'zz' not found`},
		"no status, no voice": {&ProviderError{Provider: "kyutai", Reason: "server error: no free channels"},
			"kyutai TTS: server error: no free channels"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStatusErrorRetryable(t *testing.T) {
	for status, want := range map[int]bool{400: false, 401: false, 404: false, 422: false, 500: true, 502: true, 503: true} {
		if got := StatusError("p", "v", status, "", nil).Retryable; got != want {
			t.Errorf("status %d: Retryable = %v, want %v", status, got, want)
		}
	}
}

func TestProviderErrorUnwraps(t *testing.T) {
	err := error(&ProviderError{Provider: "piper", Reason: "cannot reach", Err: syscall.ECONNREFUSED, Retryable: true})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Error("errors.Is does not see the wrapped cause")
	}
}

func FuzzErrorReason(f *testing.F) {
	for _, s := range []string{
		`{"detail":{"message":"x"}}`, `{"detail":"x"}`, `{"detail":[{"loc":["body",1],"msg":"m"}]}`,
		`{"error":{"message":"x"}}`, `{"error":"x"}`, "<html><title>t</title></html>", "", "\xff\xfe<", `[1,2]`,
		`{"detail":{"detail":{"detail":"deep"}}}`, "<script>alert(1)</script><p>x</p>",
	} {
		f.Add(500, "application/json", []byte(s))
		f.Add(200, "text/html", []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		got := ErrorReason(status, ct, body)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 in %q", got)
		}
		if n := utf8.RuneCountInString(got); n > maxReason+80 {
			t.Fatalf("reason of %d runes", n)
		}
		if got == "" {
			t.Fatal("empty reason")
		}
	})
}
