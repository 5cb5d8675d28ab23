package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"podcastfy/backend/core"
	"podcastfy/backend/events"
)

// progressPrinter renders job events: a redrawn bar on a terminal, one line
// per stage otherwise, nothing in --json mode. It also takes the command's
// log: on a terminal, warnings would be drawn over by the bar, so they are
// held and listed once it is gone; other lines are printed above it.
type progressPrinter struct {
	w       io.Writer
	bar     bool
	enabled bool

	mu        sync.Mutex
	lastStage string
	drawn     string // the bar as last drawn; "" when none is on screen
	notes     int    // lines of the job's warning already shown
	held      []string
}

var _ events.Emitter = (*progressPrinter)(nil)

func newProgressPrinter(w io.Writer, bar, enabled bool) *progressPrinter {
	return &progressPrinter{w: w, bar: bar, enabled: enabled}
}

func (p *progressPrinter) Emit(name string, data any) {
	st, ok := data.(core.Status)
	if !ok || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// A note (why the offline writer writes, say) is shown when it comes,
	// before the work it is about, not after the podcast is made.
	if lines := noteLines(st.Warning); len(lines) > p.notes {
		for _, l := range lines[p.notes:] {
			p.aboveLocked("note: " + l)
		}
		p.notes = len(lines)
	}
	if p.bar {
		const width = 28
		filled := int(st.Progress * width)
		bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
		eta := ""
		if st.ETA > 0 {
			eta = "  ETA " + clock(st.ETA)
		}
		p.drawn = fmt.Sprintf("%s %3.0f%%  %s%s", bar, st.Progress*100, st.Stage, eta)
		fmt.Fprintf(p.w, "\r\033[K%s", p.drawn)
		return
	}
	// Without a terminal, print each stage once (not every line's progress).
	stage := string(st.State)
	if st.State == core.Writing {
		stage = st.Stage
	}
	if stage != p.lastStage {
		p.lastStage = stage
		fmt.Fprintf(p.w, "%s: %s\n", st.State, st.Stage)
	}
}

func noteLines(warning string) []string {
	if strings.TrimSpace(warning) == "" {
		return nil
	}
	return strings.Split(strings.TrimSpace(warning), "\n")
}

// aboveLocked prints a line above the bar and draws the bar again.
func (p *progressPrinter) aboveLocked(line string) {
	if p.drawn != "" {
		fmt.Fprintf(p.w, "\r\033[K%s\n%s", line, p.drawn)
		return
	}
	fmt.Fprintln(p.w, line)
}

// finish clears the bar and lists the warnings held while it was drawn.
func (p *progressPrinter) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn != "" {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = ""
	}
	p.bar = false
	if len(p.held) == 0 {
		return
	}
	fmt.Fprintf(p.w, "%d warning%s while making the podcast:\n", len(p.held), plural(len(p.held)))
	for _, l := range p.held {
		fmt.Fprintf(p.w, "  %s\n", l)
	}
	p.held = nil
}

// summary prints the notes of the finished job that no event showed.
func (p *progressPrinter) summary(warning string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := noteLines(warning)
	for _, l := range lines[min(p.notes, len(lines)):] {
		fmt.Fprintf(p.w, "note: %s\n", l)
	}
	p.notes = len(lines)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// log takes one formatted log line.
func (p *progressPrinter) log(level slog.Level, line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.bar:
		fmt.Fprintln(p.w, line)
	case level >= slog.LevelWarn:
		p.held = append(p.held, line)
	default:
		p.aboveLocked(line)
	}
}

// logHandler is a slog handler writing "LEVEL message key=value …" lines
// through the printer.
func (p *progressPrinter) logHandler(level slog.Leveler) slog.Handler {
	return &printerHandler{p: p, level: level}
}

type printerHandler struct {
	p      *progressPrinter
	level  slog.Leveler
	attrs  string // " key=value" of WithAttrs, formatted
	prefix string // group names, dotted
}

func (h *printerHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

func (h *printerHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s%s", r.Level, r.Message, h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(h.format(a))
		return true
	})
	h.p.log(r.Level, b.String())
	return nil
}

func (h *printerHandler) format(a slog.Attr) string {
	if a.Equal(slog.Attr{}) {
		return ""
	}
	v := a.Value.Resolve().String()
	if strings.ContainsAny(v, " \t\n\"=") || v == "" {
		v = fmt.Sprintf("%q", v)
	}
	return " " + h.prefix + a.Key + "=" + v
}

func (h *printerHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	for _, a := range attrs {
		c.attrs += h.format(a)
	}
	return &c
}

func (h *printerHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix += name + "."
	return &c
}
