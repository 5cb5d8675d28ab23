package api

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// bobWithThings gives bob a podcast, a template and a job that holds an
// upload, and returns the podcast.
func (tt *tester) bobWithThings() store.Podcast {
	tt.t.Helper()
	p := tt.addPodcast(tt.bob, "Bob's rivers", "text", 0)
	tt.do("POST", "/templates", tt.bobTok, validTemplate("bobs-show")).want(201)
	tt.synth.blockOn = " " // the job runs until cancelled, holding its upload
	ct, body := multipartForm(formPart{"minutes", "", "0.5"}, formPart{"file", "notes.txt", sourceText})
	tt.accept(tt.do("POST", "/podcasts/generate/files", tt.bobTok, body, "Content-Type: "+ct))
	<-tt.synth.blocked
	if len(tt.uploadsLeft()) == 0 {
		tt.t.Fatal("bob's job holds no upload")
	}
	return p
}

// Deleting a user with ?podcasts=delete removes their podcasts and media,
// templates, jobs and uploads, and the answer says so; their token and
// feed stop working.
func TestDeleteUserWithPodcasts(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.bobWithThings()
	audio, err := tt.store.Podcasts().MediaPath(p.ID, store.KindAudio)
	if err != nil {
		t.Fatal(err)
	}
	feed := tt.feedPath(tt.bobTok)
	var out core.UserRemoved
	tt.do("DELETE", "/users/"+tt.bob.ID+"?podcasts=delete", tt.aliceTok, nil).want(http.StatusOK).decode(&out)
	if out.Podcasts != core.PodcastsDelete || out.PodcastCount != 1 || out.TemplateCount != 1 || out.Jobs != 1 || !strings.Contains(out.Message, "1 podcast") {
		t.Fatalf("answer %+v", out)
	}
	if _, err := os.Stat(audio); !os.IsNotExist(err) {
		t.Fatalf("the podcast's audio is still on disk: %v", err)
	}
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("uploads left: %v", left)
	}
	if list := tt.jobs.List(t.Context(), tt.bob.ID); len(list) != 0 {
		t.Fatalf("jobs left: %+v", list)
	}
	if _, err := os.Stat(tt.paths.TemplatesDir() + "/users/" + tt.bob.ID); !os.IsNotExist(err) {
		t.Fatalf("bob's templates are still on disk: %v", err)
	}
	tt.do("GET", "/me", tt.bobTok, nil).want(http.StatusUnauthorized)
	tt.do("GET", feed, "", nil).want(http.StatusUnauthorized, "invalid_feed_key")
	tt.do("GET", "/podcasts/"+p.ID, tt.aliceTok, nil).want(http.StatusNotFound)
}

// With ?podcasts=keep the podcasts and templates become the deleting
// administrator's, and the answer names them; the jobs and uploads go.
func TestDeleteUserKeepingPodcasts(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.bobWithThings()
	var out core.UserRemoved
	tt.do("DELETE", "/users/"+tt.bob.ID+"?podcasts=keep", tt.aliceTok, nil).want(http.StatusOK).decode(&out)
	if out.Podcasts != core.PodcastsKeep || out.KeptBy != "alice" || out.PodcastCount != 1 || out.TemplateCount != 1 || !strings.Contains(out.Message, "now belong to alice") {
		t.Fatalf("answer %+v", out)
	}
	var view podcastJSON
	tt.do("GET", "/podcasts/"+p.ID, tt.aliceTok, nil).want(http.StatusOK).decode(&view)
	tt.do("GET", view.AudioURL, "", nil).want(http.StatusOK)
	tt.do("GET", "/templates/bobs-show", tt.aliceTok, nil).want(http.StatusOK)
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("uploads left: %v", left)
	}
}
