package cli

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/desktop"
	"podcastfy/backend/store"
)

// Usage errors are at most four lines: what is wrong, a hint, where to read
// more; a near miss names what was meant.
func TestUsageErrorsAreShortWithDidYouMean(t *testing.T) {
	tests := map[string]struct {
		args []string
		hint string
	}{
		"command":              {[]string{"generat", "notes.md"}, "Did you mean 'podcastfy generate'?"},
		"command prefix":       {[]string{"templ"}, "'podcastfy templates'"},
		"a file as command":    {[]string{"notes.md"}, "podcastfy generate notes.md"},
		"subcommand":           {[]string{"user", "ad", "alice"}, "Did you mean 'podcastfy user add'?"},
		"templates subcommand": {[]string{"templates", "lsit"}, "'podcastfy templates list'"},
		"flag":                 {[]string{"generate", "--tempalte", "brief", "notes.md"}, "Did you mean --template?"},
		"global flag":          {[]string{"--verbos", "version"}, "Did you mean --verbose?"},
		"flag value":           {[]string{"generate", "--minutes", "ten", "notes.md"}, "--minutes MINUTES: target length"},
		"flag without value":   {[]string{"user", "add", "alice", "--email"}, "--email ADDRESS"},
		"missing subcommand":   {[]string{"user"}, "Subcommands: add, list, passwd, delete."},
		"nothing to make from": {[]string{"generate"}, "podcastfy generate notes.md paper.pdf"},
		"missing argument":     {[]string{"user", "add"}, "Usage: podcastfy user add NAME"},
		"far off":              {[]string{"frobnicate"}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			r := c.run("", tt.args...)
			if r.code != exitUsage || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q; want exit 2 and nothing on stdout", r.code, r.stdout)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) > 4 {
				t.Errorf("%d lines of usage error, want at most 4:\n%s", len(lines), r.stderr)
			}
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "Run 'podcastfy") || !strings.Contains(last, "help") {
				t.Errorf("the last line %q does not say where to read more", last)
			}
			if tt.hint != "" && !strings.Contains(r.stderr, tt.hint) {
				t.Errorf("stderr lacks the hint %q:\n%s", tt.hint, r.stderr)
			}
			if tt.hint == "" && strings.Contains(r.stderr, "Did you mean") {
				t.Errorf("a wild guess got a suggestion:\n%s", r.stderr)
			}
		})
	}
}

// An unknown template is refused before any work, naming the one meant.
func TestGenerateTemplateDidYouMean(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	src := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(src, []byte(sourceText), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "generate", "--template", "deep-dve", src)
	r.expect(t, exitFailure, "stderr", "Did you mean --template deep-dive?")
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; n > 4 {
		t.Errorf("%d lines for an unknown template:\n%s", n, r.stderr)
	}
	c.run("", "generate", "--template", "zzzzzzzzzz", src).expect(t, exitFailure, "stderr", "podcastfy templates list")
}

// Files and - (stdin) name the sources without flags; each file's kind comes
// from its content, whatever its name.
func TestGeneratePositionalSources(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	dir := t.TempDir()
	// Markdown under a name that says nothing: read as text with markup.
	notes := filepath.Join(dir, "notes")
	if err := os.WriteFile(notes, []byte("# Deltas\n\nWhere a river meets the sea, it **builds a delta** from the sediment it has carried.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout := c.must(sourceText, "generate", notes, "-", "--writer", "extractive", "--minutes", "1", "--json")
	var res struct{ Podcast store.Podcast }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	p, err := openStoreForTest(t, c).Podcasts().Get(res.Podcast.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"builds a delta", "Rivers shape the land"} {
		if !strings.Contains(*p.SourceText, want) {
			t.Errorf("source text lacks %q:\n%s", want, *p.SourceText)
		}
	}
	c.run("x", "generate", "--text", notes, "-").expect(t, exitUsage, "stderr", "give one")
	c.run("", "generate", filepath.Join(dir, "missing.pdf")).expect(t, exitFailure, "stderr", "missing.pdf")
}

// The desktop binary with no display says where to go instead of crashing.
func TestDesktopWithoutDisplay(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"nothing set":        {},
		"no X server there":  {"DISPLAY": ":93"},
		"no Wayland there":   {"WAYLAND_DISPLAY": "wayland-93", "XDG_RUNTIME_DIR": t.TempDir()},
		"remote X not there": {"DISPLAY": "127.0.0.1:93"},
	} {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			for k, v := range env {
				c.env[k] = v
			}
			prog := testProgram
			prog.Window = func(*slog.Logger, *desktop.Desktop, *desktop.WailsRuntime) error {
				t.Error("the window was opened without a display")
				return nil
			}
			r := c.runProgram(prog, "")
			r.expect(t, exitFailure, "stderr", "podcastfy serve")
			for _, want := range []string{"xvfb-run podcastfy", "no display"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if n := strings.Count(r.stderr, "\n"); n > 5 || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("not a short message:\n%s", r.stderr)
			}
		})
	}
}

// With a display (a real X server, Xvfb) the window is opened.
func TestDesktopWithXvfb(t *testing.T) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Fatalf("Xvfb is not installed (make deps installs it): %v", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xvfb, "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "640x480x24")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	// Xvfb writes its display number once it accepts connections.
	num, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb gave no display number: %v", err)
	}
	c := newCLI(t)
	c.env["DISPLAY"] = ":" + strings.TrimSpace(num)
	opened := false
	prog := testProgram
	prog.Window = func(*slog.Logger, *desktop.Desktop, *desktop.WailsRuntime) error {
		opened = true
		return nil
	}
	if r := c.runProgram(prog, ""); r.code != exitOK || !opened {
		t.Fatalf("exit %d, window opened %v\n%s", r.code, opened, r.stderr)
	}
}
