package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/tts/ttstest"
)

// serving is podcastfy serve running in-process for one test.
type serving struct {
	url, token string
}

// serve starts podcastfy serve on a free port as alice and stops it when
// the test ends.
func (c *cli) serve(t *testing.T) serving {
	t.Helper()
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	getenv := func(k string) string {
		if k == "PODCASTFY_HOME" {
			return c.home
		}
		return c.env[k]
	}
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, testProgram, []string{"podcastfy", "serve", "--addr", "127.0.0.1:0"}, getenv, strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if got := <-code; got != exitOK {
			t.Errorf("serve exited %d: %s", got, stderr.String())
		}
	})
	sc := bufio.NewScanner(pr)
	s := serving{}
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "listening on "); ok {
			s.url = u
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if s.url == "" {
		t.Fatalf("no URL printed: %s", stderr.String())
	}
	resp, err := http.Post(s.url+"/auth/login", "application/json", strings.NewReader(`{"username":"alice","password":"secret-pass-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sess struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&sess); err != nil || sess.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	s.token = sess.Token
	return s
}

// jobEnd is the last status of a job as its event stream reports it.
type jobEnd struct {
	State, Writer, TTS, Error string
}

// generate asks for a podcast and follows the job's event stream, which
// ends with the job; a request refused before its job starts ends as
// "refused:<field>".
func (s serving) generate(t *testing.T) jobEnd {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"text": sourceText, "templateId": "deep-dive"})
	req, _ := http.NewRequest("POST", s.url+"/podcasts/generate/text", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var accepted struct {
		JobID string
		Error struct{ Field, Message string }
	}
	json.NewDecoder(resp.Body).Decode(&accepted)
	resp.Body.Close()
	if resp.StatusCode == http.StatusBadRequest {
		// Refused before it started (a server the job needs does not answer).
		return jobEnd{State: "refused:" + accepted.Error.Field, Error: accepted.Error.Message}
	}
	if resp.StatusCode != http.StatusAccepted || accepted.JobID == "" {
		t.Fatalf("generate: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", s.url+"/jobs/"+accepted.JobID+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var last jobEnd
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			if err := json.Unmarshal([]byte(data), &last); err != nil {
				t.Fatalf("event %s: %v", data, err)
			}
		}
	}
	return last
}

// config.yaml edited while podcastfy serve runs applies to the next job:
// the Ollama URL and model, the writer choice and the TTS provider.
func TestServeFollowsEditedConfig(t *testing.T) {
	c := newCLI(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	edit := func(yaml string) {
		t.Helper()
		if err := os.MkdirAll(c.paths().Config, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.paths().ConfigFile(), []byte(yaml+"generation:\n  minutes: 0.5\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	edit("ollama:\n  url: " + dead + "\nwriter: ollama\n")
	s := c.serve(t)
	if end := s.generate(t); end.State != "refused:writer" || !strings.Contains(end.Error, "not reachable") {
		t.Fatalf("with Ollama on a dead port the request ended %+v", end)
	}

	ollama := ollamatest.New("mistral")
	defer ollama.Close()
	edit("ollama:\n  url: " + ollama.URL + "\n  model: mistral\nwriter: ollama\n")
	if end := s.generate(t); end.State != "done" || end.Writer != "ollama" {
		t.Fatalf("after editing the Ollama URL: %+v", end)
	}
	if chats := ollama.Chats(); len(chats) == 0 || chats[0].Model != "mistral" {
		t.Fatalf("the Ollama named in config.yaml received %d chat requests", len(chats))
	}

	edit("ollama:\n  url: " + ollama.URL + "\n  model: mistral\nwriter: extractive\n")
	before := len(ollama.Chats())
	if end := s.generate(t); end.State != "done" || end.Writer != "extractive" {
		t.Fatalf("after choosing the extractive writer: %+v", end)
	}
	if n := len(ollama.Chats()); n != before {
		t.Errorf("the extractive writer's job asked Ollama %d times", n-before)
	}

	speech := &ttstest.OpenAI{}
	srv := httptest.NewServer(speech)
	defer srv.Close()
	edit("writer: extractive\ntts:\n  provider: openai\n  openai:\n    url: " + srv.URL + "/v1\n")
	if end := s.generate(t); end.State != "done" || end.TTS != "openai" {
		t.Fatalf("after choosing the OpenAI provider: %+v", end)
	}
	if len(speech.Requests()) == 0 {
		t.Error("the OpenAI speech server named in config.yaml received no request")
	}
}
