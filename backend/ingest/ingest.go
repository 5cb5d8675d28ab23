// Package ingest owns turning sources into clean text that a TTS engine can
// read aloud without meeting markup: pasted text, plain-text and Markdown
// files, HTML files and web pages (readable content only), PDFs (page order
// kept, running headers, page numbers and hyphenation removed) and recorded
// audio (transcribed through package asr). Headings survive as Sections,
// hints for chapters. Every failure names its source and says what to do.
package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"podcastfy/backend/asr"
)

// Source kinds.
const (
	KindText  = "text"  // Source.Text, pasted or typed
	KindFile  = "file"  // Source.Path or Source.Data, type sniffed
	KindURL   = "url"   // Source.URL, http or https
	KindAudio = "audio" // like KindFile, but it must be audio
)

// Source is one input to a podcast.
type Source struct {
	Kind string `json:"kind"`
	// Name is the label shown to the user; derived from the file name, the
	// page title or "Pasted text" when empty.
	Name string `json:"name,omitempty"`
	Text string `json:"text,omitempty"` // KindText
	Path string `json:"path,omitempty"` // KindFile, KindAudio: a file on disk
	URL  string `json:"url,omitempty"`  // KindURL
	// Data is an uploaded file's content (KindFile, KindAudio) when there is
	// no Path; Name then carries its file name, whose extension helps.
	Data []byte `json:"-"`
}

// Section is a heading kept as a chapter hint.
type Section struct {
	Title string `json:"title"`
	// Level is the heading level, 1–6; 0 marks the label Load puts before
	// each source when there are several.
	Level int `json:"level"`
	// Offset is the byte offset in Document.Text where the heading starts.
	Offset int `json:"offset"`
}

// SourceInfo tells what each source contributed.
type SourceInfo struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Chars int    `json:"chars"` // characters of text it yielded
}

// Document is clean text ready for the script writer.
type Document struct {
	Title    string       `json:"title"`
	Text     string       `json:"text"` // paragraphs separated by blank lines
	Language string       `json:"language,omitempty"`
	Sections []Section    `json:"sections,omitempty"`
	Sources  []SourceInfo `json:"sources"`
}

// Progress reports Load's advance through the sources.
type Progress struct {
	Source  int    `json:"source"`  // 1-based
	Sources int    `json:"sources"` // how many in all
	Name    string `json:"name"`
	// Stage is "reading", "fetching", "extracting", asr.StageUploading,
	// asr.StageTranscribing or "done".
	Stage string `json:"stage"`
	Done  int64  `json:"done,omitempty"`  // bytes, when the stage counts them
	Total int64  `json:"total,omitempty"` // bytes, when known
}

// Progress stages besides asr's.
const (
	StageReading    = "reading"
	StageFetching   = "fetching"
	StageExtracting = "extracting"
	StageDone       = "done"
)

// Defaults for Options' zero values.
const (
	DefaultMaxSourceBytes = 50 << 20  // one document file or page
	DefaultMaxAudioBytes  = 200 << 20 // one recording
	DefaultMaxTotalBytes  = 8 << 20   // text of all sources together
	DefaultHTTPTimeout    = 30 * time.Second
	DefaultMaxRedirects   = 5
)

// Options configure an Ingester; zero values take the defaults above.
type Options struct {
	// MaxSourceBytes caps one document (file or downloaded page).
	MaxSourceBytes int64
	// MaxAudioBytes caps one audio file.
	MaxAudioBytes int64
	// MaxTotalBytes caps the text of all sources together.
	MaxTotalBytes int64
	// HTTPTimeout bounds one page download from start to end.
	HTTPTimeout time.Duration
	// MaxRedirects is how many redirects a download may follow.
	MaxRedirects int
	// HTTPClient fetches pages; nil builds one. Its CheckRedirect is
	// replaced to enforce MaxRedirects and the scheme rule.
	HTTPClient *http.Client
	// BlockPrivateHosts refuses URLs whose host resolves to a loopback,
	// private or link-local address (checked at dial time by the built-in
	// client; with an injected HTTPClient only hosts written as addresses or
	// "localhost" are caught). A desktop user may fetch LAN pages, so it is
	// off by default; the LAN server should turn it on.
	BlockPrivateHosts bool
	// UserAgent is sent with page requests.
	UserAgent string
	// Transcriber turns audio sources into text; nil refuses them with
	// ErrNoASR.
	Transcriber asr.Transcriber
	// ASR tunes transcription (language, task); its Progress is replaced.
	ASR asr.Options
}

// Ingester turns sources into Documents. It is safe for concurrent use.
type Ingester struct {
	opts Options
	hc   *http.Client
	log  *slog.Logger
}

