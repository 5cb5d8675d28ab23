// Package ollamatest is an in-process Ollama server for tests and benchmarks
// that cannot reach a real one. It follows the wire format of Ollama 0.17.7
// (shared/reference/protocols.md §1) closely enough to drive the real
// github.com/ollama/ollama/api client: NDJSON streaming with
// application/x-ndjson, 404 "model 'x' not found" for unpulled models, an
// {"error":…} line after a 200, HTML error pages, /api/tags, /api/version,
// HEAD /, /api/show and /api/pull progress lines.
//
// Tests script the chat answers with Enqueue (a queue, so "first answer
// invalid, repair valid" can be played) and read back what the client sent
// with Requests and Chats. When the queue is empty the server answers on its
// own, as an instant fake LLM for tests and benchmarks: an outline format
// gets an outline of its source parts, a section format gets lines spoken
// from the section's source, as many words as the prompt asks for, and a
// whole-script format gets a valid script of AutoLines lines for the
// speakers named in the request (see SpeakersFromRequest). SetQuirks makes
// those answers misbehave like a small model; FailAt fails one request.
package ollamatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// Version is what GET /api/version reports.
const Version = "0.17.7"

// Reply scripts one answer of the server.
type Reply struct {
	// Content is streamed as message.content, cut into chunks of the
	// server's ChunkRunes; Chunks, when set, are sent as they are instead.
	Content string
	Chunks  []string
	// Thinking is streamed as message.thinking before the content.
	Thinking string
	// DoneReason of the final line; "stop" when empty.
	DoneReason string
	// Status ≥ 400 answers with that status and {"error": Error}, or with an
	// HTML page when HTML is set. Otherwise a non-empty Error is sent as an
	// {"error":…} line after the chunks, with the status already 200.
	Status int
	Error  string
	HTML   bool
	// Drop cuts the connection after the chunks, without the final line.
	Drop bool
	// Hang stops sending after the chunks (or before anything, for a path
	// set with Fail) until the client gives up or the server closes.
	Hang bool
}

// Model is a pulled model.
type Model struct {
	Name          string // "llama3.2" or "llama3.2:latest"
	Size          int64
	Family        string
	ParameterSize string
	Quantization  string
	ContextLength int
	Capabilities  []string // "completion", "thinking", …
}

// Recorded is one request the server received.
type Recorded struct {
	Method string
	Path   string
	Body   []byte
}

// Server is a running fake Ollama. It is safe for concurrent use.
type Server struct {
	// URL is the base URL, for api.NewClient or OLLAMA_HOST.
	URL string

	srv     *httptest.Server
	quit    chan struct{}
	closing sync.Once

	mu         sync.Mutex
	models     []Model
	replies    []Reply
	failures   map[string]Reply
	pullable   map[string]bool
	requests   []Recorded
	autoLines  int
	chunkRunes int
	pace       time.Duration
	onChunk    func(chat int, sent string)
	quirks     Quirks
	failAt     map[int]Reply
	chats      int
	// lastSection is the previous automatic section, for Quirks.Repeat.
	lastSection []fakeLine
}

// New starts a server on 127.0.0.1 with these models pulled.
func New(models ...string) *Server {
	s := &Server{quit: make(chan struct{}), failures: map[string]Reply{}, autoLines: 8, chunkRunes: 8}
	for _, m := range models {
		s.models = append(s.models, defaultModel(m))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.root)
	mux.HandleFunc("HEAD /{$}", s.root)
	mux.HandleFunc("GET /api/version", s.version)
	mux.HandleFunc("GET /api/tags", s.tags)
	mux.HandleFunc("POST /api/show", s.show)
	mux.HandleFunc("POST /api/chat", s.chat)
	mux.HandleFunc("POST /api/pull", s.pull)
	s.srv = httptest.NewServer(s.record(mux))
	s.URL = s.srv.URL
	return s
}

func defaultModel(name string) Model {
	return Model{Name: canonical(name), Size: 2019393189, Family: "llama", ParameterSize: "3.2B",
		Quantization: "Q4_K_M", ContextLength: 131072, Capabilities: []string{"completion", "tools"}}
}

// Close releases hanging answers and stops the server, once it has
// finished every answer; closing again does nothing.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.quit)
		s.srv.Close()
	})
}

// HTTPClient returns an http.Client for the server.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// Enqueue adds chat answers, used in order before any automatic answer.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, replies...)
}

// Fail makes every request to path ("/api/tags", "/api/chat", …) answer
// with r (its Status, HTML, Error or Hang) until Fail(path, Reply{}).
func (s *Server) Fail(path string, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Status == 0 && !r.Hang {
		delete(s.failures, path)
		return
	}
	s.failures[path] = r
}

