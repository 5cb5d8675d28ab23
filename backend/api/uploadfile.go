package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"podcastfy/backend/core"
	"podcastfy/backend/ingest"
	"podcastfy/backend/store/process"
)

// sniffBytes is how much of an upload is read to decide what it is.
const sniffBytes = 64 << 10

// saveFilePart saves one file of the form in the upload folder under a
// name the server chooses from the file's content; the client's file name
// is kept only as the source's display name.
func (s *server) saveFilePart(form *uploadForm, field string, part *multipart.Part) error {
	if field == fieldAudio && form.counts[fieldAudio] > 0 {
		return badRequest("bad_multipart", "send one recording in the field \"audio\"")
	}
	form.counts[field]++
	name := uploadName(part.FileName(), field)
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(part, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return formError(err, s.maxUpload)
	}
	head = head[:n]
	if n == 0 {
		return badRequest("empty_file", fmt.Sprintf("the file %q in the field %q is empty", name, field))
	}
	kind, ext, err := uploadKind(field, name, part.FileName(), head)
	if err != nil {
		return err
	}
	if form.dir == "" {
		if form.dir, err = s.newUploadDir(); err != nil {
			return err
		}
	}
	p := filepath.Join(form.dir, fmt.Sprintf("%d.%s", len(form.sources)+1, ext))
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("saving an upload: %w", err)
	}
	dst := &claimedWriter{w: out, claim: form.claim}
	_, err = dst.Write(head)
	if err == nil {
		_, err = io.Copy(dst, part)
	}
	if cerr := out.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("saving an upload: %w", cerr)
	}
	if err != nil {
		if dst.refused != nil {
			return dst.refused // the partial file goes with the folder
		}
		if isReadError(err) {
			return formError(err, s.maxUpload)
		}
		return fmt.Errorf("saving an upload: %w", err)
	}
	form.sources = append(form.sources, core.Source{Kind: kind, Name: name, Path: p, Owned: true})
	return nil
}

// claimedWriter claims disk room for each write before making it, so a
// body of unknown length stops at the user's budget or the disk's reserve.
type claimedWriter struct {
	w       io.Writer
	claim   *core.Claim
	refused error // the claim's refusal, when that stopped the copy
}

func (c *claimedWriter) Write(p []byte) (int, error) {
	if err := c.claim.Grow(int64(len(p))); err != nil {
		c.refused = err
		return 0, err
	}
	return c.w.Write(p)
}

// isReadError tells a failure reading the request (a client's fault) from
// one writing the disk (the server's).
func isReadError(err error) bool {
	var pe *os.PathError
	return !errors.As(err, &pe)
}

// Upload folders: an upload is written into "incoming-<process>-*" and
// renamed to "job-*" once complete, just before its job starts; from then
// on the job owns it. <process> is the server's process id (Deps.Process):
// at start-up, the incoming folders of processes that have ended are
// removed, and those of live ones (another server on the same folders)
// left alone.
const (
	incomingPrefix = "incoming-"
	jobPrefix      = "job-"
	// staleIncoming is the age after which an incoming folder that names
	// no process (an older version's, or a server built without
	// Deps.Process) is surely abandoned: an upload may take
	// uploadDeadline.
	staleIncoming = 24 * time.Hour
)

// newUploadDir makes a private folder for one upload under UploadDir.
func (s *server) newUploadDir() (string, error) {
	if s.UploadDir == "" {
		return "", fmt.Errorf("uploads are not configured (api.Deps.UploadDir is empty)")
	}
	if err := os.MkdirAll(s.UploadDir, 0o700); err != nil {
		return "", fmt.Errorf("making the upload folder: %w", err)
	}
	prefix := incomingPrefix
	if s.Process != nil {
		prefix += s.Process.ID() + "-"
	}
	dir, err := os.MkdirTemp(s.UploadDir, prefix)
	if err != nil {
		return "", fmt.Errorf("making the upload folder: %w", err)
	}
	return dir, nil
}

