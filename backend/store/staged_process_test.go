package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/config"
)

const stageEnv = "PODCASTFY_STORE_STAGE_CHILD"

// stager is a child process (this test binary run again) that opened the
// store and staged a podcast's files, as a generation job does before it
// commits.
type stager struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	lines  *bufio.Scanner
	staged []string
	stderr *strings.Builder
}

func startStager(t *testing.T, home, id string) *stager {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStagedFilesOfEndedProcesses$")
	cmd.Env = append(os.Environ(), stageEnv+"="+home+"|"+id)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &stager{cmd: cmd, in: in, lines: bufio.NewScanner(out), stderr: &strings.Builder{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for c.lines.Scan() && c.lines.Text() != "ready" {
		if path, ok := strings.CutPrefix(c.lines.Text(), "staged "); ok {
			c.staged = append(c.staged, path)
		}
	}
	if len(c.staged) != 2 {
		t.Fatalf("child %s staged %v:\n%s", id, c.staged, c.stderr)
	}
	return c
}

// say sends the child a command and returns its answer.
func (c *stager) say(t *testing.T, cmd string) string {
	t.Helper()
	fmt.Fprintln(c.in, cmd)
	if !c.lines.Scan() {
		t.Fatalf("the child did not answer %q:\n%s", cmd, c.stderr)
	}
	return c.lines.Text()
}

// stageChild opens the store, stages the audio and the subtitles of
// podcast id, prints their paths, then commits them when told to, and
// exits when its input ends.
func stageChild(env string) {
	home, id, _ := strings.Cut(env, "|")
	paths := config.Paths{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data"), State: filepath.Join(home, "state"), Cache: filepath.Join(home, "cache")}
	s, err := Open(paths, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	staged := map[string]string{}
	for _, kind := range []string{KindAudio, KindVTT} {
		path, err := s.Podcasts().StagePath(id, kind, "")
		if err == nil {
			err = os.WriteFile(path, []byte(kind+" of "+id), 0o600)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		staged[kind] = path
		fmt.Println("staged", path)
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() == "commit" {
			if _, err := s.Podcasts().Commit(Podcast{ID: id, Title: id}, staged); err != nil {
				fmt.Println("error", err)
				continue
			}
			fmt.Println("committed")
		}
	}
}

// A process killed while it stages a podcast leaves staged files; the next
// Open removes them at once, however fresh, while the staged files of a
// process still running are left to it, and it commits them afterwards.
func TestStagedFilesOfEndedProcesses(t *testing.T) {
	if env := os.Getenv(stageEnv); env != "" {
		stageChild(env)
		return
	}
	paths := testPaths(t)
	home := filepath.Dir(paths.Data)
	killed := startStager(t, home, "killed")
	running := startStager(t, home, "running")
	if err := killed.cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs
		t.Fatal(err)
	}
	killed.cmd.Wait()
	for _, path := range killed.staged {
		if !exists(path) {
			t.Fatalf("%s vanished before any Open", path)
		}
	}

	s := open(t, paths)
	for _, path := range killed.staged {
		if exists(path) {
			t.Errorf("Open left %s, staged by a process that was killed", path)
		}
	}
	for _, path := range running.staged {
		if !exists(path) {
			t.Errorf("Open removed %s, staged by a process still running", path)
		}
	}
	locks := dirNames(t, paths.ProcessesDir())
	if len(locks) != 2 { // the running child's and this store's
		t.Errorf("lock files after Open: %v, want the two of live processes", locks)
	}
	if got := running.say(t, "commit"); got != "committed" {
		t.Fatalf("the running process could not commit after another Open: %s", got)
	}
	running.in.Close()
	if err := running.cmd.Wait(); err != nil {
		t.Fatalf("the running child: %v\n%s", err, running.stderr)
	}

	// Its podcast is whole; nothing staged is left, and only the locks of
	// the stores open here remain.
	s2 := open(t, paths)
	if err := s2.Podcasts().wait(); err != nil {
		t.Fatal(err)
	}
	p, err := s2.Podcasts().Get("running")
	if err != nil || p.Sizes[KindAudio] != int64(len("audio of running")) || p.Sizes[KindVTT] != int64(len("vtt of running")) {
		t.Fatalf("the committed podcast: %+v, %v", p, err)
	}
	for _, name := range dirNames(t, paths.PodcastsDir()) {
		if strings.HasPrefix(name, ".") {
			t.Errorf("%s left in the library", name)
		}
	}
	want := []string{s.Process().ID() + ".lock", s2.Process().ID() + ".lock"}
	if got := dirNames(t, paths.ProcessesDir()); len(got) != 2 || !(got[0] == want[0] && got[1] == want[1] || got[0] == want[1] && got[1] == want[0]) {
		t.Errorf("lock files %v, want %v", got, want)
	}
}
