package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"podcastfy/backend/core"
	"podcastfy/backend/events"
)

// DefaultHeartbeat is how often an idle event stream sends a comment line,
// so proxies and clients see the connection is alive.
const DefaultHeartbeat = 15 * time.Second

// Hub fans job events out to Server-Sent Events streams. It implements
// events.Emitter: give it to the job service (with events.Multi when other
// emitters listen too). Emit never blocks: a slow stream skips progress
// events it has not sent yet, and always gets the latest status, so the
// final one is never lost.
type Hub struct {
	heartbeat time.Duration

	mu     sync.Mutex
	subs   map[string]map[*subscription]struct{}
	closed chan struct{}
	once   sync.Once
}

var _ events.Emitter = (*Hub)(nil)

// NewHub returns a hub whose streams send a heartbeat every interval
// (DefaultHeartbeat when zero).
func NewHub(heartbeat time.Duration) *Hub {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &Hub{heartbeat: heartbeat, subs: map[string]map[*subscription]struct{}{}, closed: make(chan struct{})}
}

// subscription is one stream's mailbox: the latest status not yet sent.
type subscription struct {
	notify chan struct{}
	mu     sync.Mutex
	latest *core.Status
}

func (s *subscription) take() (core.Status, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latest == nil {
		return core.Status{}, false
	}
	st := *s.latest
	s.latest = nil
	return st, true
}

// Emit delivers a job status to the streams following that job; other
// events are ignored.
func (h *Hub) Emit(_ string, data any) {
	st, ok := data.(core.Status)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs[st.ID] {
		sub.mu.Lock()
		sub.latest = &st
		sub.mu.Unlock()
		select {
		case sub.notify <- struct{}{}:
		default:
		}
	}
}

func (h *Hub) subscribe(id string) *subscription {
	sub := &subscription{notify: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[id] == nil {
		h.subs[id] = map[*subscription]struct{}{}
	}
	h.subs[id][sub] = struct{}{}
	return sub
}

func (h *Hub) unsubscribe(id string, sub *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs[id], sub)
	if len(h.subs[id]) == 0 {
		delete(h.subs, id)
	}
}

// Close ends every open stream (at server shutdown, so that it does not wait
// for them). Streams opened later end at once.
func (h *Hub) Close() {
	h.once.Do(func() { close(h.closed) })
}

// The event a stream ends with when the server shuts down, and its data.
const (
	stoppingEvent = "stopping"
	stoppingData  = `{"message":"the server is shutting down; a running job stops and can be resumed (POST /jobs/{id}/resume) once the server is back"}`
)

// eventName is the SSE event a status is sent as.
func eventName(st core.Status) string {
	switch {
	case st.State == core.Done:
		return "done"
	case st.State.Running():
		return "progress"
	}
	return "failed"
}

// jobEvents streams a job's status: first its current status at once, then
// every change, a comment line as heartbeat, and it ends after the final
// event (done or failed). A finished job gets its final event and the end.
func (s *server) jobEvents(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r.Context())
	id := r.PathValue("id")
	sub := s.Hub.subscribe(id)
	defer s.Hub.unsubscribe(id, sub)
	st, err := s.Jobs.Get(r.Context(), u.ID, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	heard := false // whether the audio event went out
	send := func(st core.Status) (final bool, ok bool) {
		data, err := json.Marshal(st)
		if err != nil {
			return true, false
		}
		name := eventName(st)
		if name == "progress" && st.FirstAudio > 0 && !heard {
			// The first status that has audio says so once.
			name, heard = "audio", true
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data); err != nil {
			return true, false
		}
		return name != "progress" && name != "audio", rc.Flush() == nil
	}
	if final, ok := send(st); final || !ok {
		return
	}
	last := st.UpdatedAt
	tick := time.NewTicker(s.Hub.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-sub.notify:
			st, ok := sub.take()
			// The first status came from Get; an older one may still wait.
			if !ok || st.State.Running() && st.UpdatedAt.Before(last) {
				continue
			}
			last = st.UpdatedAt
			if final, ok := send(st); final || !ok {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.Hub.closed:
			// Say why the stream ends, so a client does not take it for
			// a network fault and does not reconnect in a tight loop.
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", stoppingEvent, stoppingData)
			rc.Flush()
			return
		}
	}
}
