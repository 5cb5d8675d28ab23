package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ollama/ollama/api"

	"podcastfy/backend/balance"
)

// Defaults for OllamaConfig's zero values.
const (
	DefaultModel          = "llama3.2"
	DefaultConnectTimeout = 5 * time.Second
	// DefaultIdleTimeout is generous because loading a model on a CPU can
	// take a minute before the first token.
	DefaultIdleTimeout = 2 * time.Minute
	// Sampling defaults sized for small local models (3B–8B): a context of
	// 8192 tokens fits a section's prompt and answer in about 1 GB of
	// memory beyond the model; a slightly cool temperature keeps them to
	// the format and the source.
	DefaultTemperature = 0.7
	DefaultTopP        = 0.9
	DefaultNumCtx      = 8192
	// DefaultKeepAlive keeps the model loaded between an episode's calls
	// (Ollama's own default is 5 minutes).
	DefaultKeepAlive = 10 * time.Minute
	DefaultPartChars = 6000
	DefaultMaxParts  = 12
)

// OllamaConfig configures the Ollama writer. Zero values take the defaults
// above.
type OllamaConfig struct {
	// Host is the server address from settings; empty means OLLAMA_HOST,
	// then DefaultOllamaHost. Parsed by ParseHost.
	Host  string
	Model string
	// ConnectTimeout bounds dialling the server.
	ConnectTimeout time.Duration
	// IdleTimeout bounds the silence between two streamed chunks (and before
	// the first one).
	IdleTimeout time.Duration
	// Temperature is the sampling temperature, 0 to 2; nil means
	// DefaultTemperature (0 is a valid choice, so the zero value cannot be).
	Temperature *float64
	// TopP is nucleus sampling's probability mass, 0 to 1; nil means
	// DefaultTopP.
	TopP *float64
	// NumCtx is the context window asked of the model, in tokens; it is
	// lowered to the model's own context length when that is smaller.
	NumCtx int
	// KeepAlive is how long Ollama keeps the model loaded after a call; a
	// negative value keeps it loaded, and KeepAliveUnload unloads it at once.
	KeepAlive time.Duration
	// PartChars is the source size of one part of a long source.
	PartChars int
	// MaxParts bounds the parts of one podcast; longer sources are first
	// condensed to their most central sentences.
	MaxParts int
	// Getenv reads OLLAMA_HOST; nil means os.Getenv.
	Getenv func(string) string
	// Concurrency is how many sections Host writes at once; 0 means 1.
	Concurrency int
	// Hosts are more servers (ollama.urls) that write an episode's
	// sections in parallel with Host; lines still come in order.
	Hosts []HostConfig
	// Cooldown is how long a failing host is left alone; 0 means
	// DefaultHostCooldown.
	Cooldown time.Duration
}

// KeepAliveUnload asks Ollama to unload the model after each call (a zero
// KeepAlive means the default).
const KeepAliveUnload time.Duration = math.MinInt64

// ModelInfo describes a pulled model.
type ModelInfo struct {
	Name          string    `json:"name"`
	Size          int64     `json:"size"`
	Family        string    `json:"family"`
	ParameterSize string    `json:"parameterSize"`
	Quantization  string    `json:"quantization"`
	ModifiedAt    time.Time `json:"modifiedAt"`
}

// PullProgress reports a model download.
type PullProgress struct {
	Status    string `json:"status"`
	Digest    string `json:"digest,omitempty"`
	Total     int64  `json:"total,omitempty"`
	Completed int64  `json:"completed,omitempty"`
}

// Ollama writes scripts with a local Ollama server through its official Go
// client. It is safe for concurrent use.
type Ollama struct {
	cfg       OllamaConfig
	base      *url.URL
	client    *api.Client
	transport *http.Transport
	pool      *hostPool
	log       *slog.Logger

	mu       sync.Mutex
	contexts map[string]int // model → context length from /api/show
}