// AddModel marks a model as pulled.
func (s *Server) AddModel(m Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Name = canonical(m.Name)
	s.models = append(s.models, m)
}

// SetPullable limits /api/pull to these models; by default any name pulls.
func (s *Server) SetPullable(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pullable = map[string]bool{}
	for _, n := range names {
		s.pullable[canonical(n)] = true
	}
}

// SetAutoLines sets the length of automatic script answers (default 8).
func (s *Server) SetAutoLines(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoLines = max(1, n)
}

// SetChunkRunes sets how many runes each streamed chunk carries (default 8).
func (s *Server) SetChunkRunes(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chunkRunes = max(1, n)
}

// SetPace spaces the streamed chunks of chat answers by d (the first
// comes at once), as a model
// that writes at a given speed: with SetChunkRunes(4) (about a token) and
// 50ms, some 20 tokens a second. 0 (the default) streams at once.
func (s *Server) SetPace(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pace = max(0, d)
}

// OnChunk calls fn as each chunk of a chat answer is sent, with the
// request's number (1-based, as FailAt counts) and the answer's content
// sent so far; benchmarks use it to tell when a line was complete in the
// stream. fn must not block.
func (s *Server) OnChunk(fn func(chat int, sent string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChunk = fn
}

// Requests returns every request received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Chats returns the decoded /api/chat requests received so far.
func (s *Server) Chats() []api.ChatRequest {
	var out []api.ChatRequest
	for _, r := range s.Requests() {
		var req api.ChatRequest
		if r.Path == "/api/chat" && json.Unmarshal(r.Body, &req) == nil {
			out = append(out, req)
		}
	}
	return out
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.requests = append(s.requests, Recorded{Method: r.Method, Path: r.URL.Path, Body: body})
		failure, failing := s.failures[r.URL.Path]
		s.mu.Unlock()
		if failing {
			s.fail(w, r, failure)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers with a scripted failure.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, f Reply) {
	if f.Hang {
		s.hang(r)
		return
	}
	if f.HTML {
		writeHTML(w, f.Status)
		return
	}
	writeError(w, f.Status, f.Error)
}

func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.quit:
	}
}

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	io.WriteString(w, "Ollama is running")
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"version": Version})
}

func (s *Server) tags(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	models := append([]Model(nil), s.models...)
	s.mu.Unlock()
	list := make([]map[string]any, 0, len(models))
	for _, m := range models {
		list = append(list, map[string]any{
			"name": m.Name, "model": m.Name, "modified_at": "2025-05-04T17:37:44.706015396-07:00",
			"size": m.Size, "digest": digest(m.Name),
			"details": map[string]any{"parent_model": "", "format": "gguf", "family": m.Family,
				"families": []string{m.Family}, "parameter_size": m.ParameterSize, "quantization_level": m.Quantization},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": list})
}

func (s *Server) show(w http.ResponseWriter, r *http.Request) {
	var req api.ShowRequest
	if !decode(w, r, &req) {
		return
	}
	m, ok := s.model(req.Model)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("model '%s' not found", req.Model))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"modelfile":  "FROM " + m.Name,
		"parameters": "stop \"<|eot_id|>\"",
		"template":   "{{ .Prompt }}",
		"details": map[string]any{"parent_model": "", "format": "gguf", "family": m.Family,
			"families": []string{m.Family}, "parameter_size": m.ParameterSize, "quantization_level": m.Quantization},
		"model_info": map[string]any{
			"general.architecture":             m.Family,
			m.Family + ".context_length":       m.ContextLength,
			"general.parameter_count":          3212749888,
			m.Family + ".attention.head_count": 24,
		},
		"capabilities": m.Capabilities,
		"modified_at":  "2025-05-04T17:37:44.706015396-07:00",
	})
}

// model finds a pulled model; "x" matches "x:latest". An empty name is
// answered with 400 by decode's callers before this is reached.
func (s *Server) model(name string) (Model, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.models {
		if m.Name == canonical(name) {
			return m, true
		}
	}
	return Model{}, false
}

// decode reads a JSON body with a "model" field the way Ollama's handlers
// do, answering 400 itself when the body is missing, malformed or names no
// model.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, _ := io.ReadAll(r.Body)
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "missing request body")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return false
	}
	var m struct {
		Model string `json:"model"`
	}
	json.Unmarshal(body, &m)
	if strings.TrimSpace(m.Model) == "" {
		writeError(w, http.StatusBadRequest, "model is required")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
		status, http.StatusText(status), status, http.StatusText(status))
}

// canonical spells a model name as /api/tags does: "x" → "x:latest".
func canonical(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
		name += ":latest"
	}
	return name
}
