package asrtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"podcastfy/backend/asr"
)

// NewWhisperASR starts a fake Whisper ASR Webservice
// (onerahmet/openai-whisper-asr-webservice): POST /asr with the multipart
// field audio_file and options in the query; every /asr answer is labelled
// text/plain, JSON included; a missing audio_file gets pydantic v2's 422; an
// undecodable file gets a bare 500.
func NewWhisperASR(t testing.TB, cfg Config) *Server {
	if cfg.Engine == "" {
		cfg.Engine = "openai_whisper"
	}
	return start(t, cfg, func(s *Server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/docs", http.StatusTemporaryRedirect)
		})
		mux.HandleFunc("GET /docs", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Whisper Asr Webservice - Swagger UI</title></head><body></body></html>")
		})
		mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"openapi":"3.1.0","info":{"title":"Whisper Asr Webservice","version":"1.9.1"},`+
				`"paths":{"/asr":{"post":{"summary":"Asr"}},"/detect-language":{"post":{"summary":"Detect Language"}}}}`)
		})
		mux.HandleFunc("POST /asr", s.whisperASR)
		mux.HandleFunc("POST /detect-language", s.whisperDetect)
		return mux
	})
}

func (s *Server) whisperASR(w http.ResponseWriter, r *http.Request) {
	rec := s.record(r, "audio_file")
	if !s.hold(r) {
		return
	}
	if rec.File == nil || s.cfg.Status == http.StatusUnprocessableEntity {
		missingField(w, "audio_file")
		return
	}
	if _, ok := asr.DetectFormat(rec.File); !ok || s.cfg.Status == http.StatusInternalServerError {
		// ffmpeg fails, whisper raises RuntimeError, FastAPI answers a bare 500.
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	if s.cfg.Status != 0 {
		http.Error(w, http.StatusText(s.cfg.Status), s.cfg.Status)
		return
	}
	segs, _ := s.heard(rec.File)
	q := rec.Query
	lang := q.Get("language")
	if lang == "" {
		lang = "en" // "detected"
	}
	output := q.Get("output")
	if output == "" {
		output = "txt"
	}
	w.Header().Set("Asr-Engine", s.cfg.Engine)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, rec.FileName, output))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch output {
	case "json":
		s.whisperJSON(w, segs, lang, q.Get("word_timestamps") == "true")
	case "tsv":
		fmt.Fprint(w, "start\tend\ttext\n")
		for _, sg := range segs {
			fmt.Fprintf(w, "%d\t%d\t%s\n", int(sg.start*1000), int(sg.end*1000), strings.TrimSpace(sg.text))
		}
	case "vtt":
		fmt.Fprint(w, "WEBVTT\n\n")
		for _, sg := range segs {
			fmt.Fprintf(w, "%s --> %s\n%s\n\n", stamp(sg.start, "."), stamp(sg.end, "."), strings.TrimSpace(sg.text))
		}
	case "srt":
		for i, sg := range segs {
			fmt.Fprintf(w, "%d\n%s --> %s\n%s\n\n", i+1, stamp(sg.start, ","), stamp(sg.end, ","), strings.TrimSpace(sg.text))
		}
	default: // txt, and unknown values fall through to the TXT writer
		for _, sg := range segs {
			fmt.Fprintln(w, strings.TrimSpace(sg.text))
		}
	}
}

// whisperJSON writes whisper.utils.WriteJSON's shape, in the key order of
// the configured engine.
func (s *Server) whisperJSON(w http.ResponseWriter, segs []seg, lang string, withWords bool) {
	text := ""
	var parts []string
	for i, sg := range segs {
		text += sg.text
		var words []word
		if withWords {
			words = sg.words()
		}
		var b []byte
		if s.cfg.Engine == "faster_whisper" {
			b, _ = json.Marshal(struct {
				ID               int     `json:"id"`
				Seek             int     `json:"seek"`
				Start            float64 `json:"start"`
				End              float64 `json:"end"`
				Text             string  `json:"text"`
				Tokens           []int   `json:"tokens"`
				AvgLogprob       float64 `json:"avg_logprob"`
				CompressionRatio float64 `json:"compression_ratio"`
				NoSpeechProb     float64 `json:"no_speech_prob"`
				Words            []word  `json:"words"`
				Temperature      float64 `json:"temperature"`
			}{i, 0, sg.start, sg.end, sg.text, []int{50364, 2425}, -0.21, 0.79, 0.01, words, 0})
		} else {
			b, _ = json.Marshal(struct {
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
				Words            []word  `json:"words,omitempty"`
			}{i, 0, sg.start, sg.end, sg.text, []int{50364, 2425}, 0, -0.21, 0.79, 0.01, words})
		}
		parts = append(parts, string(b))
	}
	segments := "[" + strings.Join(parts, ",") + "]"
	textJSON, _ := json.Marshal(text)
	langJSON, _ := json.Marshal(lang)
	if s.cfg.Engine == "faster_whisper" {
		fmt.Fprintf(w, `{"language": %s, "segments": %s, "text": %s}`, langJSON, segments, textJSON)
		return
	}
	fmt.Fprintf(w, `{"text": %s, "segments": %s, "language": %s}`, textJSON, segments, langJSON)
}

func (s *Server) whisperDetect(w http.ResponseWriter, r *http.Request) {
	rec := s.record(r, "audio_file")
	if rec.File == nil {
		missingField(w, "audio_file")
		return
	}
	if _, ok := asr.DetectFormat(rec.File); !ok {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"detected_language":"english","language_code":"en","confidence":0.98}`)
}

// missingField writes FastAPI/pydantic v2's 422 for a missing form field.
func missingField(w http.ResponseWriter, field string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnprocessableEntity)
	fmt.Fprintf(w, `{"detail":[{"type":"missing","loc":["body",%q],"msg":"Field required","input":null}]}`, field)
}

// stamp formats seconds as HH:MM:SS.mmm (sep "." for VTT, "," for SRT).
func stamp(sec float64, sep string) string {
	ms := int(sec*1000 + 0.5)
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
