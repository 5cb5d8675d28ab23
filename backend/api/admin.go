package api

import (
	"net/http"

	adminsvc "podcastfy/backend/admin"
	"podcastfy/backend/config"
	"podcastfy/backend/llm"
	"podcastfy/backend/tts/providers"
)

// settingsBody is the body of PUT /admin/settings: the whole settings
// document, decoded over the defaults (a key left out takes its default,
// as in config.yaml). The values are checked by the admin service, the
// same check the desktop's settings screen gets.
type settingsBody config.Settings

func (b *settingsBody) check() error { return nil }

func (s *server) getSettings(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.Admin.Settings())
}

func (s *server) putSettings(w http.ResponseWriter, r *http.Request) {
	body := settingsBody(config.Defaults())
	// The defaults' lists and maps are replaced, not merged into.
	body.TTS.Voices, body.TTS.Servers, body.Server.CORSOrigins = nil, nil, nil
	if err := decodeJSON(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	saved, err := s.Admin.Save(r.Context(), config.Settings(body))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, saved)
}

// healthList is the answer of GET /admin/health.
type healthList struct {
	Services []adminsvc.Health `json:"services"`
}

func (s *server) adminHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, healthList{Services: s.Admin.Health(r.Context())})
}

// modelList is the answer of GET /admin/models.
type modelList struct {
	Models []llm.ModelInfo `json:"models"`
}

func (s *server) adminModels(w http.ResponseWriter, r *http.Request) {
	models, err := s.Admin.Models(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if models == nil {
		models = []llm.ModelInfo{}
	}
	writeJSON(w, http.StatusOK, modelList{Models: models})
}

func (s *server) adminModelContext(w http.ResponseWriter, r *http.Request) {
	info, err := s.Admin.Context(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// presetList is the answer of GET /admin/voice-presets.
type presetList struct {
	Presets []providers.Preset `json:"presets"`
}

// voicePresets lists the voice servers tts.preset can name, with their
// usual address and how each does without a GPU (cpu.best marks the one
// to choose on such a machine).
func (s *server) voicePresets(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, presetList{Presets: providers.Presets()})
}
