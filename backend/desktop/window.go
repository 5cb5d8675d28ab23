package desktop

import (
	"sync"

	"podcastfy/backend/events"
)

// Window is the facade of the window itself: closing it must not lose edits
// the page has not saved (the script studio). The page reports whether it
// holds such edits (SetUnsavedEdits); a close then stays open and asks the
// page (a window:close event), where the person saves, discards or keeps
// editing; saving or discarding ends with Close.
//
// Go cannot wait for the page's answer inside the close (Wails gives no
// reply to an event), so the page states its edits ahead of time. A page
// that stopped answering must not hold the window open for ever: a second
// close while the first question is still unanswered closes.
type Window struct {
	rt Runtime

	mu      sync.Mutex
	unsaved bool // the page holds edits a close would lose
	asked   bool // a close asked the page, which has not answered since
	closing bool // the person chose to close (Close)
}

// SetUnsavedEdits tells whether the page holds edits that closing the
// window would lose. The page calls it whenever that changes, and again
// when it shows the close question (an answer: it is alive).
func (w *Window) SetUnsavedEdits(unsaved bool) error {
	w.mu.Lock()
	w.unsaved = unsaved
	w.asked = false
	w.mu.Unlock()
	return nil
}

// Close closes the window whatever the page holds: the person saved or
// chose to discard the edits.
func (w *Window) Close() error {
	w.mu.Lock()
	w.closing = true
	w.mu.Unlock()
	w.rt.Quit()
	return nil
}

// beforeClose decides a close of the window (its close button, the
// system's, or Close): true keeps the window open, after asking the page.
func (w *Window) beforeClose() (keepOpen bool) {
	w.mu.Lock()
	if w.closing || !w.unsaved || w.asked {
		w.mu.Unlock()
		return false
	}
	w.asked = true
	w.mu.Unlock()
	w.rt.Emit(events.WindowClose, nil)
	return true
}
