package api

import (
	"context"
	"net/http"
	"strconv"

	"podcastfy/backend/apperr"
	"podcastfy/backend/voices"
)

// Voices is what the API needs from the voice service (*voices.Service):
// the rules of listing and previews live there, shared with the desktop.
type Voices interface {
	List(ctx context.Context, provider, language string) (voices.List, error)
	Preview(ctx context.Context, user string, req voices.PreviewRequest) (voices.Preview, error)
}

// errNoVoices answers when the server was built without a voice service.
var errNoVoices = apperr.New(apperr.Unavailable, "this server lists no voices")

func (s *server) listVoices(w http.ResponseWriter, r *http.Request) {
	if s.Voices == nil {
		s.writeError(w, r, errNoVoices)
		return
	}
	q := r.URL.Query()
	list, err := s.Voices.List(r.Context(), q.Get("provider"), q.Get("language"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// previewRequest is the body of POST /voices/preview.
type previewRequest struct {
	Provider string   `json:"provider"`
	Voice    *string  `json:"voice"`
	Text     string   `json:"text"`
	Speed    *float64 `json:"speed"`
	Language string   `json:"language"`
}

func (p *previewRequest) check() error {
	if p.Voice == nil {
		return fieldError(voices.FieldVoice, `field "voice" is required ("" for the provider's default voice)`)
	}
	if p.Speed != nil && *p.Speed == 0 {
		// 0 would mean "the default" to the service; over HTTP it is a mistake.
		return fieldError(voices.FieldSpeed, "the speed must be between 0.5 and 2")
	}
	return nil
}

// previewVoice answers with a short MP3 of the voice speaking the text.
func (s *server) previewVoice(w http.ResponseWriter, r *http.Request) {
	if s.Voices == nil {
		s.writeError(w, r, errNoVoices)
		return
	}
	var req previewRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	in := voices.PreviewRequest{Provider: req.Provider, Voice: *req.Voice, Text: req.Text, Language: req.Language}
	if req.Speed != nil {
		in.Speed = *req.Speed
	}
	p, err := s.Voices.Preview(r.Context(), currentUser(r.Context()).ID, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "audio/mpeg")
	h.Set("Content-Length", strconv.Itoa(len(p.MP3)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(p.MP3)
}
