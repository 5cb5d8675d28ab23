package ttstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// PiperRequest is one synthesis body as the Piper fake received it.
type PiperRequest struct {
	Path        string   `json:"-"` // "/synthesize" or "/"
	Text        string   `json:"text"`
	Voice       string   `json:"voice"`
	Speaker     string   `json:"speaker"`
	SpeakerID   *int     `json:"speaker_id"`
	LengthScale *float64 `json:"length_scale"`
}

// Piper is a fake piper1-gpl HTTP server (an http.Handler). v1.5+ serves
// POST /synthesize, GET /info and the web UI at GET /; with Legacy set it
// is v1.3–1.4, synthesising at POST /. Either way WAV goes out with Flask's
// default "text/html; charset=utf-8" content type, empty text gives an
// HTML 500 page and an unknown voice falls back to the default one.
type Piper struct {
	Legacy bool
	// Voices maps voice id to sample rate; nil means
	// en_US-lessac-medium (22050 Hz) and en_US-lessac-low (16000 Hz).
	Voices map[string]int
	// Default voice; empty means the first id in sorted order.
	Default string

	faults faults
	mu     sync.Mutex
	reqs   []PiperRequest
}

// Fail queues faults for the next synthesis requests.
func (p *Piper) Fail(fs ...Fault) { p.faults.add(fs...) }

// Requests returns the synthesis requests received so far.
func (p *Piper) Requests() []PiperRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PiperRequest(nil), p.reqs...)
}

func (p *Piper) voices() map[string]int {
	if p.Voices != nil {
		return p.Voices
	}
	return map[string]int{"en_US-lessac-medium": 22050, "en_US-lessac-low": 16000}
}

func (p *Piper) defaultVoice() string {
	if p.Default != "" {
		return p.Default
	}
	return slices.Sorted(maps.Keys(p.voices()))[0]
}

func (p *Piper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	switch {
	case route == "GET /voices":
		p.listVoices(w)
	case route == "POST /synthesize" && !p.Legacy, route == "POST /" && p.Legacy:
		p.synthesize(w, r)
	case route == "GET /info" && !p.Legacy:
		writeJSON(w, http.StatusOK, map[string]any{
			"voice": map[string]any{"name": p.defaultVoice(), "language": "en_US", "num_speakers": 1}, "last": nil})
	case route == "GET /" && !p.Legacy:
		flask(w, http.StatusOK, "<!doctype html><html><head><title>Piper</title></head><body><textarea></textarea></body></html>")
	case r.URL.Path == "/" && !p.Legacy:
		flask(w, http.StatusMethodNotAllowed, flask405)
	default:
		flask(w, http.StatusNotFound, flask404)
	}
}

func (p *Piper) listVoices(w http.ResponseWriter) {
	out := map[string]any{}
	for id, rate := range p.voices() {
		code, _, _ := strings.Cut(id, "-")
		family, _, _ := strings.Cut(code, "_")
		out[id] = map[string]any{
			"audio":        map[string]any{"sample_rate": rate, "quality": "medium"},
			"language":     map[string]any{"code": code, "family": family},
			"num_speakers": 1, "speaker_id_map": map[string]any{},
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (p *Piper) synthesize(w http.ResponseWriter, r *http.Request) {
	var req PiperRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		flask(w, http.StatusBadRequest, "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Failed to decode JSON object.</p>\n")
		return
	}
	req.Path = r.URL.Path
	p.mu.Lock()
	p.reqs = append(p.reqs, req)
	p.mu.Unlock()

	if strings.TrimSpace(req.Text) == "" { // ValueError("No text provided")
		flask(w, http.StatusInternalServerError, flask500)
		return
	}
	voice := req.Voice
	if _, ok := p.voices()[voice]; !ok {
		voice = p.defaultVoice() // Piper only logs a warning
	}
	rate := p.voices()[voice]
	fault := p.faults.next()
	if fault == ServerError {
		flask(w, http.StatusInternalServerError, flask500)
		return
	}
	if httpFault(w, r, fault, rate, req.Text) {
		return
	}
	speed := 1.0
	if req.LengthScale != nil && *req.LengthScale > 0 {
		speed = 1 / *req.LengthScale
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(WAV(samplesFor(req.Text, speed, rate), rate, false))
}

// flask writes a body with Flask's default content type.
func flask(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}
