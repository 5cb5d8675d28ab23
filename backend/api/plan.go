package api

import (
	"fmt"
	"net/http"

	"podcastfy/backend/core"
)

// planRequest is the body of POST /podcasts/plan: a generate request, plus
// the files and recordings the client will upload with it, named but not
// sent, so that what they need (the Whisper server for a recording) is
// checked before the upload.
type planRequest struct {
	generateRequest
	Uploads []uploadRef `json:"uploads"`
}

// uploadRef is a file still to be uploaded: its kind and its name.
type uploadRef struct {
	Kind string `json:"kind"` // "file" or "audio"
	Name string `json:"name"`
}

func (p *planRequest) check() error {
	if err := p.generateRequest.check(); err != nil {
		return err
	}
	for i, u := range p.Uploads {
		if u.Kind != fieldFile && u.Kind != fieldAudio {
			return fieldError("uploads", fmt.Sprintf("uploads[%d]: kind %q is not an upload: use \"file\" or \"audio\"", i, clip(u.Kind)))
		}
	}
	return nil
}

// planPodcast answers what POST /podcasts/generate/… with the same options
// would do, checked as the job service checks a start, without starting
// anything: the writer and TTS provider that will run, the length the
// offline writer can fill, and every problem at its field.
func (s *server) planPodcast(w http.ResponseWriter, r *http.Request) {
	var req planRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	creq := req.toCore(currentUser(r.Context()).ID)
	var uploads []core.Source
	for _, u := range req.Uploads {
		uploads = append(uploads, core.Source{Kind: u.Kind, Name: uploadName(u.Name, u.Kind)})
	}
	creq.Sources = append(uploads, creq.Sources...) // in the order the upload routes use
	plan, err := s.Jobs.Preflight(r.Context(), creq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, plan)
}
