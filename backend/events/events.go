// Package events owns the names and the delivery of progress notifications:
// one Emitter interface that the Wails runtime, the LAN server's SSE hub and
// tests implement, and the event names shared with the frontend
// (mirrored once in frontend/src/lib/api/events.ts).
package events

import "sync"

// Event names. Keep in step with frontend/src/lib/api/events.ts.
const (
	JobProgress    = "job:progress"    // data: core.JobStatus
	JobDone        = "job:done"        // data: core.JobStatus
	JobFailed      = "job:failed"      // data: core.JobStatus
	JobAudio       = "job:audio"       // data: core.JobStatus, once its first audio can be played
	PlayerPosition = "player:position" // data: player.Status, at most 10 per second
	PlayerState    = "player:state"    // data: player.Status
	ServerStatus   = "server:status"   // data: api status
	ModelPull      = "model:pull"      // data: pull progress
	SourcesDropped = "sources:dropped" // data: desktop.DroppedSources (files dropped on the window)
	WindowClose    = "window:close"    // data: none; closing the window waits for the page's unsaved edits
)

// Emitter delivers a named event with a JSON-serialisable payload.
// Implementations must be safe for concurrent use and must not block for long.
type Emitter interface {
	Emit(name string, data any)
}

// Nop discards every event.
type Nop struct{}

// Emit does nothing.
func (Nop) Emit(string, any) {}

// Event is one recorded emission.
type Event struct {
	Name string
	Data any
}

// Recorder keeps every event it is given; tests use it to assert what was emitted.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Emit records the event.
func (r *Recorder) Emit(name string, data any) {
	r.mu.Lock()
	r.events = append(r.events, Event{Name: name, Data: data})
	r.mu.Unlock()
}

// Events returns a copy of what was recorded so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Multi fans one emission out to several emitters.
type Multi []Emitter

// Emit passes the event to every emitter in order.
func (m Multi) Emit(name string, data any) {
	for _, e := range m {
		e.Emit(name, data)
	}
}
