package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// whisperFake is the Whisper ASR Webservice as protocols.md §2 describes
// it: POST /asr with the recording in the multipart field audio_file and
// the options as query parameters; output=json answers the JSON document
// with Content-Type text/plain. A missing audio_file is a 422 in
// pydantic's shape. It cannot recognise speech, so it answers text with
// the recording it received.
type whisperFake struct {
	srv  *httptest.Server
	text string

	mu       sync.Mutex
	status   int      // when set, /asr fails with it
	received [][]byte // the recordings, in order
}

func newWhisperFake(t *testing.T, text string) *whisperFake {
	f := &whisperFake{text: text}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"openapi":"3.1.0","paths":{"/asr":{"post":{}},"/detect-language":{"post":{}}}}`)
	})
	mux.HandleFunc("POST /asr", f.asr)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *whisperFake) fail(status int) {
	f.mu.Lock()
	f.status = status
	f.mu.Unlock()
}

func (f *whisperFake) recordings() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.received...)
}

func (f *whisperFake) asr(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		http.Error(w, "Internal Server Error", status)
		return
	}
	file, _, err := r.FormFile("audio_file")
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		io.WriteString(w, `{"detail":[{"type":"missing","loc":["body","audio_file"],"msg":"Field required","input":null}]}`)
		return
	}
	data, err := io.ReadAll(file)
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	f.mu.Lock()
	f.received = append(f.received, data)
	f.mu.Unlock()
	if r.URL.Query().Get("output") != "json" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, f.text+"\n")
		return
	}
	body, _ := json.Marshal(map[string]any{
		"text": " " + f.text,
		"segments": []map[string]any{{
			"id": 0, "seek": 0, "start": 0.0, "end": 4.2, "text": " " + f.text, "tokens": []int{50364, 2425},
			"temperature": 0.0, "avg_logprob": -0.21, "compression_ratio": 0.79, "no_speech_prob": 0.01,
		}},
		"language": "en",
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Asr-Engine", "openai_whisper")
	w.Header().Set("Content-Disposition", `attachment; filename="audio.json"`)
	w.Write(body)
}
