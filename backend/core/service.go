package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
)

// PodcastStore is what jobs need from the library.
type PodcastStore interface {
	StagePath(id, kind, ext string) (string, error)
	Commit(meta store.Podcast, staged map[string]string) (store.Podcast, error)
	Get(id string) (store.Podcast, error)
}

// TemplateStore finds templates by id as one user sees them (their own,
// shared, built-in).
type TemplateStore interface {
	GetFor(c store.Caller, id string) (store.Scoped, error)
}

// templateFor is the template id as the job's owner sees it.
func (s *Service) templateFor(owner, id string) (template.Template, error) {
	sc, err := s.deps.Templates.GetFor(store.Caller{ID: owner}, id)
	return sc.Template, err
}

// WriterSource picks a script writer by name ("auto", "ollama", "extractive").
// The returned warning explains a fallback, for the UI to show.
type WriterSource interface {
	Writer(ctx context.Context, name string) (w llm.Writer, warning string, err error)
}

// SynthSource returns the synthesiser for a provider name.
type SynthSource interface {
	Synthesizer(name string) (tts.Synthesizer, error)
}

// Config holds the generation settings the service applies.
type Config struct {
	JobsDir  string
	CacheDir string
	// Workers bounds parallel synthesis within a job; 0 means the CPU count.
	Workers int
	// MaxJobs bounds jobs running at once; the rest wait as queued, and
	// places go to users in turn (queue.go). 0 means 1.
	MaxJobs int
	// MaxQueuedPerUser bounds one user's queued and running jobs; 0 means
	// DefaultMaxQueuedPerUser.
	MaxQueuedPerUser int
	Audio            audio.Options
	// Defaults returns the settings in force for what a request leaves out.
	// It is called when each job starts, so a changed setting applies to
	// the next job; an error (a damaged settings file) refuses the job.
	// Nil means no defaults.
	Defaults func() (Defaults, error)
	// Show is the album name written into ID3 tags.
	Show string
	// MaxTextBytes caps the source text of one job.
	MaxTextBytes int
	// InterruptedMaxAge is how long an interrupted job (and its uploads)
	// waits for a resume before it is swept; 0 means
	// DefaultInterruptedMaxAge.
	InterruptedMaxAge time.Duration
	// Disk returns the disk limits in force (disk.go), read at each
	// upload and job start; nil means the defaults.
	Disk func() DiskLimits
}

// Defaults are the generation settings a job takes when its request leaves
// them out (the template's minutes and language come before these).
type Defaults struct {
	Template string
	Minutes  float64
	Language string
	TTS      string
	Writer   string
	// Voices maps a speaker name to a voice, overriding the template's.
	Voices map[string]string
	// KeepVersions is how many versions of a podcast are kept when it is
	// re-voiced; 0 means store.DefaultKeepVersions.
	KeepVersions int
}

// FixedDefaults is a Defaults source that never changes.
func FixedDefaults(d Defaults) func() (Defaults, error) {
	return func() (Defaults, error) { return d, nil }
}

func (s *Service) defaults() (Defaults, error) {
	if s.cfg.Defaults == nil {
		return Defaults{}, nil
	}
	return s.cfg.Defaults()
}

// Deps are the service's collaborators.
type Deps struct {
	Podcasts  PodcastStore
	Templates TemplateStore
	Writers   WriterSource
	Synths    SynthSource
	// Ingest reads sources for the CLI and the desktop; RemoteIngest (when
	// set) for LAN requests, refusing private addresses.
	Ingest       Ingester
	RemoteIngest Ingester
	Emitter      events.Emitter
	Log          *slog.Logger
	Now          func() time.Time
	// Process is this process's claim on what it stages (store.Store's
	// Process): running jobs' records carry its id, so that a service
	// starting in another process while this one runs leaves them alone.
	// Nil marks no record, and every running record found at start-up is
	// taken for one whose process ended.
	Process Processes
}

// Processes tells this process's id, and whether the process with another
// id is still alive (*process.Self).
type Processes interface {
	ID() string
	Alive(id string) bool
}

// JobMaxAge is how long a finished job stays listed.
const JobMaxAge = 30 * 24 * time.Hour

