package ollamatest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
	"go.uber.org/goleak"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, models ...string) (*ollamatest.Server, *api.Client) {
	t.Helper()
	srv := ollamatest.New(models...)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return srv, api.NewClient(u, srv.HTTPClient())
}

var schema = json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"chapters":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"},"lines":{"type":"array","items":{"type":"object","properties":{"speaker":{"type":"string","enum":["Alex","Sam"]},"text":{"type":"string"}}}}}}}}}`)

func chatReq(model string) *api.ChatRequest {
	return &api.ChatRequest{Model: model, Messages: []api.Message{{Role: "user", Content: "hi"}}}
}

// collect runs a chat and returns its content and responses.
func collect(c *api.Client, req *api.ChatRequest) (string, []api.ChatResponse, error) {
	var b strings.Builder
	var all []api.ChatResponse
	err := c.Chat(context.Background(), req, func(r api.ChatResponse) error {
		b.WriteString(r.Message.Content)
		all = append(all, r)
		return nil
	})
	return b.String(), all, err
}

func TestServerInfoEndpoints(t *testing.T) {
	_, c := start(t, "llama3.2", "qwen3:8b")
	ctx := context.Background()
	if err := c.Heartbeat(ctx); err != nil {
		t.Fatalf("HEAD /: %v", err)
	}
	v, err := c.Version(ctx)
	if err != nil || v != "0.17.7" {
		t.Fatalf("version %q %v", v, err)
	}
	list, err := c.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range list.Models {
		names = append(names, m.Name)
		if m.Details.Format != "gguf" || !strings.HasPrefix(m.Digest, "sha256:") || m.Size == 0 {
			t.Errorf("model %+v", m)
		}
	}
	if !slices.Equal(names, []string{"llama3.2:latest", "qwen3:8b"}) {
		t.Fatalf("tags %v", names)
	}
	show, err := c.Show(ctx, &api.ShowRequest{Model: "llama3.2"})
	if err != nil || show.ModelInfo["llama.context_length"] != float64(131072) || !slices.Contains(show.Capabilities, "completion") {
		t.Fatalf("show %+v %v", show, err)
	}
	_, err = c.Show(ctx, &api.ShowRequest{Model: "llama9"})
	var se api.StatusError
	if !errors.As(err, &se) || se.StatusCode != 404 || se.ErrorMessage != "model 'llama9' not found" || se.Error() != "model 'llama9' not found" {
		t.Fatalf("show missing: %#v", err)
	}
}

func TestGetRoot(t *testing.T) {
	srv, _ := start(t)
	resp, err := srv.HTTPClient().Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "Ollama is running" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}

func TestChatStreamsScriptedReplies(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.Enqueue(ollamatest.Reply{Content: "first answer, streamed in pieces"}, ollamatest.Reply{Chunks: []string{"sec", "ond"}, DoneReason: "length"})
	req := chatReq("llama3.2")
	req.Format = schema
	content, all, err := collect(c, req)
	if err != nil || content != "first answer, streamed in pieces" {
		t.Fatalf("%q %v", content, err)
	}
	if len(all) < 4 {
		t.Fatalf("want several chunks, got %d", len(all))
	}
	last := all[len(all)-1]
	if !last.Done || last.DoneReason != "stop" || last.EvalCount == 0 || all[0].Done || all[0].Message.Role != "assistant" {
		t.Fatalf("final %+v first %+v", last, all[0])
	}
	content, all, err = collect(c, chatReq("llama3.2"))
	if err != nil || content != "second" || len(all) != 3 || all[2].DoneReason != "length" {
		t.Fatalf("%q %d %v", content, len(all), err)
	}
	chats := srv.Chats()
	if len(chats) != 2 || string(chats[0].Format) != string(schema) || len(chats[1].Format) != 0 {
		t.Fatalf("recorded %d chats, format %s", len(chats), chats[0].Format)
	}
}

