package api

import (
	"context"
	"net/http"
	"strconv"

	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Studio is the script studio (*core.Studio): the editable script, its
// save as a re-voice job, the versions and rewrites. Every rule is its.
type Studio interface {
	Script(ctx context.Context, owner, id string) (core.ScriptDoc, error)
	Save(ctx context.Context, owner, id, etag string, doc core.ScriptDoc) (core.Status, error)
	Versions(ctx context.Context, owner, id string) (core.Versions, error)
	Restore(ctx context.Context, owner, id string, version int) (store.Podcast, error)
	Rewrite(ctx context.Context, owner, id string, req core.RewriteRequest) (core.Proposal, error)
}

// MaxScriptBytes bounds the body of PUT /podcasts/{id}/script: room for
// core.MaxScriptLines lines of ordinary length. A longer body is refused
// as it arrives, without being read to its end.
const MaxScriptBytes = 8 << 20

// scriptBody is the body of PUT /podcasts/{id}/script: the document GET
// answers (podcastId, version and etag are ignored).
type scriptBody struct{ core.ScriptDoc }

// check applies the size bound at once; the studio checks the rest.
func (b *scriptBody) check() error {
	lines := 0
	for _, c := range b.Chapters {
		lines += len(c.Lines)
	}
	return core.CheckScriptSize(len(b.Chapters), lines)
}

func (s *server) getScript(w http.ResponseWriter, r *http.Request) {
	doc, err := s.Studio.Script(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", doc.ETag)
	writeJSON(w, http.StatusOK, doc)
}

func (s *server) putScript(w http.ResponseWriter, r *http.Request) {
	var body scriptBody
	if err := decodeJSONLimit(w, r, &body, MaxScriptBytes); err != nil {
		s.writeError(w, r, err)
		return
	}
	st, err := s.Studio.Save(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"), r.Header.Get("If-Match"), body.ScriptDoc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/jobs/"+st.ID)
	writeJSON(w, http.StatusAccepted, jobAccepted{
		JobID: st.ID, StatusURL: "/jobs/" + st.ID, EventsURL: "/jobs/" + st.ID + "/events", Job: s.jobView(st),
	})
}

func (s *server) listVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.Studio.Versions(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, vs)
}

func (s *server) restoreVersion(w http.ResponseWriter, r *http.Request) {
	v, err := strconv.Atoi(r.PathValue("v"))
	if err != nil || v < 1 {
		s.writeError(w, r, notFound("no such version: versions are numbered from 1"))
		return
	}
	u := currentUser(r.Context())
	p, err := s.Studio.Restore(r.Context(), u.ID, r.PathValue("id"), v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.podcastView(p, u.ID))
}

// rewriteBody is the body of POST /podcasts/{id}/script/rewrite.
type rewriteBody struct{ core.RewriteRequest }

// check has nothing to add: the studio checks every field.
func (*rewriteBody) check() error { return nil }

func (s *server) rewriteScript(w http.ResponseWriter, r *http.Request) {
	var body rewriteBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.Studio.Rewrite(r.Context(), currentUser(r.Context()).ID, r.PathValue("id"), body.RewriteRequest)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
