package auth

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// KeySize is the length in bytes of the token signing key.
const KeySize = 32

// LoadOrCreateKey returns the token signing key stored at path. On first run
// (no file) it creates one: 32 random bytes, file mode 0600. An existing file
// that is not exactly 32 bytes, holds only zero bytes, or can be read by other
// users is reported as an error and never overwritten: replacing the key
// silently would log everyone out, and a damaged key file deserves a look.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := readKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(path); err != nil {
		return nil, err
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("token key %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("token key %s: not a regular file", path)
	}
	// Windows reports synthetic permission bits, so only check them elsewhere.
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("token key %s: permissions %04o let other users read it; run: chmod 600 %s", path, perm, path)
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("token key %s: %w", path, err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("token key %s: holds %d bytes, want %d; the file is damaged — restore it from a backup, or delete it to create a new key (this signs everyone out)", path, len(key), KeySize)
	}
	if bytes.Equal(key, make([]byte, KeySize)) {
		return nil, fmt.Errorf("token key %s: holds only zero bytes; the file is damaged — restore it from a backup, or delete it to create a new key (this signs everyone out)", path)
	}
	return key, nil
}

// createKey writes a new key to a temporary file and hard-links it into
// place, so a crash never leaves a half-written key and a key created at the
// same moment by another process is kept rather than replaced.
func createKey(path string) (err error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("token key: generating random bytes: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".secret-*.tmp")
	if err != nil {
		return fmt.Errorf("token key %s: %w", path, err)
	}
	defer func() {
		if rmErr := os.Remove(tmp.Name()); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("token key %s: removing temporary file: %w", path, rmErr)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("token key %s: %w", path, err)
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return fmt.Errorf("token key %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("token key %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("token key %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("token key %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("token key: %w", err)
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("token key: syncing %s: %w", dir, err)
	}
	return d.Close()
}
