package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCommitAndGet(t *testing.T) {
	paths := testPaths(t)
	ps := open(t, paths).Podcasts()
	id := NewID()
	src := strings.Repeat("A long source text. ", 1000)
	meta := Podcast{
		ID: id, Title: "Rivers", Duration: 301.5, GeneratedDate: at(1),
		SourceText: &src, TemplateUsed: strp("deep-dive"), Owner: "user1", Speakers: []string{"Alex", "Sam"},
		Language: "en", Chapters: []ChapterMark{{"Intro", 0}, {"Main", 42.5}}, Writer: "ollama:llama3.2", TTS: "espeak",
		Lines: 40, Words: 700,
	}
	staged := map[string]string{
		KindAudio:    stage(t, ps, id, KindAudio, "mp3", "MP3DATA"),
		KindVTT:      stage(t, ps, id, KindVTT, "", "WEBVTT\n"),
		KindSRT:      stage(t, ps, id, KindSRT, "srt", "1\n"),
		KindChapters: stage(t, ps, id, KindChapters, "json", "[]"),
		KindScript:   stage(t, ps, id, KindScript, "json", "{}"),
		KindSource:   stage(t, ps, id, KindSource, "WAV", "RIFF"),
	}
	got, err := ps.Commit(meta, staged)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := map[string]string{
		"audio": id + ".mp3", "vtt": id + ".vtt", "srt": id + ".srt",
		"chapters": id + ".chapters.json", "script": id + ".script.json", "source": id + ".source.wav",
	}
	if !reflect.DeepEqual(got.Files, wantFiles) {
		t.Fatalf("files %v, want %v", got.Files, wantFiles)
	}
	if got.Status != "ready" || got.AudioBytes != 7 || got.Sizes["source"] != 4 {
		t.Fatalf("status %q audioBytes %d sizes %v", got.Status, got.AudioBytes, got.Sizes)
	}
	for kind, name := range wantFiles {
		p, err := ps.MediaPath(id, kind)
		if err != nil || p != filepath.Join(paths.PodcastsDir(), name) || !exists(p) {
			t.Fatalf("MediaPath(%s) = %s, %v", kind, p, err)
		}
	}
	for _, p := range staged {
		if exists(p) {
			t.Fatalf("staged file %s still there", p)
		}
	}
	fromGet, err := ps.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromGet, got) {
		t.Fatalf("Get = %+v\nwant %+v", fromGet, got)
	}
	// Seed schema: the metadata file has the eight seed fields by name.
	var raw map[string]any
	data, _ := os.ReadFile(filepath.Join(paths.PodcastsDir(), id+".json"))
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "title", "audioUrl", "duration", "generatedDate", "sourceText", "sourceAudioUrl", "templateUsed"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("metadata lacks seed field %q", k)
		}
	}
	// The seed's link fields name the files: routes are the doors' business.
	if raw["audioUrl"] != id+".mp3" || raw["sourceAudioUrl"] != id+".source.wav" || raw["generatedDate"] != "2025-03-01T12:01:00Z" {
		t.Errorf("audioUrl %v sourceAudioUrl %v generatedDate %v", raw["audioUrl"], raw["sourceAudioUrl"], raw["generatedDate"])
	}
	// Reopening rebuilds the same podcast from disk.
	again, err := open(t, paths).Podcasts().Get(id)
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("after reopen: %+v, %v", again, err)
	}
}

