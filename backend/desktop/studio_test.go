package desktop

import (
	"testing"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
)

// TestStudioFacade edits one line through the window's facade with
// espeak-ng: one segment re-voiced, the rest reused, said in the job's
// events; then the versions, a stale save, a restore, and a rewrite that
// the offline settings make unavailable.
func TestStudioFacade(t *testing.T) {
	e := newEnv(t)
	s := e.d.Studio
	if _, err := s.Script("x"); err == nil {
		t.Fatal("Script answers without a login")
	}
	e.login(t, "alice", true)
	job, err := e.d.Generator.Start(GenerateRequest{Text: sourceText, Writer: "extractive", TTS: "espeak"})
	if err != nil {
		t.Fatal(err)
	}
	ev := e.rt.waitEvent(t, 2*time.Minute, "job end", jobEvent(job.ID, events.JobDone, events.JobFailed))
	if st := ev.Data.(core.Status); st.State != core.Done {
		t.Fatalf("generation: %s %s", st.State, st.Error)
	}
	id := job.ID
	doc, err := s.Script(id)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range doc.Chapters {
		total += len(c.Lines)
	}
	if doc.ETag == "" || doc.Version != 1 || total < 2 {
		t.Fatalf("script: etag %q, version %d, %d lines", doc.ETag, doc.Version, total)
	}
	edited := doc
	edited.Chapters[0].Lines[0].Text = "A brand new opening line for the desktop."
	st, err := s.SaveScript(id, doc.ETag, edited)
	if err != nil {
		t.Fatal(err)
	}
	ev = e.rt.waitEvent(t, 2*time.Minute, "re-voice end", jobEvent(st.ID, events.JobDone, events.JobFailed))
	done := ev.Data.(core.Status)
	if done.State != core.Done || done.SegmentsSynthesised != 1 || done.SegmentsReused != total-1 || done.PodcastID != id {
		t.Fatalf("re-voice event: %s, %d synthesised, %d reused of %d (%s)", done.State, done.SegmentsSynthesised, done.SegmentsReused, total, done.Error)
	}
	if _, err := s.SaveScript(id, doc.ETag, edited); apperr.CodeOf(err) != apperr.PreconditionFailed {
		t.Fatalf("a stale save: %v", err)
	}
	vs, err := s.Versions(id)
	if err != nil || vs.Current != 2 || len(vs.Versions) != 2 {
		t.Fatalf("versions %+v (%v)", vs, err)
	}
	p, err := s.RestoreVersion(id, 1)
	if err != nil || p.CurrentVersion() != 1 || p.SourceText != nil {
		t.Fatalf("restore: version %d (%v)", p.CurrentVersion(), err)
	}
	if _, err := s.RestoreVersion(id, 7); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("restoring a version never made: %v", err)
	}
	line := 0
	_, err = s.Rewrite(id, core.RewriteRequest{Chapter: 0, Line: &line, Instruction: "shorter"})
	if apperr.CodeOf(err) != apperr.WriterUnavailable {
		t.Fatalf("a rewrite with the offline writer set: %v", err)
	}

	// Another user sees none of it.
	if err := e.d.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, "bob", false)
	if _, err := s.Script(id); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("bob reads alice's script: %v", err)
	}
}
