package api

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/store"
)

func TestListPodcasts(t *testing.T) {
	tt := newTester(t, testOptions{})
	var mine []store.Podcast
	for i := range 5 {
		mine = append(mine, tt.addPodcast(tt.alice, fmt.Sprintf("Rivers %d", i), "Deltas and sediment", time.Duration(i)*time.Hour))
	}
	tt.addPodcast(tt.alice, "Mountains", "Glaciers carve valleys", 10*time.Hour)
	theirs := tt.addPodcast(tt.bob, "Bob's rivers", "Rivers too", 0)

	var all podcastList
	tt.do("GET", "/podcasts", tt.aliceTok, nil).want(200).decode(&all)
	if len(all.Podcasts) != 6 || all.NextCursor != "" {
		t.Fatalf("alice sees %d podcasts (cursor %q), want her 6", len(all.Podcasts), all.NextCursor)
	}
	for i, p := range all.Podcasts {
		if p.Owner != tt.alice.ID || p.ID == theirs.ID {
			t.Fatalf("alice sees someone else's podcast %+v", p)
		}
		if i > 0 && p.GeneratedDate.After(all.Podcasts[i-1].GeneratedDate) {
			t.Fatal("not newest first")
		}
		if p.SourceText != nil || !strings.HasPrefix(p.AudioURL, "/podcasts/"+p.ID+"/audio?") || p.TranscriptURL == "" || p.ChaptersURL == "" {
			t.Fatalf("list entry: %+v", p)
		}
	}
	if all.Podcasts[0].ID != mine[0].ID {
		t.Fatalf("first is %s, want the newest %s", all.Podcasts[0].ID, mine[0].ID)
	}

	var found podcastList
	tt.do("GET", "/podcasts?q=GLACIERS", tt.aliceTok, nil).want(200).decode(&found)
	if len(found.Podcasts) != 1 || found.Podcasts[0].Title != "Mountains" {
		t.Fatalf("search in the text: %+v", found.Podcasts)
	}
	tt.do("GET", "/podcasts?q=rivers%202", tt.aliceTok, nil).want(200).decode(&found)
	if len(found.Podcasts) != 1 || found.Podcasts[0].Title != "Rivers 2" {
		t.Fatalf("search in the title: %+v", found.Podcasts)
	}

	var seen []string
	cursor := ""
	for page := 0; ; page++ {
		var pl podcastList
		tt.do("GET", "/podcasts?limit=4&cursor="+url.QueryEscape(cursor), tt.aliceTok, nil).want(200).decode(&pl)
		for _, p := range pl.Podcasts {
			seen = append(seen, p.ID)
		}
		if pl.NextCursor == "" {
			break
		}
		if page > 3 {
			t.Fatal("pagination does not end")
		}
		cursor = pl.NextCursor
	}
	if len(seen) != 6 || seen[0] != all.Podcasts[0].ID || seen[5] != all.Podcasts[5].ID {
		t.Fatalf("pages gave %v", seen)
	}

	var bobs podcastList
	tt.do("GET", "/podcasts", tt.bobTok, nil).want(200).decode(&bobs)
	if len(bobs.Podcasts) != 1 || bobs.Podcasts[0].ID != theirs.ID {
		t.Fatalf("bob sees %+v", bobs.Podcasts)
	}

	for _, q := range []string{"limit=0", "limit=-1", "limit=x", "limit=100000", "cursor=nonsense", "cursor=%00", "q=" + strings.Repeat("a", 300), "q=%ff"} {
		tt.do("GET", "/podcasts?"+q, tt.aliceTok, nil).want(400)
	}
	tt.do("GET", "/podcasts", "", nil).want(401)
}

