// Package asrtest holds httptest fakes of the three speech recognition
// servers package asr talks to, built from shared/reference/protocols.md
// §2–3: the Whisper ASR Webservice, an OpenAI-compatible server (speaches,
// or LocalAI's response shape) and whisper.cpp's whisper-server. They
// reproduce the wire details clients trip over — content types, field names,
// language defaults, error bodies — and record every request. They cannot
// hear: each answers with the configured text spread over the audio's length.
package asrtest

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"podcastfy/backend/asr"
)

// DefaultText is what a fake "hears" when Config.Text is empty.
const DefaultText = "Hello and welcome. This is the fake transcriber speaking."

// Config shapes a fake's answers.
type Config struct {
	// Text is the transcript to return (DefaultText when empty).
	Text string
	// Status, when non-zero, makes every transcription request fail with this
	// status and the protocol's error body for it.
	Status int
	// Hold, when non-nil, keeps each transcription request waiting until it
	// is closed or the client goes away: for time-out and cancellation tests.
	Hold <-chan struct{}
	// Engine is the Whisper ASR Webservice's ASR_ENGINE: "openai_whisper"
	// (default) or "faster_whisper", which orders keys differently.
	Engine string
	// APIKey, for the OpenAI fake, makes requests without this Bearer token
	// fail with speaches' 403.
	APIKey string
	// Models, for the OpenAI fake, are the installed models (default
	// "whisper-1"); others get speaches' 404.
	Models []string
	// LocalAI makes the OpenAI fake answer in LocalAI's shape: segments
	// with nanosecond times and no duration.
	LocalAI bool
	// Loading makes whisper.cpp's /health answer 503 {"status":"loading model"}.
	Loading bool
	// Convert is whisper.cpp's --convert: accept every format through ffmpeg
	// instead of only WAV, MP3 and FLAC.
	Convert bool
}

// Request is one request a fake received.
type Request struct {
	Method   string
	Path     string
	Query    url.Values
	Header   http.Header
	Fields   map[string][]string // multipart form values
	FileName string              // the file part's filename
	File     []byte              // the file part's bytes (nil when absent)
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	cfg Config

	mu   sync.Mutex
	reqs []Request
}

// Requests returns a copy of what the fake has received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

func start(t testing.TB, cfg Config, h func(*Server) http.Handler) *Server {
	t.Helper()
	if cfg.Text == "" {
		cfg.Text = DefaultText
	}
	s := &Server{cfg: cfg}
	s.Server = httptest.NewServer(h(s))
	t.Cleanup(s.Close)
	return s
}

// record reads the request (multipart bodies included) and keeps it. It
// returns the file part under fileField, or nil when there is none.
func (s *Server) record(r *http.Request, fileField string) Request {
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(),
		Fields: map[string][]string{}}
	if mr, err := r.MultipartReader(); err == nil {
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			readPart(&rec, p, fileField)
		}
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	s.mu.Unlock()
	return rec
}

func readPart(rec *Request, p *multipart.Part, fileField string) {
	defer p.Close()
	b, err := io.ReadAll(p)
	if err != nil {
		return
	}
	if p.FormName() == fileField && p.FileName() != "" {
		rec.FileName, rec.File = p.FileName(), b
		if rec.File == nil {
			rec.File = []byte{}
		}
		return
	}
	rec.Fields[p.FormName()] = append(rec.Fields[p.FormName()], string(b))
}

// hold waits for Config.Hold or the client's departure; it reports whether
// the request should still be answered.
func (s *Server) hold(r *http.Request) bool {
	if s.cfg.Hold == nil {
		return true
	}
	select {
	case <-s.cfg.Hold:
		return true
	case <-r.Context().Done():
		return false
	}
}

// seg is one fake segment in seconds.
type seg struct {
	start, end float64
	text       string
}

// heard splits the configured text into sentences spread over the audio's
// duration, with the leading space Whisper puts on every segment.
func (s *Server) heard(file []byte) (segs []seg, duration float64) {
	duration, _ = asr.EstimateDuration(file, int64(len(file)))
	var sentences []string
	rest := strings.TrimSpace(s.cfg.Text)
	for rest != "" {
		i := strings.IndexAny(rest, ".?!")
		if i < 0 {
			i = len(rest) - 1
		}
		sentences = append(sentences, strings.TrimSpace(rest[:i+1]))
		rest = strings.TrimSpace(rest[i+1:])
	}
	total := 0
	for _, t := range sentences {
		total += len(t)
	}
	at := 0.0
	for _, t := range sentences {
		d := duration * float64(len(t)) / float64(total)
		segs = append(segs, seg{start: round2(at), end: round2(at + d), text: " " + t})
		at += d
	}
	return segs, round2(duration)
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// words splits a segment evenly into word timings.
func (sg seg) words() []word {
	fields := strings.Fields(sg.text)
	var out []word
	step := (sg.end - sg.start) / float64(max(len(fields), 1))
	for i, f := range fields {
		out = append(out, word{Word: " " + f, Start: round2(sg.start + float64(i)*step),
			End: round2(sg.start + float64(i+1)*step), Probability: 0.9})
	}
	return out
}

type word struct {
	Word        string  `json:"word"`
	Start       float64 `json:"start"`
	End         float64 `json:"end"`
	Probability float64 `json:"probability"`
}

// languageNames maps a few codes to the full names whisper reports.
var languageNames = map[string]string{"en": "english", "de": "german", "fr": "french", "es": "spanish",
	"it": "italian", "nl": "dutch", "pt": "portuguese", "pl": "polish", "ja": "japanese", "zh": "chinese"}

func languageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return "english"
}