// NewOllama builds the writer; it does not contact the server (see Check).
func NewOllama(cfg OllamaConfig, log *slog.Logger) (*Ollama, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	addr := strings.TrimSpace(cfg.Host)
	if addr == "" {
		addr = cfg.Getenv("OLLAMA_HOST")
	}
	base := ParseHost(addr)
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("the Ollama address %q must start with http:// or https://", addr)
	}
	cfg.Model = strings.TrimSpace(cfg.Model)
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Temperature == nil {
		cfg.Temperature = ptr(DefaultTemperature)
	}
	if cfg.TopP == nil {
		cfg.TopP = ptr(DefaultTopP)
	}
	if t := *cfg.Temperature; !(t >= 0 && t <= 2) {
		return nil, fmt.Errorf("the Ollama temperature %.2f is outside 0–2", t)
	}
	setDefault(&cfg.ConnectTimeout, DefaultConnectTimeout)
	setDefault(&cfg.IdleTimeout, DefaultIdleTimeout)
	if p := *cfg.TopP; !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("the Ollama top_p %.2f is outside 0–1", p)
	}
	if cfg.NumCtx < 0 {
		return nil, fmt.Errorf("the Ollama num_ctx %d is negative", cfg.NumCtx)
	}
	setDefault(&cfg.NumCtx, DefaultNumCtx)
	setDefault(&cfg.KeepAlive, DefaultKeepAlive)
	if cfg.KeepAlive == KeepAliveUnload {
		cfg.KeepAlive = 0
	}
	setDefault(&cfg.PartChars, DefaultPartChars)
	setDefault(&cfg.MaxParts, DefaultMaxParts)
	cfg.PartChars = max(cfg.PartChars, 500)

	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: cfg.ConnectTimeout,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	hc := &http.Client{Transport: tr}
	if cfg.Concurrency < 0 || cfg.Concurrency > MaxHostConcurrency {
		return nil, fmt.Errorf("the Ollama concurrency %d is outside 0–%d", cfg.Concurrency, MaxHostConcurrency)
	}
	client := api.NewClient(base, hc)
	pool := balance.New[*host](cfg.Cooldown, nil)
	pool.Add(&host{base: base, client: client}, cfg.Concurrency)
	for _, hcfg := range cfg.Hosts {
		u := ParseHost(hcfg.URL)
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("the Ollama address %q must start with http:// or https://", hcfg.URL)
		}
		if hcfg.Concurrency < 0 || hcfg.Concurrency > MaxHostConcurrency {
			return nil, fmt.Errorf("the concurrency %d of Ollama at %s is outside 0–%d", hcfg.Concurrency, u, MaxHostConcurrency)
		}
		pool.Add(&host{base: u, client: api.NewClient(u, hc)}, hcfg.Concurrency)
	}
	return &Ollama{
		cfg:       cfg,
		base:      base,
		client:    client,
		transport: tr,
		pool:      pool,
		log:       log.With("writer", "ollama", "host", base.String(), "model", cfg.Model),
	}, nil
}

func ptr[T any](v T) *T { return &v }

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Name implements Writer.
func (o *Ollama) Name() string { return "ollama" }

// Host returns the server address in use.
func (o *Ollama) Host() string { return o.base.String() }

// Model returns the model in use.
func (o *Ollama) Model() string { return o.cfg.Model }

// Close releases idle connections.
func (o *Ollama) Close() { o.transport.CloseIdleConnections() }

// Check asks /api/tags whether the server answers and has the model.
// Returns ErrUnreachable when nothing answers, ErrModelMissing when the model
// is not pulled.
func (o *Ollama) Check(ctx context.Context) error {
	models, err := o.Models(ctx)
	if err != nil {
		return err
	}
	want := canonicalModel(o.cfg.Model)
	if !slices.ContainsFunc(models, func(m ModelInfo) bool { return canonicalModel(m.Name) == want }) {
		return o.missing(nil)
	}
	return nil
}