func TestCommitErrors(t *testing.T) {
	paths := testPaths(t)
	ps := open(t, paths).Podcasts()
	taken := commit(t, ps, Podcast{Title: "taken"}).ID
	other := NewID()
	cases := map[string]struct {
		meta   func() Podcast
		staged func() map[string]string
		want   error
	}{
		"id taken": {
			func() Podcast { return Podcast{ID: taken} },
			func() map[string]string { return nil }, ErrConflict,
		},
		"bad id": {
			func() Podcast { return Podcast{ID: "../x"} },
			func() map[string]string { return nil }, ErrInvalidID,
		},
		"bad owner": {
			func() Podcast { return Podcast{ID: NewID(), Owner: "a/b"} },
			func() map[string]string { return nil }, ErrInvalidID,
		},
		"path outside the library": {
			func() Podcast { return Podcast{ID: other} },
			func() map[string]string { return map[string]string{KindAudio: "/etc/passwd"} }, ErrInvalidID,
		},
		"staged for another podcast": {
			func() Podcast { return Podcast{ID: other} },
			func() map[string]string {
				return map[string]string{KindAudio: stage(t, ps, NewID(), KindAudio, "mp3", "x")}
			}, ErrInvalidID,
		},
		"staged as another kind": {
			func() Podcast { return Podcast{ID: other} },
			func() map[string]string { return map[string]string{KindSRT: stage(t, ps, other, KindVTT, "vtt", "x")} }, ErrInvalidID,
		},
		"final file in the way": {
			func() Podcast {
				write(t, filepath.Join(paths.PodcastsDir(), "blocked.json"), "not json")
				return Podcast{ID: "blocked"}
			},
			func() map[string]string { return nil }, ErrConflict,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := ps.Count()
			_, err := ps.Commit(tc.meta(), tc.staged())
			mustErr(t, err, tc.want)
			if ps.Count() != before {
				t.Fatal("a failed commit changed the library")
			}
		})
	}
	if data, _ := os.ReadFile(filepath.Join(paths.PodcastsDir(), "blocked.json")); string(data) != "not json" {
		t.Fatal("Commit overwrote an unreadable podcast file")
	}
	// A staged file that vanished: nothing is half-committed.
	gone := stage(t, ps, other, KindVTT, "vtt", "x")
	audio := stage(t, ps, other, KindAudio, "mp3", "x")
	os.Remove(gone)
	if _, err := ps.Commit(Podcast{ID: other}, map[string]string{KindAudio: audio, KindVTT: gone}); err == nil {
		t.Fatal("commit with a missing staged file succeeded")
	}
	for _, n := range mediaNames(other) {
		if exists(filepath.Join(paths.PodcastsDir(), n)) {
			t.Fatalf("failed commit left %s", n)
		}
	}
	if _, err := ps.Get(other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("failed commit is listed: %v", err)
	}
}

func TestStagePath(t *testing.T) {
	ps := open(t, testPaths(t)).Podcasts()
	cases := map[string]struct {
		id, kind, ext string
		ok            bool
	}{
		"audio":            {"a", KindAudio, "mp3", true},
		"default ext":      {"a", KindScript, "", true},
		"source ogg":       {"a", KindSource, "ogg", true},
		"source upper":     {"a", KindSource, "FLAC", true},
		"source exe":       {"a", KindSource, "exe", false},
		"source empty":     {"a", KindSource, "", false},
		"wrong audio ext":  {"a", KindAudio, "wav", false},
		"unknown kind":     {"a", "cover", "jpg", false},
		"kind with slash":  {"a", "../x", "mp3", false},
		"bad id":           {"..", KindAudio, "mp3", false},
		"ext with slashes": {"a", KindSource, "mp3/../../x", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := ps.StagePath(tc.id, tc.kind, tc.ext)
			if (err == nil) != tc.ok {
				t.Fatalf("StagePath = %q, %v; want ok=%v", p, err, tc.ok)
			}
			if err != nil {
				mustErr(t, err, ErrInvalidID)
				return
			}
			if filepath.Dir(p) != ps.dir || !strings.HasPrefix(filepath.Base(p), ".") {
				t.Fatalf("staged path %s is not a hidden file of the library", p)
			}
		})
	}
	a, _ := ps.StagePath("a", KindAudio, "mp3")
	b, _ := ps.StagePath("a", KindAudio, "mp3")
	if a == b {
		t.Fatal("two staged paths are equal")
	}
}

