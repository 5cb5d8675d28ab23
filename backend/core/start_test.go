package core

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"podcastfy/backend/ingest"
	"podcastfy/backend/store"
)

// watchedLibrary is the real library, counting the lookups of podcasts.
type watchedLibrary struct {
	PodcastStore
	gets atomic.Int64
}

func (w *watchedLibrary) Get(id string) (store.Podcast, error) {
	w.gets.Add(1)
	return w.PodcastStore.Get(id)
}

// A new job starts without looking its podcast up in the library (whose
// lock another job's commit may hold while its files reach the disk); a
// resumed one looks, since it may have committed before it stopped.
func TestNewJobsStartWithoutTheLibrary(t *testing.T) {
	synth := &toneSynth{blockOn: "Line three of part two", blocked: make(chan struct{})}
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(8)}}, staticSource{synth})
	h.svc.Shutdown(context.Background())
	lib := &watchedLibrary{PodcastStore: h.store.Podcasts()}
	h.deps.Podcasts = lib
	var err error
	if h.svc, err = NewService(h.cfg, h.deps); err != nil {
		t.Fatal(err)
	}
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	<-synth.blocked // started, written, synthesising
	if n := lib.gets.Load(); n != 0 {
		t.Fatalf("a new job looked its podcast up %d times on its way to synthesis", n)
	}
	if _, err := h.svc.Cancel(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	synth.blockOn = "" // no call is in flight once Cancel has returned
	if _, err := h.svc.Resume(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	if final := h.wait(t, st.ID); final.State != Done {
		t.Fatalf("the resumed job ended %s: %s", final.State, final.Error)
	}
	if lib.gets.Load() == 0 {
		t.Fatal("a resumed job did not look for the podcast it may have committed")
	}
}

// Removing a job the moment it is seen ended leaves nothing: its run may
// still be saving that final state, and a save that landed after the
// removal would bring its record back.
func TestRemoveRightAfterTheEnd(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	var ids []string
	for range 10 {
		st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		if err != nil {
			t.Fatal(err)
		}
		for {
			got, err := h.svc.Get(t.Context(), "u", st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.State.Running() {
				break
			}
			runtime.Gosched()
		}
		if err := h.svc.Remove(t.Context(), "u", st.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
	}
	// Every run has returned once Shutdown has: a late save has landed.
	if err := h.svc.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if left, _ := filepath.Glob(filepath.Join(h.cfg.JobsDir, id+"*")); len(left) > 0 {
			t.Errorf("removed job %s left %v", id, left)
		}
	}
}

// A running job's record, saved again and again for its progress, follows
// the changes of its request and script: once its sources are read, the
// record holds their text; once written, the script.
func TestRecordFollowsRequestAndScript(t *testing.T) {
	synth := &toneSynth{blockOn: "Line three of part two", blocked: make(chan struct{})}
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(8)}}, staticSource{synth})
	h.deps.Ingest = ingest.New(ingest.Options{}, nil)
	h.svc.Shutdown(t.Context())
	var err error
	if h.svc, err = NewService(h.cfg, h.deps); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(doc, []byte(riverText), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Sources: []Source{{Kind: "file", Name: "notes.txt", Path: doc}}})
	if err != nil {
		t.Fatal(err)
	}
	<-synth.blocked
	data, err := os.ReadFile(filepath.Join(h.cfg.JobsDir, st.ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec jobRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if !rec.Request.SourcesRead || !strings.Contains(rec.Request.Text, "Rivers") || rec.Script == nil || rec.Status.State != Synthesising {
		t.Fatalf("the record of a job synthesising: state %s, sources read %v, text %.40q, script %v",
			rec.Status.State, rec.Request.SourcesRead, rec.Request.Text, rec.Script != nil)
	}
}
