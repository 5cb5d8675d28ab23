package ingest

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"

	"podcastfy/backend/asr"
)

// kind is what a source's bytes turned out to be.
type kind int

const (
	kindText kind = iota
	kindMarkdown
	kindHTML
	kindPDF
	kindAudio
)

// DetectAudio recognises mp3, wav, m4a, ogg, flac and webm by their magic
// bytes (never by a file name) and returns the usual extension.
func DetectAudio(head []byte) (ext string, ok bool) {
	return asr.DetectFormat(head)
}

var audioExts = map[string]bool{".mp3": true, ".wav": true, ".wave": true, ".m4a": true, ".mp4": true,
	".aac": true, ".ogg": true, ".oga": true, ".opus": true, ".flac": true, ".webm": true, ".wma": true}

// sniff decides a file's kind from its first bytes, using the name's
// extension only to choose among kinds of text.
func sniff(name string, head []byte) (kind, error) {
	if _, ok := DetectAudio(head); ok {
		return kindAudio, nil
	}
	if bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")) {
		return kindPDF, nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case audioExts[ext]:
		return 0, failf(ErrNotAudio, "%s is named like audio but its content is %s; podcastfy reads MP3, WAV, M4A, Ogg, FLAC and WebM recordings",
			filepath.Base(name), describe(head))
	case ext == ".pdf":
		return 0, failf(ErrUnsupported, "%s is named like a PDF but its content is %s, not a PDF", filepath.Base(name), describe(head))
	}
	ctype := http.DetectContentType(head)
	if !strings.HasPrefix(ctype, "text/") && ctype != "application/octet-stream" {
		return 0, failf(ErrUnsupported, "%s is %s; podcastfy reads text, Markdown, HTML, PDF and audio files%s",
			filepath.Base(name), describe(head), hint(ctype))
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		return kindMarkdown, nil
	case ".html", ".htm", ".xhtml", ".shtml":
		return kindHTML, nil
	}
	if looksLikeHTML(head) {
		return kindHTML, nil
	}
	return kindText, nil
}

// describe names content for an error message: "a PNG image", "binary data".
func describe(head []byte) string {
	if len(head) == 0 {
		return "empty"
	}
	ctype := http.DetectContentType(head)
	ctype, _, _ = strings.Cut(ctype, ";")
	switch {
	case strings.HasPrefix(ctype, "image/"):
		return "an image (" + ctype + ")"
	case strings.HasPrefix(ctype, "audio/"):
		return "audio in a format podcastfy does not accept (" + ctype + ")"
	case strings.HasPrefix(ctype, "video/"):
		return "a video (" + ctype + ")"
	case ctype == "application/zip":
		return "a ZIP archive (Word, OpenDocument and EPUB files are ZIP archives)"
	case strings.HasPrefix(ctype, "text/"):
		return "text"
	case ctype == "application/octet-stream":
		return "binary data"
	}
	return "a file of type " + ctype
}

func hint(ctype string) string {
	if strings.HasPrefix(ctype, "application/zip") {
		return " — export the document as PDF or plain text first"
	}
	return ""
}
