package asr

import (
	"strings"
	"testing"
)

func TestErrorMessage(t *testing.T) {
	tests := map[string]struct{ body, want string }{
		"pydantic v2": {`{"detail":[{"type":"missing","loc":["body","audio_file"],"msg":"Field required","input":null}]}`,
			"body.audio_file: Field required"},
		"pydantic v1": {`{"detail":[{"loc":["body","file"],"msg":"field required","type":"value_error.missing"}]}`,
			"body.file: field required"},
		"fastapi detail":  {`{"detail":"Model 'x' is not installed locally."}`, "Model 'x' is not installed locally."},
		"kokoro detail":   {`{"detail":{"error":"processing_error","message":"boom","type":"server_error"}}`, "boom"},
		"whisper.cpp":     {`{"error":"failed to read audio data"}`, "failed to read audio data"},
		"openai":          {`{"error":{"message":"Invalid file format.","type":"invalid_request_error","param":null,"code":null}}`, "Invalid file format."},
		"plain message":   {`{"message":"nope"}`, "nope"},
		"plain text":      {"Internal Server Error", "Internal Server Error"},
		"cpp exception":   {"500 Internal Server Error\nstd::bad_alloc", "500 Internal Server Error std::bad_alloc"},
		"empty":           {"", ""},
		"json, no fields": {`{"status":"weird"}`, `{"status":"weird"}`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := errorMessage([]byte(tt.body)); got != tt.want {
				t.Errorf("errorMessage(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
	long := errorMessage([]byte(strings.Repeat("x ", 1000)))
	if len(long) > 310 || !strings.HasSuffix(long, "…") {
		t.Errorf("a long body is not cut: %d bytes", len(long))
	}
}

func TestSafeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"talk.mp3": "talk.mp3", "/tmp/x/talk.wav": "talk.wav", `C:\Users\me\a b.m4a`: "a b.m4a",
		"": "audio", "evil\".wav": "evil_.wav", "line\nbreak.ogg": "line_break.ogg", "/": "audio",
	} {
		if got := safeFilename(in); got != want {
			t.Errorf("safeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
