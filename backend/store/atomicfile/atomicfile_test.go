package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestIsTemp(t *testing.T) {
	cases := map[string]bool{
		".users.json.tmp-123": true, ".a.audio.mp3.tmp-abc": true,
		"users.json": false, ".hidden": false, "x.tmp-1": false, "": false,
	}
	for name, want := range cases {
		if IsTemp(name) != want {
			t.Errorf("IsTemp(%q) = %v", name, !want)
		}
	}
	if n := filepath.Base(TempName("/d/f.json", "9")); !IsTemp(n) || n != ".f.json.tmp-9" {
		t.Errorf("TempName gives %q", n)
	}
	owners := map[string]string{
		filepath.Base(OwnedTempName("/d/x.tmp-y.mp3", "00112233aabbccdd", "77")): "00112233aabbccdd",
		".f.json.tmp-123": "", ".f.json.tmp-abc-1": "", "f.json": "", ".a.tmp-00112233aabbccdd": "",
	}
	for name, want := range owners {
		if got, ok := TempOwner(name); got != want || ok != (want != "") {
			t.Errorf("TempOwner(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

func TestWriteFileAndRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "keep.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	const liveOwner, deadOwner = "0123456789abcdef", "fedcba9876543210"
	files := map[string]time.Time{
		".keep.json.tmp-1": old,        // left by a crash: removed
		".x.tmp-2":         old,        // likewise
		".live.tmp-3":      time.Now(), // a write in progress elsewhere: kept
		".hidden":          old,        // not ours: kept
		filepath.Base(OwnedTempName("/d/a.mp3", deadOwner, "4")): time.Now(), // its process ended: removed however fresh
		filepath.Base(OwnedTempName("/d/b.mp3", liveOwner, "5")): old,        // its process lives: kept however old
		".c.mp3.tmp-nothex-6": old, // names no process: by age
	}
	for name, mtime := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	var asked []string
	alive := func(owner string) bool { asked = append(asked, owner); return owner == liveOwner }
	removed, err := RemoveTemps(dir, time.Now().Add(-time.Minute), alive)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	slices.Sort(asked)
	if !slices.Equal(asked, []string{liveOwner, deadOwner}) {
		t.Fatalf("asked about owners %v", asked)
	}
	if !slices.Equal(removed, []string{".a.mp3.tmp-" + deadOwner + "-4", ".c.mp3.tmp-nothex-6", ".keep.json.tmp-1", ".x.tmp-2"}) {
		t.Fatalf("removed %v", removed)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{".b.mp3.tmp-" + liveOwner + "-5", ".hidden", ".live.tmp-3", "keep.json"}) {
		t.Fatalf("left %v", left)
	}
	if removed, err := RemoveTemps(filepath.Join(dir, "missing"), time.Now(), alive); err != nil || removed != nil {
		t.Fatalf("missing folder: %v %v", removed, err)
	}
}
