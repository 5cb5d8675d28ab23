package desktop

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/ingest"
)

// maxPicked bounds the files remembered for one session; the oldest are
// forgotten first.
const maxPicked = 200

// Kinds of PickFiles.
const (
	PickDocuments = "documents"
	PickAudio     = "audio"
)

// The extensions the dialogs offer. A recording is recognised by its
// content; a document's extension tells Markdown and HTML from plain text.
var (
	documentExts = []string{".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
	audioExts    = []string{".mp3", ".wav", ".m4a", ".ogg", ".flac", ".webm"}
)

// PickedSource is a file the person chose or dropped, as the window knows
// it: an opaque token stands for the path, which never leaves Go.
type PickedSource struct {
	Token string `json:"token"`
	Name  string `json:"name"` // the file name, for display
	Kind  string `json:"kind"` // "file" (a document) or "audio"
	Size  int64  `json:"size"` // bytes
}

// DroppedSources is the payload of the sources:dropped event: the files
// accepted from one drop, and a message for each one refused.
type DroppedSources struct {
	Sources  []PickedSource `json:"sources"`
	Problems []string       `json:"problems"`
}

// SourceRef names one source of a new podcast: a picked file by its token,
// or a web page by its address.
type SourceRef struct {
	Token string `json:"token,omitempty"`
	URL   string `json:"url,omitempty"`
}

// pickedFiles maps the tokens handed to the window to the files they stand
// for, per user and bounded; logging out forgets them.
type pickedFiles struct {
	mu     sync.Mutex
	files  map[string]pickedFile
	tokens []string // oldest first
}

type pickedFile struct {
	owner string
	path  string
	src   PickedSource
}

func (p *pickedFiles) add(owner, path string, src PickedSource) PickedSource {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[string]pickedFile{}
	}
	src.Token = newToken()
	p.files[src.Token] = pickedFile{owner: owner, path: path, src: src}
	p.tokens = append(p.tokens, src.Token)
	for len(p.tokens) > maxPicked {
		delete(p.files, p.tokens[0])
		p.tokens = p.tokens[1:]
	}
	return src
}

func (p *pickedFiles) get(owner, token string) (pickedFile, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.files[token]
	return f, ok && f.owner == owner
}

func (p *pickedFiles) clear() {
	p.mu.Lock()
	p.files, p.tokens = nil, nil
	p.mu.Unlock()
}

func newToken() string { return rand.Text() }

// PickFiles shows the open-file dialog for documents ("documents": text,
// Markdown, HTML, PDF) or recordings ("audio": MP3, WAV, M4A, Ogg, FLAC,
// WebM) and returns the chosen files, none when the person cancelled. A
// chosen file that is not what was asked for is an error naming it.
func (g *Generator) PickFiles(kind string) ([]PickedSource, error) {
	u, err := g.session.User()
	if err != nil {
		return nil, err
	}
	var title string
	var filters []FileFilter
	switch kind {
	case PickDocuments, ingest.KindFile:
		title, filters = "Add documents", []FileFilter{filterOf("Documents", documentExts)}
	case PickAudio:
		title, filters = "Add a recording", []FileFilter{filterOf("Recordings", audioExts)}
	default:
		return nil, fmt.Errorf("unknown kind of file %q: use documents or audio", kind)
	}
	paths, err := g.rt.ChooseFiles(title, filters)
	if err != nil {
		return nil, fmt.Errorf("the file dialog failed: %w", err)
	}
	if err := core.CheckSourceCount(len(paths)); err != nil {
		return nil, err
	}
	out := []PickedSource{}
	for _, path := range paths {
		src, err := inspectSource(path)
		if err == nil && kind == PickAudio && src.Kind != ingest.KindAudio {
			err = fmt.Errorf("%s is not a recording: podcastfy transcribes MP3, WAV, M4A, Ogg, FLAC and WebM files", src.Name)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g.picked.add(u.ID, path, src))
	}
	return out, nil
}

