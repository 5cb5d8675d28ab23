package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"podcastfy/backend/library"
	"podcastfy/backend/store"
)

func TestLibraryNeedsLogin(t *testing.T) {
	e := newEnv(t)
	l := e.d.Library
	_, err := l.List(library.Query{})
	notLoggedIn(t, "List", err)
	_, err = l.Get("abc")
	notLoggedIn(t, "Get", err)
	_, err = l.Rename("abc", "x")
	notLoggedIn(t, "Rename", err)
	notLoggedIn(t, "Delete", l.Delete("abc"))
	_, err = l.Export("abc")
	notLoggedIn(t, "Export", err)
}

func titles(ps []library.Summary) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Title
	}
	return out
}

// TestLibraryList goes through the facade as the window does; the orders
// and the paging are tested at length in package library.
func TestLibraryList(t *testing.T) {
	e := newEnv(t)
	bob, err := e.auth.CreateUser("bob", testPassword, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	ann := e.login(t, "ann", true)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range []struct {
		title string
		dur   float64
	}{{"banana", 30}, {"Apple", 90}, {"cherry pie", 60}, {"date", 10}} {
		e.addPodcast(t, ann.ID, c.title, c.dur, base.Add(time.Duration(i)*time.Hour))
	}
	e.addPodcast(t, bob.ID, "bob's own", 5, base)

	tests := map[string]struct {
		q     library.Query
		want  []string
		field string
	}{
		"newest by default": {q: library.Query{}, want: []string{"date", "cherry pie", "Apple", "banana"}},
		"oldest":            {q: library.Query{Sort: "oldest"}, want: []string{"banana", "Apple", "cherry pie", "date"}},
		"title, any case":   {q: library.Query{Sort: "title"}, want: []string{"Apple", "banana", "cherry pie", "date"}},
		"duration, longest": {q: library.Query{Sort: "duration"}, want: []string{"Apple", "cherry pie", "banana", "date"}},
		"search":            {q: library.Query{Q: "PIE"}, want: []string{"cherry pie"}},
		"search and sort":   {q: library.Query{Q: "a", Sort: "title"}, want: []string{"Apple", "banana", "date"}},
		"unknown sort":      {q: library.Query{Sort: "size"}, field: "sort"},
		"negative limit":    {q: library.Query{Limit: -1}, field: "limit"},
		"huge limit":        {q: library.Query{Limit: 201}, field: "limit"},
		"foreign cursor":    {q: library.Query{Cursor: "nonsense"}, field: "cursor"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			page, err := e.d.Library.List(tc.q)
			if tc.field != "" {
				wantRejection(t, err, "invalid_request", tc.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(page.Items); !reflect.DeepEqual(got, tc.want) || page.Total != len(tc.want) {
				t.Errorf("List(%+v) = %q of %d, want %q", tc.q, got, page.Total, tc.want)
			}
		})
	}
	page, err := e.d.Library.List(library.Query{Sort: "title", Limit: 3})
	if err != nil || len(page.Items) != 3 || page.Total != 4 || page.NextCursor == "" {
		t.Fatalf("first page of 3 = %+v, %v", page, err)
	}
	page, err = e.d.Library.List(library.Query{Sort: "title", Limit: 3, Cursor: page.NextCursor})
	if err != nil || !slices.Equal(titles(page.Items), []string{"date"}) || page.NextCursor != "" {
		t.Fatalf("second page of 3 = %+v, %v", page, err)
	}
}

func TestLibraryGet(t *testing.T) {
	e := newEnv(t)
	bob, _ := e.auth.CreateUser("bob", testPassword, nil, false)
	ann := e.login(t, "ann", true)
	p := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	foreign := e.addPodcast(t, bob.ID, "Bob's", 3, e.now())

	d, err := e.d.Library.Get(p.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if d.Podcast.ID != p.ID || d.Podcast.Title != "Tone" {
		t.Errorf("Get podcast = %+v", d.Podcast)
	}
	wantCues := []Cue{
		{Index: 0, Speaker: "Alex", Text: "Hello & welcome.", Start: 0.1, End: 1},
		{Index: 1, Speaker: "Sam", Text: "Thanks, Alex.", Start: 1.35, End: 2.5},
		{Index: 2, Speaker: "Alex", Text: "Bye.", Start: 2.5, End: 2.9},
	}
	if !reflect.DeepEqual(d.Cues, wantCues) {
		t.Errorf("cues = %+v, want %+v", d.Cues, wantCues)
	}
	wantChapters := []Chapter{{Index: 0, Title: "Intro", Start: 0, End: 1.2}, {Index: 1, Title: "Main", Start: 1.2, End: 3}}
	if !reflect.DeepEqual(d.Chapters, wantChapters) {
		t.Errorf("chapters = %+v, want %+v", d.Chapters, wantChapters)
	}

	for name, id := range map[string]string{"someone else's": foreign.ID, "unknown": store.NewID(), "bad id": "../etc"} {
		_, err := e.d.Library.Get(id)
		wantRejection(t, err, "not_found", "")
		if err.Error() != "no such podcast: it may have been deleted" {
			t.Errorf("Get of %s podcast: %v", name, err)
		}
	}
}

func TestLibraryGetWithoutChaptersFile(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	p := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	path, err := e.store.Podcasts().MediaPath(p.ID, store.KindChapters)
	if err != nil {
		t.Fatal(err)
	}
	// A damaged chapters file is reported…
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = e.d.Library.Get(p.ID)
	wantErr(t, err, "chapters file")
	// …and a transcript that is not WebVTT too.
	if err := os.WriteFile(path, []byte(fixtureChapters), 0o600); err != nil {
		t.Fatal(err)
	}
	vtt, _ := e.store.Podcasts().MediaPath(p.ID, store.KindVTT)
	if err := os.WriteFile(vtt, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = e.d.Library.Get(p.ID)
	wantErr(t, err, `the transcript of "Tone": transcript: not a WebVTT file`)

	// With no chapters file the metadata's starts are used.
	chapters, err := e.d.Library.chapters(store.Podcast{Duration: 10, Chapters: []store.ChapterMark{{Title: "A", Start: 0}, {Title: "B", Start: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Chapter{{Index: 0, Title: "A", Start: 0, End: 4}, {Index: 1, Title: "B", Start: 4, End: 10}}
	if !reflect.DeepEqual(chapters, want) {
		t.Errorf("chapters from metadata = %+v, want %+v", chapters, want)
	}
}

func TestLibraryRename(t *testing.T) {
	e := newEnv(t)
	bob, _ := e.auth.CreateUser("bob", testPassword, nil, false)
	ann := e.login(t, "ann", true)
	p := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	foreign := e.addPodcast(t, bob.ID, "Bob's", 3, e.now())
	tests := map[string]struct{ id, title, want, err string }{
		"renamed":        {id: p.ID, title: "  A   new name ", want: "A new name"},
		"tab":            {id: p.ID, title: "A\tname", err: "one line"},
		"empty":          {id: p.ID, title: "  ", err: "must not be empty"},
		"too long":       {id: p.ID, title: string(slices.Repeat([]rune("x"), 201)), err: "longer than 200"},
		"someone else's": {id: foreign.ID, title: "mine", err: "no such podcast"},
		"not a podcast":  {id: store.NewID(), title: "mine", err: "no such podcast"},
		"invalid text":   {id: p.ID, title: "\xff", err: "not valid text"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := e.d.Library.Rename(tc.id, tc.title)
			wantErr(t, err, tc.err)
			if tc.err == "" && got.Title != tc.want {
				t.Errorf("Rename title = %q, want %q", got.Title, tc.want)
			}
		})
	}
	if got, _ := e.store.Podcasts().Get(p.ID); got.Title != "A new name" {
		t.Errorf("stored title = %q", got.Title)
	}
	if got, _ := e.store.Podcasts().Get(foreign.ID); got.Title != "Bob's" {
		t.Errorf("someone else's podcast was renamed to %q", got.Title)
	}
}

func TestLibraryDelete(t *testing.T) {
	e := newEnv(t)
	bob, _ := e.auth.CreateUser("bob", testPassword, nil, false)
	ann := e.login(t, "ann", true)
	p := e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	foreign := e.addPodcast(t, bob.ID, "Bob's", 3, e.now())
	wantRejection(t, e.d.Library.Delete(foreign.ID), "not_found", "")
	wantErr(t, e.d.Library.Delete(p.ID), "")
	wantRejection(t, e.d.Library.Delete(p.ID), "not_found", "")
	if _, err := e.store.Podcasts().Get(p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after Delete the store has it: %v", err)
	}
	if _, err := e.store.Podcasts().Get(foreign.ID); err != nil {
		t.Errorf("someone else's podcast was deleted: %v", err)
	}
}

func TestLibraryExport(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	p := e.addPodcast(t, ann.ID, `Why: the "sky" / is blue?`, 3, e.now())
	dir := t.TempDir()

	// Cancelled dialog: nothing happens.
	e.rt.answer("", nil)
	got, err := e.d.Library.Export(p.ID)
	if err != nil || got != "" {
		t.Fatalf("Export with the dialog cancelled = %q, %v; want \"\", nil", got, err)
	}
	e.rt.answer("", errors.New("portal gone"))
	_, err = e.d.Library.Export(p.ID)
	wantErr(t, err, "choosing a folder: portal gone")

	e.rt.answer(dir, nil)
	for round, base := range []string{"Why- the -sky- - is blue-", "Why- the -sky- - is blue- (2)"} {
		got, err := e.d.Library.Export(p.ID)
		if err != nil || got != dir {
			t.Fatalf("Export = %q, %v; want %q", got, err, dir)
		}
		for _, suffix := range []string{".mp3", ".vtt", ".srt", ".chapters.json", ".script.json"} {
			kind := map[string]string{".mp3": store.KindAudio, ".vtt": store.KindVTT, ".srt": store.KindSRT,
				".chapters.json": store.KindChapters, ".script.json": store.KindScript}[suffix]
			src, _ := e.store.Podcasts().MediaPath(p.ID, kind)
			want, _ := os.ReadFile(src)
			have, err := os.ReadFile(filepath.Join(dir, base+suffix))
			if err != nil || string(have) != string(want) {
				t.Errorf("round %d: %s%s: %v (same content: %v)", round, base, suffix, err, string(have) == string(want))
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 10 {
		t.Errorf("the folder holds %d files, want 10", len(entries))
	}
	e.rt.mu.Lock()
	title := e.rt.titles[len(e.rt.titles)-1]
	e.rt.mu.Unlock()
	if title != `Export “Why: the "sky" / is blue?” to a folder` {
		t.Errorf("dialog title = %q", title)
	}

	// A folder that cannot be written to leaves no partial export.
	ro := filepath.Join(t.TempDir(), "missing")
	e.rt.answer(ro, nil)
	_, err = e.d.Library.Export(p.ID)
	wantErr(t, err, "no such file or directory")
}
