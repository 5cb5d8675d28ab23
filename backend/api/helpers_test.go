package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	adminsvc "podcastfy/backend/admin"
	"podcastfy/backend/app/clients"
	"podcastfy/backend/asr"
	"podcastfy/backend/audio"
	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
	"podcastfy/backend/library"
	"podcastfy/backend/llm"
	"podcastfy/backend/store"
	"podcastfy/backend/tts"
	"podcastfy/backend/voices"
	"podcastfy/templates"
)

const password = "correct horse 1"

// clock is a settable time for the server and the account service: real
// time plus an offset, or a frozen instant plus the offset.
type clock struct {
	mu     sync.Mutex
	frozen time.Time
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen.IsZero() {
		return time.Now().Add(c.offset)
	}
	return c.frozen.Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// freeze stops the clock, so tests of time limits do not depend on speed.
func (c *clock) freeze() {
	c.mu.Lock()
	c.frozen = time.Now()
	c.mu.Unlock()
}

// tester is one running API over a fresh store, with the real account
// service, the real job service (extractive writer, a tone synthesiser) and
// two users: alice (the first, so an admin) and bob.
type tester struct {
	t        *testing.T
	srv      *httptest.Server
	handler  http.Handler // what srv serves, for tests that run Serve
	hub      *Hub
	store    *store.Store
	paths    config.Paths
	live     *config.Live
	auth     *auth.Service
	jobs     *core.Service
	synth    *toneSynth
	whisper  *whisperFake
	clock    *clock
	speakers *testSpeakers // the voice service's providers
	alice    store.User
	bob      store.User
	aliceTok string
	bobTok   string
}

type testOptions struct {
	settings  config.ServerSettings
	heartbeat time.Duration
	jobs      Jobs // replaces the job service when set
	noUsers   bool // a fresh installation: no alice, no bob
	// users wraps the accounts file the account service reads.
	users func(auth.UserStore) auth.UserStore
	// publicBodyDeadline replaces the server's DefaultPublicBodyDeadline.
	publicBodyDeadline time.Duration
	// loginSlots and loginQueue set the account service's login gate.
	loginSlots, loginQueue int
	// synth replaces the tone synthesiser (espeak-ng for the studio's tests).
	synth tts.Synthesizer
	// rewriter is the studio's Ollama; nil: rewriting is unavailable.
	rewriter core.Rewriter
	// writer is the settings' writer; "" means extractive.
	writer string
	// disk sets the job service's disk limits (else its defaults).
	disk func() core.DiskLimits
	// config edits the config.yaml the admin routes serve.
	config func(*config.Settings)
	// tap also receives the job service's events (the soak's timeline).
	tap events.Emitter
}

func newTester(t *testing.T, opts testOptions) *tester {
	t.Helper()
	home := t.TempDir()
	paths := config.Paths{Config: home + "/config", Data: home + "/data", State: home + "/state", Cache: home + "/cache"}
	st, err := store.Open(paths, templates.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := auth.LoadOrCreateKey(paths.SecretKeyFile())
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{}
	var users auth.UserStore = st.Users()
	if opts.users != nil {
		users = opts.users(users)
	}
	as := auth.New(users, key, auth.Options{BcryptCost: bcrypt.MinCost, Now: clk.now,
		LoginSlots: opts.loginSlots, LoginQueue: opts.loginQueue})
	hub := NewHub(opts.heartbeat)
	synth := &toneSynth{blocked: make(chan struct{})}
	whisper := newWhisperFake(t, sourceText)
	transcriber, err := asr.NewWhisperASR(whisper.srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := core.NewService(core.Config{
		JobsDir: paths.JobsDir(), CacheDir: paths.TTSCacheDir(), Workers: 2,
		Audio:    audio.Options{SampleRate: 24000, Gap: 100 * time.Millisecond, TargetLUFS: -16, TruePeakDBTP: -1, BitrateKbps: 48},
		Defaults: core.FixedDefaults(core.Defaults{Template: "deep-dive", Minutes: 1, Language: "en", TTS: "espeak", Writer: cmp.Or(opts.writer, "extractive")}),
		Disk:     opts.disk,
	}, core.Deps{
		Podcasts: st.Podcasts(), Templates: st.Templates(),
		Writers: core.Writers{Extractive: llm.NewExtractive()},
		Synths:  staticSynths{cmp.Or[tts.Synthesizer](opts.synth, synth)}, Emitter: events.Multi{hub, cmp.Or[events.Emitter](opts.tap, events.Nop{})},
		Ingest:       ingest.New(ingest.Options{Transcriber: transcriber}, nil),
		RemoteIngest: ingest.New(ingest.Options{Transcriber: transcriber, BlockPrivateHosts: true}, nil),
		Process:      st.Process(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		jobs.Shutdown(ctx)
	})
	cfg := config.Defaults()
	if opts.config != nil {
		opts.config(&cfg)
	}
	if err := config.Save(paths.ConfigFile(), cfg); err != nil {
		t.Fatal(err)
	}
	live, err := config.OpenLive(paths.ConfigFile())
	if err != nil {
		t.Fatal(err)
	}
	var j Jobs = jobs
	if opts.jobs != nil {
		j = opts.jobs
	}
	speakers := newTestSpeakers(t)
	vs := voices.New(speakers, func() voices.Defaults { return voices.Defaults{Provider: "espeak", Language: "en"} }, voices.Options{Now: clk.now})
	lib := library.New(st.Podcasts(), nil)
	h := NewServer(Deps{
		Accounts: as, Users: st.Users(), Podcasts: st.Podcasts(), Library: lib, Templates: st.Templates(), Jobs: j,
		Removal: &core.UserRemoval{Accounts: as, Users: st.Users(), Podcasts: st.Podcasts(), Templates: st.Templates(), Jobs: jobs},
		Voices:  vs,
		Admin:   adminsvc.New(live, clients.Factory{Getenv: func(string) string { return "" }}, nil),
		Studio:  core.NewStudio(jobs, lib, st.Podcasts(), opts.rewriter),
		Hub:     hub, Settings: opts.settings, UploadDir: uploadDir(paths), Process: st.Process(), Key: key, Version: "test", Now: clk.now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicBodyDeadline: opts.publicBodyDeadline,
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(hub.Close)
	tt := &tester{t: t, srv: srv, handler: h, hub: hub, store: st, paths: paths, live: live, auth: as, jobs: jobs, synth: synth, whisper: whisper, clock: clk, speakers: speakers}
	if opts.noUsers {
		return tt
	}
	tt.alice = tt.addUser("alice")
	tt.bob = tt.addUser("bob")
	tt.aliceTok = tt.login("alice")
	tt.bobTok = tt.login("bob")
	return tt
}

// uploadDir is where the test server keeps uploads.
func uploadDir(p config.Paths) string { return p.State + "/uploads" }

// with returns the tester reporting to t (a subtest).
func (tt *tester) with(t *testing.T) *tester {
	c := *tt
	c.t = t
	return &c
}

func (tt *tester) addUser(name string) store.User {
	tt.t.Helper()
	u, err := tt.auth.CreateUser(name, password, nil, false)
	if err != nil {
		tt.t.Fatal(err)
	}
	return u
}

func (tt *tester) login(name string) string {
	tt.t.Helper()
	r := tt.do("POST", "/auth/login", "", map[string]string{"username": name, "password": password})
	r.want(http.StatusOK)
	var s auth.Session
	r.decode(&s)
	return s.Token
}

// reply is a finished request.
type reply struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
	what   string
}

// do sends a request; body is JSON-encoded unless it is a string or bytes
// (sent as they are). headers are "Key: value" pairs.
func (tt *tester) do(method, path, token string, body any, headers ...string) reply {
	tt.t.Helper()
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case string:
		rd, isJSON = strings.NewReader(b), true
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			tt.t.Fatal(err)
		}
		rd, isJSON = bytes.NewReader(data), true
	}
	req, err := http.NewRequest(method, tt.srv.URL+path, rd)
	if err != nil {
		tt.t.Fatal(err)
	}
	if isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		if k == "Host" {
			req.Host = v // the client sends req.Host, not a Host header
			continue
		}
		req.Header.Set(k, v)
	}
	return tt.send(req)
}

func (tt *tester) send(req *http.Request) reply {
	tt.t.Helper()
	resp, err := tt.srv.Client().Do(req)
	if err != nil {
		tt.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tt.t.Fatal(err)
	}
	return reply{t: tt.t, status: resp.StatusCode, header: resp.Header, body: data, what: req.Method + " " + req.URL.RequestURI()}
}

// want checks the status and, for errors, the JSON error shape and code.
// want checks the status and, for an error, the body's shape and code;
// a code written "code:field" checks the body's field too ("code:" checks
// that it has none).
func (r reply) want(status int, code ...string) reply {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("%s: status %d, want %d; body %s", r.what, r.status, status, clip(string(r.body)))
	}
	if status >= 400 {
		var e errorBody
		if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			r.t.Fatalf("%s: error body is not {\"error\":{code,message}}: %s", r.what, r.body)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			r.t.Fatalf("%s: error Content-Type %q", r.what, ct)
		}
		if len(code) > 0 {
			wantCode, wantField, withField := strings.Cut(code[0], ":")
			if e.Error.Code != wantCode || withField && e.Error.Field != wantField {
				r.t.Fatalf("%s: error code %q field %q (%s), want %q", r.what, e.Error.Code, e.Error.Field, e.Error.Message, code[0])
			}
			if withField && wantField == "" && strings.Contains(string(r.body), `"field"`) {
				r.t.Fatalf("%s: error body has a field: %s", r.what, r.body)
			}
		}
	}
	return r
}