func TestChatNDJSONOnTheWire(t *testing.T) {
	srv, _ := start(t, "llama3.2")
	srv.Enqueue(ollamatest.Reply{Content: "abcdefghijklmnop"})
	resp, err := srv.HTTPClient().Post(srv.URL+"/api/chat", "application/json", strings.NewReader(`{"model":"llama3.2","messages":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("content type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 || lines[2]["done"] != true || lines[2]["done_reason"] != "stop" || lines[0]["created_at"] == nil {
		t.Fatalf("lines %v", lines)
	}
}

func TestChatErrors(t *testing.T) {
	tests := map[string]struct {
		model  string
		reply  *ollamatest.Reply
		status int    // want StatusError with this code; 0 = plain error
		msg    string // substring of the error
	}{
		"unpulled model":     {"llama9", nil, 404, "404 Not Found: model 'llama9' not found"},
		"no model":           {"", nil, 400, "model is required"},
		"error after 200":    {"llama3.2", &ollamatest.Reply{Content: "partial", Error: "an error was encountered while running the model"}, 0, "an error was encountered while running the model"},
		"html error page":    {"llama3.2", &ollamatest.Reply{Status: 502, HTML: true}, 502, "<html>"},
		"json error status":  {"llama3.2", &ollamatest.Reply{Status: 503, Error: "server busy"}, 503, "503 Service Unavailable: server busy"},
		"request canceled":   {"llama3.2", &ollamatest.Reply{Status: 499, Error: "request canceled"}, 499, "request canceled"},
		"thinking refused":   {"think", nil, 400, `"think" does not support thinking`},
		"invalid format 500": {"bad-format", nil, 500, `invalid format: "yaml"; expected "json" or a valid JSON Schema object`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv, c := start(t, "llama3.2")
			req := chatReq(tc.model)
			switch tc.model {
			case "think":
				srv.AddModel(ollamatest.Model{Name: "think"})
				req.Think = &api.ThinkValue{Value: true}
			case "bad-format":
				req.Model = "llama3.2"
				req.Format = json.RawMessage(`"yaml"`)
			}
			if tc.reply != nil {
				srv.Enqueue(*tc.reply)
			}
			_, _, err := collect(c, req)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %q", err, tc.msg)
			}
			var se api.StatusError
			if isStatus := errors.As(err, &se); isStatus != (tc.status != 0) || (isStatus && se.StatusCode != tc.status) {
				t.Fatalf("status error %#v, want status %d", err, tc.status)
			}
		})
	}
}

func TestRawErrors(t *testing.T) {
	srv, _ := start(t, "llama3.2")
	tests := map[string]struct{ path, body, want string }{
		"empty body": {"/api/chat", "", `{"error":"missing request body"}`},
		"bad json":   {"/api/show", "{", `{"error":"unexpected end of JSON input"}`},
		"no model":   {"/api/pull", `{}`, `{"error":"model is required"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp, err := srv.HTTPClient().Post(srv.URL+tc.path, "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 400 || strings.TrimSpace(string(body)) != tc.want {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestChatDropAndHang(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.Enqueue(ollamatest.Reply{Content: "half an answ", Drop: true})
	content, all, err := collect(c, chatReq("llama3.2"))
	// The client reports a broken stream as a quiet end: no final line.
	if err != nil || content != "half an answ" || all[len(all)-1].Done {
		t.Fatalf("drop: %q %v", content, err)
	}

	srv.Enqueue(ollamatest.Reply{Content: "never ends", Hang: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got strings.Builder
	err = c.Chat(ctx, chatReq("llama3.2"), func(r api.ChatResponse) error {
		got.WriteString(r.Message.Content)
		if got.String() == "never ends" {
			cancel()
		}
		return nil
	})
	if got.String() != "never ends" || (err != nil && !errors.Is(err, context.Canceled)) {
		t.Fatalf("hang: %q %v", got.String(), err)
	}
}

func TestFailPath(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.Fail("/api/tags", ollamatest.Reply{Status: 500, Error: "boom"})
	_, err := c.List(context.Background())
	var se api.StatusError
	if !errors.As(err, &se) || se.StatusCode != 500 || se.ErrorMessage != "boom" {
		t.Fatalf("fail: %v", err)
	}
	srv.Fail("/api/tags", ollamatest.Reply{})
	if _, err := c.List(context.Background()); err != nil {
		t.Fatalf("cleared: %v", err)
	}
}

func TestAutoScript(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.SetAutoLines(13)
	srv.SetChunkRunes(32)
	req := chatReq("llama3.2")
	req.Format = schema
	content, _, err := collect(c, req)
	if err != nil {
		t.Fatal(err)
	}
	var sc script.Script
	if err := json.Unmarshal([]byte(content), &sc); err != nil {
		t.Fatalf("auto answer is not a script: %v\n%s", err, content)
	}
	if sc.LineCount() != 13 || len(sc.Chapters) != 3 || sc.Chapters[0].Lines[1].Speaker != "Sam" {
		t.Fatalf("auto script %+v", sc)
	}
	if err := sc.Validate([]string{"Alex", "Sam"}); err != nil {
		t.Fatal(err)
	}

	req = chatReq("llama3.2")
	req.Format = json.RawMessage(`"json"`)
	req.Messages = append([]api.Message{{Role: "system", Content: "You write.\nSpeakers: Kim, Lou, Max.\n"}}, req.Messages...)
	if got := ollamatest.SpeakersFromRequest(*req); !slices.Equal(got, []string{"Kim", "Lou", "Max"}) {
		t.Fatalf("speakers from prompt %v", got)
	}
	content, _, err = collect(c, req)
	if err != nil || json.Unmarshal([]byte(content), &sc) != nil || sc.Chapters[0].Lines[2].Speaker != "Max" {
		t.Fatalf("auto from prompt: %v %s", err, content)
	}

	content, _, err = collect(c, chatReq("llama3.2"))
	if err != nil || content != "Hello from the fake Ollama." {
		t.Fatalf("no format: %q %v", content, err)
	}
}

func TestChatNoStream(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.Enqueue(ollamatest.Reply{Content: "all at once"})
	req := chatReq("llama3.2")
	stream := false
	req.Stream = &stream
	content, all, err := collect(c, req)
	if err != nil || content != "all at once" || len(all) != 1 || !all[0].Done {
		t.Fatalf("%q %d %v", content, len(all), err)
	}
}

func TestPull(t *testing.T) {
	srv, c := start(t)
	srv.SetPullable("llama3.2")
	var statuses []string
	var sawLayer bool
	err := c.Pull(context.Background(), &api.PullRequest{Model: "llama3.2"}, func(p api.ProgressResponse) error {
		statuses = append(statuses, p.Status)
		if strings.HasPrefix(p.Status, "pulling ") && p.Status != "pulling manifest" {
			sawLayer = len(p.Status) == len("pulling ")+12 && p.Total > 0 && strings.HasPrefix(p.Digest, "sha256:")
		}
		return nil
	})
	if err != nil || !sawLayer {
		t.Fatalf("pull: %v %v", err, statuses)
	}
	want := []string{"verifying sha256 digest", "writing manifest", "removing unused layers", "success"}
	if statuses[0] != "pulling manifest" || !slices.Equal(statuses[len(statuses)-4:], want) {
		t.Fatalf("statuses %v", statuses)
	}
	list, err := c.List(context.Background())
	if err != nil || len(list.Models) != 1 || list.Models[0].Name != "llama3.2:latest" {
		t.Fatalf("after pull: %+v %v", list, err)
	}

	statuses = nil
	err = c.Pull(context.Background(), &api.PullRequest{Model: "nope"}, func(p api.ProgressResponse) error {
		statuses = append(statuses, p.Status)
		return nil
	})
	var se api.StatusError
	if err == nil || err.Error() != "pull model manifest: file does not exist" || errors.As(err, &se) || !slices.Equal(statuses, []string{"pulling manifest"}) {
		t.Fatalf("unknown pull: %v %v", err, statuses)
	}

	stream := false
	err = c.Pull(context.Background(), &api.PullRequest{Model: "nope", Stream: &stream}, func(api.ProgressResponse) error { return nil })
	if !errors.As(err, &se) || se.StatusCode != 500 {
		t.Fatalf("unknown pull without stream: %v", err)
	}
}

func TestAutoScriptValid(t *testing.T) {
	for _, n := range []int{1, 6, 7, 100} {
		sc := ollamatest.AutoScript([]string{"A"}, n)
		if sc.LineCount() != n || sc.Validate([]string{"A"}) != nil {
			t.Fatalf("n=%d: %d lines, %v", n, sc.LineCount(), sc.Validate([]string{"A"}))
		}
	}
	if sc := ollamatest.AutoScript(nil, 2); sc.Chapters[0].Lines[1].Speaker != "Guest" {
		t.Fatalf("default speakers %+v", sc)
	}
}

// OnChunk sees each chunk as it is sent, numbered as FailAt counts; a
// paced answer stops when the client gives up between two chunks.
func TestChatOnChunkAndPace(t *testing.T) {
	srv, c := start(t, "llama3.2")
	srv.Enqueue(ollamatest.Reply{Chunks: []string{"ab", "cd", "ef"}}, ollamatest.Reply{Chunks: []string{"gh", "ij"}})
	type sent struct {
		chat int
		text string
	}
	got := make(chan sent, 8)
	srv.OnChunk(func(chat int, text string) { got <- sent{chat, text} })
	if content, _, err := collect(c, chatReq("llama3.2")); err != nil || content != "abcdef" {
		t.Fatalf("%q %v", content, err)
	}
	for _, want := range []sent{{1, "ab"}, {1, "abcd"}, {1, "abcdef"}} {
		if s := <-got; s != want {
			t.Fatalf("chunk %+v, want %+v", s, want)
		}
	}
	srv.SetPace(time.Hour) // never reached: the client leaves after the first chunk
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := c.Chat(ctx, chatReq("llama3.2"), func(api.ChatResponse) error {
		cancel()
		return nil
	})
	if (err != nil && !errors.Is(err, context.Canceled)) || ctx.Err() == nil {
		t.Fatalf("a paced answer the client left ended with %v", err)
	}
	if s := <-got; s != (sent{2, "gh"}) {
		t.Fatalf("chunk %+v", s)
	}
	srv.Close() // waits for the handler: no chunk may follow
	if len(got) != 0 {
		t.Fatalf("%d chunks sent after the client left", len(got))
	}
}
