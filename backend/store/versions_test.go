package store

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// revoice commits a new version of id made from base, with audio and vtt.
func revoice(t testing.TB, ps *Podcasts, id string, base int, title string, keep int) Podcast {
	t.Helper()
	staged := map[string]string{
		KindAudio: stage(t, ps, id, KindAudio, "mp3", "audio of "+title),
		KindVTT:   stage(t, ps, id, KindVTT, "vtt", "WEBVTT\n"),
	}
	p, err := ps.CommitVersion(id, base, Version{Title: title, Duration: float64(base), Lines: base,
		Voices: []SpeakerVoice{{Speaker: "Alex", Voice: "en", Speed: 1}}}, staged, keep)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readMedia(t testing.TB, ps *Podcasts, id, kind string) string {
	t.Helper()
	path, err := ps.MediaPath(id, kind)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func versionsOf(p Podcast) []int {
	var out []int
	for _, v := range p.History() {
		out = append(out, v.Version)
	}
	return out
}

func TestVersionsCommitPruneRestore(t *testing.T) {
	paths := testPaths(t)
	ps := open(t, paths).Podcasts()
	p := commit(t, ps, Podcast{Title: "first", Owner: "u1"})
	if p.CurrentVersion() != 1 || !slices.Equal(versionsOf(p), []int{1}) {
		t.Fatalf("a new podcast is version 1 alone, got %d %v", p.CurrentVersion(), versionsOf(p))
	}
	v1Audio := filepath.Join(ps.dir, p.Files[KindAudio])

	for i := 2; i <= 4; i++ {
		p = revoice(t, ps, p.ID, i-1, "take "+strconv.Itoa(i), 3)
		if p.CurrentVersion() != i || p.Title != "take "+strconv.Itoa(i) {
			t.Fatalf("version %d: got current %d titled %q", i, p.CurrentVersion(), p.Title)
		}
		if got := readMedia(t, ps, p.ID, KindAudio); got != "audio of take "+strconv.Itoa(i) {
			t.Fatalf("the audio served is %q, not version %d's", got, i)
		}
	}
	if !slices.Equal(versionsOf(p), []int{2, 3, 4}) {
		t.Fatalf("kept versions %v, want the newest 3", versionsOf(p))
	}
	if _, err := os.Stat(v1Audio); !os.IsNotExist(err) {
		t.Fatalf("version 1's audio outlived its pruning: %v", err)
	}
	if p.Owner != "u1" {
		t.Fatal("a re-voice keeps the owner")
	}

	// A stale base changes nothing.
	staged := map[string]string{KindAudio: stage(t, ps, p.ID, KindAudio, "mp3", "late")}
	_, err := ps.CommitVersion(p.ID, 2, Version{Title: "late"}, staged, 3)
	mustErr(t, err, ErrConflict)
	os.Remove(staged[KindAudio])

	r, err := ps.Restore(p.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.CurrentVersion() != 2 || r.Title != "take 2" || readMedia(t, ps, p.ID, KindAudio) != "audio of take 2" {
		t.Fatalf("restore: current %d %q", r.CurrentVersion(), r.Title)
	}
	_, err = ps.Restore(p.ID, 1)
	mustErr(t, err, ErrNotFound)

	// What is on disk is what a new process sees.
	again := open(t, paths).Podcasts()
	got, err := again.Get(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CurrentVersion() != 2 || !slices.Equal(versionsOf(got), []int{2, 3, 4}) || got.Voices[0].Voice != "en" {
		t.Fatalf("reopened: current %d, versions %v, voices %v", got.CurrentVersion(), versionsOf(got), got.Voices)
	}

	// A re-voice after a restore is made from the restored version and
	// numbered after the newest.
	p = revoice(t, ps, p.ID, 2, "take 5", 3)
	if p.CurrentVersion() != 5 || !slices.Equal(versionsOf(p), []int{3, 4, 5}) {
		t.Fatalf("after restore: current %d, versions %v", p.CurrentVersion(), versionsOf(p))
	}

	// A rename names the current version, which a restore keeps.
	if _, err := ps.Update(p.ID, func(x *Podcast) error { x.Title = "renamed"; x.Version = 9; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Restore(p.ID, 4); err != nil {
		t.Fatal(err)
	}
	back, err := ps.Restore(p.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if back.Title != "renamed" || back.CurrentVersion() != 5 {
		t.Fatalf("the rename was lost across restores: %q v%d", back.Title, back.CurrentVersion())
	}

	// Delete removes every version's files.
	if err := ps.Delete(p.ID); err != nil {
		t.Fatal(err)
	}
	for _, name := range dirNames(t, ps.dir) {
		if isMediaName(p.ID, name) || name == p.ID+".json" {
			t.Fatalf("%s outlived the delete", name)
		}
	}
}

func TestVersionNames(t *testing.T) {
	id := "abc"
	cases := map[string]bool{
		"abc.v2.mp3": true, "abc.v12.chapters.json": true, "abc.v2.script.json": true,
		"abc.v0.mp3": false, "abc.v02.mp3": false, "abc.v.mp3": false, "abc.vx.mp3": false,
		"abd.v2.mp3": false, "abc.v2.source.mp3": false, "abc.v2.exe": false,
	}
	for name, want := range cases {
		if got := isMediaName(id, name); got != want {
			t.Errorf("isMediaName(%q) = %v, want %v", name, got, want)
		}
	}
	if validMediaFile(id, KindAudio, "abc.v1.mp3") {
		t.Error("version 1 has no .v1 name")
	}
	if !validMediaFile(id, KindVTT, versionName(id, 7, KindVTT)) {
		t.Error("versionName must give a valid name")
	}
}
