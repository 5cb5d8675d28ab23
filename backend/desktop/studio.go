package desktop

import (
	"context"
	"log/slog"

	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Studio is the facade of the script studio: the editable script (with
// its ETag), saving an edit as a re-voice job, the kept versions, restore,
// and Ollama rewrites. Every rule is core.Studio's; the job's progress
// arrives as job:progress, job:done and job:failed events, with
// segmentsReused and segmentsSynthesised.
type Studio struct {
	studio  *core.Studio
	session *Session
	log     *slog.Logger
}

// Script returns a podcast's current script, with its ETag in etag.
func (s *Studio) Script(id string) (core.ScriptDoc, error) {
	u, err := s.session.User()
	if err != nil {
		return core.ScriptDoc{}, err
	}
	return s.studio.Script(context.Background(), u.ID, id)
}

// SaveScript starts the re-voice job of an edit made from the script
// whose ETag is etag, and returns the job.
func (s *Studio) SaveScript(id, etag string, doc core.ScriptDoc) (core.Status, error) {
	u, err := s.session.User()
	if err != nil {
		return core.Status{}, err
	}
	st, err := s.studio.Save(context.Background(), u.ID, id, etag, doc)
	if err == nil {
		s.log.Info("script edit saved", "podcast", id, "job", st.ID)
	}
	return st, err
}

// Versions lists a podcast's kept versions.
func (s *Studio) Versions(id string) (core.Versions, error) {
	u, err := s.session.User()
	if err != nil {
		return core.Versions{}, err
	}
	return s.studio.Versions(context.Background(), u.ID, id)
}

// RestoreVersion makes a kept version the current one.
func (s *Studio) RestoreVersion(id string, version int) (store.Podcast, error) {
	u, err := s.session.User()
	if err != nil {
		return store.Podcast{}, err
	}
	p, err := s.studio.Restore(context.Background(), u.ID, id, version)
	p.SourceText = nil
	return p, err
}

// Rewrite has Ollama propose new lines for one line or one chapter.
func (s *Studio) Rewrite(id string, req core.RewriteRequest) (core.Proposal, error) {
	u, err := s.session.User()
	if err != nil {
		return core.Proposal{}, err
	}
	return s.studio.Rewrite(context.Background(), u.ID, id, req)
}
