package ttstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Flavour selects which OpenAI-compatible server the OpenAI fake imitates.
type Flavour int

const (
	// Kokoro is Kokoro-FastAPI: defaults for model and voice, voice mixes,
	// {"detail":{…}} errors, streamed WAV with 0xFFFFFFFF sizes,
	// GET /v1/audio/voices.
	Kokoro Flavour = iota
	// Speaches is speaches (faster-whisper-server): model and voice
	// required, installed models only, plain FastAPI {"detail":"…"}
	// errors, optional Bearer key (403 without it), no voices endpoint.
	Speaches
	// Pocket is Pocket TTS (`pocket-tts serve`): model and response_format
	// accepted but ignored, always streamed WAV, its own voice names (an
	// unknown one is a 400), plain {"detail":"…"} errors, GET /health, no
	// voices or models endpoint.
	Pocket
)

// PocketVoices are Pocket TTS's built-in voices.
var PocketVoices = []string{"alba", "marius", "javert", "jean", "fantine", "cosette", "eponine", "azelma"}

// OpenAIRate is the sample rate both flavours answer with.
const OpenAIRate = 24000

// SpeechRequest is one POST /v1/audio/speech body as the fake received it.
type SpeechRequest struct {
	Model          string   `json:"model"`
	Input          *string  `json:"input"`
	Voice          string   `json:"voice"`
	ResponseFormat string   `json:"response_format"`
	Speed          *float64 `json:"speed"`
	Auth           string   `json:"-"` // the Authorization header
}

// OpenAI is a fake OpenAI-compatible speech server (an http.Handler).
// Set the exported fields before serving.
type OpenAI struct {
	Flavour Flavour
	// Voices the server knows; nil means a small Kokoro set.
	Voices []string
	// LegacyVoices makes Kokoro's GET /v1/audio/voices answer the pre-0.3
	// {"voices":["af_heart",…]} shape even without ?legacy=true.
	LegacyVoices bool
	// Models installed in speaches; nil means {"speaches-ai/Kokoro-82M-v1.0-ONNX"}.
	Models []string
	// APIKey, when set, makes speaches require "Authorization: Bearer <key>".
	APIKey string
	// MaxInput, when > 0, rejects longer input with 400 as OpenAI does.
	MaxInput int

	faults faults
	mu     sync.Mutex
	reqs   []SpeechRequest
}

// Fail queues faults for the next speech requests.
func (f *OpenAI) Fail(fs ...Fault) { f.faults.add(fs...) }

// Requests returns the speech requests received so far.
func (f *OpenAI) Requests() []SpeechRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SpeechRequest(nil), f.reqs...)
}

func (f *OpenAI) voices() []string {
	if f.Voices != nil {
		return f.Voices
	}
	return []string{"af_bella", "af_heart", "af_sky", "am_adam", "am_michael", "bf_emma", "bf_isabella", "bm_george"}
}

func (f *OpenAI) models() []string {
	if f.Flavour == Kokoro {
		return []string{"kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"}
	}
	if f.Models != nil {
		return f.Models
	}
	return []string{"speaches-ai/Kokoro-82M-v1.0-ONNX"}
}

