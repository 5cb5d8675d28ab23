package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Page sizes of GET /podcasts.
const (
	defaultPageSize = 50
	maxPageSize     = 500
)

// podcastJSON is a podcast as the API shows it: the stored metadata (the
// seed's schema and our extensions) with signed URLs for the files.
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
}

func (s *server) podcastView(p store.Podcast, userID string) podcastJSON {
	v := podcastJSON{
		ID: p.ID, Title: p.Title, Duration: p.Duration, GeneratedDate: p.GeneratedDate,
		SourceText: p.SourceText, SourceAudioURL: p.SourceAudioURL, TemplateUsed: p.TemplateUsed,
		Owner: p.Owner, Status: p.Status, Summary: p.Summary, Speakers: p.Speakers, Language: p.Language,
		Chapters: p.Chapters, Writer: p.Writer, TTS: p.TTS, AudioBytes: p.AudioBytes, Lines: p.Lines, Words: p.Words,
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

// podcastList is the answer of GET /podcasts.
type podcastList struct {
	Podcasts   []podcastJSON `json:"podcasts"`
	NextCursor string        `json:"nextCursor,omitempty"`
}

func (s *server) listPodcasts(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r.Context())
	q := r.URL.Query()
	limit := defaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			s.writeError(w, r, badRequest("invalid_limit", fmt.Sprintf("limit must be a whole number from 1 to %d", maxPageSize)))
			return
		}
		limit = n
	}
	search := q.Get("q")
	if len(search) > 200 || !utf8.ValidString(search) {
		s.writeError(w, r, badRequest("invalid_query", "q must be text of at most 200 bytes"))
		return
	}
	list, next, err := s.Podcasts.List(store.ListQuery{Owner: u.ID, Query: search, Cursor: q.Get("cursor"), Limit: limit})
	if errors.Is(err, store.ErrInvalidID) {
		s.writeError(w, r, badRequest("invalid_cursor", "cursor is not one this server gave out; start again without it"))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := podcastList{Podcasts: make([]podcastJSON, len(list)), NextCursor: next}
	for i, p := range list {
		out.Podcasts[i] = s.podcastView(p, u.ID)
	}
	writeJSON(w, http.StatusOK, out)
}

var errNoPodcast = notFound("no such podcast")

// ownPodcast loads a podcast of the current user; anyone else's is 404.
func (s *server) ownPodcast(r *http.Request) (store.Podcast, error) {
	p, err := s.Podcasts.Get(r.PathValue("id"))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
			return p, errNoPodcast
		}
		return p, err
	}
	if p.Owner != currentUser(r.Context()).ID {
		return store.Podcast{}, errNoPodcast
	}
	return p, nil
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

func (p *patchRequest) check() error {
	if p.Title == nil {
		return required("title")
	}
	t, err := core.CleanTitle(*p.Title)
	if err == nil && t == "" {
		err = fieldError("title", "the title must not be empty")
	}
	*p.Title = t
	return err
}

func (s *server) patchPodcast(w http.ResponseWriter, r *http.Request) {
	var req patchRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := currentUser(r.Context())
	p, err := s.Podcasts.Update(r.PathValue("id"), func(p *store.Podcast) error {
		if p.Owner != u.ID {
			return errNoPodcast
		}
		p.Title = *req.Title
		return nil
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		err = errNoPodcast
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.podcastView(p, u.ID))
}

// deletePodcast removes a podcast and all its files; the store's tombstone
// makes that all or nothing, even across a crash.
func (s *server) deletePodcast(w http.ResponseWriter, r *http.Request) {
	p, err := s.ownPodcast(r)
	if err == nil {
		err = s.Podcasts.Delete(p.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		err = errNoPodcast
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
