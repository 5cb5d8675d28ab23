package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
	"podcastfy/backend/config"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
	"podcastfy/backend/tts"
	"podcastfy/templates"
)

type harness struct {
	svc   *Service
	store *store.Store
	rec   *events.Recorder
	paths config.Paths
	cfg   Config
	deps  Deps
}

func newHarness(t testing.TB, w WriterSource, synth SynthSource) *harness {
	t.Helper()
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
	if err := paths.EnsureDirs(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	st, err := store.Open(paths, templates.FS, log)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{store: st, rec: &events.Recorder{}, paths: paths, cfg: testConfig(paths)}
	h.deps = Deps{Podcasts: st.Podcasts(), Templates: st.Templates(), Writers: w, Synths: synth, Emitter: h.rec, Log: log, Process: st.Process()}
	h.svc, err = NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.svc.Shutdown(context.Background()) })
	return h
}

// testConfig is the job service's configuration in tests, over paths.
func testConfig(paths config.Paths) Config {
	return Config{
		JobsDir: paths.JobsDir(), CacheDir: paths.TTSCacheDir(), Workers: 2,
		Audio:    audio.Options{SampleRate: 24000, Gap: 300 * time.Millisecond, TargetLUFS: -16, TruePeakDBTP: -1, BitrateKbps: 64},
		Defaults: FixedDefaults(Defaults{Template: "deep-dive", Minutes: 1, Language: "en", TTS: "espeak", Writer: "auto"}),
	}
}

func (h *harness) wait(t testing.TB, id string) Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := h.svc.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if st.State.Running() {
		t.Fatalf("job still %s after the wait", st.State)
	}
	return st
}

// stagedLeftovers lists files in the podcasts folder that are not committed podcast files.
func (h *harness) podcastFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(h.paths.PodcastsDir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var numberWords = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}

func sampleScript(lines int) script.Script {
	sc := script.Script{Title: "Rivers", Summary: "How rivers shape valleys."}
	speakers := []string{"Alex", "Sam"}
	for c := 0; c < 2; c++ {
		ch := script.Chapter{Title: fmt.Sprintf("Part %d", c+1)}
		for i := 0; i < lines/2; i++ {
			// Numbers as words: the speakable stage spells digits out before the
			// synthesiser sees a line, and the fakes match on what it sees.
			ch.Lines = append(ch.Lines, script.Line{Speaker: speakers[i%2], Text: fmt.Sprintf("Line %s of part %s talks about water and stone.", numberWords[i], numberWords[c])})
		}
		sc.Chapters = append(sc.Chapters, ch)
	}
	return sc
}

