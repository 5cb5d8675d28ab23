package asr

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// WhisperCpp talks to whisper.cpp's whisper-server: POST /inference with the
// file in the multipart field file and every option as a form field.
type WhisperCpp struct{ client }

// NewWhisperCpp returns a client for the server at baseURL
// (default http://127.0.0.1:8080).
func NewWhisperCpp(baseURL string, hc *http.Client, log *slog.Logger) (*WhisperCpp, error) {
	base, err := parseBase(baseURL, DefaultWhisperCppURL)
	if err != nil {
		return nil, err
	}
	return &WhisperCpp{newClient(ProviderWhisperCpp, "whisper.cpp server",
		"start it with `whisper-server -m <model> --port 8080` (add --convert to accept MP3, M4A and other formats)",
		base, hc, log)}, nil
}

// Transcribe implements Transcriber. The server's language default is
// English, so an empty Options.Language is sent as "auto".
func (w *WhisperCpp) Transcribe(ctx context.Context, filename string, audio io.Reader, size int64, opts Options) (Transcript, error) {
	if err := checkOptions(opts); err != nil {
		return Transcript{}, err
	}
	lang := opts.Language
	if lang == "" {
		lang = "auto"
	}
	fields := [][2]string{{"response_format", "verbose_json"}, {"language", lang}}
	if opts.Task == TaskTranslate {
		fields = append(fields, [2]string{"translate", "true"})
	}
	s, err := w.post(ctx, upload{path: "/inference", fields: fields, fileField: "file"}, filename, audio, size, opts)
	if err != nil {
		return Transcript{}, err
	}
	var out struct {
		Text             *string       `json:"text"`
		Language         string        `json:"language"`
		DetectedLanguage string        `json:"detected_language"`
		Duration         float64       `json:"duration"`
		Segments         []wireSegment `json:"segments"`
	}
	if err := json.Unmarshal(s.body, &out); err != nil || out.Text == nil {
		return Transcript{}, w.badResponse(s.endpoint, fmt.Errorf("no JSON transcript (%.60q)", s.body))
	}
	lang = out.Language
	if out.DetectedLanguage != "" {
		lang = out.DetectedLanguage
	}
	return finish(*out.Text, lang, out.Duration, out.Segments, s), nil
}

// Health checks GET /health, which answers 503 while the model loads.
func (w *WhisperCpp) Health(ctx context.Context) error {
	body, err := w.get(ctx, "/health", nil)
	if err != nil {
		return err
	}
	var st struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(body, &st) != nil || st.Status != "ok" {
		return fmt.Errorf("the server at %s answers /health with %.60q, not whisper.cpp's {\"status\":\"ok\"}", w.base, body)
	}
	return nil
}
