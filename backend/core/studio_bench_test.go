package core

import (
	"context"
	"fmt"
	"testing"
	"time"

	"podcastfy/backend/store"
	"podcastfy/backend/tts/providers"
)

// ownedPodcasts is the library's ownership rule over the store, for the
// studio in this package's tests (package library imports core).
type ownedPodcasts struct{ p PodcastStore }

func (o ownedPodcasts) Get(_ context.Context, owner, id string) (store.Podcast, error) {
	p, err := o.p.Get(id)
	if err == nil && p.Owner != owner {
		return store.Podcast{}, store.ErrNotFound
	}
	return p, err
}

// BenchmarkScriptEdit prints, side by side in one run on the same
// 200-line episode (about half an hour of audio, real espeak-ng): the time
// from saving a one-line edit to the new version's MP3 being committed,
// with the share of segments reused, beside a full regeneration of the
// episode (cold cache, instant writer). Run it with -benchtime 1x.
func BenchmarkScriptEdit(b *testing.B) {
	for range b.N {
		sc := benchEpisode(20)
		h := newHarness(b, writerSource{&scriptedWriter{script: sc}}, staticSource{providers.NewESpeak(providers.ESpeakConfig{}, nil)})
		start := time.Now()
		st, err := h.svc.Start(b.Context(), Request{Owner: "u", Text: riverText})
		if err != nil {
			b.Fatal(err)
		}
		if st = h.wait(b, st.ID); st.State != Done {
			b.Fatalf("generation: %s %s", st.State, st.Error)
		}
		full := time.Since(start)
		p, err := h.store.Podcasts().Get(st.PodcastID)
		if err != nil {
			b.Fatal(err)
		}

		studio := NewStudio(h.svc, ownedPodcasts{h.store.Podcasts()}, h.store.Podcasts(), nil)
		doc, err := studio.Script(b.Context(), "u", p.ID)
		if err != nil {
			b.Fatal(err)
		}
		doc.Chapters[10].Lines[4].Text = "This one line was edited after the episode was made, and only it is voiced again."
		start = time.Now()
		job, err := studio.Save(b.Context(), "u", p.ID, doc.ETag, doc)
		if err != nil {
			b.Fatal(err)
		}
		if job = h.wait(b, job.ID); job.State != Done {
			b.Fatalf("re-voice: %s %s", job.State, job.Error)
		}
		edit := time.Since(start)
		lines := job.SegmentsReused + job.SegmentsSynthesised
		reused := 100 * float64(job.SegmentsReused) / float64(lines)
		fmt.Printf("\nscript edit, %d lines (%.1f min of audio), espeak-ng: one-line edit to the new MP3 %.2f s, %d of %d segments reused (%.1f%%), %d synthesised (targets ≥ 95%%, ≤ 3 s)\n",
			lines, p.Duration/60, edit.Seconds(), job.SegmentsReused, lines, reused, job.SegmentsSynthesised)
		fmt.Printf("full regeneration of the same episode (cold cache): %.2f s; the edit took %.1f%% of it\n",
			full.Seconds(), 100*edit.Seconds()/full.Seconds())
		b.ReportMetric(edit.Seconds(), "edit-s")
		b.ReportMetric(full.Seconds(), "full-s")
		b.ReportMetric(reused, "reused-%")
	}
}
