package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/library"
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

	// The exact shape: items carry what the list shows and no links.
	var raw map[string]json.RawMessage
	tt.do("GET", "/podcasts", tt.aliceTok, nil).want(200).decode(&raw)
	if len(raw) != 2 || string(raw["total"]) != "6" || raw["items"] == nil {
		t.Fatalf("GET /podcasts = %v, want exactly items and total (no nextCursor on the last page)", raw)
	}
	var items []map[string]any
	json.Unmarshal(raw["items"], &items)
	wantKeys := []string{"duration", "fromRecording", "generatedDate", "id", "speakers", "status", "summary", "template", "title"}
	if got := slices.Sorted(maps.Keys(items[0])); !slices.Equal(got, wantKeys) {
		t.Fatalf("a list item has %v, want %v", got, wantKeys)
	}

	var all library.Page
	tt.do("GET", "/podcasts", tt.aliceTok, nil).want(200).decode(&all)
	if len(all.Items) != 6 || all.Total != 6 || all.NextCursor != "" {
		t.Fatalf("alice sees %d podcasts of %d (cursor %q), want her 6", len(all.Items), all.Total, all.NextCursor)
	}
	for i, p := range all.Items {
		if p.ID == theirs.ID {
			t.Fatalf("alice sees someone else's podcast %+v", p)
		}
		if i > 0 && p.GeneratedDate.After(all.Items[i-1].GeneratedDate) {
			t.Fatal("not newest first")
		}
	}
	if all.Items[0].ID != mine[0].ID || all.Items[0].Template != "deep-dive" {
		t.Fatalf("first is %+v, want the newest %s", all.Items[0], mine[0].ID)
	}

	var found library.Page
	tt.do("GET", "/podcasts?q=GLACIERS", tt.aliceTok, nil).want(200).decode(&found)
	if len(found.Items) != 1 || found.Total != 1 || found.Items[0].Title != "Mountains" {
		t.Fatalf("search in the text: %+v", found)
	}
	tt.do("GET", "/podcasts?q=rivers%202", tt.aliceTok, nil).want(200).decode(&found)
	if len(found.Items) != 1 || found.Items[0].Title != "Rivers 2" {
		t.Fatalf("search in the title: %+v", found.Items)
	}

	for sort, first := range map[string]string{"newest": "Rivers 0", "oldest": "Mountains", "title": "Mountains", "duration": "Rivers 0"} {
		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			var pl library.Page
			tt.do("GET", "/podcasts?limit=4&sort="+sort+"&cursor="+url.QueryEscape(cursor), tt.aliceTok, nil).want(200).decode(&pl)
			if pl.Total != 6 {
				t.Fatalf("%s page %d: total %d, want 6", sort, page, pl.Total)
			}
			for _, p := range pl.Items {
				seen = append(seen, p.Title)
			}
			if pl.NextCursor == "" {
				break
			}
			if page > 3 {
				t.Fatal("pagination does not end")
			}
			cursor = pl.NextCursor
		}
		if len(seen) != 6 || seen[0] != first || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != 6 {
			t.Fatalf("sort %s: pages gave %v, want 6 distinct starting with %q", sort, seen, first)
		}
	}

	var bobs library.Page
	tt.do("GET", "/podcasts", tt.bobTok, nil).want(200).decode(&bobs)
	if len(bobs.Items) != 1 || bobs.Total != 1 || bobs.Items[0].ID != theirs.ID {
		t.Fatalf("bob sees %+v", bobs)
	}

	for q, field := range map[string]string{
		"limit=-1": "limit", "limit=x": "limit", "limit=201": "limit", "cursor=nonsense": "cursor", "cursor=%00": "cursor",
		"q=" + strings.Repeat("a", 300): "q", "q=%ff": "q", "sort=random": "sort", "sort=title&cursor=" + all.NextCursor + "x": "cursor",
	} {
		tt.do("GET", "/podcasts?"+q, tt.aliceTok, nil).want(400, "invalid_request:"+field)
	}
	// A cursor of one order is refused by another.
	var byTitle library.Page
	tt.do("GET", "/podcasts?sort=title&limit=1", tt.aliceTok, nil).want(200).decode(&byTitle)
	tt.do("GET", "/podcasts?sort=newest&cursor="+byTitle.NextCursor, tt.aliceTok, nil).want(400, "invalid_request:cursor")
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
