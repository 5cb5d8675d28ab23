package desktop

// Runtime is what the facades need from the window: sending events to the
// frontend and the native folder and file dialogs. WailsRuntime adapts the
// Wails runtime to it; tests use fakes.
type Runtime interface {
	// Emit sends a named event (see backend/events) to the frontend. It must
	// not block for long and must be safe for concurrent use.
	Emit(name string, data any)
	// ChooseDirectory shows a folder picker titled title and returns the
	// chosen folder, or "" when the person cancelled.
	ChooseDirectory(title string) (string, error)
	// ChooseFiles shows an open-file dialog titled title that lets the
	// person choose several files among filters, and returns their paths
	// (none when the person cancelled).
	ChooseFiles(title string, filters []FileFilter) ([]string, error)
	// Quit closes the window, through its before-close check (Window).
	Quit()
}

// FileFilter is one entry of an open-file dialog's type list.
type FileFilter struct {
	DisplayName string // "Documents (*.txt, *.md, …)"
	Pattern     string // semicolon-separated globs: "*.txt;*.md"
}
