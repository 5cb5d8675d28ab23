package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"podcastfy/backend/store"
)

// TestScriptExportEditApply exports a generated podcast's script as YAML,
// edits one line in it as a person would, and applies it with espeak-ng:
// one segment is synthesised, the rest reused, and the podcast is at
// version 2. A bad edit is refused at its line of the file.
func TestScriptExportEditApply(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	src := filepath.Join(t.TempDir(), "rivers.txt")
	if err := os.WriteFile(src, []byte(sourceText), 0o600); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Podcast store.Podcast `json:"podcast"`
	}
	out := c.must("", "generate", "--text", src, "--writer", "extractive", "--minutes", "0.5", "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	id, lines := res.Podcast.ID, res.Podcast.Lines

	file := filepath.Join(t.TempDir(), "script.yaml")
	c.must("", "script", "export", id, "-o", file)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{"# podcastfy script", "You may change:", "etag: ", "speakers:", "chapters:", "voice: ", "speed: 1"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the export lacks %q:\n%s", want, text)
		}
	}
	if stdout := c.must("", "script", "export", id); stdout != text {
		t.Fatal("export to stdout differs from export to a file")
	}
	// The first line of the first chapter, as a person finds it: "- Name: text".
	at := strings.Index(text, "\n    lines:\n")
	first := regexp.MustCompile(`(?m)^(\s+- )(\w+): (.+)$`).FindStringSubmatchIndex(text[max(at, 0):])
	if at < 0 || first == nil {
		t.Fatalf("no line to edit in:\n%s", text)
	}
	for i := range first {
		first[i] += at
	}
	edited := text[:first[6]] + "A brand new opening, said once." + text[first[7]:]

	// A bad edit first: an unknown speaker on that line, reported at it.
	badFile := filepath.Join(t.TempDir(), "bad.yaml")
	badText := text[:first[4]] + "Zed" + text[first[5]:]
	if err := os.WriteFile(badFile, []byte(badText), 0o600); err != nil {
		t.Fatal(err)
	}
	lineNo := strings.Count(text[:first[0]], "\n") + 1
	r := c.run("", "script", "apply", id, badFile)
	if r.code != exitFailure || !strings.Contains(r.stderr, badFile+":"+strconv.Itoa(lineNo)+":") || !strings.Contains(r.stderr, "Zed") {
		t.Fatalf("a bad edit: exit %d, stderr %q (want line %d)", r.code, r.stderr, lineNo)
	}
	if err := os.WriteFile(badFile, []byte(text+"extra: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "script", "apply", id, badFile); r.code != exitFailure || !strings.Contains(r.stderr, `unknown key "extra"`) {
		t.Fatalf("an unknown key: exit %d, %q", r.code, r.stderr)
	}

	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout := c.must("", "script", "apply", id, file)
	want := "is now version 2: " + strconv.Itoa(lines-1) + " segments reused, 1 synthesised"
	if !strings.Contains(stdout, want) {
		t.Fatalf("apply said %q, want %q", stdout, want)
	}
	// The same file again was made from version 1: stale.
	r = c.run("", "script", "apply", id, file)
	if r.code != exitFailure || !strings.Contains(r.stderr, "changed since it was opened") {
		t.Fatalf("a stale apply: exit %d, %q", r.code, r.stderr)
	}
	if again := c.must("", "script", "export", id); !strings.Contains(again, "A brand new opening, said once.") || !strings.Contains(again, "version: 2") {
		t.Fatalf("the export after apply:\n%s", again)
	}
}
