package asrtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"podcastfy/backend/asr"
)

// NewOpenAI starts a fake OpenAI-compatible transcription server in
// speaches' dialect: POST /v1/audio/transcriptions and /translations take
// the multipart fields file and model; response_format json (default),
// text, verbose_json, srt or vtt; FastAPI error bodies ({"detail": …}), a
// 404 for a model that is not installed, a 403 when an API key is required.
// With Config.LocalAI it answers LocalAI's shape instead: segments whose
// start and end are nanoseconds, no duration.
func NewOpenAI(t testing.TB, cfg Config) *Server {
	if len(cfg.Models) == 0 {
		cfg.Models = []string{asr.DefaultOpenAIModel}
	}
	return start(t, cfg, func(s *Server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
			s.record(r, "")
			if !s.authorised(w, r) {
				return
			}
			var data []map[string]any
			for _, m := range s.cfg.Models {
				data = append(data, map[string]any{"id": m, "object": "model", "created": 0, "owned_by": "speaches"})
			}
			writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
		})
		mux.HandleFunc("POST /v1/audio/transcriptions", s.openAI)
		mux.HandleFunc("POST /v1/audio/translations", s.openAI)
		return mux
	})
}

func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.APIKey == "" || r.Header.Get("Authorization") == "Bearer "+s.cfg.APIKey {
		return true
	}
	writeJSON(w, http.StatusForbidden, map[string]string{"detail": "API key required. Please provide an API key using the Authorization header with Bearer scheme."})
	return false
}

func (s *Server) openAI(w http.ResponseWriter, r *http.Request) {
	rec := s.record(r, "file")
	if !s.authorised(w, r) || !s.hold(r) {
		return
	}
	model := first(rec.Fields["model"])
	switch {
	case rec.File == nil || s.cfg.Status == http.StatusUnprocessableEntity:
		missingField(w, "file")
		return
	case model == "":
		missingField(w, "model")
		return
	case !slices.Contains(s.cfg.Models, model):
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": fmt.Sprintf(
			"Model '%s' is not installed locally. You can download the model using `POST /v1/models`", model)})
		return
	}
	if _, ok := asr.DetectFormat(rec.File); !ok || s.cfg.Status == http.StatusInternalServerError {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	if s.cfg.Status != 0 {
		writeJSON(w, s.cfg.Status, map[string]string{"detail": http.StatusText(s.cfg.Status)})
		return
	}
	segs, duration := s.heard(rec.File)
	text := ""
	for _, sg := range segs {
		text += sg.text
	}
	text = strings.TrimSpace(text)
	if s.cfg.LocalAI {
		s.localAI(w, segs, text)
		return
	}
	task := "transcribe"
	if strings.HasSuffix(r.URL.Path, "/translations") {
		task = "translate"
	}
	switch format := first(rec.Fields["response_format"]); format {
	case "", "json":
		writeJSON(w, http.StatusOK, map[string]string{"text": text})
	case "text":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, text)
	case "srt", "vtt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		sep := map[string]string{"srt": ",", "vtt": "."}[format]
		if format == "vtt" {
			fmt.Fprint(w, "WEBVTT\n\n")
		}
		for i, sg := range segs {
			if format == "srt" {
				fmt.Fprintf(w, "%d\n", i+1)
			}
			fmt.Fprintf(w, "%s --> %s\n%s\n\n", stamp(sg.start, sep), stamp(sg.end, sep), strings.TrimSpace(sg.text))
		}
	case "verbose_json":
		s.verboseJSON(w, rec, task, segs, duration, text)
	default:
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []map[string]any{{
			"type": "enum", "loc": []string{"body", "response_format"},
			"msg": "Input should be 'text', 'json', 'verbose_json', 'srt' or 'vtt'", "input": format}}})
	}
}

func (s *Server) verboseJSON(w http.ResponseWriter, rec Request, task string, segs []seg, duration float64, text string) {
	type segment struct {
		ID               int     `json:"id"`
		Seek             int     `json:"seek"`
		Start            float64 `json:"start"`
		End              float64 `json:"end"`
		Text             string  `json:"text"`
		Tokens           []int   `json:"tokens"`
		Temperature      float64 `json:"temperature"`
		AvgLogprob       float64 `json:"avg_logprob"`
		CompressionRatio float64 `json:"compression_ratio"`
		NoSpeechProb     float64 `json:"no_speech_prob"`
	}
	out := struct {
		Task     string    `json:"task"`
		Language string    `json:"language"`
		Duration float64   `json:"duration"`
		Text     string    `json:"text"`
		Segments []segment `json:"segments"`
		Words    []word    `json:"words,omitempty"`
	}{Task: task, Language: languageName(first(rec.Fields["language"])), Duration: duration, Text: text}
	wantWords := slices.Contains(rec.Fields["timestamp_granularities[]"], "word")
	for i, sg := range segs {
		out.Segments = append(out.Segments, segment{ID: i, Start: sg.start, End: sg.end, Text: sg.text,
			Tokens: []int{50364, 2425}, AvgLogprob: -0.2, CompressionRatio: 1.1, NoSpeechProb: 0.01})
		if wantWords {
			out.Words = append(out.Words, sg.words()...)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// localAI answers as LocalAI does: start and end are Go time.Duration values.
func (s *Server) localAI(w http.ResponseWriter, segs []seg, text string) {
	type segment struct {
		ID     int    `json:"id"`
		Start  int64  `json:"start"`
		End    int64  `json:"end"`
		Text   string `json:"text"`
		Tokens []int  `json:"tokens"`
	}
	out := struct {
		Segments []segment `json:"segments"`
		Text     string    `json:"text"`
	}{Text: text}
	for i, sg := range segs {
		out.Segments = append(out.Segments, segment{ID: i, Start: int64(sg.start * 1e9), End: int64(sg.end * 1e9),
			Text: sg.text, Tokens: []int{1, 2}})
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// An encoding error means the client went away; there is no one to tell.
	json.NewEncoder(w).Encode(v) //nolint:errcheck

}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