func TestGetRenameDeletePodcast(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.alice, "Rivers", "The source text", 0)
	other := tt.addPodcast(tt.bob, "Bob's", "Bob's text", 0)

	var v podcastJSON
	tt.do("GET", "/podcasts/"+p.ID, tt.aliceTok, nil).want(200).decode(&v)
	if v.Title != "Rivers" || v.SourceText == nil || *v.SourceText != "The source text" || v.AudioBytes != p.AudioBytes ||
		v.TemplateUsed == nil || v.Duration != 61.4 || len(v.Chapters) != 1 || v.ScriptURL == "" || v.SubtitlesURL == "" {
		t.Fatalf("podcast: %+v", v)
	}

	// Bob cannot see, rename or delete it, and learns nothing: 404.
	tt.do("GET", "/podcasts/"+p.ID, tt.bobTok, nil).want(404, "not_found")
	tt.do("PATCH", "/podcasts/"+p.ID, tt.bobTok, map[string]string{"title": "Mine now"}).want(404, "not_found")
	tt.do("DELETE", "/podcasts/"+p.ID, tt.bobTok, nil).want(404, "not_found")
	tt.do("GET", "/podcasts/"+other.ID, tt.aliceTok, nil).want(404, "not_found")

	tt.do("PATCH", "/podcasts/"+p.ID, tt.aliceTok, map[string]string{"title": "  Deltas  "}).want(200).decode(&v)
	if v.Title != "Deltas" {
		t.Fatalf("renamed to %q", v.Title)
	}
	for name, c := range map[string]struct {
		body any
		code string
	}{
		"missing title": {map[string]string{}, "invalid_request:title"},
		"empty title":   {map[string]string{"title": "  "}, "invalid_request:title"},
		"long title":    {map[string]string{"title": strings.Repeat("x", 201)}, "invalid_request:title"},
		"newline":       {map[string]string{"title": "a\nb"}, "invalid_request:title"},
		"wrong type":    {`{"title":5}`, "wrong_type:title"},
		"unknown field": {`{"title":"x","owner":"me"}`, "unknown_field"},
		"array":         {`["x"]`, "invalid_json"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("PATCH", "/podcasts/"+p.ID, tt.aliceTok, c.body).want(400, c.code)
		})
	}
	got, err := tt.store.Podcasts().Get(p.ID)
	if err != nil || got.Title != "Deltas" || got.Owner != tt.alice.ID {
		t.Fatalf("after bad requests: %+v, %v", got, err)
	}

	tt.do("PATCH", "/podcasts/"+store.NewID(), tt.aliceTok, map[string]string{"title": "x"}).want(404)
	tt.do("DELETE", "/podcasts/"+p.ID, tt.aliceTok, nil).want(204)
	tt.do("DELETE", "/podcasts/"+p.ID, tt.aliceTok, nil).want(404, "not_found")
	tt.do("GET", "/podcasts/"+p.ID, tt.aliceTok, nil).want(404)
	entries, err := os.ReadDir(tt.paths.PodcastsDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), p.ID) {
			t.Fatalf("file %s left after delete", e.Name())
		}
	}
	// Bob's podcast is untouched.
	if _, err := tt.store.Podcasts().MediaPath(other.ID, store.KindAudio); err != nil {
		t.Fatalf("bob's podcast damaged: %v", err)
	}
}

func TestBadIDs(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.alice, "Rivers", "text", 0)
	for _, path := range []string{
		"/podcasts/..", "/podcasts/%2e%2e", "/podcasts/%2E%2E/audio", "/podcasts/./audio", "/podcasts/a/../" + p.ID,
		"/podcasts//audio", "/podcasts/" + p.ID + "%00", "/podcasts/%00", "/podcasts/a%2Fb", "/podcasts/..%2F..%2Fetc%2Fpasswd",
		"/podcasts/" + strings.Repeat("a", 65), "/podcasts/" + p.ID + ".json", "/podcasts/%C0%AE%C0%AE", "/jobs/..%2Fx",
		"/podcasts/" + p.ID + "/audio/..", "/templates/..%2F..%2Fconfig", "/templates/DEEP-DIVE", "/podcasts/%25",
	} {
		r := tt.do("GET", path, tt.aliceTok, nil)
		if r.status < 400 || r.status >= 500 {
			t.Errorf("GET %s: status %d, want a 4xx", path, r.status)
			continue
		}
		r.want(r.status)
	}
	for _, path := range []string{"/podcasts/" + p.ID + "%2F..", "/podcasts/..%2F" + p.ID} {
		tt.do("DELETE", path, tt.aliceTok, nil)
	}
	if _, err := tt.store.Podcasts().Get(p.ID); err != nil {
		t.Fatalf("podcast lost after bad deletes: %v", err)
	}
}

func TestRoutingErrors(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.do("GET", "/no/such/thing", tt.aliceTok, nil).want(404, "not_found")
	r := tt.do("PUT", "/podcasts", tt.aliceTok, nil).want(405, "method_not_allowed")
	if !strings.Contains(r.header.Get("Allow"), "GET") {
		t.Fatalf("405 without Allow: %v", r.header)
	}
	tt.do("POST", "/jobs/x", tt.aliceTok, nil).want(405)
	tt.do("GET", "/podcasts/", tt.aliceTok, nil).want(404)
	req, _ := http.NewRequest("GET", tt.srv.URL+"/healthz", nil)
	req.URL.Opaque = "//" + strings.TrimPrefix(tt.srv.URL, "http://") + "/healthz/../users"
	tt.send(req).want(400, "bad_path")
}
