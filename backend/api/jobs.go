package api

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"podcastfy/backend/core"
)

// generateRequest is the body of POST /podcasts/generate/text; the audio
// upload sends the same fields as form fields.
type generateRequest struct {
	Text       string            `json:"text"`
	Title      string            `json:"title"`
	TemplateID string            `json:"templateId"`
	Minutes    float64           `json:"minutes"`
	Language   string            `json:"language"`
	Focus      string            `json:"focus"`
	Voices     map[string]string `json:"voices"`
	Writer     string            `json:"writer"`
	TTS        string            `json:"tts"`
}

func (g *generateRequest) check() error {
	if strings.TrimSpace(g.Text) == "" {
		return required("text")
	}
	return g.checkOptions()
}

// checkOptions checks every field but the text; the job service checks the
// rest (that the template, speakers and TTS provider exist).
func (g *generateRequest) checkOptions() error {
	if len(g.Title) > 200 || strings.ContainsFunc(g.Title, unicode.IsControl) {
		return badRequest("invalid_title", "field \"title\" must be one line of at most 200 characters")
	}
	if math.IsNaN(g.Minutes) || g.Minutes != 0 && (g.Minutes < 0.5 || g.Minutes > 120) {
		return badRequest("invalid_minutes", "field \"minutes\" must be between 0.5 and 120")
	}
	for _, f := range []struct{ name, value string }{
		{"templateId", g.TemplateID}, {"language", g.Language}, {"writer", g.Writer}, {"tts", g.TTS},
	} {
		if len(f.value) > 64 || !utf8.ValidString(f.value) || strings.ContainsFunc(f.value, unicode.IsControl) {
			return badRequest("invalid_"+strings.ToLower(f.name), fmt.Sprintf("field %q must be a short name", f.name))
		}
	}
	if len(g.Voices) > 16 {
		return badRequest("invalid_voices", "field \"voices\" names more speakers than a template has")
	}
	return nil
}

func (g *generateRequest) toCore(owner string) core.Request {
	return core.Request{
		Owner: owner, Text: g.Text, Title: strings.TrimSpace(g.Title), TemplateID: g.TemplateID,
		Minutes: g.Minutes, Language: g.Language, Focus: g.Focus, Voices: g.Voices,
		Writer: g.Writer, TTS: g.TTS, SourceName: "text sent to the LAN API",
	}
}

// jobAccepted is the 202 answer to a generate request.
type jobAccepted struct {
	JobID     string      `json:"jobId"`
	StatusURL string      `json:"statusUrl"`
	EventsURL string      `json:"eventsUrl"`
	Job       core.Status `json:"job"`
}

func (s *server) generateText(w http.ResponseWriter, r *http.Request) {
	var req generateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.startJob(w, r, req.toCore(currentUser(r.Context()).ID))
}

func (s *server) startJob(w http.ResponseWriter, r *http.Request, req core.Request) {
	st, err := s.Jobs.Start(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/jobs/"+st.ID)
	writeJSON(w, http.StatusAccepted, jobAccepted{
		JobID: st.ID, StatusURL: "/jobs/" + st.ID, EventsURL: "/jobs/" + st.ID + "/events", Job: st,
	})
}

// jobList is the answer of GET /jobs.
type jobList struct {
	Jobs []core.Status `json:"jobs"`
}

func (s *server) listJobs(w http.ResponseWriter, r *http.Request) {
	jobs := s.Jobs.List(currentUser(r.Context()).ID)
	if jobs == nil {
		jobs = []core.Status{}
	}
	writeJSON(w, http.StatusOK, jobList{Jobs: jobs})
}

func (s *server) getJob(w http.ResponseWriter, r *http.Request) {
	st, err := s.Jobs.Get(currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// cancelJob stops a running job; a finished one is a 409 naming its state.
func (s *server) cancelJob(w http.ResponseWriter, r *http.Request) {
	st, err := s.Jobs.Cancel(currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