// CacheMaxAge is how long an unused synthesised segment stays cached.
const CacheMaxAge = 30 * 24 * time.Hour

// DefaultMaxTextBytes is the largest source text a job accepts.
const DefaultMaxTextBytes = 8 << 20

// Service runs generation jobs.
type Service struct {
	cfg  Config
	deps Deps
	log  *slog.Logger

	sched  *scheduler
	wg     sync.WaitGroup
	checks *checkCache // answers of Preflight's slow checks

	mu   sync.Mutex
	jobs map[string]*job
	// elsewhere counts, per user, the running jobs found at start-up that
	// a live process runs (runByLiveProcess): not ours to touch, but
	// deleting their user says they were left.
	elsewhere map[string]int

	claims claims // uploads arriving, per user (disk.go)
}

type job struct {
	rec      jobRecord
	cancel   context.CancelCauseFunc
	done     chan struct{}
	lastEmit time.Time
	lastSave time.Time
	started  time.Time  // when the current run began
	live     *liveAudio // the MP3 so far, once synthesis has begun
	resumed  bool       // run again by Resume: its podcast may be committed
	parts    recordParts
	saveGap  time.Duration // between progress saves; see saveRecord
}

// errShutdown is the cancellation cause when the app stops: such jobs end
// as interrupted, so they can be resumed.
var errShutdown = errors.New("podcastfy is shutting down")

// NewService loads the job files; jobs that were running in a process that
// has ended since are marked interrupted. The jobs a live process (the
// desktop app, `podcastfy serve`, another CLI command) is running are left
// to it: not loaded, never written.
func NewService(cfg Config, deps Deps) (*Service, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.MaxJobs <= 0 {
		cfg.MaxJobs = 1
	}
	if cfg.MaxQueuedPerUser <= 0 {
		cfg.MaxQueuedPerUser = DefaultMaxQueuedPerUser
	}
	if cfg.MaxTextBytes <= 0 {
		cfg.MaxTextBytes = DefaultMaxTextBytes
	}
	if cfg.InterruptedMaxAge <= 0 {
		cfg.InterruptedMaxAge = DefaultInterruptedMaxAge
	}
	if cfg.Show == "" {
		cfg.Show = "podcastfy"
	}
	if deps.Emitter == nil {
		deps.Emitter = events.Nop{}
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	for _, dir := range []string{cfg.JobsDir, cfg.CacheDir} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create %s: %w", dir, err)
		}
	}
	s := &Service{cfg: cfg, deps: deps, log: deps.Log, sched: newScheduler(cfg.MaxJobs, deps.Now), checks: newCheckCache(deps.Now), jobs: map[string]*job{}, elsewhere: map[string]int{}}
	if n, err := s.pruneCache(CacheMaxAge, deps.Now()); err != nil {
		deps.Log.Warn("pruning the TTS cache", "dir", cfg.CacheDir, "err", err)
	} else if n > 0 {
		deps.Log.Info("pruned the TTS cache", "files", n)
	}
	if err := s.loadJobs(); err != nil {
		return nil, err
	}
	s.SweepInterrupted()
	return s, nil
}

// Start validates the request and queues a job. A ctx that ends before the
// job is queued (the caller went away) starts nothing; once queued, the job
// runs on its own until it ends or is cancelled.
func (s *Service) Start(ctx context.Context, req Request) (Status, error) {
	s.SweepInterrupted() // a server that runs for weeks sweeps as it works
	// The cheap refusals first: a user at the cap, or out of disk, costs
	// the server nothing more however fast they ask.
	s.mu.Lock()
	err := s.checkUserCap(req.Owner)
	s.mu.Unlock()
	if err == nil {
		err = s.checkDiskRoom(req.Owner)
	}
	if err != nil {
		return Status{}, err
	}
	asked := req.Voices
	req, err = s.normalise(req, false)
	if err != nil {
		return Status{}, err
	}
	// The same checks as Preflight: what would make the job fail refuses
	// it now, at its field; warnings go into the job's status.
	req, plan, err := s.liveChecks(ctx, req, asked, false)
	if err != nil {
		return Status{}, err
	}
	if err := plan.refusal(); err != nil {
		return Status{}, err
	}
	if err := ctx.Err(); err != nil {
		return Status{}, err
	}
	now := s.deps.Now().UTC()
	st := Status{
		ID: store.NewID(), Owner: req.Owner, Title: req.Title, State: Queued, Stage: "Waiting to start",
		TTS: req.TTS, CreatedAt: now, UpdatedAt: now,
		Warning: plan.warnings(), // said before any work: a text too short, the offline writer
	}
	j := &job{rec: jobRecord{Status: st, Request: req}}
	s.mu.Lock()
	if err := s.checkUserCap(req.Owner); err != nil {
		s.mu.Unlock()
		return Status{}, err
	}
	s.jobs[st.ID] = j // counted at once, so concurrent starts cannot pass the cap
	s.mu.Unlock()
	if err := s.saveRecord(j, j.rec); err != nil {
		s.mu.Lock()
		delete(s.jobs, st.ID)
		s.mu.Unlock()
		return Status{}, err
	}
	s.launch(j)
	return st, nil
}

