package asr

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
)

// WhisperASR talks to the Whisper ASR Webservice
// (onerahmet/openai-whisper-asr-webservice): POST /asr with the file in the
// multipart field audio_file and every option in the query.
type WhisperASR struct{ client }

// NewWhisperASR returns a client for the service at baseURL
// (default http://127.0.0.1:9000).
func NewWhisperASR(baseURL string, hc *http.Client, log *slog.Logger) (*WhisperASR, error) {
	base, err := parseBase(baseURL, DefaultWhisperASRURL)
	if err != nil {
		return nil, err
	}
	return &WhisperASR{newClient(ProviderWhisperASR, "Whisper ASR Webservice",
		"start the whisper-asr-webservice container (docker run -p 9000:9000 onerahmet/openai-whisper-asr-webservice)",
		base, hc, log)}, nil
}

// Transcribe implements Transcriber.
func (w *WhisperASR) Transcribe(ctx context.Context, filename string, audio io.Reader, size int64, opts Options) (Transcript, error) {
	if err := checkOptions(opts); err != nil {
		return Transcript{}, err
	}
	q := url.Values{"output": {"json"}, "encode": {"true"}, "task": {TaskTranscribe}}
	if opts.Task != "" {
		q.Set("task", opts.Task)
	}
	if opts.Language != "" {
		q.Set("language", opts.Language)
	}
	if opts.WordTimestamps {
		q.Set("word_timestamps", "true")
	}
	s, err := w.post(ctx, upload{path: "/asr", query: q, fileField: "audio_file"}, filename, audio, size, opts)
	if err != nil {
		return Transcript{}, err
	}
	// The body is JSON although the service labels it text/plain.
	var out struct {
		Text     *string       `json:"text"`
		Language string        `json:"language"`
		Segments []wireSegment `json:"segments"`
	}
	if err := json.Unmarshal(s.body, &out); err != nil || out.Text == nil {
		return Transcript{}, w.badResponse(s.endpoint, fmt.Errorf("no JSON transcript (%.60q)", s.body))
	}
	return finish(*out.Text, out.Language, 0, out.Segments, s), nil
}

// Health checks that /openapi.json answers and lists the /asr endpoint.
func (w *WhisperASR) Health(ctx context.Context) error {
	body, err := w.get(ctx, "/openapi.json", nil)
	if err != nil {
		return err
	}
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if json.Unmarshal(body, &doc) != nil || doc.Paths["/asr"] == nil {
		return fmt.Errorf("the server at %s answers but is not a Whisper ASR Webservice (its API has no /asr)", w.base)
	}
	return nil
}
