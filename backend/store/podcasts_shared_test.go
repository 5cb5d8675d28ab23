package store

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// listed returns the ids and titles List gives, newest first.
func listed(t *testing.T, ps *Podcasts) []string {
	t.Helper()
	list, _, err := ps.List(ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range list {
		out = append(out, p.ID+":"+p.Title)
	}
	return out
}

func scans(ps *Podcasts) int {
	ps.scanMu.Lock()
	defer ps.scanMu.Unlock()
	return ps.scans
}

// Store B reads the folder at most once per RefreshInterval (its clock is
// moved by hand) and then sees what store A committed, updated and deleted.
func TestPodcastsSharedBetweenStores(t *testing.T) {
	paths := testPaths(t)
	c := newClock()
	a, b := open(t, paths).Podcasts(), openAt(t, paths, c.now).Podcasts()

	commit(t, a, Podcast{ID: "one", Title: "First", GeneratedDate: at(1), SourceText: strp("text one")})
	// Within the interval B answers from memory, without looking.
	before := scans(b)
	if got := listed(t, b); len(got) != 0 || b.Count() != 0 || scans(b) != before {
		t.Fatalf("B looked before the interval was over: %v", got)
	}
	c.advance(RefreshInterval)
	if got := listed(t, b); !slices.Equal(got, []string{"one:First"}) {
		t.Fatalf("B lists %v after the interval", got)
	}
	if p, err := b.Get("one"); err != nil || *p.SourceText != "text one" {
		t.Fatalf("B.Get: %+v %v", p, err)
	}
	if path, err := b.MediaPath("one", KindAudio); err != nil || path != filepath.Join(paths.PodcastsDir(), "one.mp3") {
		t.Fatalf("B.MediaPath: %s %v", path, err)
	}

	// A renames it; B sees the new title, and B's own update keeps it.
	if _, err := a.Update("one", func(p *Podcast) error { p.Title = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	c.advance(RefreshInterval)
	if got := listed(t, b); !slices.Equal(got, []string{"one:Renamed"}) {
		t.Fatalf("B lists %v after A's update", got)
	}
	if _, err := a.Update("one", func(p *Podcast) error { p.Title = "Renamed again"; return nil }); err != nil {
		t.Fatal(err)
	}
	// B's index still has the old title, but its update starts from the file.
	if _, err := b.Update("one", func(p *Podcast) error { p.Summary = "from B"; return nil }); err != nil {
		t.Fatal(err)
	}
	if p, _ := open(t, paths).Podcasts().Get("one"); p.Title != "Renamed again" || p.Summary != "from B" || *p.SourceText != "text one" {
		t.Fatalf("an update in B lost A's change: %+v", p)
	}

	// A podcast B has not seen yet can be deleted in B.
	commit(t, a, Podcast{ID: "two", Title: "Second", GeneratedDate: at(2)})
	if err := b.Delete("two"); err != nil {
		t.Fatal(err)
	}
	_, err := a.Get("two")
	mustErr(t, err, ErrNotFound)

	// Deleted in A: B's Get knows at once, its List after the interval.
	if err := a.Delete("one"); err != nil {
		t.Fatal(err)
	}
	_, err = b.Get("one")
	mustErr(t, err, ErrNotFound)
	_, err = b.Update("one", func(p *Podcast) error { return nil })
	mustErr(t, err, ErrNotFound)
	mustErr(t, b.Delete("one"), ErrNotFound)
	c.advance(RefreshInterval)
	if got := listed(t, b); len(got) != 0 || b.Count() != 0 {
		t.Fatalf("B lists %v after A deleted everything", got)
	}
	_, err = b.MediaPath("one", KindAudio)
	mustErr(t, err, ErrNotFound)
	if names := dirNames(t, paths.PodcastsDir()); len(names) != 0 {
		t.Fatalf("files left: %v", names)
	}
}

// Two commits within one clock tick leave the folder's time unchanged; the
// second still shows, because a recent folder time is not trusted.
func TestPodcastsChangeWithinOneClockTick(t *testing.T) {
	paths := testPaths(t)
	c := newClock()
	a, b := open(t, paths).Podcasts(), openAt(t, paths, c.now).Podcasts()
	dir := paths.PodcastsDir()
	commit(t, a, Podcast{ID: "one", Title: "1", GeneratedDate: at(1)})
	c.advance(RefreshInterval)
	if got := listed(t, b); len(got) != 1 {
		t.Fatalf("B lists %v", got)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	commit(t, a, Podcast{ID: "two", Title: "2", GeneratedDate: at(2)})
	if err := os.Chtimes(dir, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	c.advance(RefreshInterval)
	if got := listed(t, b); !slices.Equal(got, []string{"two:2", "one:1"}) {
		t.Fatalf("B missed a commit within one clock tick: %v", got)
	}
}

// Once the folder has settled, a look that finds it unchanged does not
// scan it; a change does, and unreadable files are not read (or logged)
// again until they change.
func TestPodcastsScanOnlyOnChange(t *testing.T) {
	paths := testPaths(t)
	a := open(t, paths).Podcasts()
	commit(t, a, Podcast{ID: "one", Title: "1", GeneratedDate: at(1)})
	write(t, filepath.Join(paths.PodcastsDir(), "broken.json"), "{")
	c := newClock()
	c.advance(time.Hour) // everything on disk is long settled
	b := openAt(t, paths, c.now).Podcasts()
	for range 3 {
		c.advance(RefreshInterval)
		b.Count()
	}
	if n := scans(b); n != 0 {
		t.Fatalf("%d scans of an unchanged folder", n)
	}
	commit(t, a, Podcast{ID: "two", Title: "2", GeneratedDate: at(2)})
	c.advance(time.Hour)
	if n := b.Count(); n != 2 || scans(b) != 1 {
		t.Fatalf("count %d after %d scans, want 2 after 1", n, scans(b))
	}
	if _, ok := b.bad["broken"]; !ok {
		t.Fatal("the unreadable file is not remembered")
	}
	c.advance(RefreshInterval)
	b.Count()
	if n := scans(b); n != 1 {
		t.Fatalf("%d scans, want 1", n)
	}
}

// A podcast committed by one store shows in the other's List exactly when
// RefreshInterval has passed since the other last looked: not a nanosecond
// before (it answers from memory, without a scan), and at the first read
// after. The clock is moved by hand, so the bound is checked exactly
// rather than against a loaded machine's wall clock.
func TestPodcastsSharedWithinRefreshInterval(t *testing.T) {
	paths := testPaths(t)
	c := newClock()
	a, b := open(t, paths).Podcasts(), openAt(t, paths, c.now).Podcasts()
	c.advance(RefreshInterval)
	b.Count() // B looks now; its next look is due one interval later
	before := scans(b)
	commit(t, a, Podcast{ID: "one", Title: "First", GeneratedDate: at(1)})
	c.advance(RefreshInterval - time.Nanosecond)
	if got := listed(t, b); len(got) != 0 || scans(b) != before {
		t.Fatalf("B looked before the interval was over (%d scans): %v", scans(b)-before, got)
	}
	c.advance(time.Nanosecond)
	if got := listed(t, b); !slices.Equal(got, []string{"one:First"}) || scans(b) != before+1 {
		t.Fatalf("B lists %v after %d scans once the interval was over, want A's podcast after 1", got, scans(b)-before)
	}
}

// Open leaves the files of writes and jobs that other processes are
// making now: a fresh staged file survives another Open and commits.
func TestOpenLeavesLiveFiles(t *testing.T) {
	paths := testPaths(t)
	c := newClock()
	a := openAt(t, paths, c.now).Podcasts()
	dir := paths.PodcastsDir()
	staged := stage(t, a, "live", KindAudio, "mp3", "audio being mastered")
	fresh := []string{
		staged,
		filepath.Join(dir, "midcommit.mp3"), // renamed by a Commit in progress
		filepath.Join(paths.Data, ".users.json.tmp-1"),
		filepath.Join(paths.TemplatesDir(), ".mine.yaml.tmp-1"),
	}
	stale := []string{
		filepath.Join(dir, ".dead.audio.mp3.tmp-1"),
		filepath.Join(dir, "dead.mp3"),
		filepath.Join(paths.Data, ".users.json.tmp-2"),
		filepath.Join(paths.Config, ".config.yaml.tmp-2"),
	}
	for _, path := range append(fresh[1:], stale...) {
		write(t, path, "x")
	}
	old := time.Now().Add(-LeftoverAge - time.Minute)
	for _, path := range stale {
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	b := openAt(t, paths, c.now).Podcasts()
	for _, path := range fresh {
		if !exists(path) {
			t.Errorf("Open removed %s, which a live process owns", path)
		}
	}
	for _, path := range stale {
		if exists(path) {
			t.Errorf("Open left %s, older than LeftoverAge", path)
		}
	}
	p, err := a.Commit(Podcast{ID: "live", Title: "Live"}, map[string]string{KindAudio: staged})
	if err != nil {
		t.Fatalf("the job could not commit after another Open: %v", err)
	}
	if p.AudioBytes != int64(len("audio being mastered")) {
		t.Fatalf("committed %d audio bytes", p.AudioBytes)
	}
	c.advance(RefreshInterval)
	for name, ps := range map[string]*Podcasts{"A": a, "B": b} {
		if got := listed(t, ps); !slices.Equal(got, []string{"live:Live"}) {
			t.Fatalf("%s lists %v", name, got)
		}
	}
}
