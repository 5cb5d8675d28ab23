package api

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"podcastfy/backend/store"
)

// mediaKind is one of a podcast's files as the API serves it.
type mediaKind struct {
	kind        string // store media kind
	suffix      string // after /podcasts/{id}/
	contentType string // "" for the source recording: by its extension
}

var (
	mediaAudio    = mediaKind{store.KindAudio, "audio", "audio/mpeg"}
	mediaVTT      = mediaKind{store.KindVTT, "transcript.vtt", "text/vtt; charset=utf-8"}
	mediaSRT      = mediaKind{store.KindSRT, "transcript.srt", "application/x-subrip; charset=utf-8"}
	mediaChapters = mediaKind{store.KindChapters, "chapters.json", "application/json+chapters; charset=utf-8"}
	mediaScript   = mediaKind{store.KindScript, "script.json", "application/json; charset=utf-8"}
	mediaSource   = mediaKind{store.KindSource, "source", ""}
	// mediaArtwork is drawn, not stored: only its path is used.
	mediaArtwork = mediaKind{"", "artwork.png", "image/png"}
)

// audioTypes are the content types of the recordings kept as sources, by
// extension (the job names the file from its sniffed format).
var audioTypes = map[string]string{
	".mp3": "audio/mpeg", ".wav": "audio/wav", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
	".flac": "audio/flac", ".webm": "audio/webm",
}

// contentTypeOf is m's content type for the file at path.
func (m mediaKind) contentTypeOf(path string) string {
	if m.contentType != "" {
		return m.contentType
	}
	if ct, ok := audioTypes[strings.ToLower(filepath.Ext(path))]; ok {
		return ct
	}
	return "application/octet-stream"
}

func (m mediaKind) path(id string) string { return "/podcasts/" + id + "/" + m.suffix }

// serveMedia serves one file of a podcast through http.ServeContent: Range
// (206), If-Range, ETag, If-None-Match and Last-Modified. A signed URL is
// proof of ownership already (only owners get them); a session token is
// checked against the podcast's owner.
func (s *server) serveMedia(m mediaKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if signed, _ := r.Context().Value(signedKey).(bool); !signed {
			if _, err := s.ownPodcast(r); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		path, err := s.Podcasts.MediaPath(id, m.kind)
		if err != nil {
			s.writeError(w, r, notFound(fmt.Sprintf("this podcast has no %s file", m.suffix)))
			return
		}
		f, err := os.Open(path)
		if err != nil {
			s.writeError(w, r, notFound(fmt.Sprintf("this podcast's %s file is gone", m.suffix)))
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		size := fi.Size()
		if rh := r.Header.Get("Range"); rh != "" {
			ranges, err := parseRange(rh, size)
			if err != nil {
				w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
				s.writeError(w, r, &Error{Status: http.StatusRequestedRangeNotSatisfiable, Code: "bad_range",
					Message: fmt.Sprintf("Range %q: %v; the file has %d bytes", clip(rh), err, size)})
				return
			}
			if len(ranges) > 0 {
				r.Header.Set("Range", rangeHeader(ranges))
			}
		}
		h := w.Header()
		h.Set("Content-Type", m.contentTypeOf(path))
		h.Set("ETag", fmt.Sprintf(`"%s-%s-%x-%x"`, id, m.kind, size, fi.ModTime().UnixNano()))
		h.Set("Cache-Control", "private, no-cache")
		http.ServeContent(w, r, "", fi.ModTime(), f)
	}
}

// markSigned records that a request was authorised by a signed URL.
func markSigned(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), signedKey, true))
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
