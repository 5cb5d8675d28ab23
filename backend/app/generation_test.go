package app

import (
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/desktop"
	"podcastfy/backend/events"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/store"
	"podcastfy/backend/tts/ttstest"
)

const sourceText = `Rivers shape the land they cross. Over thousands of years, flowing water
carves valleys and canyons. Where a river meets the sea, it often builds a
delta from the sediment it has carried. Dams change how rivers move sediment,
and many deltas are shrinking as a result.`

// testWindow is the desktop window of a test: no dialogs, and the end of
// each job handed to the test.
type testWindow struct {
	ends chan core.Status
	drop func(paths []string)
}

func newTestWindow() *testWindow { return &testWindow{ends: make(chan core.Status, 16)} }

func (w *testWindow) Emit(name string, data any) {
	if name == events.JobDone || name == events.JobFailed {
		w.ends <- data.(core.Status)
	}
}

func (w *testWindow) ChooseDirectory(string) (string, error) { return "", nil }

func (w *testWindow) ChooseFiles(string, []desktop.FileFilter) ([]string, error) { return nil, nil }

func (w *testWindow) Quit() {}

func (w *testWindow) OnFilesDropped(fn func(paths []string)) { w.drop = fn }

// finished waits for the end of job id.
func (w *testWindow) finished(t *testing.T, id string) core.Status {
	t.Helper()
	for st := range w.ends {
		if st.ID == id {
			return st
		}
	}
	panic("unreachable: the channel is never closed")
}

// deadURL is an http URL on which nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// openJobs opens the app as production does, with its job service and a
// window that records how jobs end, and an administrator to own the jobs.
func openJobs(t *testing.T, opts Options) (*App, *Generation, *testWindow, store.User) {
	t.Helper()
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	ends := newTestWindow()
	gen, err := a.Generation(ends)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gen.Jobs.Shutdown(t.Context()) })
	u, err := a.Auth.CreateUser("alice", "alice-password", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	return a, gen, ends, u
}

