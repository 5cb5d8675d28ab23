package asrtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"podcastfy/backend/asr/asrtest"
)

// post sends a multipart form with optional file part and returns status,
// content type and body.
func post(t *testing.T, url string, fields map[string]string, fileField string, file []byte) (int, string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, "a.wav")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	w.Close()
	resp, err := http.Post(url, w.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// TestFakesFollowProtocols pins the reference's wire details.
func TestFakesFollowProtocols(t *testing.T) {
	wav := asrtest.Speech(t, "Testing one two three.")
	wasr := asrtest.NewWhisperASR(t, asrtest.Config{})
	oai := asrtest.NewOpenAI(t, asrtest.Config{})
	cpp := asrtest.NewWhisperCpp(t, asrtest.Config{})
	tests := []struct {
		name      string
		url       string
		fields    map[string]string
		fileField string
		file      []byte
		status    int
		ctype     string
		body      string // substring
	}{
		{"asr json is text/plain", wasr.URL + "/asr?output=json", nil, "audio_file", wav, 200, "text/plain; charset=utf-8", `{"text": " Hello and welcome. This`},
		{"asr default is txt", wasr.URL + "/asr", nil, "audio_file", wav, 200, "text/plain; charset=utf-8", "Hello and welcome.\nThis is"},
		{"asr unknown output is txt", wasr.URL + "/asr?output=text", nil, "audio_file", wav, 200, "text/plain; charset=utf-8", "Hello and welcome.\n"},
		{"asr tsv in ms", wasr.URL + "/asr?output=tsv", nil, "audio_file", wav, 200, "text/plain; charset=utf-8", "start\tend\ttext\n0\t"},
		{"asr openai field name is 422", wasr.URL + "/asr?output=json", nil, "file", wav, 422, "application/json",
			`{"detail":[{"type":"missing","loc":["body","audio_file"],"msg":"Field required","input":null}]}`},
		{"asr undecodable is 500", wasr.URL + "/asr?output=json", nil, "audio_file", []byte("text"), 500, "text/plain; charset=utf-8", "Internal Server Error"},
		{"asr detect-language", wasr.URL + "/detect-language", nil, "audio_file", wav, 200, "application/json", `"language_code":"en"`},
		{"openai json default", oai.URL + "/v1/audio/transcriptions", map[string]string{"model": "whisper-1"}, "file", wav, 200, "application/json", `{"text":"Hello and welcome.`},
		{"openai text", oai.URL + "/v1/audio/transcriptions", map[string]string{"model": "whisper-1", "response_format": "text"}, "file", wav, 200, "text/plain; charset=utf-8", "Hello and welcome. This"},
		{"openai verbose", oai.URL + "/v1/audio/transcriptions", map[string]string{"model": "whisper-1", "response_format": "verbose_json", "language": "de"}, "file", wav, 200, "application/json", `"task":"transcribe","language":"german","duration":`},
		{"openai no model", oai.URL + "/v1/audio/transcriptions", nil, "file", wav, 422, "application/json", `"loc":["body","model"]`},
		{"openai whisper-asr field name", oai.URL + "/v1/audio/transcriptions", map[string]string{"model": "whisper-1"}, "audio_file", wav, 422, "application/json", `"loc":["body","file"]`},
		{"openai srt", oai.URL + "/v1/audio/transcriptions", map[string]string{"model": "whisper-1", "response_format": "srt"}, "file", wav, 200, "text/plain; charset=utf-8", "1\n00:00:00,000 --> "},
		{"cpp json joins with newlines", cpp.URL + "/inference", nil, "file", wav, 200, "application/json", `{"text":" Hello and welcome.\n This is the fake transcriber speaking.\n"}`},
		{"cpp text is text/html", cpp.URL + "/inference", map[string]string{"response_format": "text"}, "file", wav, 200, "text/html; charset=utf-8", " Hello and welcome.\n"},
		{"cpp vtt", cpp.URL + "/inference", map[string]string{"response_format": "vtt"}, "file", wav, 200, "text/vtt", "WEBVTT\n\n00:00:00.000 --> "},
		{"cpp verbose", cpp.URL + "/inference", map[string]string{"response_format": "verbose_json"}, "file", wav, 200, "application/json", `"detected_language":"english"`},
		{"cpp no file", cpp.URL + "/inference", nil, "", nil, 400, "application/json", `{"error":"no 'file' field in the request"}`},
		{"cpp bad audio", cpp.URL + "/inference", nil, "file", []byte("nope"), 400, "application/json", `{"error":"failed to read audio data"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, ctype, body := post(t, tt.url, tt.fields, tt.fileField, tt.file)
			if status != tt.status || ctype != tt.ctype || !strings.Contains(body, tt.body) {
				t.Errorf("got %d %q %q\nwant %d %q containing %q", status, ctype, body, tt.status, tt.ctype, tt.body)
			}
		})
	}

	reqs := cpp.Requests()
	if len(reqs) == 0 || reqs[0].Fields["language"] != nil {
		t.Fatalf("requests %+v", reqs)
	}
	var v struct {
		Language string `json:"language"`
	}
	_, _, body := post(t, cpp.URL+"/inference", map[string]string{"response_format": "verbose_json"}, "file", wav)
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.Language != "english" {
		t.Errorf("whisper.cpp without a language answers %q (%v), want english: it does not detect by default", v.Language, err)
	}
}

func TestWhisperASRDocs(t *testing.T) {
	s := asrtest.NewWhisperASR(t, asrtest.Config{})
	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/docs" || resp.StatusCode != 200 {
		t.Errorf("GET / ended at %s with %d, want /docs 200", resp.Request.URL.Path, resp.StatusCode)
	}
}

func TestEncode(t *testing.T) {
	wav := asrtest.Speech(t, "Hi.")
	if !bytes.HasPrefix(wav, []byte("RIFF")) {
		t.Fatalf("Speech did not return a WAV: % x", wav[:min(12, len(wav))])
	}
	if got := asrtest.Encode(t, wav, "flac"); !bytes.HasPrefix(got, []byte("fLaC")) {
		t.Errorf("Encode flac: % x", got[:min(12, len(got))])
	}
}