// complete moves a finished upload to its job folder and points its
// sources there.
func (f *uploadForm) complete() error {
	if f.dir == "" {
		return nil
	}
	dir := filepath.Join(filepath.Dir(f.dir), jobPrefix+strings.TrimPrefix(filepath.Base(f.dir), incomingPrefix))
	if err := os.Rename(f.dir, dir); err != nil {
		return fmt.Errorf("keeping an upload: %w", err)
	}
	f.dir = dir
	for i := range f.sources {
		f.sources[i].Path = filepath.Join(dir, filepath.Base(f.sources[i].Path))
	}
	return nil
}

// removeStaleUploads deletes incoming folders a crash left behind: those
// of processes that have ended, and those naming no process once they are
// staleIncoming old. proc may be nil (then only the age counts).
func removeStaleUploads(dir string, now time.Time, proc core.Processes, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // no uploads yet
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), incomingPrefix)
		if !e.IsDir() || !ok {
			continue
		}
		if owner, _, ok := strings.Cut(rest, "-"); ok && process.ValidID(owner) && proc != nil {
			if proc.Alive(owner) {
				continue
			}
		} else if fi, err := e.Info(); err != nil || now.Sub(fi.ModTime()) < staleIncoming {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			log.Warn("removing an abandoned upload", "dir", e.Name(), "err", err)
			continue
		}
		log.Info("removed an abandoned upload", "dir", e.Name())
	}
}

// uploadKind decides from the first bytes what a file is: a recording
// (any field), or a PDF, HTML, Markdown or text document (field "file").
// The extension it returns is the saved file's; the client's file name
// only chooses between Markdown, HTML and plain text.
func uploadKind(field, name, clientName string, head []byte) (kind, ext string, err error) {
	if ext, ok := ingest.DetectAudio(head); ok {
		return ingest.KindAudio, ext, nil
	}
	ctype := http.DetectContentType(head)
	if field == fieldAudio {
		return "", "", &Error{Status: http.StatusUnsupportedMediaType, Code: "not_audio",
			Message: fmt.Sprintf("%q is not a recording podcastfy reads (MP3, WAV, M4A, Ogg, FLAC or WebM); its content is %s", name, contentName(ctype))}
	}
	if bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")) {
		return ingest.KindFile, "pdf", nil
	}
	if !strings.HasPrefix(ctype, "text/") {
		return "", "", &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_file",
			Message: fmt.Sprintf("%q is %s; podcastfy reads text, Markdown, HTML and PDF documents and MP3, WAV, M4A, Ogg, FLAC and WebM recordings — export other documents as PDF or plain text", name, contentName(ctype))}
	}
	switch strings.ToLower(path.Ext(clientName)) {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		return ingest.KindFile, "md", nil
	case ".html", ".htm", ".xhtml":
		return ingest.KindFile, "html", nil
	}
	if strings.HasPrefix(ctype, "text/html") {
		return ingest.KindFile, "html", nil
	}
	return ingest.KindFile, "txt", nil
}

// contentName names a sniffed content type for a message.
func contentName(ctype string) string {
	ctype, _, _ = strings.Cut(ctype, ";")
	if ctype == "application/octet-stream" {
		return "binary data"
	}
	return "of type " + ctype
}

// maxNameRunes bounds a source's display name.
const maxNameRunes = 100

// uploadName is the client's file name made safe to show: its last path
// element, without control characters, at most maxNameRunes long.
func uploadName(raw, field string) string {
	raw = strings.ToValidUTF8(strings.ReplaceAll(raw, `\`, "/"), "")
	name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, path.Base(raw)))
	if name == "" || name == "." || name == "/" || name == ".." {
		if field == fieldAudio {
			return "recording"
		}
		return "document"
	}
	if utf8.RuneCountInString(name) > maxNameRunes {
		name = string([]rune(name)[:maxNameRunes])
	}
	return name
}