func TestList(t *testing.T) {
	ps := open(t, testPaths(t)).Podcasts()
	long := strings.Repeat("filler ", SearchTextBytes) + "needle-far-away"
	for _, p := range []Podcast{
		{ID: "p0", Title: "Rivers of Europe", Owner: "ann", GeneratedDate: at(0), SourceText: strp("The Danube flows east.")},
		{ID: "p1", Title: "Mountains", Owner: "bob", GeneratedDate: at(1), Summary: "Alps and Andes"},
		{ID: "p2", Title: "Deserts", Owner: "ann", GeneratedDate: at(2), SourceText: &long},
		{ID: "p3", Title: "RIVERS again", Owner: "bob", GeneratedDate: at(3)},
		{ID: "p4", Title: "Same time A", Owner: "ann", GeneratedDate: at(3)},
	} {
		commit(t, ps, p)
	}
	ids := func(list []Podcast) []string {
		var out []string
		for _, p := range list {
			out = append(out, p.ID)
			if p.SourceText != nil {
				t.Errorf("List returned the source text of %s", p.ID)
			}
		}
		return out
	}
	cases := map[string]struct {
		q    ListQuery
		want []string
	}{
		"all newest first":      {ListQuery{}, []string{"p4", "p3", "p2", "p1", "p0"}},
		"owner":                 {ListQuery{Owner: "ann"}, []string{"p4", "p2", "p0"}},
		"title ignoring case":   {ListQuery{Query: "rivers"}, []string{"p3", "p0"}},
		"source text":           {ListQuery{Query: "DANUBE"}, []string{"p0"}},
		"summary":               {ListQuery{Query: "andes"}, []string{"p1"}},
		"owner and query":       {ListQuery{Owner: "bob", Query: "rivers"}, []string{"p3"}},
		"beyond search prefix":  {ListQuery{Query: "needle-far-away"}, nil},
		"no match":              {ListQuery{Query: "ocean"}, nil},
		"unknown owner":         {ListQuery{Owner: "zed"}, nil},
		"limit larger than all": {ListQuery{Limit: 50}, []string{"p4", "p3", "p2", "p1", "p0"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, next, err := ps.List(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) || next != "" {
				t.Fatalf("got %v next %q, want %v", ids(got), next, tc.want)
			}
		})
	}

	// Pages of two walk the whole list exactly once, also across changes.
	var walked []string
	q := ListQuery{Limit: 2}
	for page := 0; ; page++ {
		got, next, err := ps.List(q)
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, ids(got)...)
		if page == 0 {
			commit(t, ps, Podcast{ID: "newest", GeneratedDate: at(9)}) // lands before the cursor
		}
		if next == "" {
			break
		}
		q.Cursor = next
	}
	if !slices.Equal(walked, []string{"p4", "p3", "p2", "p1", "p0"}) {
		t.Fatalf("paged walk %v", walked)
	}
	// A filtered page only says there is more when there is.
	got, next, _ := ps.List(ListQuery{Owner: "bob", Limit: 1})
	if !slices.Equal(ids(got), []string{"p3"}) || next == "" {
		t.Fatalf("first bob page %v %q", ids(got), next)
	}
	got, next, _ = ps.List(ListQuery{Owner: "bob", Limit: 1, Cursor: next})
	if !slices.Equal(ids(got), []string{"p1"}) || next != "" {
		t.Fatalf("last bob page %v %q", ids(got), next)
	}
	for _, bad := range []ListQuery{{Cursor: "!!"}, {Cursor: "Zm9v"}, {Limit: -1}} {
		if _, _, err := ps.List(bad); !errors.Is(err, ErrInvalidID) {
			t.Errorf("List(%+v) = %v, want ErrInvalidID", bad, err)
		}
	}
}

func TestListResultsAreCopies(t *testing.T) {
	ps := open(t, testPaths(t)).Podcasts()
	commit(t, ps, Podcast{ID: "a", Speakers: []string{"Alex"}, Chapters: []ChapterMark{{"One", 0}}})
	list, _, _ := ps.List(ListQuery{})
	list[0].Speakers[0] = "changed"
	list[0].Files["audio"] = "../../etc/passwd"
	list[0].Chapters[0].Title = "changed"
	p, _ := ps.Get("a")
	if p.Speakers[0] != "Alex" || p.Files["audio"] != "a.mp3" || p.Chapters[0].Title != "One" {
		t.Fatalf("caller changed the index: %+v", p)
	}
}

