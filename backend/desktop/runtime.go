package desktop

// Runtime is what the facades need from the window: sending events to the
// frontend and the native folder dialog. desktop.go in package main adapts
// the Wails runtime to it; tests use fakes.
type Runtime interface {
	// Emit sends a named event (see backend/events) to the frontend. It must
	// not block for long and must be safe for concurrent use.
	Emit(name string, data any)
	// ChooseDirectory shows a folder picker titled title and returns the
	// chosen folder, or "" when the person cancelled.
	ChooseDirectory(title string) (string, error)
}
