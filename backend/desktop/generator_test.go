package desktop

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/library"
)

const sourceText = `The sky looks blue because of Rayleigh scattering. Sunlight is made of every colour.
Blue light has a short wavelength, so the air scatters it far more than red light.
At sunset the light crosses much more air, so the blue is scattered away and the sky turns red and orange.
On the Moon there is no air, so the sky stays black even in daylight.`

func jobEvent(id string, names ...string) func(events.Event) bool {
	return func(e events.Event) bool {
		st, ok := e.Data.(core.Status)
		if !ok || st.ID != id {
			return false
		}
		for _, n := range names {
			if e.Name == n {
				return true
			}
		}
		return false
	}
}

func TestGeneratorNeedsLogin(t *testing.T) {
	e := newEnv(t)
	g := e.d.Generator
	_, err := g.Start(GenerateRequest{Text: sourceText})
	notLoggedIn(t, "Start", err)
	_, err = g.Cancel("x")
	notLoggedIn(t, "Cancel", err)
	_, err = g.Resume("x")
	notLoggedIn(t, "Resume", err)
	_, err = g.Jobs()
	notLoggedIn(t, "Jobs", err)
	_, err = g.Plan(GenerateRequest{Text: sourceText})
	notLoggedIn(t, "Plan", err)
}

