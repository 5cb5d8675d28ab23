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
}

func TestWriteFileAndRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "keep.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	files := map[string]time.Time{
		".keep.json.tmp-1": old,        // left by a crash: removed
		".x.tmp-2":         old,        // likewise
		".live.tmp-3":      time.Now(), // a write in progress elsewhere: kept
		".hidden":          old,        // not ours: kept
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
	removed, err := RemoveTemps(dir, time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if !slices.Equal(removed, []string{".keep.json.tmp-1", ".x.tmp-2"}) {
		t.Fatalf("removed %v", removed)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{".hidden", ".live.tmp-3", "keep.json"}) {
		t.Fatalf("left %v", left)
	}
	if removed, err := RemoveTemps(filepath.Join(dir, "missing"), time.Now()); err != nil || removed != nil {
		t.Fatalf("missing folder: %v %v", removed, err)
	}
}
