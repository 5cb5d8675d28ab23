package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"podcastfy/backend/library"
	"podcastfy/backend/store"
)

// podcastJSON is a podcast as the API shows it: the stored metadata (the
// seed's schema and our extensions) with signed URLs for the files, built
// here from the files the store lists (the store keeps no links).
type podcastJSON struct {
	ID             string              `json:"id"`
	Title          string              `json:"title"`
	AudioURL       string              `json:"audioUrl"`
	Duration       float64             `json:"duration"`
	GeneratedDate  time.Time           `json:"generatedDate"`
	SourceText     *string             `json:"sourceText"`
	SourceAudioURL *string             `json:"sourceAudioUrl"`
	TemplateUsed   *string             `json:"templateUsed"`
	Owner          string              `json:"owner"`
	Status         string              `json:"status"`
	Summary        string              `json:"summary"`
	Speakers       []string            `json:"speakers"`
	Language       string              `json:"language"`
	Chapters       []store.ChapterMark `json:"chapters"`
	Writer         string              `json:"writer"`
	TTS            string              `json:"tts"`
	AudioBytes     int64               `json:"audioBytes"`
	Lines          int                 `json:"lines"`
	Words          int                 `json:"words"`
	TranscriptURL  string              `json:"transcriptUrl,omitempty"`
	SubtitlesURL   string              `json:"subtitlesUrl,omitempty"`
	ChaptersURL    string              `json:"chaptersUrl,omitempty"`
	ScriptURL      string              `json:"scriptUrl,omitempty"`
	Version        int                 `json:"version"`
}

func (s *server) podcastView(p store.Podcast, userID string) podcastJSON {
	v := podcastJSON{
		ID: p.ID, Title: p.Title, Duration: p.Duration, GeneratedDate: p.GeneratedDate,
		SourceText: p.SourceText, TemplateUsed: p.TemplateUsed,
		Owner: p.Owner, Status: p.Status, Summary: p.Summary, Speakers: p.Speakers, Language: p.Language,
		Chapters: p.Chapters, Writer: p.Writer, TTS: p.TTS, AudioBytes: p.AudioBytes, Lines: p.Lines, Words: p.Words,
		Version: p.CurrentVersion(),
	}
	url := func(m mediaKind) string {
		if _, ok := p.Files[m.kind]; !ok {
			return ""
		}
		return s.signedPath(m.path(p.ID), userID)
	}
	v.AudioURL = url(mediaAudio)
	v.TranscriptURL = url(mediaVTT)
	v.SubtitlesURL = url(mediaSRT)
	v.ChaptersURL = url(mediaChapters)
	v.ScriptURL = url(mediaScript)
	if src := url(mediaSource); src != "" {
		v.SourceAudioURL = &src
	}
	if v.Speakers == nil {
		v.Speakers = []string{}
	}
	if v.Chapters == nil {
		v.Chapters = []store.ChapterMark{}
	}
	return v
}

// listPodcasts answers GET /podcasts?q=&sort=&limit=&cursor= with a page
// of the library: {"items":[summary…],"total":n,"nextCursor":"…"}.
func (s *server) listPodcasts(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := library.Query{Q: v.Get("q"), Sort: v.Get("sort"), Cursor: v.Get("cursor")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			s.writeError(w, r, fieldError(library.FieldLimit, fmt.Sprintf("limit must be a whole number from 1 to %d", library.MaxLimit)))
			return
		}
		q.Limit = n
	}
	page, err := s.Library.List(r.Context(), currentUser(r.Context()).ID, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// errNoPodcast answers for a podcast a signed link names but the store
// does not have.
var errNoPodcast = notFound("no such podcast")

// ownPodcast loads a podcast of the current user; anyone else's is 404.
func (s *server) ownPodcast(r *http.Request) (store.Podcast, error) {
	return s.Library.Get(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"))
}

func (s *server) getPodcast(w http.ResponseWriter, r *http.Request) {
	p, err := s.ownPodcast(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.podcastView(p, p.Owner))
}

// patchRequest renames a podcast.
type patchRequest struct {
	Title *string `json:"title"`
}

// check requires the title; the library checks its value.
func (p *patchRequest) check() error {
	if p.Title == nil {
		return required("title")
	}
	return nil
}

func (s *server) patchPodcast(w http.ResponseWriter, r *http.Request) {
	var req patchRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := currentUser(r.Context())
	p, err := s.Library.Rename(r.Context(), u.ID, r.PathValue("id"), *req.Title)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.podcastView(p, u.ID))
}

// deletePodcast removes a podcast and all its files.
func (s *server) deletePodcast(w http.ResponseWriter, r *http.Request) {
	if err := s.Library.Delete(r.Context(), currentUser(r.Context()).ID, r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
