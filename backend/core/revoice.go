package core

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"podcastfy/backend/apperr"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

// A re-voice job makes a new version of a podcast from an edited script.
// It runs the same pipeline as generation from the synthesis on: every
// line is looked up in the segment cache by what shapes its sound (text,
// voice, speed, language, provider), so only lines whose text, voice or
// voice settings changed are synthesised; the MP3, VTT, SRT, chapters and
// ID3 chapters are rebuilt, and the version is committed atomically
// (store.CommitVersion), leaving the previous one playable until then.

// versionStore is what a re-voice job needs of the library beyond
// PodcastStore.
type versionStore interface {
	CommitVersion(id string, base int, v store.Version, staged map[string]string, keep int) (store.Podcast, error)
}

// ErrRevoicing refuses an edit or a restore while the podcast is being
// re-voiced.
var ErrRevoicing error = &apperr.Error{Code: apperr.JobRunning,
	Message: "this podcast is being re-voiced: wait for that job to finish (or cancel it), then edit again"}

// startRevoice queues a re-voice job for an edited script. The check that
// no other re-voice of the podcast is queued or running and the job's
// registration are one step under the lock, so two edits at once cannot
// both start.
func (s *Service) startRevoice(ctx context.Context, req Request, sc script.Script) (Status, error) {
	if req.Revoice == nil {
		return Status{}, fmt.Errorf("%w: not a re-voice", ErrBadRequest)
	}
	if err := ctx.Err(); err != nil {
		return Status{}, err
	}
	now := s.deps.Now().UTC()
	st := Status{
		ID: store.NewID(), Owner: req.Owner, Title: sc.Title, State: Queued, Stage: "Waiting to start",
		TTS: req.TTS, PodcastID: req.Revoice.PodcastID, Segments: sc.LineCount(), CreatedAt: now, UpdatedAt: now,
	}
	j := &job{rec: jobRecord{Status: st, Request: req, Script: &sc}}
	s.mu.Lock()
	if err := s.checkRevoicing(req.Revoice.PodcastID); err != nil {
		s.mu.Unlock()
		return Status{}, err
	}
	if err := s.checkUserCap(req.Owner); err != nil {
		s.mu.Unlock()
		return Status{}, err
	}
	s.jobs[st.ID] = j
	s.mu.Unlock()
	if err := s.saveRecord(j, j.rec); err != nil {
		s.mu.Lock()
		delete(s.jobs, st.ID)
		s.mu.Unlock()
		return Status{}, err
	}
	s.launch(j)
	return st, nil
}

// checkRevoicing is ErrRevoicing when a re-voice of the podcast is queued
// or running. Callers hold mu.
func (s *Service) checkRevoicing(podcastID string) error {
	for _, j := range s.jobs {
		if rv := j.rec.Request.Revoice; rv != nil && rv.PodcastID == podcastID && j.rec.Status.State.Running() {
			return ErrRevoicing
		}
	}
	return nil
}

// Revoicing reports whether a re-voice of the podcast is queued or running.
func (s *Service) Revoicing(podcastID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkRevoicing(podcastID) != nil
}

// revoice runs a re-voice job: the version it made already when it was
// resumed after committing, else the edited script produced.
func (s *Service) revoice(ctx context.Context, j *job, req Request, sc *script.Script) (store.Podcast, error) {
	rv := req.Revoice
	p, err := s.deps.Podcasts.Get(rv.PodcastID)
	if err != nil {
		return store.Podcast{}, fmt.Errorf("the podcast to re-voice: %w", err)
	}
	if p.Owner != req.Owner {
		return store.Podcast{}, fmt.Errorf("the podcast to re-voice: %w", store.ErrNotFound)
	}
	if slices.ContainsFunc(p.History(), func(v store.Version) bool { return v.Job == j.rec.Status.ID }) {
		return p, nil
	}
	if sc == nil {
		return store.Podcast{}, fmt.Errorf("%w: the re-voice job has no script", ErrBadRequest)
	}
	synth, err := s.deps.Synths.Synthesizer(req.TTS)
	if err != nil {
		return store.Podcast{}, err
	}
	return s.produce(ctx, j, req, revoiceTemplate(req), *sc, synth)
}

// revoiceTemplate is the show a re-voice speaks with: the speakers and
// voices the edit gave, whatever has become of the template since.
func revoiceTemplate(req Request) template.Template {
	tpl := template.Template{ID: req.TemplateID}
	for _, sp := range req.Revoice.Speakers {
		tpl.Speakers = append(tpl.Speakers, template.Speaker{Name: sp.Speaker, Voices: map[string]string{req.TTS: sp.Voice}})
	}
	return tpl
}

// commitVersion commits a re-voice's files as the podcast's new version.
func (s *Service) commitVersion(req Request, v store.Version, staged map[string]string) (store.Podcast, error) {
	vs, ok := s.deps.Podcasts.(versionStore)
	if !ok {
		return store.Podcast{}, fmt.Errorf("this library cannot keep versions")
	}
	keep := 0
	if def, err := s.defaults(); err == nil {
		keep = def.KeepVersions
	}
	p, err := vs.CommitVersion(req.Revoice.PodcastID, req.Revoice.Base, v, staged, keep)
	if err != nil && apperr.CodeOf(err) == apperr.Conflict {
		return store.Podcast{}, apperr.New(apperr.Conflict, "the podcast changed while this edit was being voiced (another edit or a restore): open its script again and redo the edit")
	}
	return p, err
}

// voiceMap is the speaker → voice map of a re-voice's speakers.
func voiceMap(speakers []store.SpeakerVoice) map[string]string {
	out := make(map[string]string, len(speakers))
	for _, sp := range speakers {
		if strings.TrimSpace(sp.Voice) != "" {
			out[sp.Speaker] = sp.Voice
		}
	}
	return out
}
