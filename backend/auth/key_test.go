package auth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateKeyCreatesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	key, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != KeySize {
		t.Fatalf("key has %d bytes, want %d", len(key), KeySize)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %04o, want 0600", perm)
	}
	again, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, again) {
		t.Error("second load returned a different key")
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only secret.key (temporary file left behind?)", len(entries))
	}

	other, err := LoadOrCreateKey(filepath.Join(t.TempDir(), "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(key, other) {
		t.Error("two installations got the same key")
	}
}

func TestLoadOrCreateKeyRefusesDamagedFile(t *testing.T) {
	tests := map[string]struct {
		content []byte
		mode    os.FileMode
		want    string
	}{
		"too short":   {content: []byte("short"), mode: 0o600, want: "holds 5 bytes, want 32"},
		"too long":    {content: bytes.Repeat([]byte{7}, 33), mode: 0o600, want: "holds 33 bytes, want 32"},
		"empty":       {content: nil, mode: 0o600, want: "holds 0 bytes"},
		"all zero":    {content: make([]byte, 32), mode: 0o600, want: "only zero bytes"},
		"world read":  {content: bytes.Repeat([]byte{7}, 32), mode: 0o644, want: "chmod 600"},
		"group write": {content: bytes.Repeat([]byte{7}, 32), mode: 0o620, want: "permissions 0620"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.key")
			if err := os.WriteFile(path, tt.content, tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil { // umask may have narrowed it
				t.Fatal(err)
			}
			_, err := LoadOrCreateKey(path)
			if err == nil {
				t.Fatal("damaged key accepted")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q should name %s and say %q", err, path, tt.want)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.content) {
				t.Error("damaged key file was overwritten")
			}
		})
	}
}

func TestLoadOrCreateKeyErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreateKey(filepath.Join(dir, "missing", "secret.key")); err == nil {
		t.Error("key in a missing folder: want an error")
	}
	if _, err := LoadOrCreateKey(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("key path is a folder: got %v, want 'not a regular file'", err)
	}
}
