package desktop

import (
	"context"
	"errors"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsRuntime is Runtime over the Wails runtime. Its calls need the context
// Wails gives OnStartup (outside a running window they would end the
// process), so until Attach, and after Detach, events are dropped and
// dialogs refused.
type WailsRuntime struct {
	// onDrop receives the paths of files dropped on the window.
	onDrop func(paths []string)

	mu  sync.RWMutex
	ctx context.Context
}

// OnFilesDropped sends the paths of files dropped on the window to fn;
// call it before Attach.
func (r *WailsRuntime) OnFilesDropped(fn func(paths []string)) { r.onDrop = fn }

// Attach starts using the window's context (call it from OnStartup).
func (r *WailsRuntime) Attach(ctx context.Context) {
	r.mu.Lock()
	r.ctx = ctx
	r.mu.Unlock()
	if r.onDrop != nil {
		runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { r.onDrop(paths) })
	}
}

// Detach stops using the window (call it from OnShutdown).
func (r *WailsRuntime) Detach() {
	r.mu.Lock()
	r.ctx = nil
	r.mu.Unlock()
}

func (r *WailsRuntime) context() context.Context {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ctx
}

// Raise brings the window forward (unminimised, shown, on top of others):
// a second launch of the app asks the first to, instead of opening another
// window on the same files.
func (r *WailsRuntime) Raise() {
	if ctx := r.context(); ctx != nil {
		runtime.WindowUnminimise(ctx)
		runtime.WindowShow(ctx)
	}
}

// Quit closes the window as its close button does: OnBeforeClose decides.
func (r *WailsRuntime) Quit() {
	if ctx := r.context(); ctx != nil {
		runtime.Quit(ctx)
	}
}

// Emit sends an event to the frontend.
func (r *WailsRuntime) Emit(name string, data any) {
	if ctx := r.context(); ctx != nil {
		runtime.EventsEmit(ctx, name, data)
	}
}

// ChooseDirectory shows the native folder picker.
func (r *WailsRuntime) ChooseDirectory(title string) (string, error) {
	ctx := r.context()
	if ctx == nil {
		return "", errors.New("the window is not open")
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// ChooseFiles shows the native open-file dialog, several files at once.
func (r *WailsRuntime) ChooseFiles(title string, filters []FileFilter) ([]string, error) {
	ctx := r.context()
	if ctx == nil {
		return nil, errors.New("the window is not open")
	}
	ff := make([]runtime.FileFilter, len(filters))
	for i, f := range filters {
		ff[i] = runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern}
	}
	return runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{Title: title, Filters: ff})
}

var _ Runtime = (*WailsRuntime)(nil)