// normalise checks the request (CheckRequest, then what needs looking up:
// the template, its speakers, the TTS provider) and fills in the defaults.
func (s *Service) normalise(req Request, planning bool) (Request, error) {
	if req.Owner == "" {
		return req, fmt.Errorf("%w: no owner", ErrBadRequest)
	}
	req, err := checkRequest(req, planning)
	if err != nil {
		return req, err
	}
	if len(req.Text) > s.cfg.MaxTextBytes {
		return req, apperr.Field(FieldText, "the source text is %.1f MB; the limit is %.1f MB",
			float64(len(req.Text))/(1<<20), float64(s.cfg.MaxTextBytes)/(1<<20))
	}
	// Text that cannot be cut into spoken lines is refused before the
	// job; sources are checked by the writer once read.
	if err := llm.CheckSource(req.Text); err != nil {
		return req, apperr.Field(FieldText, "%v", err)
	}
	def, err := s.defaults()
	if err != nil {
		return req, err
	}
	if req.TemplateID == "" {
		req.TemplateID = def.Template
	}
	tpl, err := s.templateFor(req.Owner, req.TemplateID)
	if err != nil {
		return req, apperr.Field(FieldTemplate, "template %q: %v", clipText(req.TemplateID), err)
	}
	if req.Minutes == 0 {
		req.Minutes = tpl.Minutes
	}
	if req.Minutes == 0 {
		req.Minutes = def.Minutes
	}
	if req.Language == "" {
		req.Language = tpl.Language
	}
	if req.Language == "" {
		req.Language = def.Language
	}
	if req.Writer == "" {
		req.Writer = def.Writer
	}
	if req.TTS == "" {
		req.TTS = def.TTS
	}
	if _, err := s.deps.Synths.Synthesizer(req.TTS); err != nil {
		return req, apperr.Field(FieldTTS, "%v", err)
	}
	names := map[string]bool{}
	for _, sp := range tpl.Speakers {
		names[strings.ToLower(sp.Name)] = true
	}
	for name := range req.Voices {
		if !names[strings.ToLower(name)] {
			return req, apperr.Field(FieldVoices, "template %q has no speaker %q", tpl.ID, clipText(name))
		}
	}
	req.Voices = withDefaultVoices(req.Voices, def.Voices, tpl)
	req.Voices = voicesForLanguage(req.Voices, tpl, req.TTS, req.Language)
	return req, nil
}

// withDefaultVoices gives each of the template's speakers that the request
// left without a voice the one the settings name, if any. The job records
// them, so a resumed job sounds the way it started.
func withDefaultVoices(asked, settings map[string]string, tpl template.Template) map[string]string {
	out := make(map[string]string, len(asked))
	for name, voice := range asked {
		out[name] = voice
	}
	for _, sp := range tpl.Speakers {
		if lookupFold(out, sp.Name) != "" {
			continue
		}
		if v := lookupFold(settings, sp.Name); v != "" {
			out[sp.Name] = v
		}
	}
	if len(out) == 0 {
		return asked
	}
	return out
}

