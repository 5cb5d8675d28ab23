package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
)

// The script studio: a podcast's script as a person edits it, saved as a
// re-voice job (revoice.go) that makes a new version, the versions kept,
// and rewrites proposed by Ollama. Every door (LAN API, desktop, CLI)
// calls these methods; the rules live here (studio_check.go).

// OwnedPodcasts finds one of a user's podcasts; another user's is "not
// found" (*library.Service, whose rule this is).
type OwnedPodcasts interface {
	Get(ctx context.Context, owner, id string) (store.Podcast, error)
}

// StudioStore is what the studio needs from the library's files
// (*store.Podcasts).
type StudioStore interface {
	MediaPath(id, kind string) (string, error)
	Restore(id string, version int) (store.Podcast, error)
}

// Studio is the script studio. It is safe for concurrent use.
type Studio struct {
	jobs     *Service
	library  OwnedPodcasts
	podcasts StudioStore
	rewriter Rewriter
	log      *slog.Logger
}

// NewStudio builds the studio over the job service (which runs the
// re-voice jobs), the library (ownership), the podcasts' files and the
// rewriter (nil: rewriting is unavailable).
func NewStudio(jobs *Service, library OwnedPodcasts, podcasts StudioStore, rewriter Rewriter) *Studio {
	return &Studio{jobs: jobs, library: library, podcasts: podcasts, rewriter: rewriter, log: jobs.log}
}

// ScriptDoc is a podcast's script as it is edited: what it says, who
// says it with which voice, and the version it is (with its ETag). A save
// sends the same shape; PodcastID, Version and ETag are then ignored (the
// ETag travels apart, as If-Match).
type ScriptDoc struct {
	PodcastID string           `json:"podcastId"`
	Version   int              `json:"version"`
	ETag      string           `json:"etag,omitempty"`
	Title     string           `json:"title"`
	Summary   string           `json:"summary"`
	Language  string           `json:"language"`
	Template  string           `json:"template"`
	Speakers  []DocSpeaker     `json:"speakers"`
	Chapters  []script.Chapter `json:"chapters"`
}

// DocSpeaker is one speaker of the podcast with its voice and speed for
// the whole episode.
type DocSpeaker struct {
	Name  string  `json:"name"`
	Voice string  `json:"voice"`
	Speed float64 `json:"speed"`
}

// maxScriptFileBytes bounds a script file read back from the library.
const maxScriptFileBytes = 64 << 20

var errNoScript = apperr.New(apperr.NotFound, "this podcast has no script to edit")

// Script returns one of owner's podcasts' current script, with its ETag.
func (s *Studio) Script(ctx context.Context, owner, id string) (ScriptDoc, error) {
	doc, _, err := s.load(ctx, owner, id)
	return doc, err
}

// load reads the podcast and its current script.
func (s *Studio) load(ctx context.Context, owner, id string) (ScriptDoc, store.Podcast, error) {
	p, err := s.library.Get(ctx, owner, id)
	if err != nil {
		return ScriptDoc{}, store.Podcast{}, err
	}
	sc, err := s.readScript(id)
	if err != nil {
		return ScriptDoc{}, store.Podcast{}, err
	}
	doc := ScriptDoc{
		PodcastID: p.ID, Version: p.CurrentVersion(), Title: p.Title, Summary: sc.Summary, Language: p.Language,
		Speakers: s.speakersOf(p, sc), Chapters: sc.Chapters,
	}
	if p.TemplateUsed != nil {
		doc.Template = *p.TemplateUsed
	}
	if doc.Chapters == nil {
		doc.Chapters = []script.Chapter{}
	}
	doc.ETag = etagOf(doc)
	return doc, p, nil
}