func TestUpdate(t *testing.T) {
	paths := testPaths(t)
	ps := open(t, paths).Podcasts()
	for i, id := range []string{"a", "b", "c"} {
		commit(t, ps, Podcast{ID: id, Title: id, GeneratedDate: at(i), SourceText: strp("text of " + id)})
	}
	got, err := ps.Update("a", func(p *Podcast) error {
		if p.SourceText == nil || *p.SourceText != "text of a" {
			t.Errorf("Update did not see the source text: %v", p.SourceText)
		}
		p.Title = "Renamed"
		p.GeneratedDate = at(10) // moves to the front
		p.ID = "hijack"
		p.Files["audio"] = "/etc/passwd"
		p.AudioBytes = 1
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "a" || got.Files["audio"] != "a.mp3" || got.Title != "Renamed" || got.AudioBytes == 1 {
		t.Fatalf("update result %+v", got)
	}
	list, _, _ := ps.List(ListQuery{})
	if list[0].ID != "a" || list[0].Title != "Renamed" || len(list) != 3 {
		t.Fatalf("list after update %+v", list)
	}
	if l, _, _ := ps.List(ListQuery{Query: "renamed"}); len(l) != 1 {
		t.Fatal("search does not see the new title")
	}
	boom := errors.New("boom")
	if _, err := ps.Update("b", func(p *Podcast) error { p.Title = "x"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if p, _ := ps.Get("b"); p.Title != "b" {
		t.Fatal("a failed update changed the podcast")
	}
	_, err = ps.Update("zzz", func(*Podcast) error { return nil })
	mustErr(t, err, ErrNotFound)
	_, err = ps.Update("../a", func(*Podcast) error { return nil })
	mustErr(t, err, ErrInvalidID)
	reopened, _ := open(t, paths).Podcasts().Get("a")
	if reopened.Title != "Renamed" || *reopened.SourceText != "text of a" {
		t.Fatalf("update not on disk: %+v", reopened)
	}
}

func TestDelete(t *testing.T) {
	paths := testPaths(t)
	ps := open(t, paths).Podcasts()
	keep := commit(t, ps, Podcast{ID: "keep"})
	gone := commit(t, ps, Podcast{ID: "gone"})
	if err := ps.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, paths.PodcastsDir()); !slices.Equal(names, []string{"keep.json", "keep.mp3", "keep.vtt"}) {
		t.Fatalf("files after delete: %v", names)
	}
	_, err := ps.Get("gone")
	mustErr(t, err, ErrNotFound)
	_, err = ps.MediaPath("gone", KindAudio)
	mustErr(t, err, ErrNotFound)
	mustErr(t, ps.Delete("gone"), ErrNotFound)
	mustErr(t, ps.Delete("a/b"), ErrInvalidID)
	if ps.Count() != 1 {
		t.Fatalf("count %d", ps.Count())
	}
	if _, err := ps.MediaPath(keep.ID, KindSRT); !errors.Is(err, ErrNotFound) {
		t.Fatalf("MediaPath of a missing kind: %v", err)
	}
	// The id can be used again once deleted.
	commit(t, ps, Podcast{ID: "gone"})
}

func TestOpenRepairs(t *testing.T) {
	paths := testPaths(t)
	st := open(t, paths)
	ps := st.Podcasts()
	commit(t, ps, Podcast{ID: "ok", Title: "fine"})
	commit(t, ps, Podcast{ID: "half", Title: "half-deleted"})
	dir := paths.PodcastsDir()
	// A delete interrupted after the tombstone: media still there.
	if err := os.Rename(filepath.Join(dir, "half.json"), filepath.Join(dir, "half.deleted")); err != nil {
		t.Fatal(err)
	}
	// A commit interrupted after placing media, before the metadata.
	write(t, filepath.Join(dir, "orphan.mp3"), "x")
	write(t, filepath.Join(dir, "orphan.script.json"), "{}")
	// Staged and temp files of interrupted writes.
	staged, _ := ps.StagePath("ok", KindAudio, "mp3")
	write(t, staged, "partial")
	write(t, filepath.Join(dir, ".ok.json.tmp-123"), "{partial")
	write(t, filepath.Join(paths.Data, ".users.json.tmp-9"), "[")
	write(t, filepath.Join(paths.TemplatesDir(), ".x.yaml.tmp-1"), "id:")
	// Files that are not ours, and a corrupt metadata file: left alone.
	write(t, filepath.Join(dir, "notes.txt"), "mine")
	write(t, filepath.Join(dir, "broken.json"), `{"id": "broken", "title": `)
	write(t, filepath.Join(dir, "broken.mp3"), "audio")
	write(t, filepath.Join(dir, "wrongid.json"), `{"id": "other"}`)
	// A metadata file whose media entry points elsewhere.
	write(t, filepath.Join(dir, "evil.json"), `{"id": "evil", "files": {"audio": "../../../etc/passwd", "vtt": "evil.vtt"}}`)

	// An Open soon after could meet a live write, so it leaves fresh files.
	// The repairs are part of the index's build, which Open starts.
	if err := open(t, paths).Podcasts().wait(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".ok.json.tmp-123", filepath.Base(staged), "orphan.mp3", "orphan.script.json"} {
		if !exists(filepath.Join(dir, name)) {
			t.Fatalf("an Open soon after the crash removed %s", name)
		}
	}
	if exists(filepath.Join(dir, "half.deleted")) || exists(filepath.Join(dir, "half.mp3")) {
		t.Fatal("the interrupted delete was not finished")
	}
	// Once the process that staged it has ended, the next Open removes
	// the staged file; the others when they are LeftoverAge old.
	st.Process().Release()
	ps2 := openAt(t, paths, later).Podcasts()
	if err := ps2.wait(); err != nil {
		t.Fatal(err)
	}
	want := []string{"broken.json", "broken.mp3", "evil.json", "notes.txt", "ok.json", "ok.mp3", "ok.vtt", "wrongid.json"}
	if names := dirNames(t, dir); !slices.Equal(names, want) {
		t.Fatalf("files after Open:\n%v\nwant\n%v", names, want)
	}
	if exists(filepath.Join(paths.Data, ".users.json.tmp-9")) || exists(filepath.Join(paths.TemplatesDir(), ".x.yaml.tmp-1")) {
		t.Fatal("temp files outside the library survived")
	}
	list, _, _ := ps2.List(ListQuery{})
	var ids []string
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"evil", "ok"}) {
		t.Fatalf("listed %v", ids)
	}
	if _, err := ps2.MediaPath("evil", KindAudio); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a path from a metadata file escaped: %v", err)
	}
	if p, err := ps2.MediaPath("evil", KindVTT); err != nil || p != filepath.Join(dir, "evil.vtt") {
		t.Fatalf("MediaPath(evil, vtt) = %s, %v", p, err)
	}
}

