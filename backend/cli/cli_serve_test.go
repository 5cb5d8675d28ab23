package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeCommand runs podcastfy serve in-process on a free port: it
// prints its URL, answers with the CLI's accounts, and stops with exit 0
// when its context ends (as on SIGTERM).
func TestServeCommand(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	getenv := func(k string) string {
		if k == "PODCASTFY_HOME" {
			return c.home
		}
		return c.env[k]
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, testProgram, []string{"podcastfy", "serve", "--addr", "127.0.0.1:0"}, getenv, strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	url := ""
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "listening on "); ok {
			url = u
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		cancel()
		t.Fatalf("no URL printed (exit %d): %s", <-code, stderr.String())
	}

	resp, err := http.Post(url+"/auth/login", "application/json", strings.NewReader(`{"username":"alice","password":"secret-pass-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	var sess struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if resp.StatusCode != 200 || sess.Token == "" {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", url+"/templates/deep-dive", nil)
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("built-in template: %d", resp.StatusCode)
	}
	resp, err = http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// A job running at shutdown is left interrupted, to be resumed later.
	body, _ := json.Marshal(map[string]any{
		"text": strings.Repeat(sourceText+"\n\n", 20), "minutes": 20, "writer": "extractive",
	})
	req, _ = http.NewRequest("POST", url+"/podcasts/generate/text", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var accepted struct{ JobID string }
	json.NewDecoder(resp.Body).Decode(&accepted)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || accepted.JobID == "" {
		t.Fatalf("generate: %d", resp.StatusCode)
	}

	cancel()
	if got := <-code; got != exitOK {
		t.Fatalf("exit %d after shutdown: %s", got, stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(c.paths().JobsDir(), accepted.JobID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct{ Status struct{ State string } }
	if err := json.Unmarshal(data, &rec); err != nil || rec.Status.State != "interrupted" {
		t.Fatalf("job after shutdown: %s (%v)", data, err)
	}
}

func TestServeUsageErrors(t *testing.T) {
	c := newCLI(t)
	c.run("", "serve", "--addr", "nonsense").expect(t, exitUsage, "stderr", "--addr must be HOST:PORT")
	c.run("", "serve", "extra").expect(t, exitUsage, "stderr", "unexpected argument")
	c.run("", "serve", "--help").expect(t, exitOK, "stdout", "Usage: podcastfy serve")
	c.run("", "help").expect(t, exitOK, "stdout", "serve")
}
