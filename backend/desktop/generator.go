package desktop

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
)

// planTimeout bounds the checks of Generator.Plan.
const planTimeout = 3 * time.Second

// Jobs is what the Generator needs from the job service (*core.Service).
type Jobs interface {
	Start(ctx context.Context, req core.Request) (core.Status, error)
	List(ctx context.Context, owner string) []core.Status
	Cancel(ctx context.Context, owner, id string) (core.Status, error)
	Resume(ctx context.Context, owner, id string) (core.Status, error)
}

// GenerateRequest is what the new-podcast screen sends. Empty fields take
// the template's or the settings' defaults.
type GenerateRequest struct {
	Text       string            `json:"text"`
	Title      string            `json:"title"`
	TemplateID string            `json:"templateId"`
	Minutes    float64           `json:"minutes"`
	Language   string            `json:"language"`
	Focus      string            `json:"focus"`
	Voices     map[string]string `json:"voices"` // speaker name → voice id
	Writer     string            `json:"writer"` // "auto", "ollama" or "extractive"
	TTS        string            `json:"tts"`    // provider name
	// Sources are picked or dropped files (by token) and web pages (by
	// address), read or transcribed by the job; their text follows Text,
	// which may then be empty.
	Sources []SourceRef `json:"sources"`
}

// RunPlan says which writer and TTS provider a podcast started now would
// use, and why when that is not what was asked for.
type RunPlan struct {
	Writer  string `json:"writer"` // "ollama" or "extractive"
	TTS     string `json:"tts"`
	Warning string `json:"warning"`
}

// Generator is the facade of generation jobs: start, cancel, resume, list,
// the plan shown before starting, and the files a podcast is made from
// (PickFiles, and drops announced by sources:dropped). Progress arrives as
// job:progress, job:done and job:failed events.
type Generator struct {
	jobs     Jobs
	writers  core.WriterSource
	synths   core.SynthSource
	settings *settingsFile
	session  *Session
	rt       Runtime
	picked   *pickedFiles
	log      *slog.Logger
}

// Start queues a podcast made from the request's text and sources and
// returns its job. A source token the window no longer knows (another
// account's, or forgotten at logout) is an error.
func (g *Generator) Start(req GenerateRequest) (core.Status, error) {
	u, err := g.session.User()
	if err != nil {
		return core.Status{}, err
	}
	sources, err := g.resolveSources(u.ID, req.Sources)
	if err != nil {
		return core.Status{}, err
	}
	sourceName := "pasted text"
	if strings.TrimSpace(req.Text) == "" && len(sources) > 0 {
		sourceName = cmp.Or(sources[0].Name, sources[0].URL)
	}
	// An empty writer or provider takes the settings in force: the job
	// service fills in every default when the job starts.
	st, err := g.jobs.Start(context.Background(), core.Request{
		Owner: u.ID, Text: req.Text, Title: req.Title, TemplateID: req.TemplateID, Minutes: req.Minutes,
		Language: req.Language, Focus: req.Focus, Voices: req.Voices, Writer: req.Writer, TTS: req.TTS,
		SourceName: sourceName, Sources: sources,
	})
	return st, jobError(err)
}

// Cancel stops one of the user's running jobs.
func (g *Generator) Cancel(jobID string) (core.Status, error) {
	u, err := g.session.User()
	if err != nil {
		return core.Status{}, err
	}
	st, err := g.jobs.Cancel(context.Background(), u.ID, jobID)
	return st, jobError(err)
}

// Resume restarts one of the user's interrupted, failed or cancelled jobs.
func (g *Generator) Resume(jobID string) (core.Status, error) {
	u, err := g.session.User()
	if err != nil {
		return core.Status{}, err
	}
	st, err := g.jobs.Resume(context.Background(), u.ID, jobID)
	return st, jobError(err)
}

// Jobs lists the user's jobs, newest first.
func (g *Generator) Jobs() ([]core.Status, error) {
	u, err := g.session.User()
	if err != nil {
		return nil, err
	}
	return g.jobs.List(context.Background(), u.ID), nil
}

// Plan tells which writer and TTS provider would run for a podcast started
// now ("" means the settings), with a warning when the offline writer
// stands in for Ollama or a provider does not answer. An unknown writer or
// provider is an error.
func (g *Generator) Plan(writer, tts string) (RunPlan, error) {
	if _, err := g.session.User(); err != nil {
		return RunPlan{}, err
	}
	s := g.settings.get()
	if writer == "" {
		writer = s.Writer
	}
	if tts == "" {
		tts = s.TTS.Provider
	}
	if err := core.CheckWriter(writer); err != nil {
		return RunPlan{}, err
	}
	syn, err := g.synths.Synthesizer(tts)
	if err != nil {
		return RunPlan{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), planTimeout)
	defer cancel()
	plan := RunPlan{Writer: writer, TTS: syn.Name()}
	w, warning, err := g.writers.Writer(ctx, writer)
	switch {
	case err != nil:
		plan.Warning = fmt.Sprintf("%v — a podcast started now would fail; choose the automatic or the offline writer.", err)
	default:
		plan.Writer, plan.Warning = w.Name(), warning
	}
	if err := syn.Health(ctx); err != nil {
		plan.Warning = join(plan.Warning, fmt.Sprintf("The %s voices are not available: %v", syn.Name(), err))
	}
	return plan, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// jobError turns the job service's errors into messages for the window.
func jobError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, core.ErrJobNotFound):
		return apperr.New(apperr.NotFound, "no such job: it may belong to another account")
	}
	return err
}