// filesDropped registers the files dropped onto the window for the
// logged-in user and tells the window with a sources:dropped event.
func (g *Generator) filesDropped(paths []string) {
	if len(paths) == 0 { // Wails reports a drop it could not read as no paths
		return
	}
	u, err := g.session.User()
	if err != nil {
		g.log.Info("files dropped while nobody is logged in were ignored", "files", len(paths))
		return
	}
	out := DroppedSources{Sources: []PickedSource{}, Problems: []string{}}
	if len(paths) > core.MaxSources {
		out.Problems = append(out.Problems, fmt.Sprintf("%d files were dropped; the first %d were looked at, since a podcast is made from at most %d.",
			len(paths), core.MaxSources, core.MaxSources))
		paths = paths[:core.MaxSources]
	}
	for _, path := range paths {
		src, err := inspectSource(path)
		if err != nil {
			out.Problems = append(out.Problems, err.Error())
			continue
		}
		out.Sources = append(out.Sources, g.picked.add(u.ID, path, src))
	}
	g.rt.Emit(events.SourcesDropped, out)
}

// inspectSource checks that path is a document or recording podcastfy can
// read: a regular, non-empty file whose content is audio, or whose name is
// that of a document. Only then may its path stand behind a token.
func inspectSource(path string) (PickedSource, error) {
	name := filepath.Base(path)
	if path == "" || !filepath.IsAbs(path) {
		return PickedSource{}, fmt.Errorf("%q is not a file on this computer", name)
	}
	// Stat before opening: opening a pipe or a device could block.
	var f *os.File
	info, err := os.Stat(path)
	if err == nil && info.Mode().IsRegular() {
		if f, err = os.Open(path); err == nil {
			defer f.Close()
			info, err = f.Stat() // the file opened, should it have been replaced
		}
	}
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return PickedSource{}, fmt.Errorf("%s cannot be opened: %w", name, err)
	case !info.Mode().IsRegular():
		return PickedSource{}, fmt.Errorf("%s is not a file: add documents or recordings, not folders", name)
	case info.Size() == 0:
		return PickedSource{}, fmt.Errorf("%s is empty", name)
	}
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return PickedSource{}, fmt.Errorf("%s cannot be read: %w", name, err)
	}
	src := PickedSource{Name: name, Size: info.Size()}
	ext := strings.ToLower(filepath.Ext(name))
	_, audio := ingest.DetectAudio(head[:n])
	switch {
	case audio:
		src.Kind = ingest.KindAudio
	case slices.Contains(audioExts, ext):
		return PickedSource{}, fmt.Errorf("%s is named like a recording but is not one podcastfy can read (MP3, WAV, M4A, Ogg, FLAC, WebM)", name)
	case slices.Contains(documentExts, ext):
		src.Kind = ingest.KindFile
	default:
		return PickedSource{}, fmt.Errorf("%s is not a document or recording podcastfy reads: add text, Markdown, HTML or PDF files, or MP3, WAV, M4A, Ogg, FLAC or WebM recordings", name)
	}
	return src, nil
}

func filterOf(label string, exts []string) FileFilter {
	globs := make([]string, len(exts))
	for i, e := range exts {
		globs[i] = "*" + e
	}
	return FileFilter{
		DisplayName: fmt.Sprintf("%s (%s)", label, strings.Join(globs, ", ")),
		Pattern:     strings.Join(globs, ";"),
	}
}

// resolveSources turns the window's references into the job's sources:
// tokens into the files they stand for, addresses into web pages.
func (g *Generator) resolveSources(owner string, refs []SourceRef) ([]core.Source, error) {
	if err := core.CheckSourceCount(len(refs)); err != nil {
		return nil, err
	}
	out := make([]core.Source, 0, len(refs))
	for i, ref := range refs {
		token, addr := strings.TrimSpace(ref.Token), strings.TrimSpace(ref.URL)
		switch {
		case token != "" && addr != "":
			return nil, apperr.Field(core.FieldSources, "source %d names both a file and a web address: give one", i+1)
		case token != "":
			f, ok := g.picked.get(owner, token)
			if !ok {
				return nil, apperr.Field(core.FieldSources, "source %d is a file this window no longer knows: add it again", i+1)
			}
			out = append(out, core.Source{Kind: f.src.Kind, Name: f.src.Name, Path: f.path})
		case addr != "":
			u, err := core.CleanURL(addr)
			if err != nil {
				return nil, fmt.Errorf("source %d: %w", i+1, err)
			}
			out = append(out, core.Source{Kind: ingest.KindURL, URL: u}) // named by its page title
		default:
			return nil, apperr.Field(core.FieldSources, "source %d is empty: give a file or a web address", i+1)
		}
	}
	return out, nil
}
