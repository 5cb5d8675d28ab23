package core

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"podcastfy/backend/ingest"
	"podcastfy/backend/store"
)

// Source is a document, page or recording a podcast is made from.
type Source struct {
	Kind string `json:"kind"` // "file", "url" or "audio"
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	// Path is a file on this machine: the user's own file (CLI, desktop) or
	// an upload the LAN server saved; never a path a client sent.
	Path string `json:"path,omitempty"`
	// Owned marks an upload podcastfy saved for this job: it is removed
	// when the job ends (a recording is moved beside the podcast first).
	Owned bool `json:"owned,omitempty"`
}

// Ingester turns sources into text (backend/ingest).
type Ingester interface {
	Load(ctx context.Context, sources []ingest.Source, progress func(ingest.Progress)) (ingest.Document, error)
}

// readSources turns the job's sources into its text, before the script is
// written; a resumed job does not read them again.
func (s *Service) readSources(ctx context.Context, j *job, req Request) (Request, error) {
	audio := false
	in := make([]ingest.Source, len(req.Sources))
	for i, src := range req.Sources {
		in[i] = ingest.Source{Kind: src.Kind, Name: src.Name, Path: src.Path, URL: src.URL}
		audio = audio || src.Kind == ingest.KindAudio
	}
	state, verb := Writing, "Reading"
	if audio {
		state, verb = Transcribing, "Transcribing"
	}
	s.update(j, true, func(st *Status) { st.State, st.Stage, st.Progress = state, verb+" the sources", 0 })
	ing := s.ingester(req)
	if ing == nil {
		return req, fmt.Errorf("reading sources is not available")
	}
	doc, err := ing.Load(ctx, in, func(p ingest.Progress) {
		s.update(j, false, func(st *Status) {
			st.Stage = fmt.Sprintf("%s %s", sourceVerb(p.Stage), p.Name)
			if p.Sources > 1 {
				st.Stage += fmt.Sprintf(" (source %d of %d)", p.Source, p.Sources)
			}
			if p.Total > 0 {
				st.Stage += fmt.Sprintf(", %d%%", p.Done*100/p.Total)
			}
		})
	})
	if err != nil {
		return req, err
	}
	text := strings.TrimSpace(doc.Marked()) // headings kept for the writers' sections
	if req.Text != "" {
		text = req.Text + "\n\n" + text
	}
	if len(text) > s.cfg.MaxTextBytes {
		return req, fmt.Errorf("the sources hold %.1f MB of text; the limit is %.1f MB",
			float64(len(text))/(1<<20), float64(s.cfg.MaxTextBytes)/(1<<20))
	}
	req.Text = text
	req.SourcesRead = true
	if req.Title == "" && doc.Title != "" && len(req.Sources) == 1 {
		req.Title = doc.Title
	}
	s.mu.Lock()
	j.rec.Request = req
	j.rec.inputs++
	s.mu.Unlock()
	s.update(j, true, func(st *Status) { st.Stage = "Sources read" })
	return req, nil
}

// ingester is the one that reads the request's sources: requests from the
// LAN get the one that refuses private addresses.
func (s *Service) ingester(req Request) Ingester {
	if req.Untrusted && s.deps.RemoteIngest != nil {
		return s.deps.RemoteIngest
	}
	return s.deps.Ingest
}

func sourceVerb(stage string) string {
	switch stage {
	case "fetching":
		return "Downloading"
	case "uploading":
		return "Sending to Whisper:"
	case "transcribing":
		return "Transcribing"
	case "extracting":
		return "Extracting text from"
	}
	return "Reading"
}

// stageSourceAudio copies (or, for an upload, moves) the first recording
// among the sources beside the podcast, as its sourceAudio file.
func stageSourceAudio(srcs []Source, stage func(kind, ext string) (*os.File, error)) error {
	for _, src := range srcs {
		if src.Kind != ingest.KindAudio {
			continue
		}
		ext := sniffAudioExt(src.Path)
		if ext == "" {
			return fmt.Errorf("%s is not a recording podcastfy can keep", src.Name)
		}
		in, err := os.Open(src.Path)
		if err != nil {
			return fmt.Errorf("keeping the original recording: %w", err)
		}
		defer in.Close()
		return writeStaged(stage, store.KindSource, ext, func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		})
	}
	return nil
}

func sniffAudioExt(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	ext, ok := ingest.DetectAudio(head[:n])
	if !ok {
		return ""
	}
	return strings.TrimPrefix(ext, ".")
}

// removeOwnedSources deletes the uploads a finished job owned.
func removeOwnedSources(srcs []Source) {
	dirs := map[string]bool{}
	for _, src := range srcs {
		if src.Owned && src.Path != "" {
			os.Remove(src.Path)
			dirs[filepath.Dir(src.Path)] = true
		}
	}
	for d := range dirs {
		os.Remove(d) // only when empty
	}
}