func TestTimesSurviveReopen(t *testing.T) {
	paths := testPaths(t)
	s := open(t, paths)
	local := time.Now().In(time.FixedZone("X", 3600)) // with a monotonic reading
	p := commit(t, s.Podcasts(), Podcast{ID: "t", GeneratedDate: local})
	u, err := s.Users().Create(User{Username: "ann", PasswordHash: "h", CreatedAt: local})
	if err != nil {
		t.Fatal(err)
	}
	s2 := open(t, paths)
	p2, _ := s2.Podcasts().Get("t")
	u2, _ := s2.Users().Get(u.ID)
	if !reflect.DeepEqual(p, p2) || !reflect.DeepEqual(u, u2) || !p.GeneratedDate.Equal(local) {
		t.Fatalf("times changed on disk:\n%+v\n%+v\n%+v\n%+v", p, p2, u, u2)
	}
}

// A podcast written when core stored routes in the seed's link fields
// still loads; Files, not the old links, says what it has.
func TestOldRoutesInMetadataLoad(t *testing.T) {
	paths := testPaths(t)
	open(t, paths) // makes the folders
	id := NewID()
	for name, content := range map[string]string{id + ".mp3": "MP3DATA", id + ".source.wav": "RIFF"} {
		if err := os.WriteFile(filepath.Join(paths.PodcastsDir(), name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := `{"id":"` + id + `","title":"Old","audioUrl":"/podcasts/` + id + `/audio","duration":12,
"generatedDate":"2025-03-01T12:00:00Z","sourceText":"text","sourceAudioUrl":"/podcasts/` + id + `/source",
"templateUsed":null,"owner":"u1","status":"ready","files":{"audio":"` + id + `.mp3","source":"` + id + `.source.wav"}}`
	if err := os.WriteFile(filepath.Join(paths.PodcastsDir(), id+".json"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := open(t, paths).Podcasts().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Old" || !got.FromRecording() || got.SourceText == nil || *got.SourceText != "text" {
		t.Fatalf("loaded %+v", got)
	}
	if _, err := open(t, paths).Podcasts().MediaPath(id, KindAudio); err != nil {
		t.Fatal(err)
	}
}