func (r reply) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s: decoding %s: %v", r.what, clip(string(r.body)), err)
	}
}

// addPodcast commits a podcast with every kind of file directly to the
// store, generatedDate days ago.
func (tt *tester) addPodcast(owner store.User, title, text string, age time.Duration) store.Podcast {
	tt.t.Helper()
	id := store.NewID()
	files := map[string][]byte{
		store.KindAudio:    bytes.Repeat([]byte("ID3-fake-mp3-frame "), 3000),
		store.KindVTT:      []byte("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Alex>Hello\n"),
		store.KindSRT:      []byte("1\n00:00:00,000 --> 00:00:01,000\nAlex: Hello\n"),
		store.KindChapters: []byte(`{"version":"1.2.0","chapters":[{"startTime":0,"endTime":1,"title":"Intro"}]}`),
		store.KindScript:   []byte(`{"title":"x","summary":"","chapters":[]}`),
	}
	staged := map[string]string{}
	for kind, data := range files {
		p, err := tt.store.Podcasts().StagePath(id, kind, "")
		if err != nil {
			tt.t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			tt.t.Fatal(err)
		}
		staged[kind] = p
	}
	tpl := "deep-dive"
	p, err := tt.store.Podcasts().Commit(store.Podcast{
		ID: id, Title: title, Duration: 61.4, GeneratedDate: time.Now().Add(-age).UTC(), SourceText: &text,
		TemplateUsed: &tpl, Owner: owner.ID, Summary: "About " + title, Speakers: []string{"Alex", "Sam"},
		Language: "en", Chapters: []store.ChapterMark{{Title: "Intro", Start: 0}}, Writer: "extractive", TTS: "espeak",
	}, staged)
	if err != nil {
		tt.t.Fatal(err)
	}
	return p
}

