package store

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/config"
	"podcastfy/backend/template"
)

const crashEnv = "PODCASTFY_STORE_CRASH_CHILD"

// TestCrashDuringWrites re-runs this test binary as a child that writes
// podcasts, users, templates and settings in a loop, kills it with SIGKILL
// in the middle, and checks that every file left parses and that Open
// repairs the rest. Six rounds share one folder, so each round also
// starts from the previous crash.
func TestCrashDuringWrites(t *testing.T) {
	if home := os.Getenv(crashEnv); home != "" {
		crashChild(home)
		return
	}
	home := t.TempDir()
	paths, err := config.ResolvePaths(func(k string) string {
		if k == "PODCASTFY_HOME" {
			return home
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	for round, killAfter := range []int{3, 7, 12, 18, 25, 33} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringWrites$")
		cmd.Env = append(os.Environ(), crashEnv+"="+home)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		n := 0
		for n < killAfter && lines.Scan() {
			if strings.HasPrefix(lines.Text(), "begin") {
				n++
			}
		}
		// The child has just begun a write.
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: child stopped after %d writes:\n%s", round, n, stderr.String())
		}
		checkFilesParse(t, paths)
		// Leftovers are removed once they are LeftoverAge old (younger ones
		// could be another process's): open as if that much time had passed.
		s := openAt(t, paths, later)
		// The repairs are part of the index's build, which Open starts.
		if err := s.Podcasts().wait(); err != nil {
			t.Fatal(err)
		}
		checkLibrary(t, paths, s)
	}
}

// crashChild writes forever (until killed, or 100,000 writes), printing a
// line before each write begins and after it ends.
func crashChild(home string) {
	paths := config.Paths{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data"), State: filepath.Join(home, "state"), Cache: filepath.Join(home, "cache")}
	s, err := Open(paths, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ps, us, ts := s.Podcasts(), s.Users(), s.Templates()
	audio := strings.Repeat("frame", 20000) // 100 kB
	src := strings.Repeat("source ", 20000) // 140 kB of metadata: writes take a while
	done := func(what string, err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, what, err)
			os.Exit(3)
		}
		fmt.Println(what)
	}
	var last string
	for i := range 100_000 {
		fmt.Println("begin")
		switch i % 6 {
		case 0:
			id := NewID()
			var staged = map[string]string{}
			for _, kind := range []string{KindAudio, KindVTT, KindScript} {
				path, err := ps.StagePath(id, kind, "")
				if err == nil {
					err = os.WriteFile(path, []byte(audio[:len(audio)/(1+len(staged))]), 0o600)
				}
				staged[kind] = path
				if err != nil {
					done("stage", err)
				}
			}
			_, err := ps.Commit(Podcast{ID: id, Title: "t", SourceText: &src}, staged)
			done("commit", err)
			last = id
		case 1:
			_, err := ps.Update(last, func(p *Podcast) error { p.Title = strings.Repeat("updated ", i%50+1); return nil })
			done("update", err)
		case 2:
			if i%4 == 0 {
				done("delete", ps.Delete(last))
			} else {
				done("keep", nil)
			}
		case 3:
			_, err := us.Create(User{Username: NewID(), PasswordHash: strings.Repeat("h", 2000)})
			done("user", err)
		case 4:
			tpl := template.Template{
				ID: "crash", Name: strings.Repeat("n", i%60+1), LLMPromptInstructions: strings.Repeat("Talk. ", 3000),
				Speakers: []template.Speaker{{Name: "A", Role: "host"}}, Structure: []string{"all"}, Minutes: 1, Language: "en",
			}
			done("template", ts.Save(tpl))
		case 5:
			st := config.Defaults()
			st.Server.Port = 1024 + i
			done("config", config.Save(paths.ConfigFile(), st))
		}
	}
}

// checkFilesParse reads every final file as its reader would.
func checkFilesParse(t *testing.T, paths config.Paths) {
	t.Helper()
	for _, name := range dirNames(t, paths.PodcastsDir()) {
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || ValidID(id) != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(paths.PodcastsDir(), name))
		var p Podcast
		if err == nil {
			err = json.Unmarshal(data, &p)
		}
		if err != nil || p.ID != id {
			t.Fatalf("%s does not parse after a crash: %v", name, err)
		}
	}
	if data, err := os.ReadFile(paths.UsersFile()); err == nil {
		if _, err := parseUsers(paths.UsersFile(), data); err != nil {
			t.Fatalf("users.json after a crash: %v", err)
		}
	}
	if _, err := config.Load(paths.ConfigFile()); err != nil {
		t.Fatalf("config.yaml after a crash: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(paths.TemplatesDir(), "crash.yaml")); err == nil {
		if _, err := template.Parse("crash.yaml", data); err != nil {
			t.Fatalf("template after a crash: %v", err)
		}
	}
}

// checkLibrary checks the state after a later Open: no temp files, and every
// listed podcast has all its files with the recorded sizes.
func checkLibrary(t *testing.T, paths config.Paths, s *Store) {
	t.Helper()
	for _, dir := range []string{paths.PodcastsDir(), paths.Data, paths.Config, paths.TemplatesDir()} {
		for _, name := range dirNames(t, dir) {
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, tombstoneSuffix) {
				t.Fatalf("%s left in %s after Open", name, dir)
			}
		}
	}
	list, _, err := s.Podcasts().List(ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	owned := map[string]bool{}
	for _, p := range list {
		owned[p.ID+".json"] = true
		if len(p.Files) != 3 {
			t.Fatalf("podcast %s lists files %v", p.ID, p.Files)
		}
		for kind, name := range p.Files {
			owned[name] = true
			fi, err := os.Stat(filepath.Join(paths.PodcastsDir(), name))
			if err != nil || fi.Size() != p.Sizes[kind] {
				t.Fatalf("podcast %s: %s file: %v (size %v, want %d)", p.ID, kind, err, fi, p.Sizes[kind])
			}
		}
	}
	for _, name := range dirNames(t, paths.PodcastsDir()) {
		if !owned[name] {
			t.Fatalf("file %s belongs to no listed podcast", name)
		}
	}
}