// Models lists the pulled models, by name.
func (o *Ollama) Models(ctx context.Context) ([]ModelInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.ConnectTimeout+o.cfg.IdleTimeout)
	defer cancel()
	list, err := o.client.List(ctx)
	if err != nil {
		return nil, o.classify(ctx, err, "listing models")
	}
	out := make([]ModelInfo, 0, len(list.Models))
	for _, m := range list.Models {
		out = append(out, ModelInfo{
			Name: m.Name, Size: m.Size, Family: m.Details.Family, ParameterSize: m.Details.ParameterSize,
			Quantization: m.Details.QuantizationLevel, ModifiedAt: m.ModifiedAt,
		})
	}
	slices.SortFunc(out, func(a, b ModelInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Pull downloads a model, reporting each progress line to fn (which may be
// nil and must not block).
func (o *Ollama) Pull(ctx context.Context, model string, fn func(PullProgress)) error {
	model = strings.TrimSpace(model)
	if model == "" {
		return errors.New("name the model to pull, for example llama3.2")
	}
	ctx, watch := o.watchdog(ctx)
	defer watch.stop()
	stream := true
	err := o.client.Pull(ctx, &api.PullRequest{Model: model, Stream: &stream}, func(p api.ProgressResponse) error {
		watch.alive()
		if fn != nil {
			fn(PullProgress{Status: p.Status, Digest: p.Digest, Total: p.Total, Completed: p.Completed})
		}
		return nil
	})
	if err != nil {
		return o.classify(ctx, err, "pulling "+model)
	}
	return nil
}

// watchdog cancels a stream that stays silent for the idle timeout.
type watchdog struct {
	timer  *time.Timer
	idle   time.Duration
	cancel context.CancelCauseFunc
}

// errSilence is the cancel cause of a stalled stream.
var errSilence = errors.New("no output")

func (o *Ollama) watchdog(ctx context.Context) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{idle: o.cfg.IdleTimeout, cancel: cancel}
	w.timer = time.AfterFunc(w.idle, func() { cancel(errSilence) })
	return ctx, w
}

func (w *watchdog) alive() { w.timer.Reset(w.idle) }

func (w *watchdog) stop() {
	w.timer.Stop()
	w.cancel(nil)
}

// classify turns a client error of the main host into one a user can act
// on. ctx is the request's context, whose cause tells a stall from a
// cancel.
func (o *Ollama) classify(ctx context.Context, err error, doing string) error {
	return o.classifyAt(o.base, ctx, err, doing)
}

// classifyAt is classify for the host at base.
func (o *Ollama) classifyAt(base *url.URL, ctx context.Context, err error, doing string) error {
	if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
		if errors.Is(cause, errSilence) {
			return newError(ErrStalled, err, "Ollama stopped responding at %s: no output for %s while %s — check that it is still running, or raise the idle timeout for slow models",
				base, o.cfg.IdleTimeout, doing)
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && errors.Is(cause, context.DeadlineExceeded) {
			return newError(ErrUnreachable, cause, "Ollama at %s did not answer in time while %s — start it with `ollama serve`", base, doing)
		}
		return fmt.Errorf("%s stopped: %w", doing, ctx.Err())
	}
	var se api.StatusError
	if errors.As(err, &se) {
		msg := strings.TrimSpace(se.ErrorMessage)
		status := se.Status
		if status == "" {
			status = fmt.Sprintf("%d %s", se.StatusCode, http.StatusText(se.StatusCode))
		}
		switch {
		case se.StatusCode == http.StatusNotFound && strings.Contains(msg, "not found") && strings.Contains(msg, "model"):
			return o.missing(err)
		case looksLikeHTML(msg):
			return newError(ErrOllama, err, "the server at %s answered %s with a web page instead of the Ollama API while %s — is another program or a proxy listening there?", base, status, doing)
		}
		return newError(ErrOllama, err, "Ollama at %s answered %s while %s: %s", base, status, doing, shorten(msg, 300))
	}
	var ae api.AuthorizationError
	if errors.As(err, &ae) {
		return newError(ErrOllama, err, "Ollama at %s refused the request (%d unauthorized) while %s", base, ae.StatusCode, doing)
	}
	if msg, ok := errorLine(err); ok {
		return newError(ErrOllama, err, "Ollama failed while %s: %q — %s", doing, shorten(msg, 300), advice(msg))
	}
	if reason := dialFailure(err); reason != "" {
		return newError(ErrUnreachable, err, "Ollama is not reachable at %s (%s) — start it with `ollama serve`", base, reason)
	}
	if isConnectionLoss(err) {
		return o.interruptedAt(base, err, doing)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return newError(ErrUnreachable, err, "Ollama is not reachable at %s (%v) — start it with `ollama serve`", base, ue.Err)
	}
	return newError(ErrOllama, err, "Ollama failed while %s: %s", doing, shorten(err.Error(), 300))
}

// errorLine returns Ollama's message when err is an {"error":…} line sent
// after a 200 (or a line that is not JSON): the client returns those as a
// plain errors.New, with no cause, while every transport failure comes
// wrapped (*url.Error, net errors). Ollama's own words, even "unexpected
// EOF", must not be mistaken for a dropped connection.
func errorLine(err error) (string, bool) {
	var ue *url.Error
	var ne net.Error
	var errno syscall.Errno
	if errors.Unwrap(err) != nil || errors.As(err, &ue) || errors.As(err, &ne) || errors.As(err, &errno) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "", false
	}
	return strings.TrimSpace(err.Error()), true
}

func (o *Ollama) missing(cause error) error {
	return newError(ErrModelMissing, cause, "model %q is not pulled — run `ollama pull %s`", o.cfg.Model, o.cfg.Model)
}

func (o *Ollama) interruptedAt(base *url.URL, cause error, doing string) error {
	return newError(ErrInterrupted, cause, "Ollama at %s closed the connection before finishing while %s — did it crash or restart? Check its log and try again", base, doing)
}

// dialFailure says why a connection could not be made, or "" when it was.
func dialFailure(err error) string {
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return "host not found"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &op) && op.Op == "dial":
		if op.Timeout() {
			return "no answer to the connection attempt"
		}
		return op.Err.Error()
	}
	return ""
}

func isConnectionLoss(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "unexpected EOF") ||
		strings.HasSuffix(err.Error(), ": EOF")
}

func looksLikeHTML(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html") || strings.Contains(s, "<body")
}

// canonicalModel spells a model name as /api/tags does: "x" → "x:latest".
func canonicalModel(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name != "" && !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
		name += ":latest"
	}
	return name
}
