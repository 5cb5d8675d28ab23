package llm

import (
	"context"
	"strings"

	"github.com/ollama/ollama/api"
)

// ContextInfo describes the context window a script is written in.
type ContextInfo struct {
	Model string `json:"model"`
	// ModelLength is the model's own context length from /api/show (0 when
	// the model does not say).
	ModelLength int `json:"modelLength"`
	// NumCtx is the window the writer asks for: ollama.options.num_ctx,
	// lowered to ModelLength when that is smaller.
	NumCtx int `json:"numCtx"`
	// SourceChars is the longest source written in full; a longer one is
	// condensed to its most central sentences.
	SourceChars int `json:"sourceChars"`
}

// Fits reports whether a source of n bytes is written in full.
func (c ContextInfo) Fits(n int) bool { return n <= c.SourceChars }

// Context asks /api/show for the model's context length and says how much
// source fits. ErrModelMissing when the model is not pulled.
func (o *Ollama) Context(ctx context.Context) (ContextInfo, error) {
	n, err := o.modelContext(ctx)
	if err != nil {
		return ContextInfo{}, err
	}
	info := ContextInfo{Model: o.cfg.Model, ModelLength: n, NumCtx: o.numCtx(n)}
	info.SourceChars = o.cfg.MaxParts * fill(partCharsForContext(info.NumCtx, o.cfg.PartChars))
	return info, nil
}

// numCtx is the configured window, capped by the model's length when known.
func (o *Ollama) numCtx(modelLength int) int {
	if modelLength > 0 && modelLength < o.cfg.NumCtx {
		return modelLength
	}
	return o.cfg.NumCtx
}

// modelContext returns the model's context length, asking /api/show once
// per model; 0 when the model does not report one.
func (o *Ollama) modelContext(ctx context.Context) (int, error) {
	o.mu.Lock()
	n, ok := o.contexts[o.cfg.Model]
	o.mu.Unlock()
	if ok {
		return n, nil
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.ConnectTimeout+o.cfg.IdleTimeout)
	defer cancel()
	resp, err := o.client.Show(ctx, &api.ShowRequest{Model: o.cfg.Model})
	if err != nil {
		return 0, o.classify(ctx, err, "reading the model's details")
	}
	for k, v := range resp.ModelInfo {
		if strings.HasSuffix(k, ".context_length") {
			if f, ok := v.(float64); ok && f > 0 {
				n = int(f)
			}
		}
	}
	o.mu.Lock()
	if o.contexts == nil {
		o.contexts = map[string]int{}
	}
	o.contexts[o.cfg.Model] = n
	o.mu.Unlock()
	return n, nil
}
