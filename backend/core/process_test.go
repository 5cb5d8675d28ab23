package core

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

const jobChildEnv = "PODCASTFY_CORE_JOB_CHILD"

// openService opens the store and the job service over home, as
// backend/app does for every process.
func openService(home string, synth *toneSynth) (*Service, *store.Store, error) {
	paths := config.Paths{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data"), State: filepath.Join(home, "state"), Cache: filepath.Join(home, "cache")}
	st, err := store.Open(paths, templates.FS, nil)
	if err != nil {
		return nil, nil, err
	}
	svc, err := NewService(testConfig(paths), Deps{
		Podcasts: st.Podcasts(), Templates: st.Templates(), Writers: writerSource{&scriptedWriter{script: sampleScript(8)}},
		Synths: staticSource{synth}, Log: slog.New(slog.DiscardHandler), Process: st.Process(),
	})
	return svc, st, err
}

// jobChild starts a job that stops mid-synthesis, prints its id, and runs
// until it is killed.
func jobChild(env string) {
	home, owner, _ := strings.Cut(env, "|")
	synth := &toneSynth{blockOn: "Line three of part two", blocked: make(chan struct{})}
	svc, _, err := openService(home, synth)
	if err == nil {
		var st Status
		if st, err = svc.Start(context.Background(), Request{Owner: owner, Text: riverText}); err == nil {
			<-synth.blocked
			fmt.Println("running", st.ID)
			select {} // until killed
		}
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}

// A job service starting while another process runs a job (a CLI command
// while `podcastfy serve` works) leaves that job alone: it neither loads
// nor rewrites its record, and deleting the job's user says it was left to
// that process. Once that process is killed, the next service to start
// finds the job interrupted, and it resumes to the end.
func TestJobsOfLiveProcessesAreLeftAlone(t *testing.T) {
	if env := os.Getenv(jobChildEnv); env != "" {
		jobChild(env)
		return
	}
	home := t.TempDir()
	svc0, st0, err := openService(home, &toneSynth{})
	if err != nil {
		t.Fatal(err)
	}
	svc0.Shutdown(context.Background())
	admin, err := st0.Users().Create(store.User{Username: "admin", PasswordHash: "x", IsAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	user, err := st0.Users().Create(store.User{Username: "listener", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestJobsOfLiveProcessesAreLeftAlone$")
	cmd.Env = append(os.Environ(), jobChildEnv+"="+home+"|"+user.ID)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	var id string
	for id == "" && lines.Scan() {
		id, _ = strings.CutPrefix(lines.Text(), "running ")
	}
	if id == "" {
		t.Fatalf("the child started no job:\n%s", stderr.String())
	}
	recPath := filepath.Join(home, "state", "jobs", id+".json")
	before, err := os.ReadFile(recPath)
	if err != nil {
		t.Fatal(err)
	}

	svc, st, err := openService(home, &toneSynth{})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := svc.Get(t.Context(), "", id); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("a service in another process took the running job: %+v, %v", st, err)
	}
	if _, err := svc.Resume(t.Context(), user.ID, id); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("another process could resume a running job: %v", err)
	}
	key := make([]byte, 32)
	accounts := auth.New(st.Users(), key, auth.Options{})
	removal := &UserRemoval{Accounts: accounts, Users: st.Users(), Podcasts: st.Podcasts(), Templates: st.Templates(), Jobs: svc}
	gone, err := removal.Delete(t.Context(), admin, user.ID, PodcastsDelete)
	if err != nil || gone.Jobs != 0 || !strings.Contains(gone.Message, "1 job running in another podcastfy process") {
		t.Errorf("deleting the job's user: %+v, %v", gone, err)
	}
	if after, err := os.ReadFile(recPath); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the running job's record was rewritten by another process (%v):\n%s", err, after)
	}
	var rec jobRecord
	if err := json.Unmarshal(before, &rec); err != nil || !rec.Status.State.Running() || rec.Process == "" {
		t.Fatalf("the record of the running job: %+v, %v", rec, err)
	}

	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown runs
		t.Fatal(err)
	}
	cmd.Wait()
	svc.Shutdown(context.Background())
	svc2, _, err := openService(home, &toneSynth{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc2.Shutdown(context.Background()) })
	if st, err := svc2.Get(t.Context(), user.ID, id); err != nil || st.State != Interrupted {
		t.Fatalf("after its process was killed, the job is %+v, %v; want interrupted", st, err)
	}
	if _, err := svc2.Resume(t.Context(), user.ID, id); err != nil {
		t.Fatal(err)
	}
	if st, err := svc2.Wait(t.Context(), id); err != nil || st.State != Done {
		t.Fatalf("the resumed job: %+v, %v", st, err)
	}
}