// New returns an Ingester; log may be nil.
func New(opts Options, log *slog.Logger) *Ingester {
	if opts.MaxSourceBytes <= 0 {
		opts.MaxSourceBytes = DefaultMaxSourceBytes
	}
	if opts.MaxAudioBytes <= 0 {
		opts.MaxAudioBytes = DefaultMaxAudioBytes
	}
	if opts.MaxTotalBytes <= 0 {
		opts.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if opts.HTTPTimeout <= 0 {
		opts.HTTPTimeout = DefaultHTTPTimeout
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Mozilla/5.0 (compatible; podcastfy)"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in := &Ingester{opts: opts, log: log}
	in.hc = in.httpClient()
	return in
}

// Load reads every source and joins them. With several sources each is
// introduced by a label paragraph, "Source 1: <title>", recorded as a
// Section of Level 0. The first failing source stops the load with a
// *SourceError naming it; the text of all sources together may not exceed
// MaxTotalBytes. progress may be nil.
func (in *Ingester) Load(ctx context.Context, sources []Source, progress func(Progress)) (Document, error) {
	if len(sources) == 0 {
		return Document{}, fmt.Errorf("%w: no sources were given", ErrInvalidInput)
	}
	var out Document
	var text strings.Builder
	var total int64 // source text, labels aside
	for i, src := range sources {
		name := src.label()
		report := func(p Progress) {
			if progress != nil {
				p.Source, p.Sources, p.Name = i+1, len(sources), name
				progress(p)
			}
		}
		doc, err := in.load(ctx, src, report)
		if err != nil {
			return Document{}, &SourceError{Index: i + 1, Name: name, Err: err}
		}
		if src.Name != "" {
			name = src.Name
		} else if doc.Title != "" && src.Kind == KindURL {
			name = doc.Title
		}
		if len(sources) > 1 {
			if text.Len() > 0 {
				text.WriteString("\n\n")
			}
			label := fmt.Sprintf("Source %d: %s", i+1, firstNonEmpty(doc.Title, name))
			out.Sections = append(out.Sections, Section{Title: label, Level: 0, Offset: text.Len()})
			text.WriteString(label + "\n\n")
		}
		for _, s := range doc.Sections {
			s.Offset += text.Len()
			out.Sections = append(out.Sections, s)
		}
		text.WriteString(doc.Text)
		if total += int64(len(doc.Text)); total > in.opts.MaxTotalBytes {
			return Document{}, &SourceError{Index: i + 1, Name: name, Err: failf(ErrTooLarge,
				"together the sources hold more than %s of text, the limit; use fewer or shorter sources",
				sizeString(in.opts.MaxTotalBytes))}
		}
		if out.Title == "" {
			out.Title = doc.Title
		}
		if out.Language == "" {
			out.Language = doc.Language
		}
		out.Sources = append(out.Sources, SourceInfo{Name: name, Kind: src.Kind, Chars: len([]rune(doc.Text))})
		report(Progress{Stage: StageDone})
	}
	out.Text = text.String()
	return out, nil
}

// load dispatches one source.
func (in *Ingester) load(ctx context.Context, src Source, report func(Progress)) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	switch src.Kind {
	case KindText:
		return in.text(src.Text)
	case KindURL:
		return in.url(ctx, src.URL, report)
	case KindFile, KindAudio:
		audioOnly := src.Kind == KindAudio
		if src.Path == "" {
			return in.file(ctx, firstNonEmpty(src.Name, "upload"), newBytesInput(src.Data), audioOnly, report)
		}
		f, err := os.Open(src.Path)
		if err != nil {
			return Document{}, fmt.Errorf("%w: cannot open the file: %v", ErrInvalidInput, err)
		}
		defer f.Close()
		input, err := newFileInput(f)
		if err != nil {
			return Document{}, err
		}
		return in.file(ctx, filepath.Base(src.Path), input, audioOnly, report)
	}
	return Document{}, fmt.Errorf("%w: kind %q; use %q, %q, %q or %q", ErrInvalidInput, src.Kind,
		KindText, KindFile, KindURL, KindAudio)
}

// label is the name a source goes by before it is read.
func (s Source) label() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Path != "":
		return filepath.Base(s.Path)
	case s.URL != "":
		return s.URL
	case s.Kind == KindText:
		return "Pasted text"
	}
	return "upload"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// sizeString renders a byte count for messages: "50 MB", "800 KB".
func sizeString(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Marked is the document's text with each heading marked as in Markdown
// ("## Options"), so the structure survives in one string: the speakable
// stage (script.PrepareSource) reads the headings back as sections. A
// source label (level 0) is marked as a top-level heading.
func (d Document) Marked() string {
	if len(d.Sections) == 0 {
		return d.Text
	}
	var b strings.Builder
	b.Grow(len(d.Text) + 8*len(d.Sections))
	last := 0
	for _, s := range d.Sections {
		if s.Offset < last || s.Offset > len(d.Text) || !strings.HasPrefix(d.Text[s.Offset:], s.Title) {
			continue // not at a heading: leave the text as it is
		}
		b.WriteString(d.Text[last:s.Offset])
		b.WriteString(strings.Repeat("#", min(max(s.Level, 1), 6)) + " ")
		last = s.Offset
	}
	b.WriteString(d.Text[last:])
	return b.String()
}
