package desktop

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/events"
	"podcastfy/backend/llm"
)

// pullEvery spaces the model:pull progress events (the last one always goes).
const pullEvery = 100 * time.Millisecond

// PullEvent is the payload of a model:pull event.
type PullEvent struct {
	Model     string `json:"model"`
	Status    string `json:"status"`
	Completed int64  `json:"completed"`
	Total     int64  `json:"total"`
	Done      bool   `json:"done"`
	Error     string `json:"error,omitempty"`
}

// pulls runs model downloads in the background, one per model at a time,
// until the app stops.
type pulls struct {
	emit   events.Emitter
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	running map[string]bool
}

func newPulls(emit events.Emitter, log *slog.Logger) *pulls {
	ctx, cancel := context.WithCancel(context.Background())
	return &pulls{emit: emit, log: log, ctx: ctx, cancel: cancel, running: map[string]bool{}}
}

func (p *pulls) start(o *llm.Ollama, model string) error {
	model = strings.TrimSpace(model)
	if model == "" {
		o.Close()
		return errors.New("name the model to download, for example llama3.2")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		o.Close()
		return errors.New("podcastfy is shutting down")
	case p.running[model]:
		o.Close()
		return errPullRunning
	}
	p.running[model] = true
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer o.Close()
		var last time.Time
		err := o.Pull(p.ctx, model, func(pp llm.PullProgress) {
			if now := time.Now(); now.Sub(last) >= pullEvery {
				last = now
				p.emit.Emit(events.ModelPull, PullEvent{Model: model, Status: pp.Status, Completed: pp.Completed, Total: pp.Total})
			}
		})
		ev := PullEvent{Model: model, Status: "success", Done: true}
		if err != nil {
			ev.Status, ev.Error = "failed", err.Error()
			p.log.Warn("model download failed", "model", model, "err", err)
		} else {
			p.log.Info("model downloaded", "model", model)
		}
		p.mu.Lock()
		delete(p.running, model)
		p.mu.Unlock()
		p.emit.Emit(events.ModelPull, ev)
	}()
	return nil
}

// close stops the downloads and waits for them to end.
func (p *pulls) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
}
