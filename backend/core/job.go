// Package core owns podcast generation as a job: ingest → script → parallel
// synthesis → mastering → store, observable through events, cancellable,
// persisted so an interrupted job can be resumed, and atomic — a podcast
// appears in the library only when every one of its files is complete.
// Desktop bindings, the LAN API and the CLI are thin doors onto this package.
package core

import (
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/script"
	"podcastfy/backend/store"
)

// State is where a job is in its life.
type State string

// Job states. Queued, Transcribing, Writing, Synthesising and Mastering are running states;
// Done, Failed, Cancelled and Interrupted are final until a resume.
const (
	Queued       State = "queued"
	Transcribing State = "transcribing"
	Writing      State = "writing"
	Synthesising State = "synthesising"
	Mastering    State = "mastering"
	Done         State = "done"
	Failed       State = "failed"
	Cancelled    State = "cancelled"
	Interrupted  State = "interrupted"
)

// Running reports whether the state belongs to a job still at work.
func (s State) Running() bool {
	switch s {
	case Queued, Transcribing, Writing, Synthesising, Mastering:
		return true
	}
	return false
}

// Errors callers map to user-facing answers (404, 409, 400).
var (
	ErrJobNotFound error = &apperr.Error{Code: apperr.NotFound, Message: "job not found"}
	ErrJobFinished error = &apperr.Error{Code: apperr.JobFinished, Message: "job has already finished"}
	ErrJobRunning  error = &apperr.Error{Code: apperr.JobRunning, Message: "job is still running"}
	ErrBadRequest  error = &apperr.Error{Code: apperr.Invalid, Message: "invalid request"}
)

// Request is what a user asks for.
type Request struct {
	Owner      string            `json:"owner"`
	Text       string            `json:"text"`
	Title      string            `json:"title,omitempty"`
	TemplateID string            `json:"templateId,omitempty"`
	Minutes    float64           `json:"minutes,omitempty"`
	Language   string            `json:"language,omitempty"`
	Focus      string            `json:"focus,omitempty"`
	Voices     map[string]string `json:"voices,omitempty"`     // speaker name → voice id
	Writer     string            `json:"writer,omitempty"`     // "auto" (default), "ollama", "extractive"
	TTS        string            `json:"tts,omitempty"`        // provider; "" = settings
	SourceName string            `json:"sourceName,omitempty"` // label of where the text came from
	// Sources are read (files, pages) or transcribed (recordings) at the
	// start of the job; their text follows Text.
	Sources []Source `json:"sources,omitempty"`
	// SourcesRead is set once the sources' text is in Text.
	SourcesRead bool `json:"sourcesRead,omitempty"`
	// Untrusted marks requests from the LAN: their URLs may not reach
	// this machine's private network.
	Untrusted bool `json:"untrusted,omitempty"`
	// Revoice, when set, makes the job a new version of an existing
	// podcast from an edited script (the job record's Script), instead of
	// a new podcast; see studio_save.go.
	Revoice *Revoice `json:"revoice,omitempty"`
}

// Revoice is what a re-voice job needs beyond its script.
type Revoice struct {
	PodcastID string `json:"podcastId"`
	// Base is the version the edit was made from: the job commits only if
	// it is still the current one.
	Base int `json:"base"`
	// Speakers are every speaker's voice and speed for the new version.
	Speakers []store.SpeakerVoice `json:"speakers"`
}

// Status is a job as the outside world sees it.
type Status struct {
	ID       string  `json:"id"`
	Owner    string  `json:"owner"`
	Title    string  `json:"title"`
	State    State   `json:"state"`
	Stage    string  `json:"stage"` // human-readable, e.g. "Synthesising line 12 of 80"
	Segment  int     `json:"segment"`
	Segments int     `json:"segments"`
	Progress float64 `json:"progress"`             // 0..1 over the whole job
	ETA      float64 `json:"etaSeconds,omitempty"` // seconds left, when known
	// FirstAudio is how many seconds the job (since it last started or
	// resumed) took to have audio to listen to, at GET /jobs/{id}/audio.
	FirstAudio float64 `json:"firstAudioSeconds,omitempty"`
	Writer     string  `json:"writer,omitempty"`
	TTS        string  `json:"tts,omitempty"`
	Warning    string  `json:"warning,omitempty"` // e.g. why the offline writer was used
	Error      string  `json:"error,omitempty"`
	// PodcastID is the podcast made; a re-voice job names its podcast
	// from the start.
	PodcastID string `json:"podcastId,omitempty"`
	// SegmentsReused and SegmentsSynthesised count the lines voiced so
	// far that came from earlier work (the segment cache) and that were
	// synthesised now.
	SegmentsReused      int       `json:"segmentsReused"`
	SegmentsSynthesised int       `json:"segmentsSynthesised"`
	CreatedAt           time.Time `json:"createdAt"`
	UpdatedAt           time.Time `json:"updatedAt"`
}

// jobRecord is what the job file holds: enough to show the job after a
// restart and to resume it without asking the writer again.
type jobRecord struct {
	// Process is the id of the process that saved the record
	// (Deps.Process): while it lives, a running job is its alone.
	Process string         `json:"process,omitempty"`
	Status  Status         `json:"status"`
	Request Request        `json:"request"`
	Script  *script.Script `json:"script,omitempty"`
	// inputs counts the changes of Request and Script: whoever changes
	// either adds one, so that a save knows whether the encoding it
	// kept (recordParts) is still theirs.
	inputs uint64
}
