package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidID(t *testing.T) {
	cases := map[string]bool{
		"abc": true, "A-b_9": true, strings.Repeat("x", 64): true, NewID(): true, "-": true,
		"": false, strings.Repeat("x", 65): false, "..": false, ".": false, "a/b": false, `a\b`: false,
		"a\x00b": false, "a b": false, "a.json": false, "é": false, "a\n": false, "~root": false, "%2e%2e": false,
	}
	for id, ok := range cases {
		err := ValidID(id)
		if (err == nil) != ok {
			t.Errorf("ValidID(%q) = %v, want ok=%v", id, err, ok)
		}
		if err != nil {
			mustErr(t, err, ErrInvalidID)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if err := ValidID(id); err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %s", id)
		}
		seen[id] = true
	}
}

func FuzzValidID(f *testing.F) {
	for _, s := range []string{"abc", "..", "../etc/passwd", "a/b", "a\x00", NewID(), strings.Repeat("z", 64), "", "ü", "a.b"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, id string) {
		if ValidID(id) != nil {
			return
		}
		// An accepted id must stay one plain name inside its folder.
		if len(id) == 0 || len(id) > MaxIDLength || strings.ContainsAny(id, "./\\\x00") {
			t.Fatalf("ValidID accepted %q", id)
		}
		p := filepath.Join(dir, id+".json")
		if filepath.Dir(p) != dir || filepath.Base(p) != id+".json" {
			t.Fatalf("%q escapes its folder: %s", id, p)
		}
	})
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	for i, content := range []string{"first", "second, longer content", ""} {
		if err := WriteFileAtomic(path, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("write %d: read %q, %v", i, got, err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o640 {
			t.Fatalf("mode %v, want 0640", fi.Mode().Perm())
		}
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Fatalf("temp files left behind: %v", names)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x"), 0o600); err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
	// A folder in the way: the rename fails and the temp file is removed.
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "sub", "x"), "keep")
	if err := WriteFileAtomic(filepath.Join(dir, "sub"), []byte("x"), 0o600); err == nil {
		t.Fatal("writing over a folder succeeded")
	}
	if names := dirNames(t, dir); len(names) != 2 {
		t.Fatalf("temp file left after a failed write: %v", names)
	}
}
