package library

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/config"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

var ctx = context.Background()

// newLibrary opens a real store in a temporary folder.
func newLibrary(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	home := t.TempDir()
	paths, err := config.ResolvePaths(func(k string) string {
		if k == "PODCASTFY_HOME" {
			return home
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := paths.EnsureDirs(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(paths, templates.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return New(st.Podcasts(), nil), st
}

var base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// add commits a podcast with an audio file, made age minutes after base.
func add(t *testing.T, st *store.Store, owner, title string, dur float64, minute int) store.Podcast {
	t.Helper()
	ps := st.Podcasts()
	id := store.NewID()
	path, err := ps.StagePath(id, store.KindAudio, "mp3")
	if err == nil {
		err = os.WriteFile(path, []byte("ID3 audio"), 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	tpl := "deep-dive"
	p, err := ps.Commit(store.Podcast{ID: id, Title: title, Duration: dur, Owner: owner, TemplateUsed: &tpl,
		GeneratedDate: base.Add(time.Duration(minute) * time.Minute), Summary: "about " + title},
		map[string]string{store.KindAudio: path})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantField(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("error %v (%#v), want code %q field %q", err, e, code, field)
	}
}

func titlesOf(items []Summary) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = s.Title
	}
	return out
}

func TestTitleOrderIsNaturalAndIgnoresCase(t *testing.T) {
	lib, st := newLibrary(t)
	// Added in an order that is none of the wanted ones.
	for i, title := range []string{"part 4551", "Part 10", "part 465", "part 2", "Épilogue", "apple", "Banana", "part 465"} {
		add(t, st, "ann", title, 1, i)
	}
	page, err := lib.List(ctx, "ann", Query{Sort: "title"})
	if err != nil {
		t.Fatal(err)
	}
	// "part 465" twice: the newer one (added later) first.
	want := []string{"apple", "Banana", "Épilogue", "part 2", "Part 10", "part 465", "part 465", "part 4551"}
	if got := titlesOf(page.Items); !slices.Equal(got, want) {
		t.Fatalf("title order %q, want %q", got, want)
	}
	if !page.Items[5].GeneratedDate.After(page.Items[6].GeneratedDate) {
		t.Fatal("equal titles are not newest first")
	}
}

// TestEverySortPagesWithoutGapsOrRepeats walks each order in pages of
// several sizes and compares with the whole list in that order, computed
// here from the podcasts' own fields.
func TestEverySortPagesWithoutGapsOrRepeats(t *testing.T) {
	lib, st := newLibrary(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var mine []store.Podcast
	for i := range 60 {
		owner := "ann"
		if i%4 == 3 {
			owner = "bob"
		}
		// Repeated titles, durations and dates, so that ties are many.
		p := add(t, st, owner, fmt.Sprintf("Episode %d", rng.IntN(20)), float64(rng.IntN(5)*60), rng.IntN(30))
		if owner == "ann" {
			mine = append(mine, p)
		}
	}
	newest := func(a, b store.Podcast) int {
		if c := b.GeneratedDate.Compare(a.GeneratedDate); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	}
	num := func(p store.Podcast) int {
		var n int
		fmt.Sscanf(p.Title, "Episode %d", &n)
		return n
	}
	orders := map[string]func(a, b store.Podcast) int{
		"newest": newest,
		"oldest": func(a, b store.Podcast) int { return newest(b, a) },
		"title": func(a, b store.Podcast) int {
			if num(a) != num(b) {
				return num(a) - num(b)
			}
			return newest(a, b)
		},
		"duration": func(a, b store.Podcast) int {
			if a.Duration != b.Duration {
				return int(b.Duration - a.Duration)
			}
			return newest(a, b)
		},
	}
	for sort, order := range orders {
		want := slices.SortedFunc(slices.Values(mine), order)
		for _, limit := range []int{1, 7, 45, 200} {
			var got []string
			q := Query{Sort: sort, Limit: limit}
			for pages := 0; ; pages++ {
				page, err := lib.List(ctx, "ann", q)
				if err != nil {
					t.Fatalf("%s/%d: %v", sort, limit, err)
				}
				if page.Total != len(mine) || len(page.Items) > limit {
					t.Fatalf("%s/%d: page of %d, total %d; want at most %d of %d", sort, limit, len(page.Items), page.Total, limit, len(mine))
				}
				for _, s := range page.Items {
					got = append(got, s.ID)
				}
				if page.NextCursor == "" {
					break
				}
				if pages > len(mine) {
					t.Fatalf("%s/%d: the pages do not end", sort, limit)
				}
				q.Cursor = page.NextCursor
			}
			wantIDs := make([]string, len(want))
			for i, p := range want {
				wantIDs[i] = p.ID
			}
			if !slices.Equal(got, wantIDs) {
				t.Fatalf("sort %s in pages of %d:\n got %v\nwant %v", sort, limit, got, wantIDs)
			}
		}
	}
}

// TestCursorSurvivesChanges: podcasts added, renamed or deleted between
// two pages neither repeat nor hide the ones that stayed.
func TestCursorSurvivesChanges(t *testing.T) {
	lib, st := newLibrary(t)
	var ids []string
	for i := range 10 {
		ids = append(ids, add(t, st, "ann", fmt.Sprintf("part %d", i+1), 60, i).ID)
	}
	first, err := lib.List(ctx, "ann", Query{Sort: "title", Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	// The last item of the page is renamed to the end, one after the
	// cursor is deleted, and one is added before the cursor.
	if _, err := lib.Rename(ctx, "ann", first.Items[3].ID, "part 99"); err != nil {
		t.Fatal(err)
	}
	if err := lib.Delete(ctx, "ann", ids[4]); err != nil { // "part 5"
		t.Fatal(err)
	}
	add(t, st, "ann", "part 0", 60, 50)
	rest, err := lib.List(ctx, "ann", Query{Sort: "title", Limit: 50, Cursor: first.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"part 6", "part 7", "part 8", "part 9", "part 10", "part 99"}
	if got := titlesOf(rest.Items); !slices.Equal(got, want) || rest.Total != 10 {
		t.Fatalf("after changes the next page is %q of %d, want %q of 10", got, rest.Total, want)
	}
}

func TestListSummaries(t *testing.T) {
	lib, st := newLibrary(t)
	p := add(t, st, "ann", "Rivers", 61.5, 0)
	page, err := lib.List(ctx, "ann", Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{ID: p.ID, Title: "Rivers", Summary: "about Rivers", GeneratedDate: p.GeneratedDate, Duration: 61.5,
		Speakers: []string{}, Template: "deep-dive", Status: p.Status}
	if len(page.Items) != 1 || fmt.Sprint(page.Items[0]) != fmt.Sprint(want) || page.Total != 1 || page.NextCursor != "" {
		t.Fatalf("page %+v, want one %+v", page, want)
	}
}

func TestQueryChecks(t *testing.T) {
	lib, st := newLibrary(t)
	add(t, st, "ann", "one", 1, 0)
	add(t, st, "ann", "two", 1, 1)
	byTitle, err := lib.List(ctx, "ann", Query{Sort: "title", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		q     Query
		field string
	}{
		"unknown sort":          {Query{Sort: "size"}, FieldSort},
		"negative limit":        {Query{Limit: -1}, FieldLimit},
		"limit too large":       {Query{Limit: MaxLimit + 1}, FieldLimit},
		"search too long":       {Query{Q: strings.Repeat("a", MaxQueryBytes+1)}, FieldQuery},
		"search not UTF-8":      {Query{Q: "\xff"}, FieldQuery},
		"made-up cursor":        {Query{Cursor: "abc"}, FieldCursor},
		"cursor of other order": {Query{Sort: "duration", Cursor: byTitle.NextCursor}, FieldCursor},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := lib.List(ctx, "ann", tc.q)
			wantField(t, err, apperr.Invalid, tc.field)
		})
	}
	if page, err := lib.List(ctx, "ann", Query{Limit: MaxLimit}); err != nil || len(page.Items) != 2 {
		t.Fatalf("the largest page: %+v, %v", page, err)
	}
}

// TestOwnership: another user's podcast is not found by any call, and
// nothing of it changes.
func TestOwnership(t *testing.T) {
	lib, st := newLibrary(t)
	bobs := add(t, st, "bob", "Bob's secret", 1, 0)
	add(t, st, "ann", "Ann's", 1, 1)

	page, err := lib.List(ctx, "ann", Query{Q: "secret"})
	if err != nil || len(page.Items) != 0 || page.Total != 0 {
		t.Fatalf("ann's search finds %+v, %v", page, err)
	}
	_, err = lib.Get(ctx, "ann", bobs.ID)
	wantField(t, err, apperr.NotFound, "")
	_, err = lib.Rename(ctx, "ann", bobs.ID, "mine")
	wantField(t, err, apperr.NotFound, "")
	wantField(t, lib.Delete(ctx, "ann", bobs.ID), apperr.NotFound, "")
	_, err = lib.Export(ctx, "ann", bobs.ID, t.TempDir())
	wantField(t, err, apperr.NotFound, "")
	_, err = lib.Get(ctx, "ann", "../../etc/passwd")
	wantField(t, err, apperr.NotFound, "")

	got, err := lib.Get(ctx, "bob", bobs.ID)
	if err != nil || got.Title != "Bob's secret" {
		t.Fatalf("bob's own podcast: %+v, %v", got, err)
	}
}

func TestRenameUsesTheTitleRule(t *testing.T) {
	lib, st := newLibrary(t)
	p := add(t, st, "ann", "Old", 1, 0)
	for _, bad := range []string{"", "   ", "a\nb", "evil\u202Egpj.exe", strings.Repeat("x", 201)} {
		_, err := lib.Rename(ctx, "ann", p.ID, bad)
		wantField(t, err, apperr.Invalid, "title")
	}
	got, err := lib.Rename(ctx, "ann", p.ID, "  New   name ")
	if err != nil || got.Title != "New name" {
		t.Fatalf("Rename = %+v, %v", got, err)
	}
	page, _ := lib.List(ctx, "ann", Query{Q: "new name"})
	if len(page.Items) != 1 {
		t.Fatal("the renamed podcast is not found by its new title")
	}
}

func TestExport(t *testing.T) {
	lib, st := newLibrary(t)
	p := add(t, st, "ann", "A/B: talk", 1, 0)
	dir := t.TempDir()
	for _, want := range []string{"A-B- talk.mp3", "A-B- talk (2).mp3"} {
		names, err := lib.Export(ctx, "ann", p.ID, dir)
		if err != nil || len(names) != 1 || filepath.Base(names[0]) != want {
			t.Fatalf("Export = %v, %v; want %s", names, err, want)
		}
		if data, _ := os.ReadFile(names[0]); string(data) != "ID3 audio" {
			t.Fatalf("exported %q", data)
		}
	}
	_, err := lib.Export(ctx, "ann", p.ID, "relative/dir")
	wantField(t, err, apperr.Invalid, "dir")
}
