package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"podcastfy/backend/core"
)

// generateRequest is the body of POST /podcasts/generate/text; the uploads
// send the same fields as form fields.
type generateRequest struct {
	Text       string            `json:"text"`
	Sources    []sourceRef       `json:"sources"`
	Title      string            `json:"title"`
	TemplateID string            `json:"templateId"`
	Minutes    float64           `json:"minutes"`
	Language   string            `json:"language"`
	Focus      string            `json:"focus"`
	Voices     map[string]string `json:"voices"`
	Writer     string            `json:"writer"`
	TTS        string            `json:"tts"`
}

// sourceRef is a source named in a JSON request: only web pages, since a
// client cannot name files on the server (it uploads them instead).
type sourceRef struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// check applies the one rule that only a JSON request has: a client
// cannot name files on the server (it uploads them), so its sources are
// web pages. Every other field is checked by the job service (core), the
// same checks the desktop's requests meet.
func (g *generateRequest) check() error {
	for i, src := range g.Sources {
		if src.Kind != "url" {
			return fieldError("sources", fmt.Sprintf("sources[%d]: kind %q cannot be sent as JSON; only \"url\" can "+
				"(upload documents to POST /podcasts/generate/files and recordings to POST /podcasts/generate/audio)", i, clip(src.Kind)))
		}
	}
	return nil
}

// toCore is the job request. Requests from the LAN are untrusted: the job
// will not fetch pages on this machine's private network for them.
func (g *generateRequest) toCore(owner string) core.Request {
	req := core.Request{
		Owner: owner, Text: g.Text, Title: g.Title, TemplateID: g.TemplateID,
		Minutes: g.Minutes, Language: g.Language, Focus: g.Focus, Voices: g.Voices,
		Writer: g.Writer, TTS: g.TTS, SourceName: "text sent to the LAN API", Untrusted: true,
	}
	for _, src := range g.Sources {
		req.Sources = append(req.Sources, core.Source{Kind: src.Kind, Name: src.URL, URL: src.URL})
	}
	if strings.TrimSpace(g.Text) == "" && len(g.Sources) > 0 {
		req.SourceName = g.Sources[0].URL
	}
	return req
}

// jobAccepted is the 202 answer to a generate request.
type jobAccepted struct {
	JobID     string  `json:"jobId"`
	StatusURL string  `json:"statusUrl"`
	EventsURL string  `json:"eventsUrl"`
	Job       jobView `json:"job"`
}

// jobView is a job's status as the API shows it: with a signed link to its
// live audio while it runs, for players that cannot send a token (a
// browser's <audio>).
type jobView struct {
	core.Status
	LiveAudioURL string `json:"liveAudioUrl,omitempty"`
}

func (s *server) jobView(st core.Status) jobView {
	v := jobView{Status: st}
	if st.State.Running() {
		v.LiveAudioURL = s.signedPath("/jobs/"+st.ID+"/audio", st.Owner)
	}
	return v
}

func (s *server) generateText(w http.ResponseWriter, r *http.Request) {
	var req generateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.startJob(w, r, req.toCore(currentUser(r.Context()).ID))
}

// startJob starts the job and answers 202, or answers the error and
// reports false.
func (s *server) startJob(w http.ResponseWriter, r *http.Request, req core.Request) bool {
	st, err := s.Jobs.Start(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return false
	}
	w.Header().Set("Location", "/jobs/"+st.ID)
	writeJSON(w, http.StatusAccepted, jobAccepted{
		JobID: st.ID, StatusURL: "/jobs/" + st.ID, EventsURL: "/jobs/" + st.ID + "/events", Job: s.jobView(st),
	})
	return true
}

// jobList is the answer of GET /jobs.
type jobList struct {
	Jobs []jobView `json:"jobs"`
}

func (s *server) listJobs(w http.ResponseWriter, r *http.Request) {
	jobs := []jobView{}
	for _, st := range s.Jobs.List(r.Context(), currentUser(r.Context()).ID) {
		jobs = append(jobs, s.jobView(st))
	}
	writeJSON(w, http.StatusOK, jobList{Jobs: jobs})
}

func (s *server) getJob(w http.ResponseWriter, r *http.Request) {
	st, err := s.Jobs.Get(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.jobView(st))
}

// cancelJob stops a running job (200 with its final status), or removes an
// ended one with the uploads it kept (204): the podcast it made stays.
func (s *server) cancelJob(w http.ResponseWriter, r *http.Request) {
	owner, id := currentUser(r.Context()).ID, r.PathValue("id")
	st, err := s.Jobs.Cancel(r.Context(), owner, id)
	if errors.Is(err, core.ErrJobFinished) {
		if err = s.Jobs.Remove(r.Context(), owner, id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// resumeJob restarts an interrupted (or failed or cancelled) job where it
// stopped and answers 202 like a generate request.
func (s *server) resumeJob(w http.ResponseWriter, r *http.Request) {
	st, err := s.Jobs.Resume(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/jobs/"+st.ID)
	writeJSON(w, http.StatusAccepted, jobAccepted{
		JobID: st.ID, StatusURL: "/jobs/" + st.ID, EventsURL: "/jobs/" + st.ID + "/events", Job: s.jobView(st),
	})
}
