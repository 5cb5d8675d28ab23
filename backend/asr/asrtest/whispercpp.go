package asrtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"podcastfy/backend/asr"
)

// NewWhisperCpp starts a fake whisper.cpp whisper-server: POST /inference
// with the multipart field file and options as form fields; the language
// defaults to "en" (not detection); response_format json (default),
// verbose_json, text (served as text/html), srt or vtt; {"error": …} bodies;
// without Config.Convert only WAV, MP3 and FLAC decode. GET /health answers
// {"status":"ok"}, or 503 while Config.Loading.
func NewWhisperCpp(t testing.TB, cfg Config) *Server {
	return start(t, cfg, func(s *Server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
			s.record(r, "")
			if s.cfg.Loading {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "loading model"})
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		})
		mux.HandleFunc("POST /inference", s.whisperCpp)
		return mux
	})
}

func (s *Server) whisperCpp(w http.ResponseWriter, r *http.Request) {
	rec := s.record(r, "file")
	if !s.hold(r) {
		return
	}
	if rec.File == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "no 'file' field in the request"})
		return
	}
	ext, ok := asr.DetectFormat(rec.File)
	if !ok || !s.cfg.Convert && ext != "wav" && ext != "mp3" && ext != "flac" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "failed to read audio data"})
		return
	}
	if s.cfg.Status != 0 {
		writeJSON(w, s.cfg.Status, map[string]string{"error": http.StatusText(s.cfg.Status)})
		return
	}
	lang := first(rec.Fields["language"])
	switch lang {
	case "":
		lang = "en" // the server's default: no detection unless asked
	case "auto":
		lang = "en" // "detected"
	}
	segs, duration := s.heard(rec.File)
	var joined strings.Builder
	for _, sg := range segs {
		joined.WriteString(sg.text + "\n")
	}
	switch format := first(rec.Fields["response_format"]); format {
	case "text":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, joined.String())
	case "srt", "vtt":
		ctype := map[string]string{"srt": "application/x-subrip", "vtt": "text/vtt"}[format]
		w.Header().Set("Content-Type", ctype)
		sep := map[string]string{"srt": ",", "vtt": "."}[format]
		if format == "vtt" {
			fmt.Fprint(w, "WEBVTT\n\n")
		}
		for i, sg := range segs {
			if format == "srt" {
				fmt.Fprintf(w, "%d\n", i+1)
			}
			fmt.Fprintf(w, "%s --> %s\n%s\n\n", stamp(sg.start, sep), stamp(sg.end, sep), sg.text)
		}
	case "verbose_json":
		s.cppVerbose(w, rec, lang, segs, duration, joined.String())
	default:
		writeJSON(w, http.StatusOK, map[string]string{"text": joined.String()})
	}
}

func (s *Server) cppVerbose(w http.ResponseWriter, rec Request, lang string, segs []seg, duration float64, text string) {
	type cppWord struct {
		word
		TDtw int `json:"t_dtw"`
	}
	type segment struct {
		ID           int       `json:"id"`
		Text         string    `json:"text"`
		Start        float64   `json:"start"`
		End          float64   `json:"end"`
		Tokens       []int     `json:"tokens"`
		Words        []cppWord `json:"words"`
		Temperature  float64   `json:"temperature"`
		AvgLogprob   float64   `json:"avg_logprob"`
		NoSpeechProb float64   `json:"no_speech_prob"`
	}
	task := "transcribe"
	if t := first(rec.Fields["translate"]); t == "true" || t == "1" || t == "yes" || t == "y" {
		task = "translate"
	}
	name := languageName(lang)
	out := struct {
		Task                        string             `json:"task"`
		Language                    string             `json:"language"`
		Duration                    float64            `json:"duration"`
		Text                        string             `json:"text"`
		Segments                    []segment          `json:"segments"`
		DetectedLanguage            string             `json:"detected_language"`
		DetectedLanguageProbability float64            `json:"detected_language_probability"`
		LanguageProbabilities       map[string]float64 `json:"language_probabilities"`
	}{Task: task, Language: name, Duration: duration, Text: text, DetectedLanguage: name,
		DetectedLanguageProbability: 0.97, LanguageProbabilities: map[string]float64{lang: 0.97}}
	for i, sg := range segs {
		var words []cppWord
		for _, wd := range sg.words() {
			words = append(words, cppWord{word: wd, TDtw: -1})
		}
		out.Segments = append(out.Segments, segment{ID: i, Text: sg.text, Start: sg.start, End: sg.end,
			Tokens: []int{50364, 2425}, Words: words, AvgLogprob: -0.25, NoSpeechProb: 0.02})
	}
	writeJSON(w, http.StatusOK, out)
}
