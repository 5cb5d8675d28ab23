package api

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

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

// maxURLBytes bounds one source URL.
const maxURLBytes = 2048

func (g *generateRequest) check() error {
	if strings.TrimSpace(g.Text) == "" && len(g.Sources) == 0 {
		return badRequest("missing_field", "field \"text\" is required unless \"sources\" names at least one web page")
	}
	return g.checkOptions()
}

// checkSources checks the URL sources: kind, scheme and size. Whether a page
// may be fetched (no private addresses from the LAN) is decided when the
// job fetches it.
func (g *generateRequest) checkSources() error {
	if len(g.Sources) > core.MaxSources {
		return badRequest("too_many_sources", fmt.Sprintf("at most %d sources per podcast", core.MaxSources))
	}
	for i, src := range g.Sources {
		at := fmt.Sprintf("sources[%d]", i)
		if src.Kind != "url" {
			return badRequest("invalid_source", fmt.Sprintf("%s: kind %q cannot be sent as JSON; only \"url\" can "+
				"(upload documents to POST /podcasts/generate/files and recordings to POST /podcasts/generate/audio)", at, clip(src.Kind)))
		}
		if err := checkSourceURL(src.URL); err != nil {
			return badRequest("invalid_url", at+".url "+err.Error())
		}
	}
	return nil
}

// checkSourceURL accepts an absolute http or https URL of sane length.
func checkSourceURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("is required")
	}
	if len(raw) > maxURLBytes || !utf8.ValidString(raw) || strings.ContainsFunc(raw, unicode.IsControl) {
		return fmt.Errorf("must be one line of at most %d bytes", maxURLBytes)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("is not a URL: %q", clip(raw))
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("must start with http:// or https://, not %q", clip(raw))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("names no host: %q", clip(raw))
	}
	return nil
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
	return g.checkSources()
}

// toCore is the job request. Requests from the LAN are untrusted: the job
// will not fetch pages on this machine's private network for them.
func (g *generateRequest) toCore(owner string) core.Request {
	req := core.Request{
		Owner: owner, Text: g.Text, Title: strings.TrimSpace(g.Title), TemplateID: g.TemplateID,
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

// startJob starts the job and answers 202, or answers the error and
// reports false.
func (s *server) startJob(w http.ResponseWriter, r *http.Request, req core.Request) bool {
	st, err := s.Jobs.Start(req)
	if err != nil {
		s.writeError(w, r, err)
		return false
	}
	w.Header().Set("Location", "/jobs/"+st.ID)
	writeJSON(w, http.StatusAccepted, jobAccepted{
		JobID: st.ID, StatusURL: "/jobs/" + st.ID, EventsURL: "/jobs/" + st.ID + "/events", Job: st,
	})
	return true
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
