package process

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func lockNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Claims in one process conflict as those of separate processes do, so a
// second claim (a second store opened in one program) sees the first as
// alive until it is released; a released id is gone and pruned, and ids
// that are malformed or were never claimed read as gone.
func TestClaimAliveReleasePrune(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "processes")
	a, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !ValidID(a.ID()) || a.ID() == b.ID() {
		t.Fatalf("ids %q and %q", a.ID(), b.ID())
	}
	for _, s := range []*Self{a, b} {
		if !s.Alive(a.ID()) || !s.Alive(b.ID()) {
			t.Fatalf("a live claim reads as gone")
		}
	}
	for _, id := range []string{"", "0123456789abcdef", "../../etc/passwd", "0123456789ABCDEF"} {
		if a.Alive(id) {
			t.Errorf("Alive(%q) = true for an id no process holds", id)
		}
	}
	if n, err := a.Prune(); err != nil || n != 0 {
		t.Fatalf("Prune removed %d live locks: %v", n, err)
	}
	// A claim a crash cut short before its rename, and the lock file of a
	// process that ended without releasing (its lock dropped by the kernel).
	const dead = "00000000000000aa"
	for _, name := range []string{claimPrefix + "00000000000000bb", dead + lockSuffix, "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if a.Alive(dead) {
		t.Fatal("an unlocked lock file reads as alive")
	}
	if err := b.Release(); err != nil {
		t.Fatal(err)
	}
	if a.Alive(b.ID()) || b.Alive(b.ID()) {
		t.Fatal("a released id reads as alive")
	}
	if err := b.Release(); err != nil {
		t.Fatalf("a second Release: %v", err)
	}
	if n, err := a.Prune(); err != nil || n != 2 {
		t.Fatalf("Prune removed %d, want the dead lock and the cut-short claim: %v", n, err)
	}
	if got, want := lockNames(t, dir), []string{a.ID() + lockSuffix, "notes.txt"}; !slices.Equal(got, want) {
		t.Fatalf("left %v, want %v", got, want)
	}
	if !a.Alive(a.ID()) {
		t.Fatal("Prune took a live lock")
	}
}