func (s *Service) launch(j *job) {
	ctx, cancel := context.WithCancelCause(context.Background())
	s.mu.Lock()
	j.cancel = cancel
	j.done = make(chan struct{})
	j.started = s.deps.Now()
	j.live = nil
	j.rec.Status.FirstAudio = 0
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(j.done)
		defer cancel(nil)
		s.run(ctx, j)
	}()
}

// Get returns one of the owner's jobs. It answers at once: ctx is taken
// for the same shape as the other methods.
func (s *Service) Get(_ context.Context, owner, id string) (Status, error) {
	return s.get(owner, id)
}

func (s *Service) get(owner, id string) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		return Status{}, ErrJobNotFound
	}
	return j.rec.Status, nil
}

// List returns the owner's jobs ("" = everyone's), newest first. It
// answers at once: ctx is taken for the same shape as the other methods.
func (s *Service) List(_ context.Context, owner string) []Status {
	s.mu.Lock()
	out := make([]Status, 0, len(s.jobs))
	for _, j := range s.jobs {
		if owner == "" || j.rec.Status.Owner == owner {
			out = append(out, j.rec.Status)
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(a, b int) bool {
		if !out[a].CreatedAt.Equal(out[b].CreatedAt) {
			return out[a].CreatedAt.After(out[b].CreatedAt)
		}
		return out[a].ID > out[b].ID
	})
	return out
}

// Cancel stops a running job and waits until it has stopped, or until ctx
// ends (the job still stops; ctx's error is returned). Cancelling a
// finished job is ErrJobFinished.
func (s *Service) Cancel(ctx context.Context, owner, id string) (Status, error) {
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		s.mu.Unlock()
		return Status{}, ErrJobNotFound
	}
	if !j.rec.Status.State.Running() {
		st := j.rec.Status
		s.mu.Unlock()
		return st, fmt.Errorf("%w (%s)", ErrJobFinished, st.State)
	}
	cancel, done := j.cancel, j.done
	s.mu.Unlock()
	cancel(context.Canceled)
	select {
	case <-done:
	case <-ctx.Done():
		return Status{}, ctx.Err()
	}
	return s.get(owner, id)
}

// Resume restarts an interrupted, failed or cancelled job. Lines already
// synthesised come from the cache, and a script already written is reused.
func (s *Service) Resume(ctx context.Context, owner, id string) (Status, error) {
	if err := ctx.Err(); err != nil {
		return Status{}, err
	}
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok || (owner != "" && j.rec.Status.Owner != owner) {
		s.mu.Unlock()
		return Status{}, ErrJobNotFound
	}
	switch st := j.rec.Status; st.State {
	case Interrupted, Failed, Cancelled:
		if err := s.checkUserCap(st.Owner); err != nil {
			s.mu.Unlock()
			return st, err
		}
		if rv := j.rec.Request.Revoice; rv != nil {
			if err := s.checkRevoicing(rv.PodcastID); err != nil {
				s.mu.Unlock()
				return st, err
			}
		}
	case Done:
		s.mu.Unlock()
		return st, fmt.Errorf("%w (done)", ErrJobFinished)
	default:
		s.mu.Unlock()
		return st, ErrJobRunning
	}
	j.resumed = true
	j.rec.Status.State = Queued
	j.rec.Status.Stage = "Waiting to resume"
	j.rec.Status.Error = ""
	j.rec.Status.UpdatedAt = s.deps.Now().UTC()
	rec := j.rec
	s.mu.Unlock()
	if err := s.saveRecord(j, rec); err != nil {
		return Status{}, err
	}
	s.launch(j)
	return rec.Status, nil
}

// Wait blocks until the job ends or ctx is done.
func (s *Service) Wait(ctx context.Context, id string) (Status, error) {
	s.mu.Lock()
	j, ok := s.jobs[id]
	s.mu.Unlock()
	if !ok {
		return Status{}, ErrJobNotFound
	}
	select {
	case <-j.done:
		return s.get("", id)
	case <-ctx.Done():
		return s.get("", id)
	}
}

// Shutdown stops every running job, leaving it interrupted and resumable,
// and waits for them to save their state.
func (s *Service) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	for _, j := range s.jobs {
		if j.rec.Status.State.Running() && j.cancel != nil {
			j.cancel(errShutdown)
		}
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
