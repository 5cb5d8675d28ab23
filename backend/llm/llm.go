// Package llm owns script writers: the Writer interface, the Ollama writer
// (structured JSON output through github.com/ollama/ollama/api) and the
// offline extractive writer.
package llm

import (
	"context"

	"podcastfy/backend/script"
	"podcastfy/backend/template"
)

// Request is what a writer needs to produce a script.
type Request struct {
	Source   string             // clean source text
	Title    string             // optional title wish; empty lets the writer choose
	Template *template.Template // speakers, structure, style, instructions
	Minutes  float64            // target length; 0 means the template's
	Language string             // BCP-47; empty means the template's
	Focus    string             // the user's focus instructions
	// Warn, when set, receives notes for the job's warnings (a fallback, a
	// condensed source, lines that name things the source does not).
	Warn func(string) `json:"-"`
	// OnLine, when set, receives each line as soon as it is written, in
	// script order, with its chapter; an error stops the writer. The lines
	// handed over are where the finished script starts. A writer that fails
	// after some lines and is replaced by another (writer "auto") starts
	// over, so a consumer must accept a new first line after
	// Progress{Stage: "restarting"}.
	OnLine func(ChapterLine) error `json:"-"`
}

// ChapterLine is a line written, with the chapter it belongs to.
type ChapterLine struct {
	Chapter int    // 0-based
	Title   string // the chapter's title
	script.Line
}

// Progress reports how writing advances.
type Progress struct {
	Stage  string `json:"stage"` // "checking", "writing", "repairing"
	Part   int    `json:"part"`  // 1-based part of a long source
	Parts  int    `json:"parts"`
	Tokens int    `json:"tokens"` // tokens (stream chunks) received so far
}

// ProgressFunc receives progress; it must not block.
type ProgressFunc func(Progress)

// Writer writes a podcast script.
type Writer interface {
	// Name is "ollama" or "extractive"; stored in the podcast's metadata.
	Name() string
	Write(ctx context.Context, req Request, progress ProgressFunc) (script.Script, error)
}
