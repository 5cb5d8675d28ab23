package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
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
	for _, name := range []string{".keep.json.tmp-1", ".x.tmp-2", ".hidden"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := RemoveTemps(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if !slices.Equal(removed, []string{".keep.json.tmp-1", ".x.tmp-2"}) {
		t.Fatalf("removed %v", removed)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("left %v", entries)
	}
	if removed, err := RemoveTemps(filepath.Join(dir, "missing")); err != nil || removed != nil {
		t.Fatalf("missing folder: %v %v", removed, err)
	}
}
