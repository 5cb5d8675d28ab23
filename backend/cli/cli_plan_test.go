package cli

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deadURL is an address where nothing listens.
func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String()
}

// planCLI is a CLI with alice, a source file and config.yaml as given.
func planCLI(t *testing.T, config string) (*cli, string) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	if err := os.MkdirAll(c.paths().Config, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.paths().ConfigFile(), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "rivers.md")
	if err := os.WriteFile(src, []byte(sourceText), 0o600); err != nil {
		t.Fatal(err)
	}
	return c, src
}

// noJobs checks that nothing was started.
func noJobs(t *testing.T, c *cli) {
	t.Helper()
	if entries, _ := os.ReadDir(c.paths().JobsDir()); len(entries) != 0 {
		t.Errorf("jobs were started: %d files", len(entries))
	}
}

// --dry-run says what would run and what is wrong, and starts nothing.
func TestGenerateDryRun(t *testing.T) {
	c, src := planCLI(t, "writer: extractive\n")
	r := c.run("", "generate", "--dry-run", "--minutes", "10", src)
	r.expect(t, exitOK, "stdout", "Would run: the extractive writer, espeak voices, 10 minutes asked; the sources fill about")
	r.expect(t, exitOK, "stdout", "warning (--minutes): The source has enough text for about")
	noJobs(t, c)

	c.run("", "generate", "--dry-run", "--language", "tlh", src).expect(t, exitFailure, "stdout", `error (--language): No espeak voice speaks "tlh"`)
	noJobs(t, c)
}

// A voice server that does not answer refuses the request before anything
// starts, naming the flag, in at most four lines.
func TestGenerateRefusedBeforeStarting(t *testing.T) {
	c, src := planCLI(t, "writer: extractive\ntts:\n  piper:\n    url: "+deadURL(t)+"\n")
	r := c.run("", "generate", "--tts", "piper", "--minutes", "0.5", src)
	r.expect(t, exitFailure, "stderr", "podcastfy: --tts: The piper voices are not available")
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; n > 4 {
		t.Errorf("%d lines:\n%s", n, r.stderr)
	}
	noJobs(t, c)

	r = c.run("", "generate", "--tts", "piper", "--language", "tlh", "--minutes", "500", src)
	r.expect(t, exitFailure, "stderr", "podcastfy: --minutes: The length must be between")
	r.expect(t, exitFailure, "stderr", "podcastfy: --tts:")
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; n > 4 {
		t.Errorf("%d lines:\n%s", n, r.stderr)
	}
}

// The offline writer standing in for Ollama, and a source too short for the
// length, are said before the job starts.
func TestGenerateNotesBeforeStarting(t *testing.T) {
	c, src := planCLI(t, "writer: auto\nollama:\n  url: "+deadURL(t)+"\n")
	r := c.run("", "generate", "--minutes", "10", "--json", src)
	r.expect(t, exitOK, "stderr", "podcastfy: note (--writer): Ollama is not reachable")
	r.expect(t, exitOK, "stderr", "podcastfy: note (--minutes): The source has enough text for about")
	if i, j := strings.Index(r.stderr, "note (--writer)"), strings.Index(r.stdout, `"podcast"`); i < 0 || j < 0 {
		t.Errorf("no note, or no podcast:\n%s\n%s", r.stderr, r.stdout)
	}
}