// TestGeneratorStart makes a real podcast: extractive writer, espeak-ng.
func TestGeneratorStart(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	g := e.d.Generator

	_, err := g.Start(GenerateRequest{Text: "   "})
	wantRejection(t, err, "invalid_request", "text")
	_, err = g.Start(GenerateRequest{Text: sourceText, TemplateID: "no-such"})
	wantErr(t, err, `template "no-such"`)

	st, err := g.Start(GenerateRequest{Text: sourceText, Title: "Blue sky", Minutes: 0.5, Writer: "extractive", TTS: "espeak"})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if st.Owner != ann.ID || st.Title != "Blue sky" || st.ID == "" {
		t.Fatalf("Start status = %+v", st)
	}
	ev := e.rt.waitEvent(t, 2*time.Minute, "job:done", jobEvent(st.ID, events.JobDone, events.JobFailed))
	done := ev.Data.(core.Status)
	if ev.Name != events.JobDone || done.PodcastID == "" {
		t.Fatalf("job ended with %s: %+v", ev.Name, done)
	}
	if !e.rt.has(jobEvent(st.ID, events.JobProgress)) {
		t.Error("no job:progress event before job:done")
	}
	jobs, err := g.Jobs()
	if err != nil || len(jobs) != 1 || jobs[0].ID != st.ID || jobs[0].State != core.Done {
		t.Errorf("Jobs = %+v, %v; want the one done job", jobs, err)
	}
	page, err := e.d.Library.List(library.Query{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != done.PodcastID || page.Items[0].Title != "Blue sky" {
		t.Fatalf("library after the job = %+v, %v", page.Items, err)
	}
	d, err := e.d.Library.Get(done.PodcastID)
	if err != nil {
		t.Fatalf("Get of the new podcast: %v", err)
	}
	if len(d.Cues) == 0 || d.Cues[len(d.Cues)-1].End > d.Podcast.Duration+0.01 || len(d.Chapters) == 0 {
		t.Errorf("new podcast: %d cues (last %+v), %d chapters, duration %g", len(d.Cues), d.Cues[len(d.Cues)-1], len(d.Chapters), d.Podcast.Duration)
	}
	for i, c := range d.Cues {
		if c.Speaker == "" || c.Text == "" || (i > 0 && c.Start < d.Cues[i-1].End) {
			t.Errorf("cue %d = %+v (after %+v)", i, c, d.Cues[max(i-1, 0)])
		}
	}

	// Another account sees none of it.
	if _, err := e.auth.CreateUser("bob", testPassword, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Auth.Login("bob", testPassword); err != nil {
		t.Fatal(err)
	}
	if jobs, err := g.Jobs(); err != nil || len(jobs) != 0 {
		t.Errorf("bob's Jobs = %+v, %v; want none", jobs, err)
	}
	_, err = g.Resume(st.ID)
	wantErr(t, err, "no such job")
}

// stalledTTS is an OpenAI-compatible speech server that never answers
// until the request is cancelled.
func stalledTTS(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func TestGeneratorCancelResume(t *testing.T) {
	url := stalledTTS(t)
	e := newEnv(t, func(s *config.Settings) { s.TTS.OpenAI.URL = url })
	e.login(t, "ann", true)
	g := e.d.Generator

	st, err := g.Start(GenerateRequest{Text: sourceText, Writer: "extractive", TTS: "openai"})
	if err != nil {
		t.Fatal(err)
	}
	e.rt.waitEvent(t, time.Minute, "synthesis progress", func(ev events.Event) bool {
		s, ok := ev.Data.(core.Status)
		return ok && s.ID == st.ID && s.State == core.Synthesising
	})
	got, err := g.Cancel(st.ID)
	if err != nil || got.State != core.Cancelled {
		t.Fatalf("Cancel = %+v, %v; want cancelled", got, err)
	}
	_, err = g.Cancel(st.ID)
	wantErr(t, err, "already finished")
	_, err = g.Cancel("no-such-job")
	wantErr(t, err, "no such job")

	got, err = g.Resume(st.ID)
	if err != nil || !got.State.Running() {
		t.Fatalf("Resume = %+v, %v; want it queued again", got, err)
	}
	// (A second Resume while it runs is not tried here: core.Service.Resume
	// reads the job's status after unlocking in that case, a data race.)
	// Shutdown (at cleanup) leaves it interrupted, to resume later.
	if err := e.d.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	jobs, _ := g.Jobs()
	if len(jobs) != 1 || jobs[0].State != core.Interrupted {
		t.Errorf("after Shutdown: %+v, want the job interrupted", jobs)
	}
}

func TestGeneratorPlan(t *testing.T) {
	tests := map[string]struct {
		edit           func(*config.Settings)
		writer, tts    string
		writerRun      string // the writer that will run
		field, problem string // where the one problem is, and what it says
		severity       string
	}{
		"settings":                  {writerRun: "extractive"},
		"auto with ollama up":       {writer: "auto", writerRun: "ollama"},
		"auto with the model gone":  {edit: func(s *config.Settings) { s.Ollama.Model = "qwen3" }, writer: "auto", writerRun: "extractive", field: "writer", problem: "offline extractive writer", severity: core.SeverityWarning},
		"ollama forced, model gone": {edit: func(s *config.Settings) { s.Ollama.Model = "qwen3" }, writer: "ollama", writerRun: "ollama", field: "writer", problem: "qwen3", severity: core.SeverityError},
		"tts down":                  {tts: "piper", writerRun: "extractive", field: "tts", problem: "the piper voices are not available", severity: core.SeverityError},
		"unknown writer":            {writer: "gpt", writerRun: "extractive", field: "writer", problem: `unknown writer "gpt"`, severity: core.SeverityError},
		"unknown tts":               {tts: "say", writerRun: "extractive", field: "tts", problem: `"say"`, severity: core.SeverityError},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var edits []func(*config.Settings)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			e := newEnv(t, edits...)
			e.login(t, "ann", true)
			req := GenerateRequest{Text: sourceText, Minutes: 0.5, Writer: tc.writer, TTS: tc.tts}
			got, err := e.d.Generator.Plan(req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Writer != tc.writerRun || got.MinutesFillable <= 0 {
				t.Errorf("Plan = %+v, want the %s writer and the length the text fills", got, tc.writerRun)
			}
			if tc.field == "" {
				if len(got.Problems) != 0 {
					t.Errorf("problems %+v", got.Problems)
				}
				return
			}
			if len(got.Problems) != 1 || got.Problems[0].Field != tc.field || got.Problems[0].Severity != tc.severity ||
				!strings.Contains(got.Problems[0].Message, tc.problem) {
				t.Fatalf("problems %+v, want one %s at %s containing %q", got.Problems, tc.severity, tc.field, tc.problem)
			}
			// Start refuses what Plan calls an error, at the same field.
			if tc.severity == core.SeverityError {
				_, err := e.d.Generator.Start(req)
				wantRejection(t, err, "invalid_request", tc.field)
			}
		})
	}
}

// The new-podcast form plans before anything is typed: the writer and the
// voices that will run, with their problems, and none at the text.
func TestGeneratorPlanEmptyForm(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	p, err := e.d.Generator.Plan(GenerateRequest{Writer: "auto", TTS: "piper"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Writer != "ollama" || p.TTS != "piper" || len(p.Problems) != 1 || p.Problems[0].Field != "tts" ||
		!strings.Contains(p.Problems[0].Message, "the piper voices are not available") {
		t.Fatalf("an empty form's plan %+v, want Ollama writing and piper's problem alone", p)
	}
	_, err = e.d.Generator.Start(GenerateRequest{Writer: "auto", TTS: "espeak"})
	wantRejection(t, err, "invalid_request", "text")
}

// A document picked on the desktop is read to measure it before the job.
func TestGeneratorPlanPickedDocument(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	g := e.d.Generator
	e.rt.answerFiles([]string{sourceFiles(t)["notes.md"]}, nil)
	picked, err := g.PickFiles(PickDocuments)
	if err != nil || len(picked) != 1 {
		t.Fatalf("PickFiles = %+v, %v", picked, err)
	}
	p, err := g.Plan(GenerateRequest{Sources: []SourceRef{{Token: picked[0].Token}}, Minutes: 30, Writer: "extractive"})
	if err != nil {
		t.Fatal(err)
	}
	if p.MinutesFillable <= 0 || len(p.Problems) != 1 || p.Problems[0].Code != core.CodeShortSource || p.Problems[0].Field != "minutes" {
		t.Fatalf("plan %+v", p)
	}
	_, err = g.Plan(GenerateRequest{Sources: []SourceRef{{Token: "forgotten"}}})
	wantErr(t, err, "no longer knows")
}
