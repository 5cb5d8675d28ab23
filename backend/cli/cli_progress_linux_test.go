//go:build linux

package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateOnATerminal runs generate with its progress on a terminal:
// the note that the offline writer is used comes at the start, before the
// lines are spoken, and a warning logged meanwhile is not drawn into the
// bar but listed once the bar is gone.
func TestGenerateOnATerminal(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	p := c.paths()
	// Ollama is not there: the automatic writer falls back.
	if err := os.WriteFile(p.ConfigFile(), []byte("ollama:\n  url: http://127.0.0.1:1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A job file that does not parse: the job service warns as it starts.
	if err := os.WriteFile(filepath.Join(p.JobsDir(), "brokenjob.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "rivers.txt")
	if err := os.WriteFile(src, []byte(sourceText), 0o600); err != nil {
		t.Fatal(err)
	}

	m, s := openPTY(t)
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		io.Copy(&screen, m) // ends when the terminal closes
	}()
	getenv := func(k string) string {
		if k == "PODCASTFY_HOME" {
			return c.home
		}
		return c.env[k]
	}
	var stdout bytes.Buffer
	code := Run(t.Context(), testProgram, []string{"podcastfy", "generate", src, "--minutes", "0.5"},
		getenv, strings.NewReader(""), &stdout, s)
	s.Close()
	<-read
	out := screen.String()
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}

	note := strings.Index(out, "note: ")
	spoken := strings.Index(out, "Synthesising")
	if note < 0 || spoken < 0 || note > spoken || !strings.Contains(out[note:], "extractive") {
		t.Errorf("the offline writer's note is not shown before the lines are spoken:\n%q", out)
	}
	warn := strings.Index(out, "ignoring unreadable job file")
	cleared := strings.LastIndex(out, "\r\033[K")
	if warn < 0 || warn < cleared {
		t.Errorf("the warning is missing or was printed while the bar was drawn:\n%q", out)
	}
	if !strings.Contains(out[cleared:], "1 warning while making the podcast:") {
		t.Errorf("no summary of the warnings after the bar:\n%q", out[cleared:])
	}
	if !strings.Contains(stdout.String(), "extractive writer") {
		t.Errorf("stdout %q", stdout.String())
	}
}
