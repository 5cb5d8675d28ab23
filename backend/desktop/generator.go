package desktop

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"strings"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
)

// Jobs is what the Generator needs from the job service (*core.Service).
type Jobs interface {
	Start(ctx context.Context, req core.Request) (core.Status, error)
	Preflight(ctx context.Context, req core.Request) (core.Plan, error)
	List(ctx context.Context, owner string) []core.Status
	Cancel(ctx context.Context, owner, id string) (core.Status, error)
	Resume(ctx context.Context, owner, id string) (core.Status, error)
	LiveLines(ctx context.Context, owner, id string, from int) (core.LiveLines, error)
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

// Generator is the facade of generation jobs: start, cancel, resume, list,
// the plan shown before starting, and the files a podcast is made from
// (PickFiles, and drops announced by sources:dropped). Progress arrives as
// job:progress, job:done and job:failed events.
type Generator struct {
	jobs    Jobs
	session *Session
	rt      Runtime
	picked  *pickedFiles
	log     *slog.Logger
}

// Start queues a podcast made from the request's text and sources and
// returns its job. A source token the window no longer knows (another
// account's, or forgotten at logout) is an error.
func (g *Generator) Start(req GenerateRequest) (core.Status, error) {
	creq, err := g.request(req)
	if err != nil {
		return core.Status{}, err
	}
	st, err := g.jobs.Start(context.Background(), creq)
	return st, jobError(err)
}

// Plan checks the request as Start will, without starting anything, and
// tells what it will give: the writer and TTS provider that will run, the
// length the offline writer can fill (documents picked on this machine are
// read to measure them) and every problem at its field; errors make Start
// refuse it. It waits at most core.PreflightBudget for the servers; the
// new-podcast screen calls it as the person types.
func (g *Generator) Plan(req GenerateRequest) (core.Plan, error) {
	creq, err := g.request(req)
	if err != nil {
		return core.Plan{}, err
	}
	return g.jobs.Preflight(context.Background(), creq)
}

// request is the job request of the logged-in user. An empty writer or
// provider takes the settings in force: the job service fills in every
// default when the job starts.
func (g *Generator) request(req GenerateRequest) (core.Request, error) {
	u, err := g.session.User()
	if err != nil {
		return core.Request{}, err
	}
	sources, err := g.resolveSources(u.ID, req.Sources)
	if err != nil {
		return core.Request{}, err
	}
	sourceName := "pasted text"
	if strings.TrimSpace(req.Text) == "" && len(sources) > 0 {
		sourceName = cmp.Or(sources[0].Name, sources[0].URL)
	}
	return core.Request{
		Owner: u.ID, Text: req.Text, Title: req.Title, TemplateID: req.TemplateID, Minutes: req.Minutes,
		Language: req.Language, Focus: req.Focus, Voices: req.Voices, Writer: req.Writer, TTS: req.TTS,
		SourceName: sourceName, Sources: sources,
	}, nil
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
