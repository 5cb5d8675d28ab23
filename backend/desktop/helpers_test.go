package desktop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/admin"
	"podcastfy/backend/app/clients"
	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/audio"
	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
	"podcastfy/backend/library"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/player"
	"podcastfy/backend/store"
	"podcastfy/backend/tts"
	"podcastfy/templates"
)

// fixtureMP3 is a 3-second tone, made once per test process.
var fixtureMP3 string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "desktop-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixtureMP3 = filepath.Join(dir, "tone.mp3")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
		"-i", "sine=frequency=440:sample_rate=24000:duration=3", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", fixtureMP3).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ffmpeg: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const testPassword = "correct horse battery"

// fakeRuntime records events and answers folder dialogs with dir and
// file dialogs with files.
type fakeRuntime struct {
	events.Recorder
	mu      sync.Mutex
	dir     string
	err     error
	titles  []string
	files   []string
	filters [][]FileFilter
	quits   int
	changed chan struct{}
}

func newFakeRuntime() *fakeRuntime { return &fakeRuntime{changed: make(chan struct{}, 1)} }

func (r *fakeRuntime) Emit(name string, data any) {
	r.Recorder.Emit(name, data)
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *fakeRuntime) ChooseDirectory(title string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.titles = append(r.titles, title)
	return r.dir, r.err
}

func (r *fakeRuntime) ChooseFiles(title string, filters []FileFilter) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.titles = append(r.titles, title)
	r.filters = append(r.filters, filters)
	return r.files, r.err
}

// Quit counts the closes asked of the window; the test asks the window's
// before-close check itself, as Wails would.
func (r *fakeRuntime) Quit() {
	r.mu.Lock()
	r.quits++
	r.mu.Unlock()
}

func (r *fakeRuntime) answerFiles(files []string, err error) {
	r.mu.Lock()
	r.files, r.err = files, err
	r.mu.Unlock()
}

func (r *fakeRuntime) answer(dir string, err error) {
	r.mu.Lock()
	r.dir, r.err = dir, err
	r.mu.Unlock()
}

// waitEvent waits until an event matching ok was emitted and returns it.
func (r *fakeRuntime) waitEvent(t *testing.T, timeout time.Duration, what string, ok func(events.Event) bool) events.Event {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		for _, e := range r.Events() {
			if ok(e) {
				return e
			}
		}
		select {
		case <-r.changed:
		case <-deadline.C:
			t.Fatalf("no %s event within %v; got %v", what, timeout, eventNames(r.Events()))
		}
	}
}

func eventNames(evs []events.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Name
	}
	return out
}

// fakeOutput is a sound device that takes samples only when the test pulls.
type fakeOutput struct {
	mu      sync.Mutex
	s       beep.Streamer
	running bool
	opens   int
	got     int
}

func (f *fakeOutput) Open(context.Context, beep.SampleRate) error {
	f.mu.Lock()
	f.opens++
	f.mu.Unlock()
	return nil
}

func (f *fakeOutput) Start(s beep.Streamer) error {
	f.mu.Lock()
	f.s, f.running = s, true
	f.mu.Unlock()
	return nil
}

func (f *fakeOutput) Pause() error {
	f.mu.Lock()
	f.running = false
	f.mu.Unlock()
	return nil
}

func (f *fakeOutput) Resume() error {
	f.mu.Lock()
	f.running = true
	f.mu.Unlock()
	return nil
}

func (f *fakeOutput) Drained() bool          { return false }
func (f *fakeOutput) Err() error             { return nil }
func (f *fakeOutput) Latency() time.Duration { return 0 }
func (f *fakeOutput) Close() error           { return nil }

// pull takes n samples as a running device would; it reports how many came.
func (f *fakeOutput) pull(n int) int {
	f.mu.Lock()
	s, running := f.s, f.running
	f.mu.Unlock()
	if s == nil || !running {
		return 0
	}
	buf := make([][2]float64, n)
	k, _ := s.Stream(buf)
	f.mu.Lock()
	f.got += k
	f.mu.Unlock()
	return k
}

// testEnv is a desktop over real store, accounts and jobs in a temp folder,
// with a fake Ollama, a fake runtime and a fake sound device.
type testEnv struct {
	paths   config.Paths
	store   *store.Store
	auth    *auth.Service
	jobs    *core.Service
	rt      *fakeRuntime
	out     *fakeOutput
	ollama  *ollamatest.Server
	whisper *asrtest.Server
	d       *Desktop
}

