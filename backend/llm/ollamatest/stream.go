package ollamatest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req api.ChatRequest
	if !decode(w, r, &req) {
		return
	}
	if f := bytes.TrimSpace(req.Format); len(f) > 0 && string(f) != `"json"` && f[0] != '{' {
		writeError(w, http.StatusInternalServerError,
			fmt.Sprintf(`invalid format: %s; expected "json" or a valid JSON Schema object`, f))
		return
	}
	m, ok := s.model(req.Model)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("model '%s' not found", req.Model))
		return
	}
	if req.Think != nil && req.Think.Bool() && !hasCapability(m, "thinking") {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%q does not support thinking", req.Model))
		return
	}
	reply, n := s.next(req)
	if reply.Status >= http.StatusBadRequest {
		s.fail(w, r, reply)
		return
	}
	chunks := reply.Chunks
	if chunks == nil {
		chunks = s.split(reply.Content)
	}
	if req.Stream != nil && !*req.Stream {
		s.whole(w, req, reply, chunks)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	line := func(v any) {
		json.NewEncoder(w).Encode(v)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	for _, t := range s.split(reply.Thinking) {
		line(chunk(req.Model, api.Message{Role: "assistant", Thinking: t}))
	}
	s.mu.Lock()
	pace, onChunk := s.pace, s.onChunk
	s.mu.Unlock()
	var sent strings.Builder
	for i, c := range chunks {
		if pace > 0 && i > 0 && !s.wait(r, pace) {
			return
		}
		line(chunk(req.Model, api.Message{Role: "assistant", Content: c}))
		if onChunk != nil {
			sent.WriteString(c)
			onChunk(n, sent.String())
		}
	}
	switch {
	case reply.Error != "":
		line(map[string]string{"error": reply.Error})
	case reply.Drop:
		drop(w)
	case reply.Hang:
		s.hang(r)
	default:
		line(final(req.Model, reply, len(chunks)))
	}
}

// wait lets d pass between two chunks; false when the client or the
// server gave up meanwhile.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.quit:
		return false
	}
}

// next pops the queued reply, or makes one up; n is the request's number.
func (s *Server) next(req api.ChatRequest) (r Reply, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats++
	if len(s.replies) > 0 {
		r := s.replies[0]
		s.replies = s.replies[1:]
		return r, s.chats
	}
	auto := s.auto(req)
	if f, ok := s.failAt[s.chats]; ok {
		if f.Content == "" && f.Chunks == nil {
			f.Content = half(auto)
		}
		return f, s.chats
	}
	return Reply{Content: auto}, s.chats
}

// auto makes up an answer for the request's format.
func (s *Server) auto(req api.ChatRequest) string {
	if len(bytes.TrimSpace(req.Format)) == 0 {
		return "Hello from the fake Ollama."
	}
	switch kind, n := schemaKind(req.Format); kind {
	case "outline":
		return outlineAnswer(req, n, s.quirks)
	case "section":
		return s.sectionAnswer(req, s.quirks, followUp(req))
	}
	b, _ := json.Marshal(AutoScript(SpeakersFromRequest(req), s.autoLines))
	return string(b)
}

// whole answers a stream:false request with one application/json object.
func (s *Server) whole(w http.ResponseWriter, req api.ChatRequest, reply Reply, chunks []string) {
	if reply.Error != "" {
		writeError(w, http.StatusInternalServerError, reply.Error)
		return
	}
	var content bytes.Buffer
	for _, c := range chunks {
		content.WriteString(c)
	}
	resp := final(req.Model, reply, len(chunks))
	resp.Message = api.Message{Role: "assistant", Content: content.String(), Thinking: reply.Thinking}
	writeJSON(w, http.StatusOK, resp)
}

// split cuts s into chunks of the server's ChunkRunes, as tokens arrive.
func (s *Server) split(text string) []string {
	s.mu.Lock()
	n := s.chunkRunes
	s.mu.Unlock()
	var out []string
	runes := []rune(text)
	for len(runes) > 0 {
		k := min(n, len(runes))
		out = append(out, string(runes[:k]))
		runes = runes[k:]
	}
	return out
}

func chunk(model string, m api.Message) api.ChatResponse {
	return api.ChatResponse{Model: model, CreatedAt: time.Now().UTC(), Message: m}
}

func final(model string, reply Reply, n int) api.ChatResponse {
	reason := reply.DoneReason
	if reason == "" {
		reason = "stop"
	}
	return api.ChatResponse{
		Model: model, CreatedAt: time.Now().UTC(), Message: api.Message{Role: "assistant"},
		Done: true, DoneReason: reason,
		Metrics: api.Metrics{
			TotalDuration: 4883583458, LoadDuration: 1334875, PromptEvalCount: 26,
			PromptEvalDuration: 342546000, EvalCount: n, EvalDuration: 4535599000,
		},
	}
}

// drop cuts the connection mid-response, as a crashing server does.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	if conn, _, err := hj.Hijack(); err == nil {
		conn.Close()
	}
}

func hasCapability(m Model, c string) bool {
	for _, have := range m.Capabilities {
		if have == c {
			return true
		}
	}
	return false
}

// pull streams the progress lines of protocols.md §1 and adds the model.
func (s *Server) pull(w http.ResponseWriter, r *http.Request) {
	var req api.PullRequest
	if !decode(w, r, &req) {
		return
	}
	name := canonical(req.Model)
	s.mu.Lock()
	ok := s.pullable == nil || s.pullable[name]
	s.mu.Unlock()
	const missing = "pull model manifest: file does not exist"
	if req.Stream != nil && !*req.Stream {
		if !ok {
			writeError(w, http.StatusInternalServerError, missing)
			return
		}
		s.AddModel(defaultModel(name))
		writeJSON(w, http.StatusOK, api.ProgressResponse{Status: "success"})
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	line := func(v any) {
		json.NewEncoder(w).Encode(v)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	line(api.ProgressResponse{Status: "pulling manifest"})
	if !ok {
		line(map[string]string{"error": missing})
		return
	}
	d := digest(name)
	const total = 2019377376
	for _, done := range []int64{0, 241970, total / 2, total} {
		line(api.ProgressResponse{Status: "pulling " + d[7:19], Digest: d, Total: total, Completed: done})
	}
	for _, st := range []string{"verifying sha256 digest", "writing manifest", "removing unused layers", "success"} {
		line(api.ProgressResponse{Status: st})
	}
	s.AddModel(defaultModel(name))
}

func digest(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "sha256:" + hex.EncodeToString(sum[:])
}
