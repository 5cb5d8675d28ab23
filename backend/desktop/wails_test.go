package desktop

import "testing"

// Before the window opens (and after it closed), events are dropped and
// dialogs refused: the Wails runtime would end the process without one.
func TestWailsRuntimeWithoutWindow(t *testing.T) {
	rt := &WailsRuntime{}
	rt.Emit("job:progress", nil)
	if _, err := rt.ChooseDirectory("Export"); err == nil {
		t.Error("a folder dialog opened without a window")
	}
	if _, err := rt.ChooseFiles("Add documents", nil); err == nil {
		t.Error("a file dialog opened without a window")
	}
}