// closedURL is an http URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// freePort is a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func newEnv(t *testing.T, edit ...func(*config.Settings)) *testEnv {
	t.Helper()
	root := t.TempDir()
	paths := config.Paths{
		Config: filepath.Join(root, "config"), Data: filepath.Join(root, "data"),
		State: filepath.Join(root, "state"), Cache: filepath.Join(root, "cache"),
	}
	if err := paths.EnsureDirs(); err != nil {
		t.Fatal(err)
	}
	ollama := ollamatest.New("llama3.2")
	t.Cleanup(ollama.Close)
	s := config.Defaults()
	s.Ollama.URL = ollama.URL
	s.Writer = "extractive"
	s.TTS.OpenAI.URL = closedURL(t) + "/v1"
	s.TTS.Kyutai.URL = closedURL(t)
	s.TTS.Piper.URL = closedURL(t)
	whisper := asrtest.NewWhisperASR(t, asrtest.Config{Text: sourceText})
	s.Whisper.URL = whisper.URL
	s.Server.Port = freePort(t)
	s.Generation.Minutes = 0.5
	for _, e := range edit {
		e(&s)
	}
	log := slog.New(slog.DiscardHandler)
	st, err := store.Open(paths, templates.FS, log)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	accounts := auth.New(st.Users(), key, auth.Options{BcryptCost: bcrypt.MinCost})
	rt := newFakeRuntime()
	relay := &Relay{}
	if err := config.Save(paths.ConfigFile(), s); err != nil {
		t.Fatal(err)
	}
	live, err := config.OpenLive(paths.ConfigFile())
	if err != nil {
		t.Fatal(err)
	}
	cl := clients.Factory{Getenv: func(string) string { return "" }, Log: log}
	ol, err := cl.Ollama(s)
	if err != nil {
		t.Fatal(err)
	}
	transcriber, err := asr.New(asr.ProviderWhisperASR, whisper.URL, "", nil, log)
	if err != nil {
		t.Fatal(err)
	}
	writers := core.Writers{Ollama: ol, Extractive: llm.NewExtractive()}
	synths := &core.Synths{New: func(name string) (tts.Synthesizer, error) {
		return cl.Synthesizer(name, live.Get())
	}}
	jobs, err := core.NewService(core.Config{
		JobsDir: paths.JobsDir(), CacheDir: paths.TTSCacheDir(), Workers: 2,
		Audio: audio.DefaultOptions(),
		// The settings in force, as backend/app gives them: a Save reaches
		// the next plan and job.
		Defaults: func() (core.Defaults, error) {
			s, err := live.Current()
			return core.Defaults{Template: s.Generation.Template, Minutes: s.Generation.Minutes, Language: s.Generation.Language,
				TTS: s.TTS.Provider, Writer: s.Writer, Voices: s.TTS.Voices}, err
		},
	}, core.Deps{
		Podcasts: st.Podcasts(), Templates: st.Templates(), Writers: writers, Synths: synths,
		Emitter: events.Multi{rt, relay}, Log: log,
		Ingest: ingest.New(ingest.Options{Transcriber: transcriber}, log), Process: st.Process(),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := &fakeOutput{}
	lib := library.New(st.Podcasts(), log)
	d, err := New(Deps{
		Paths: paths, Settings: live, Clients: cl, Admin: admin.New(live, cl, log), Store: st, Auth: accounts, Library: lib, Jobs: jobs, Synths: synths,
		Studio:  core.NewStudio(jobs, lib, st.Podcasts(), ol),
		Removal: &core.UserRemoval{Accounts: accounts, Users: st.Users(), Podcasts: st.Podcasts(), Templates: st.Templates(), Jobs: jobs},
		Relay:   relay, Runtime: rt, Player: player.Options{Output: out, Watchdog: time.Minute},
		Key: key, Version: "test", Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return &testEnv{paths: paths, store: st, auth: accounts, jobs: jobs, rt: rt, out: out, ollama: ollama, whisper: whisper, d: d}
}

// user makes an account and logs it in to the desktop.
func (e *testEnv) login(t *testing.T, name string, admin bool) store.User {
	t.Helper()
	u, err := e.auth.CreateUser(name, testPassword, nil, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Auth.Login(name, testPassword); err != nil {
		t.Fatal(err)
	}
	return u
}

const fixtureVTT = `WEBVTT

00:00:00.100 --> 00:00:01.000
<v Alex>Hello &amp; welcome.

00:00:01.350 --> 00:00:02.500
<v Sam>Thanks, Alex.

00:00:02.500 --> 00:00:02.900
<v Alex>Bye.
`

const fixtureChapters = `{"version":"1.2.0","chapters":[{"startTime":0,"endTime":1.2,"title":"Intro"},{"startTime":1.2,"endTime":3,"title":"Main"}]}`

// addPodcast commits a 3-second podcast of owner with every media file.
func (e *testEnv) addPodcast(t *testing.T, owner, title string, duration float64, date time.Time) store.Podcast {
	t.Helper()
	id := store.NewID()
	lib := e.store.Podcasts()
	files := map[string][]byte{
		store.KindVTT:      []byte(fixtureVTT),
		store.KindSRT:      []byte("1\n00:00:00,100 --> 00:00:01,000\nAlex: Hello & welcome.\n"),
		store.KindChapters: []byte(fixtureChapters),
		store.KindScript:   []byte(`{"title":"x","lines":[]}`),
	}
	mp3, err := os.ReadFile(fixtureMP3)
	if err != nil {
		t.Fatal(err)
	}
	files[store.KindAudio] = mp3
	staged := map[string]string{}
	for kind, data := range files {
		path, err := lib.StagePath(id, kind, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		staged[kind] = path
	}
	p, err := lib.Commit(store.Podcast{
		ID: id, Title: title, Duration: duration, GeneratedDate: date, Owner: owner,
		Chapters: []store.ChapterMark{{Title: "Intro", Start: 0}, {Title: "Main", Start: 1.2}},
	}, staged)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// wantErr fails unless err's message contains want ("" wants no error).
func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q, want one containing %q", err, want)
	}
}

// notLoggedIn checks that a facade call refuses without a login.
func notLoggedIn(t *testing.T, name string, err error) {
	t.Helper()
	if !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("%s without a login: err = %v, want %q", name, err, ErrNotLoggedIn)
	}
}

// now is a fixed, recent time for podcast dates.
func (e *testEnv) now() time.Time { return time.Now().UTC().Truncate(time.Second) }

// has reports whether an event matching ok was emitted.
func (r *fakeRuntime) has(ok func(events.Event) bool) bool {
	for _, e := range r.Events() {
		if ok(e) {
			return true
		}
	}
	return false
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