// writeConfig writes config.yaml before the app opens it.
func writeConfig(t *testing.T, opts Options, yaml string) config.Paths {
	t.Helper()
	paths, err := config.ResolvePaths(opts.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := paths.EnsureDirs(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths.ConfigFile(), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return paths
}

// Settings saved in the desktop's settings screen reach the next job of the
// running job service: the Ollama URL and model, the writer choice and the
// TTS provider, with no restart.
func TestDesktopSettingsReachTheNextJob(t *testing.T) {
	opts := testOptions(t.TempDir())
	writeConfig(t, opts, "ollama:\n  url: "+deadURL(t)+"\n  connectTimeoutSeconds: 1\nwriter: ollama\ngeneration:\n  minutes: 0.5\n")
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWindow()
	desk, err := a.Desktop(w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { desk.Shutdown(t.Context()) })
	if _, err := desk.Auth.CreateFirstUser("admin", "admin-password"); err != nil {
		t.Fatal(err)
	}
	run := func() core.Status {
		t.Helper()
		st, err := desk.Generator.Start(desktop.GenerateRequest{Text: sourceText, TemplateID: "deep-dive"})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		return w.finished(t, st.ID)
	}
	save := func(edit func(*config.Settings)) {
		t.Helper()
		s, err := desk.Settings.Get()
		if err != nil {
			t.Fatal(err)
		}
		edit(&s)
		if _, err := desk.Settings.Save(s); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}

	// Checked before the job starts: refused at the writer.
	if _, err := desk.Generator.Start(desktop.GenerateRequest{Text: sourceText, TemplateID: "deep-dive"}); apperr.From(err).Field != "writer" {
		t.Fatalf("with Ollama on a dead port Start = %v, want a refusal at writer", err)
	}

	ollama := ollamatest.New("mistral")
	defer ollama.Close()
	save(func(s *config.Settings) { s.Ollama.URL, s.Ollama.Model = ollama.URL, "mistral" })
	if st := run(); st.State != core.Done || st.Writer != "ollama" {
		t.Fatalf("after saving the Ollama URL: %s by %q (%s)", st.State, st.Writer, st.Error)
	}
	chats := ollama.Chats()
	if len(chats) == 0 || chats[0].Model != "mistral" {
		t.Fatalf("the saved Ollama received %d chat requests (model %v)", len(chats), chats)
	}

	save(func(s *config.Settings) { s.Writer = "extractive" })
	before := len(ollama.Chats())
	if st := run(); st.State != core.Done || st.Writer != "extractive" {
		t.Fatalf("after choosing the extractive writer: %s by %q (%s)", st.State, st.Writer, st.Error)
	}
	if n := len(ollama.Chats()); n != before {
		t.Errorf("the extractive writer's job asked Ollama %d times", n-before)
	}

	speech := &ttstest.OpenAI{}
	srv := httptest.NewServer(speech)
	defer srv.Close()
	save(func(s *config.Settings) { s.TTS.Provider, s.TTS.OpenAI.URL = "openai", srv.URL+"/v1" })
	if st := run(); st.State != core.Done || st.TTS != "openai" {
		t.Fatalf("after choosing the OpenAI provider: %s with %q (%s)", st.State, st.TTS, st.Error)
	}
	if len(speech.Requests()) == 0 {
		t.Error("the saved OpenAI speech server received no request")
	}
}

// A config.yaml changed by an editor applies to the next job; one changed
// into something that is not settings refuses the job, naming the line, and
// the last good settings stay in force.
func TestEditedConfigReachesTheNextJob(t *testing.T) {
	opts := testOptions(t.TempDir())
	paths := writeConfig(t, opts, "writer: extractive\ngeneration:\n  minutes: 0.5\n")
	a, gen, ends, u := openJobs(t, opts)
	run := func() (core.Status, error) {
		st, err := gen.Jobs.Start(t.Context(), core.Request{Owner: u.ID, Text: sourceText, TemplateID: "deep-dive"})
		if err != nil {
			return st, err
		}
		return ends.finished(t, st.ID), nil
	}
	if st, err := run(); err != nil || st.State != core.Done || st.Writer != "extractive" {
		t.Fatalf("first job: %+v, %v", st, err)
	}

	ollama := ollamatest.New("llama3.2")
	defer ollama.Close()
	edited := "ollama:\n  url: " + ollama.URL + "\nwriter: auto\ngeneration:\n  minutes: 0.5\n"
	if err := os.WriteFile(paths.ConfigFile(), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, err := run(); err != nil || st.State != core.Done || st.Writer != "ollama" {
		t.Fatalf("after the edit: %+v, %v", st, err)
	}
	if len(ollama.Chats()) == 0 {
		t.Fatal("the Ollama named in the edited file received no chat request")
	}

	if err := os.WriteFile(paths.ConfigFile(), []byte(edited+"writter: auto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := run(); err == nil || !strings.Contains(err.Error(), paths.ConfigFile()+":6") {
		t.Fatalf("a damaged config.yaml: %v, want an error naming line 6", err)
	}
	if got := a.Settings.Get().Ollama.URL; got != ollama.URL {
		t.Errorf("the settings in force became %q", got)
	}
}

// The speech recognition server named in an edited config.yaml transcribes
// the next job's recording.
func TestEditedWhisperReachesTheNextJob(t *testing.T) {
	opts := testOptions(t.TempDir())
	paths := writeConfig(t, opts, "writer: extractive\nwhisper:\n  url: "+deadURL(t)+"\ngeneration:\n  minutes: 0.5\n")
	_, gen, ends, u := openJobs(t, opts)
	recording := filepath.Join(t.TempDir(), "talk.wav")
	if err := os.WriteFile(recording, asrtest.Speech(t, "Rivers shape the land they cross."), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() core.Status {
		t.Helper()
		st, err := gen.Jobs.Start(t.Context(), core.Request{Owner: u.ID, TemplateID: "deep-dive",
			Sources: []core.Source{{Kind: "audio", Name: "talk.wav", Path: recording}}})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		return ends.finished(t, st.ID)
	}
	// Checked before the job starts: refused at the sources.
	if _, err := gen.Jobs.Start(t.Context(), core.Request{Owner: u.ID, TemplateID: "deep-dive",
		Sources: []core.Source{{Kind: "audio", Name: "talk.wav", Path: recording}}}); apperr.From(err).Field != "sources" || !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("with Whisper on a dead port Start = %v, want a refusal at sources", err)
	}
	whisper := asrtest.NewWhisperASR(t, asrtest.Config{Text: sourceText})
	if err := os.WriteFile(paths.ConfigFile(), []byte("writer: extractive\nwhisper:\n  url: "+whisper.URL+"\ngeneration:\n  minutes: 0.5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := run(); st.State != core.Done {
		t.Fatalf("after the edit the job ended %s (%s)", st.State, st.Error)
	}
	if len(whisper.Requests()) == 0 {
		t.Error("the Whisper server named in the edited file received no request")
	}
}