const riverText = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons.
The speed of the water decides how much sediment it can carry. Fast rivers move boulders; slow rivers drop fine silt.
Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are some of the most fertile land on Earth.
Floods, though destructive, renew the soil of river plains. Ancient civilisations grew along rivers for this reason.
Today, dams change how rivers move sediment, and many deltas are shrinking as a result.`

func TestGenerateWithRealComponentsIsComplete(t *testing.T) {
	synth := &toneSynth{}
	w := &scriptedWriter{script: sampleScript(6)}
	h := newHarness(t, writerSource{w}, staticSource{synth})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u1", Text: riverText, TemplateID: "deep-dive"})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != Queued || st.ID == "" {
		t.Fatalf("start: %+v", st)
	}
	st = h.wait(t, st.ID)
	if st.State != Done {
		t.Fatalf("job ended %s: %s", st.State, st.Error)
	}
	p, err := h.store.Podcasts().Get(st.PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Owner != "u1" || p.Title != "Rivers" || p.Writer != "ollama" || p.TTS != "espeak" || p.Lines != 6 {
		t.Fatalf("metadata: %+v", p)
	}
	if len(p.Chapters) != 2 || p.Chapters[0].Start != 0 || p.Chapters[1].Start <= 0 {
		t.Fatalf("chapters: %+v", p.Chapters)
	}
	if p.SourceText == nil || *p.SourceText != strings.TrimSpace(riverText) {
		t.Fatal("source text not kept")
	}
	h.assertNoLinks(t, p.ID)
	if p.FromRecording() {
		t.Error("a podcast made from text says it was transcribed from a recording")
	}
	for _, kind := range []string{"audio", "vtt", "srt", "chapters", "script"} {
		path, err := h.store.Podcasts().MediaPath(p.ID, kind)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Size() == 0 {
			t.Fatalf("%s file missing or empty: %v", kind, err)
		}
	}
	vttPath, _ := h.store.Podcasts().MediaPath(p.ID, "vtt")
	vtt, _ := os.ReadFile(vttPath)
	if !strings.HasPrefix(string(vtt), "WEBVTT") || strings.Count(string(vtt), "<v ") != 6 {
		t.Fatalf("vtt:\n%s", vtt)
	}
	if synth.calls.Load() != 6 {
		t.Fatalf("synthesised %d lines, want 6", synth.calls.Load())
	}
	var progress, done int
	for _, e := range h.rec.Events() {
		switch e.Name {
		case events.JobProgress:
			progress++
		case events.JobDone:
			done++
			if e.Data.(Status).PodcastID != p.ID {
				t.Fatalf("done event: %+v", e.Data)
			}
		}
	}
	if progress == 0 || done != 1 {
		t.Fatalf("events: %d progress, %d done", progress, done)
	}

	// The same script again is served entirely from the segment cache.
	st2, err := h.svc.Start(t.Context(), Request{Owner: "u1", Text: riverText, TemplateID: "deep-dive"})
	if err != nil {
		t.Fatal(err)
	}
	if st2 = h.wait(t, st2.ID); st2.State != Done {
		t.Fatalf("second job: %s %s", st2.State, st2.Error)
	}
	if synth.calls.Load() != 6 {
		t.Fatalf("re-run synthesised %d more lines, want 0", synth.calls.Load()-6)
	}
}

func TestStartRejectsBadRequests(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	cases := map[string]struct {
		req   Request
		field string
		want  string
	}{
		"empty text":       {Request{Owner: "u", Text: "  \n\t "}, FieldText, "nothing to make"},
		"unknown template": {Request{Owner: "u", Text: "hi", TemplateID: "nope"}, FieldTemplate, "template"},
		"bad template id":  {Request{Owner: "u", Text: "hi", TemplateID: "../etc"}, FieldTemplate, "template"},
		"too long":         {Request{Owner: "u", Text: "hi", Minutes: 500}, FieldMinutes, "between"},
		"negative length":  {Request{Owner: "u", Text: "hi", Minutes: -1}, FieldMinutes, "between"},
		"unknown writer":   {Request{Owner: "u", Text: "hi", Writer: "gpt"}, FieldWriter, "writer"},
		"unknown tts":      {Request{Owner: "u", Text: "hi", TTS: "nope"}, FieldTTS, "unknown TTS"},
		"unknown speaker":  {Request{Owner: "u", Text: "hi", Voices: map[string]string{"Zed": "en"}}, FieldVoices, "speaker"},
		"no owner":         {Request{Text: "hi"}, "", "owner"},
		"huge text":        {Request{Owner: "u", Text: strings.Repeat("a", DefaultMaxTextBytes+1)}, FieldText, "limit"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := h.svc.Start(t.Context(), tc.req)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (%#v), want invalid_request about %q mentioning %q", err, e, tc.field, tc.want)
			}
		})
	}
	if len(h.svc.List(t.Context(), "")) != 0 {
		t.Fatal("rejected requests left jobs behind")
	}
}

func TestFailuresLeaveNothingBehind(t *testing.T) {
	bad := sampleScript(4)
	bad.Chapters[0].Lines[0].Speaker = "Nobody"
	cases := map[string]struct {
		writer *scriptedWriter
		synth  *toneSynth
		want   string
	}{
		"writer error":      {&scriptedWriter{err: errors.New("Ollama stopped responding")}, &toneSynth{}, "stopped responding"},
		"unknown speaker":   {&scriptedWriter{script: bad}, &toneSynth{}, "Nobody"},
		"tts server error":  {&scriptedWriter{script: sampleScript(4)}, &toneSynth{failOn: "Line two of part one", failErr: errors.New("openai TTS: 500 boom")}, "500 boom"},
		"empty script":      {&scriptedWriter{script: script.Script{Title: "x"}}, &toneSynth{}, "unusable"},
		"tts returns empty": {&scriptedWriter{script: sampleScript(2)}, &toneSynth{failOn: "Line one", failErr: errors.New("empty audio")}, "empty audio"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, writerSource{tc.writer}, staticSource{tc.synth})
			st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
			if err != nil {
				t.Fatal(err)
			}
			st = h.wait(t, st.ID)
			if st.State != Failed || !strings.Contains(st.Error, tc.want) {
				t.Fatalf("state %s error %q, want failed with %q", st.State, st.Error, tc.want)
			}
			if files := h.podcastFiles(t); len(files) != 0 {
				t.Fatalf("left in the library folder: %v", files)
			}
			if n := h.store.Podcasts().Count(); n != 0 {
				t.Fatalf("%d podcasts listed after a failure", n)
			}
		})
	}
}

func TestCancelAtEveryStage(t *testing.T) {
	t.Run("writing", func(t *testing.T) {
		w := &scriptedWriter{block: true}
		h := newHarness(t, writerSource{w}, staticSource{&toneSynth{}})
		st, _ := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		waitFor(t, func() bool {
			s, _ := h.svc.Get(t.Context(), "u", st.ID)
			return s.State == Writing && w.calls.Load() == 1
		})
		if _, err := h.svc.Resume(t.Context(), "u", st.ID); !errors.Is(err, ErrJobRunning) {
			t.Fatalf("resume of a running job: %v", err)
		}
		assertCancelled(t, h, st.ID)
	})
	t.Run("synthesising", func(t *testing.T) {
		synth := &toneSynth{blockOn: "Line three of part one", blocked: make(chan struct{})}
		h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(8)}}, staticSource{synth})
		st, _ := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		<-synth.blocked
		assertCancelled(t, h, st.ID)
	})
	t.Run("queued", func(t *testing.T) {
		w := &scriptedWriter{block: true}
		h := newHarness(t, writerSource{w}, staticSource{&toneSynth{}})
		first, _ := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		waitFor(t, func() bool { return w.calls.Load() == 1 })
		second, _ := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		if s, _ := h.svc.Get(t.Context(), "u", second.ID); s.State != Queued {
			t.Fatalf("second job is %s, want queued behind the first", s.State)
		}
		assertCancelled(t, h, second.ID)
		assertCancelled(t, h, first.ID)
	})
}

func assertCancelled(t *testing.T, h *harness, id string) {
	t.Helper()
	before := runtime.NumGoroutine()
	st, err := h.svc.Cancel(t.Context(), "u", id)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != Cancelled {
		t.Fatalf("state %s after cancel", st.State)
	}
	if _, err := h.svc.Cancel(t.Context(), "u", id); !errors.Is(err, ErrJobFinished) {
		t.Fatalf("second cancel: %v, want ErrJobFinished", err)
	}
	if _, err := h.svc.Cancel(t.Context(), "someone-else", id); !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("cancel by another user: %v, want ErrJobNotFound", err)
	}
	if files := h.podcastFiles(t); len(files) != 0 {
		t.Fatalf("left in the library folder: %v", files)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func TestInterruptedJobResumesFromCache(t *testing.T) {
	synth := &toneSynth{blockOn: "Line three of part two", blocked: make(chan struct{})}
	w := &scriptedWriter{script: sampleScript(8)}
	h := newHarness(t, writerSource{w}, staticSource{synth})
	h.cfg.Workers = 1
	h.svc.Shutdown(context.Background())
	var err error
	if h.svc, err = NewService(h.cfg, h.deps); err != nil {
		t.Fatal(err)
	}
	st, _ := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	<-synth.blocked
	if err := h.svc.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, _ := h.svc.Get(t.Context(), "u", st.ID); s.State != Interrupted {
		t.Fatalf("after shutdown: %s", s.State)
	}
	doneBefore := synth.calls.Load()

	// A new service (as after a restart) sees the job as interrupted and resumes it.
	synth.blockOn = ""
	svc2, err := NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc2
	if s, err := svc2.Get(t.Context(), "u", st.ID); err != nil || s.State != Interrupted {
		t.Fatalf("after restart: %+v %v", s, err)
	}
	if _, err := svc2.Resume(t.Context(), "other", st.ID); !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("resume by another user: %v", err)
	}
	if _, err := svc2.Resume(t.Context(), "u", st.ID); err != nil {
		t.Fatal(err)
	}
	final := h.wait(t, st.ID)
	if final.State != Done {
		t.Fatalf("resumed job: %s %s", final.State, final.Error)
	}
	if w.calls.Load() != 1 {
		t.Fatalf("the writer ran %d times; the saved script should be reused", w.calls.Load())
	}
	// Lines 1–6 were cached before the interruption; only the rest is voiced again.
	if again := synth.calls.Load() - doneBefore; again != 2 {
		t.Fatalf("resume synthesised %d lines, want 2", again)
	}
	if _, err := svc2.Resume(t.Context(), "u", st.ID); !errors.Is(err, ErrJobFinished) {
		t.Fatalf("resume of a done job: %v", err)
	}
}

func TestAutoWriterFallsBackWithWarning(t *testing.T) {
	ws := Writers{Ollama: unreachable{}, Extractive: llm.NewExtractive()}
	w, warning, err := ws.Writer(context.Background(), "auto")
	if err != nil || w.Name() != "extractive" || !strings.Contains(warning, "not reachable") {
		t.Fatalf("auto: %v %q %v", w, warning, err)
	}
	if _, _, err := ws.Writer(context.Background(), "ollama"); err == nil || !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("explicit ollama: %v", err)
	}
	if w, _, _ := ws.Writer(context.Background(), "extractive"); w.Name() != "extractive" {
		t.Fatal("explicit extractive")
	}
	if _, _, err := ws.Writer(context.Background(), "gpt"); err == nil {
		t.Fatal("unknown writer accepted")
	}
}

type unreachable struct{ llm.Writer }

func (unreachable) Name() string { return "ollama" }
func (unreachable) Check(context.Context) error {
	return errors.New("Ollama is not reachable at http://127.0.0.1:1")
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		runtime.Gosched()
		time.Sleep(2 * time.Millisecond)
	}
}

func TestPruneCacheRemovesOnlyStaleSegments(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{}}, staticSource{&toneSynth{}})
	dir := h.cfg.CacheDir
	now := time.Now()
	write := func(name string, age time.Duration) string {
		p := filepath.Join(dir, "ab", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := write("old.wav", CacheMaxAge+time.Hour)
	fresh := write("fresh.wav", time.Hour)
	n, err := h.svc.pruneCache(CacheMaxAge, now)
	if err != nil || n != 1 {
		t.Fatalf("removed %d, err %v", n, err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatal("stale segment kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh segment removed")
	}
}

func TestCacheKeyFollowsProviderSettings(t *testing.T) {
	synth := &toneSynth{}
	tag := "http://a"
	synths := &Synths{New: func(string) (tts.Synthesizer, error) { return synth, nil }, Tag: func(string) string { return tag }}
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, synths)
	run := func() {
		st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
		if err != nil {
			t.Fatal(err)
		}
		if st = h.wait(t, st.ID); st.State != Done {
			t.Fatalf("%s: %s", st.State, st.Error)
		}
	}
	run()
	run()
	if synth.calls.Load() != 2 {
		t.Fatalf("same settings: %d calls, want 2 (second run cached)", synth.calls.Load())
	}
	tag = "http://b" // the settings changed: the provider is rebuilt
	run()
	if synth.calls.Load() != 4 {
		t.Fatalf("changed settings: %d calls, want 4 (nothing reused)", synth.calls.Load())
	}
}

func TestOldFinishedJobsAreForgotten(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	st, err := h.svc.Start(t.Context(), Request{Owner: "u", Text: riverText})
	if err != nil {
		t.Fatal(err)
	}
	h.wait(t, st.ID)
	h.svc.Shutdown(context.Background())
	h.deps.Now = func() time.Time { return time.Now().Add(JobMaxAge + time.Hour) }
	svc, err := NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(t.Context(), "u", st.ID); !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("a job finished long ago is still listed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(h.cfg.JobsDir, st.ID+".json")); !os.IsNotExist(err) {
		t.Fatal("its job file was kept")
	}
}