func (f *OpenAI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.Flavour == Speaches && f.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+f.APIKey {
		writeJSON(w, http.StatusForbidden, map[string]any{"detail": "API key required. Please provide an API key using the Authorization header with Bearer scheme."})
		return
	}
	switch {
	case f.Flavour == Pocket:
		f.pocket(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/audio/speech":
		f.speech(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v1/audio/voices" && f.Flavour == Kokoro:
		f.listVoices(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		var data []map[string]any
		for _, m := range f.models() {
			data = append(data, map[string]any{"id": m, "object": "model", "owned_by": "fake"})
		}
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
	}
}

func (f *OpenAI) listVoices(w http.ResponseWriter, r *http.Request) {
	if f.LegacyVoices || r.URL.Query().Get("legacy") == "true" {
		writeJSON(w, http.StatusOK, map[string]any{"voices": f.voices()})
		return
	}
	var vs []map[string]string
	for _, v := range f.voices() {
		vs = append(vs, map[string]string{"id": v, "name": v})
	}
	writeJSON(w, http.StatusOK, map[string]any{"voices": vs})
}

func (f *OpenAI) speech(w http.ResponseWriter, r *http.Request) {
	var req SpeechRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.unprocessable(w, []any{issue("json_invalid", []any{"body", 0}, "JSON decode error")})
		return
	}
	req.Auth = r.Header.Get("Authorization")
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()

	if f.Flavour == Kokoro {
		if req.Model == "" {
			req.Model = "kokoro"
		}
		if req.Voice == "" {
			req.Voice = "af_heart"
		}
	}
	var missing []any
	if req.Input == nil {
		missing = append(missing, issue("missing", []any{"body", "input"}, "Field required"))
	}
	if req.Model == "" {
		missing = append(missing, issue("missing", []any{"body", "model"}, "Field required"))
	}
	if req.Voice == "" {
		missing = append(missing, issue("missing", []any{"body", "voice"}, "Field required"))
	}
	if req.Speed != nil && *req.Speed > 4 {
		missing = append(missing, issue("less_than_equal", []any{"body", "speed"}, "Input should be less than or equal to 4"))
	}
	if req.Speed != nil && *req.Speed < 0.25 {
		missing = append(missing, issue("greater_than_equal", []any{"body", "speed"}, "Input should be greater than or equal to 0.25"))
	}
	if len(missing) > 0 {
		f.unprocessable(w, missing)
		return
	}
	if !slices.Contains(f.models(), req.Model) {
		if f.Flavour == Kokoro {
			f.kokoroError(w, http.StatusBadRequest, "invalid_model", "Unsupported model: "+req.Model, "invalid_request_error")
		} else {
			writeJSON(w, http.StatusNotFound, map[string]any{"detail": fmt.Sprintf("Model '%s' is not installed locally. You can download the model using `POST /v1/models`", req.Model)})
		}
		return
	}
	if f.Flavour == Kokoro {
		if bad := f.unknownVoice(req.Voice); bad != "" {
			f.kokoroError(w, http.StatusBadRequest, "validation_error",
				fmt.Sprintf("Voice '%s' not found. Available voices: %s", bad, strings.Join(f.voices(), ", ")), "invalid_request_error")
			return
		}
	}
	if f.MaxInput > 0 && len([]rune(*req.Input)) > f.MaxInput {
		f.kokoroError(w, http.StatusBadRequest, "validation_error", fmt.Sprintf("input is longer than %d characters", f.MaxInput), "invalid_request_error")
		return
	}
	fault := f.faults.next()
	if fault == ServerError {
		if f.Flavour == Kokoro {
			f.kokoroError(w, http.StatusInternalServerError, "processing_error", "Error generating audio: model inference failed", "server_error")
		} else {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"detail": "Internal Server Error"})
		}
		return
	}
	if httpFault(w, r, fault, OpenAIRate, *req.Input) {
		return
	}
	speed := 1.0
	if req.Speed != nil {
		speed = *req.Speed
	}
	samples := samplesFor(*req.Input, speed, OpenAIRate)
	switch req.ResponseFormat {
	case "wav":
		w.Header().Set("Content-Type", "audio/wav")
		f.stream(w, WAV(samples, OpenAIRate, f.Flavour == Kokoro))
	case "pcm":
		w.Header().Set("Content-Type", "audio/pcm")
		f.stream(w, PCM16(samples))
	default:
		f.kokoroError(w, http.StatusBadRequest, "validation_error", "this fake serves only wav and pcm, not "+req.ResponseFormat, "invalid_request_error")
	}
}

// pocket serves Pocket TTS's routes.
func (f *OpenAI) pocket(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/health":
		writeJSON(w, http.StatusOK, map[string]any{"status": "healthy"})
		return
	case r.Method != http.MethodPost || r.URL.Path != "/v1/audio/speech":
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
		return
	}
	var req SpeechRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Input == nil {
		f.unprocessable(w, []any{issue("missing", []any{"body", "input"}, "Field required")})
		return
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	voices := f.Voices
	if voices == nil {
		voices = PocketVoices
	}
	switch {
	case strings.TrimSpace(*req.Input) == "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"detail": "Text cannot be empty"})
		return
	case req.Voice != "" && !slices.Contains(voices, req.Voice):
		writeJSON(w, http.StatusBadRequest, map[string]any{"detail": fmt.Sprintf("Unknown voice '%s'. Available voices: %s", req.Voice, strings.Join(voices, ", "))})
		return
	}
	if httpFault(w, r, f.faults.next(), OpenAIRate, *req.Input) {
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	f.stream(w, WAV(samplesFor(*req.Input, 1, OpenAIRate), OpenAIRate, true))
}

// stream sends body in a few flushed pieces, as the real servers stream.
func (f *OpenAI) stream(w http.ResponseWriter, body []byte) {
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	const piece = 32 << 10
	for len(body) > 0 {
		n := min(piece, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		rc.Flush()
		body = body[n:]
	}
}

var voiceWeight = regexp.MustCompile(`\(\s*[0-9.]+\s*\)$`)

// kokoroOpenAINames is Kokoro-FastAPI's mapping of OpenAI voice names.
var kokoroOpenAINames = map[string]string{"alloy": "am_adam", "nova": "bf_isabella"}

// unknownVoice returns the first voice of a Kokoro mix ("af_bella(2)+af_sky")
// that the server does not have.
func (f *OpenAI) unknownVoice(mix string) string {
	for _, part := range strings.Split(mix, "+") {
		v := strings.TrimSpace(voiceWeight.ReplaceAllString(strings.TrimSpace(part), ""))
		if m, ok := kokoroOpenAINames[v]; ok {
			v = m
		}
		if !slices.Contains(f.voices(), v) {
			return v
		}
	}
	return ""
}

func (f *OpenAI) kokoroError(w http.ResponseWriter, status int, code, msg, typ string) {
	if f.Flavour == Speaches {
		writeJSON(w, status, map[string]any{"detail": msg})
		return
	}
	writeJSON(w, status, map[string]any{"detail": map[string]any{"error": code, "message": msg, "type": typ}})
}

func (f *OpenAI) unprocessable(w http.ResponseWriter, issues []any) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": issues})
}

func issue(typ string, loc []any, msg string) map[string]any {
	return map[string]any{"type": typ, "loc": loc, "msg": msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
