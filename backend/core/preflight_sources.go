package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/template"
)

// sourceChecker is an Ingester that can check sources before reading them
// (*ingest.Ingester can): its link rules and its speech recognition server.
type sourceChecker interface {
	CheckURL(ctx context.Context, raw string) error
	CheckTranscriber(ctx context.Context) error
}

// sourceTextTTL is how long a document read to measure it is kept; the
// key holds its size and time, so an edited file is read again.
const sourceTextTTL = time.Minute

// checkSourceServers applies the link rules to web pages (a LAN request may
// not make this machine fetch its own network) and, when any source is a
// recording, asks the speech recognition server.
func (s *Service) checkSourceServers(ctx context.Context, req Request) []Problem {
	c, ok := s.ingester(req).(sourceChecker)
	if !ok {
		return nil
	}
	var probs []Problem
	recordings := false
	for _, src := range req.Sources {
		if !isRecording(src) {
			if src.Kind == ingest.KindURL {
				probs = append(probs, s.checkURL(ctx, c, req.Untrusted, src.URL)...)
			}
			continue
		}
		recordings = true
	}
	if !recordings {
		return probs
	}
	_, err := s.checks.do(ctx, "asr", checkTTL, func(ctx context.Context) (any, error) {
		return nil, c.CheckTranscriber(ctx)
	})
	switch {
	case timedOut(ctx, err):
		probs = append(probs, noAnswer(FieldSources, "The speech recognition server"))
	case err != nil:
		probs = append(probs, Problem{Field: FieldSources, Code: apperr.Unavailable, Severity: SeverityError,
			Message: fmt.Sprintf("recordings cannot be transcribed now: %v", err)})
	}
	return probs
}

func (s *Service) checkURL(ctx context.Context, c sourceChecker, untrusted bool, u string) []Problem {
	key := fmt.Sprintf("url\x00%t\x00%s", untrusted, u)
	_, err := s.checks.do(ctx, key, checkTTL, func(ctx context.Context) (any, error) { return nil, c.CheckURL(ctx, u) })
	switch {
	case err == nil, timedOut(ctx, err):
		return nil // a slow name server: the job will look again
	case errors.Is(err, ingest.ErrPrivateHost):
		return []Problem{{Field: FieldSources, Code: CodePrivateAddress, Severity: SeverityError,
			Message: fmt.Sprintf("%s cannot be read for a request from another device: %v", clipText(u), err)}}
	}
	return []Problem{{Field: FieldSources, Code: apperr.Unavailable, Severity: SeverityWarning,
		Message: fmt.Sprintf("%s: %v", clipText(u), err)}}
}

// isRecording reports a source that will be transcribed: a recording, or a
// file whose content is audio (the CLI and the desktop name files without
// saying what they are).
func isRecording(src Source) bool {
	return src.Kind == ingest.KindAudio || src.Kind == ingest.KindFile && src.Path != "" && sniffAudioExt(src.Path) != ""
}

// fillable is the length the offline writer can fill from the request, the
// source's length in characters, and whether they are known: the pasted text and, when planning, the documents on
// this machine (read now, kept briefly). Web pages, recordings and uploads
// still to come are read only by the job, so with any of them it is not
// known. A document that cannot be read is a problem at sources.
func (s *Service) fillable(ctx context.Context, req Request, tpl template.Template, planning bool) (float64, int, bool, []Problem) {
	parts := []string{req.Text}
	for _, src := range req.Sources {
		if !planning || src.Kind != ingest.KindFile || src.Path == "" || isRecording(src) {
			return 0, 0, false, nil
		}
		text, err := s.documentText(ctx, req, src)
		switch {
		case timedOut(ctx, err):
			return 0, 0, false, nil
		case err != nil:
			return 0, 0, false, []Problem{{Field: FieldSources, Code: apperr.Invalid, Severity: SeverityError, Message: err.Error()}}
		}
		parts = append(parts, text)
	}
	text := strings.TrimSpace(strings.Join(parts, "\n\n"))
	if text == "" {
		return 0, 0, false, nil
	}
	return llm.ExtractiveMinutes(text, &tpl, req.Language), len(text), true, nil
}

// documentText reads one document on this machine as the job would.
func (s *Service) documentText(ctx context.Context, req Request, src Source) (string, error) {
	fi, err := os.Stat(src.Path)
	if err != nil {
		return "", fmt.Errorf("%s cannot be read: %w", src.Name, err)
	}
	ing := s.ingester(req)
	if ing == nil {
		return "", errors.New("reading documents is not available")
	}
	key := fmt.Sprintf("text\x00%s\x00%d\x00%d", src.Path, fi.Size(), fi.ModTime().UnixNano())
	v, err := s.checks.do(ctx, key, sourceTextTTL, func(ctx context.Context) (any, error) {
		doc, err := ing.Load(ctx, []ingest.Source{{Kind: src.Kind, Name: src.Name, Path: src.Path}}, nil)
		if err != nil {
			return nil, err
		}
		return doc.Marked(), nil
	})
	if err != nil {
		var se *ingest.SourceError
		if errors.As(err, &se) {
			err = &ingest.SourceError{Name: se.Name, Err: se.Err} // one of one: no "source 1"
		}
		return "", err
	}
	return v.(string), nil
}

// shortfall is the warning for a source the offline writer cannot stretch
// to the length asked; the job repeats it.
func shortfall(have, want float64) string { return llm.ShortfallNote(have, want) }
