package desktop

import (
	"testing"

	"podcastfy/backend/events"
)

// closeAsks counts the window:close events emitted so far.
func closeAsks(rt *fakeRuntime) int {
	n := 0
	for _, e := range rt.Events() {
		if e.Name == events.WindowClose {
			n++
		}
	}
	return n
}

// TestWindowCloseWaitsForUnsavedEdits closes the window the way Wails does
// (Desktop.BeforeClose, then Quit through the facade) while the page holds
// unsaved edits: the window stays open and the page is asked, once per
// close; the person keeps editing, then closes again and chooses to save
// or discard, which closes. A page that never answers cannot hold the
// window open.
func TestWindowCloseWaitsForUnsavedEdits(t *testing.T) {
	e := newEnv(t)
	w := e.d.Window

	if e.d.BeforeClose() {
		t.Fatal("the window stayed open with nothing unsaved")
	}
	if n := closeAsks(e.rt); n != 0 {
		t.Fatalf("%d close questions with nothing unsaved", n)
	}

	// The script studio reports an edit; the close button is pressed.
	if err := w.SetUnsavedEdits(true); err != nil {
		t.Fatal(err)
	}
	if !e.d.BeforeClose() {
		t.Fatal("the window closed over unsaved edits")
	}
	if n := closeAsks(e.rt); n != 1 {
		t.Fatalf("%d close questions, want 1", n)
	}

	// The page shows the question (it answers: still unsaved); the person
	// presses close again, and then chooses "keep editing".
	if err := w.SetUnsavedEdits(true); err != nil {
		t.Fatal(err)
	}
	if !e.d.BeforeClose() || closeAsks(e.rt) != 2 {
		t.Fatalf("a second close while the page answers: asked %d times", closeAsks(e.rt))
	}
	if err := w.SetUnsavedEdits(true); err != nil {
		t.Fatal(err)
	}

	// Later the edits are saved: the page says so, and a close goes through.
	if err := w.SetUnsavedEdits(false); err != nil {
		t.Fatal(err)
	}
	if e.d.BeforeClose() {
		t.Fatal("the window stayed open after the edits were saved")
	}

	// New edits, a close, and the person chooses to save (or discard) and
	// close: the page calls Close, which quits through the same check.
	if err := w.SetUnsavedEdits(true); err != nil {
		t.Fatal(err)
	}
	if !e.d.BeforeClose() {
		t.Fatal("the window closed over new unsaved edits")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	e.rt.mu.Lock()
	quits := e.rt.quits
	e.rt.mu.Unlock()
	if quits != 1 {
		t.Fatalf("Close asked the window to quit %d times", quits)
	}
	if e.d.BeforeClose() {
		t.Fatal("the window stayed open after the person chose to close it")
	}
	if n := closeAsks(e.rt); n != 3 {
		t.Fatalf("%d close questions, want 3", n)
	}
}

// TestWindowCloseWithASilentPage: a page that was asked and never answered
// (hung, or its script studio gone without saying) does not keep the
// window open past a second close.
func TestWindowCloseWithASilentPage(t *testing.T) {
	e := newEnv(t)
	if err := e.d.Window.SetUnsavedEdits(true); err != nil {
		t.Fatal(err)
	}
	if !e.d.BeforeClose() {
		t.Fatal("the first close did not ask the page")
	}
	if e.d.BeforeClose() {
		t.Fatal("a second close, unanswered, kept the window open")
	}
	if n := closeAsks(e.rt); n != 1 {
		t.Fatalf("%d close questions, want 1", n)
	}
}
