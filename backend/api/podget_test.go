package api

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
)

// TestPodgetDownloadsTheFeed subscribes podget, a real command-line podcast
// client (Debian package podget, installed by make deps), to a feed served
// on loopback: it must save every episode under its title, ending in .mp3,
// with the bytes of the podcast's audio.
func TestPodgetDownloadsTheFeed(t *testing.T) {
	podget, err := exec.LookPath("podget")
	if err != nil {
		t.Fatalf("podget is not installed (make deps installs it): %v", err)
	}
	tt := newTester(t, testOptions{})
	rivers := tt.addPodcast(tt.alice, "Rivers & Deltas", "text", 2*time.Hour)
	glaciers := tt.addPodcast(tt.alice, "Glaciers: ice that flows", "text", time.Hour)
	feedURL := tt.srv.URL + tt.feedPath(tt.aliceTok)

	dir := t.TempDir()
	conf, library := filepath.Join(dir, "config"), filepath.Join(dir, "library")
	env := append(os.Environ(), "HOME="+dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// podget's own default configuration, with a library of our own, no
	// playlists, and our feed as the only subscription.
	create := exec.CommandContext(ctx, podget, "--dir_config", conf, "--create-config", "podgetrc")
	create.Env = env
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("podget --create-config: %v\n%s", err, out)
	}
	rcPath := filepath.Join(conf, "podgetrc")
	rc, err := os.ReadFile(rcPath)
	if err != nil {
		t.Fatal(err)
	}
	rc = regexp.MustCompile(`(?m)^DIR_LIBRARY=.*$`).ReplaceAll(rc, []byte("DIR_LIBRARY="+library))
	rc = regexp.MustCompile(`(?m)^NO_PLAYLIST=.*$`).ReplaceAll(rc, []byte("NO_PLAYLIST=1"))
	if err := os.WriteFile(rcPath, rc, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "serverlist"), []byte(feedURL+" podcastfy Alice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, podget, "--dir_config", conf, "--dir_session", filepath.Join(dir, "session"), "--verbosity", "2")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("podget: %v\n%s", err, out)
	}

	// podget keeps its logs in the library and the episodes in
	// <category>/<name>.
	if failed, err := os.ReadFile(filepath.Join(library, "errors")); err == nil && len(bytes.TrimSpace(failed)) > 0 {
		t.Errorf("podget logged failures:\n%s", failed)
	}
	saved := map[string][]byte{}
	filepath.WalkDir(filepath.Join(library, "podcastfy", "Alice"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			data, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Error(rerr)
			}
			saved[filepath.Base(path)] = data
		}
		return nil
	})
	var names []string
	for name := range saved {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"glaciers-ice-that-flows.mp3", "rivers-deltas.mp3"}; !slices.Equal(names, want) {
		t.Fatalf("podget saved %v, want %v\n%s", names, want, out)
	}
	for name, id := range map[string]string{"rivers-deltas.mp3": rivers.ID, "glaciers-ice-that-flows.mp3": glaciers.ID} {
		path, err := tt.store.Podcasts().MediaPath(id, "audio")
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(saved[name], want) {
			t.Errorf("%s holds %d bytes that are not the podcast's %d", name, len(saved[name]), len(want))
		}
	}
}