// toneSynth speaks each line as a short tone; a line containing blockOn,
// or any line after the first blockAfter (when > 0), blocks until its
// context ends.
type toneSynth struct {
	blockOn    string
	blockAfter int64
	calls      atomic.Int64
	blocked    chan struct{}
	once       sync.Once
	// release, when closed, lets blocked calls go on (nil: they wait for
	// their context).
	release chan struct{}
}

func (s *toneSynth) Name() string { return "espeak" }

func (s *toneSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	n := s.calls.Add(1)
	if s.blockOn != "" && strings.Contains(r.Text, s.blockOn) || s.blockAfter > 0 && n > s.blockAfter {
		s.once.Do(func() { close(s.blocked) })
		select {
		case <-ctx.Done():
			return audio.Clip{}, ctx.Err()
		case <-s.release:
		}
	}
	const rate = 24000
	samples := make([]float32, rate/5)
	for i := range samples {
		samples[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	return audio.Clip{SampleRate: rate, Samples: samples}, nil
}

func (s *toneSynth) Voices(context.Context) ([]tts.Voice, error) { return nil, nil }
func (s *toneSynth) Health(context.Context) error                { return nil }

type staticSynths struct{ s tts.Synthesizer }

func (s staticSynths) Synthesizer(name string) (tts.Synthesizer, error) {
	if name != "espeak" {
		return nil, errors.New("unknown TTS provider " + name)
	}
	return s.s, nil
}

const sourceText = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons. The speed of the water decides how much sediment it can carry. Fast rivers move boulders, while slow rivers drop fine silt. Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are some of the most fertile land on Earth.`