func (s *Studio) readScript(id string) (script.Script, error) {
	path, err := s.podcasts.MediaPath(id, store.KindScript)
	if errors.Is(err, store.ErrNotFound) {
		return script.Script{}, errNoScript
	}
	if err != nil {
		return script.Script{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return script.Script{}, fmt.Errorf("reading the script: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScriptFileBytes+1))
	if err != nil {
		return script.Script{}, fmt.Errorf("reading the script: %w", err)
	}
	var sc script.Script
	if len(data) > maxScriptFileBytes || json.Unmarshal(data, &sc) != nil {
		return script.Script{}, fmt.Errorf("the script file of podcast %s is damaged", id)
	}
	return sc, nil
}

// speakersOf lists every speaker of the podcast with the voice and speed
// it was made with. Podcasts made before voices were recorded get the
// voices their job would have chosen: the template's for the provider,
// the settings' and the language's, as normalise does.
func (s *Studio) speakersOf(p store.Podcast, sc script.Script) []DocSpeaker {
	if len(p.Voices) > 0 {
		out := make([]DocSpeaker, len(p.Voices))
		for i, v := range p.Voices {
			out[i] = DocSpeaker{Name: v.Speaker, Voice: v.Voice, Speed: max(v.Speed, 0)}
			if out[i].Speed == 0 {
				out[i].Speed = 1
			}
		}
		return out
	}
	names := append([]string(nil), p.Speakers...)
	voices := map[string]string{}
	if p.TemplateUsed != nil {
		if tpl, err := s.jobs.templateFor(p.Owner, *p.TemplateUsed); err == nil {
			req := Request{TTS: p.TTS, Language: p.Language}
			if def, err := s.jobs.defaults(); err == nil {
				req.Voices = withDefaultVoices(nil, def.Voices, tpl)
			}
			req.Voices = voicesForLanguage(req.Voices, tpl, p.TTS, p.Language)
			voices = speakerVoices(tpl, req)
			if len(names) == 0 {
				names = speakerNames(tpl)
			}
		}
	}
	for _, c := range sc.Chapters {
		for _, l := range c.Lines {
			if !containsFold(names, l.Speaker) {
				names = append(names, l.Speaker)
			}
		}
	}
	out := make([]DocSpeaker, len(names))
	for i, n := range names {
		out[i] = DocSpeaker{Name: n, Voice: voices[strings.ToLower(n)], Speed: 1}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// etagOf is the document's version and a hash of everything a save
// would change, so an edit made meanwhile (by another device, or a
// restore, or a rename) is seen. It is opaque to clients.
func etagOf(doc ScriptDoc) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	// Only our own types: they always encode.
	enc.Encode([]any{doc.Version, doc.Title, doc.Summary, doc.Speakers, doc.Chapters})
	return fmt.Sprintf(`"v%d-%s"`, doc.Version, hex.EncodeToString(h.Sum(nil))[:20])
}

// matchETag applies If-Match: "*" matches any version, a weak tag
// (W/"…") compares as its strong form, and a list matches when any of its
// tags does.
func matchETag(ifMatch, current string) bool {
	for _, tag := range strings.Split(ifMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == current || `"`+tag+`"` == current {
			return true
		}
	}
	return false
}

// Save checks an edited script against the podcast's current one and
// starts the re-voice job that makes it the podcast's next version. etag
// is the ETag of the script the edit started from: empty is
// precondition_required; another than the current one is
// precondition_failed (the script changed since it was read); a re-voice
// of the podcast already queued or running is job_running; a bad edit is
// invalid_request naming the field ("chapters[2].lines[5].text").
func (s *Studio) Save(ctx context.Context, owner, id, etag string, doc ScriptDoc) (Status, error) {
	cur, p, err := s.load(ctx, owner, id)
	if err != nil {
		return Status{}, err
	}
	if strings.TrimSpace(etag) == "" {
		return Status{}, apperr.New(apperr.PreconditionRequired,
			"say which version of the script this edit was made from (If-Match: its ETag), so a newer edit is never overwritten")
	}
	if !matchETag(etag, cur.ETag) {
		return Status{}, apperr.New(apperr.PreconditionFailed,
			"the script changed since it was opened (it is now version %d): open it again and redo the edit", cur.Version)
	}
	if s.jobs.Revoicing(id) {
		return Status{}, ErrRevoicing
	}
	sc, speakers, err := s.check(ctx, p, cur, doc)
	if err != nil {
		return Status{}, err
	}
	req := Request{
		Owner: p.Owner, Title: sc.Title, TemplateID: cur.Template, Language: p.Language, TTS: p.TTS,
		Voices:  voiceMap(speakers),
		Revoice: &Revoice{PodcastID: id, Base: cur.Version, Speakers: speakers},
	}
	return s.jobs.startRevoice(ctx, req, sc)
}

// VersionInfo is one kept version as the doors list it.
type VersionInfo struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	Duration  float64   `json:"duration"`
	Lines     int       `json:"lines"`
	Words     int       `json:"words"`
	Current   bool      `json:"current"`
}

// Versions lists the kept versions of a podcast.
type Versions struct {
	Current  int           `json:"current"`
	Versions []VersionInfo `json:"versions"`
}

// Versions lists one of owner's podcasts' kept versions, oldest first.
func (s *Studio) Versions(ctx context.Context, owner, id string) (Versions, error) {
	p, err := s.library.Get(ctx, owner, id)
	if err != nil {
		return Versions{}, err
	}
	out := Versions{Current: p.CurrentVersion(), Versions: []VersionInfo{}}
	for _, v := range p.History() {
		out.Versions = append(out.Versions, VersionInfo{
			Version: v.Version, CreatedAt: v.CreatedAt, Duration: v.Duration, Lines: v.Lines, Words: v.Words,
			Current: v.Version == out.Current,
		})
	}
	return out, nil
}

// Restore makes a kept version of one of owner's podcasts the current one
// (the feed then serves it). A version no longer kept is not_found; a
// re-voice queued or running is job_running.
func (s *Studio) Restore(ctx context.Context, owner, id string, version int) (store.Podcast, error) {
	if _, err := s.library.Get(ctx, owner, id); err != nil {
		return store.Podcast{}, err
	}
	if s.jobs.Revoicing(id) {
		return store.Podcast{}, ErrRevoicing
	}
	p, err := s.podcasts.Restore(id, version)
	if errors.Is(err, store.ErrNotFound) {
		return store.Podcast{}, apperr.New(apperr.NotFound, "version %d of this podcast is not kept (any more)", version)
	}
	if err != nil {
		return store.Podcast{}, err
	}
	s.log.Info("podcast version restored", "podcast", id, "version", version)
	return p, nil
}
