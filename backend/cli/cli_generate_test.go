package cli

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

const sourceText = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons. The speed of the water decides how much sediment it can carry. Fast rivers move boulders, while slow rivers drop fine silt.

Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are some of the most fertile land on Earth. Floods, though destructive, renew the soil of river plains. Ancient civilisations grew along rivers for this reason, from the Nile to the Indus.

Today, dams change how rivers move sediment, and many deltas are shrinking as a result. Engineers now try to release sediment through dams during floods. Some cities restore wetlands to slow the water and trap silt.`

// TestGenerateEndToEnd runs the real pipeline: the extractive writer,
// espeak-ng, mastering and the store, then checks the MP3 with ffprobe and
// ffmpeg's ebur128 loudness meter.
func TestGenerateEndToEnd(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	src := filepath.Join(t.TempDir(), "rivers.txt")
	if err := os.WriteFile(src, []byte(sourceText), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.mp3")
	stdout := c.must("", "generate", "--text", src, "--writer", "extractive", "--minutes", "1", "--template", "deep-dive", "--out", out, "--json")
	var res struct {
		Podcast store.Podcast `json:"podcast"`
		File    string        `json:"file"`
		Job     struct {
			State, Writer string
		} `json:"job"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	p := res.Podcast
	if res.Job.State != "done" || p.Writer != "extractive" || p.TTS != "espeak" || p.Duration < 20 {
		t.Fatalf("result: %+v", res)
	}
	if p.TemplateUsed == nil || *p.TemplateUsed != "deep-dive" || len(p.Speakers) != 2 {
		t.Fatalf("metadata: %+v", p)
	}
	copied, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(res.File)
	if err != nil || string(orig) != string(copied) {
		t.Fatalf("--out copy differs from the library file (%v)", err)
	}

	probe, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration,start_time:stream=sample_rate,channels,codec_name", "-of", "json", res.File).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var info struct {
		Format struct {
			Duration  string
			StartTime string `json:"start_time"`
		}
		Streams []struct {
			CodecName  string `json:"codec_name"`
			SampleRate string `json:"sample_rate"`
			Channels   int
		}
	}
	if err := json.Unmarshal(probe, &info); err != nil {
		t.Fatal(err)
	}
	// ffmpeg's duration counts whole MP3 frames from the stream start; the
	// start time is the encoder delay that the LAME tag tells it to skip.
	dur, _ := strconv.ParseFloat(info.Format.Duration, 64)
	start, _ := strconv.ParseFloat(info.Format.StartTime, 64)
	dur -= start
	if math.Abs(dur-p.Duration) > 0.05 {
		t.Fatalf("ffprobe duration %.3f s, metadata %.3f s", dur, p.Duration)
	}
	if len(info.Streams) != 1 || info.Streams[0].CodecName != "mp3" || info.Streams[0].Channels != 1 {
		t.Fatalf("streams: %+v", info.Streams)
	}

	lufs, peak := ebur128(t, res.File)
	if math.Abs(lufs+16) > 1 {
		t.Fatalf("integrated loudness %.1f LUFS, want -16 ± 1", lufs)
	}
	if peak > -1 {
		t.Fatalf("true peak %.2f dBTP, want ≤ -1", peak)
	}
}

func ebur128(t *testing.T, path string) (integrated, truePeak float64) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-nostats", "-i", path, "-filter_complex", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128: %v\n%s", err, out)
	}
	summary := string(out)
	if i := strings.LastIndex(summary, "Summary:"); i >= 0 {
		summary = summary[i:]
	}
	i := regexp.MustCompile(`I:\s+(-?[\d.]+) LUFS`).FindStringSubmatch(summary)
	pk := regexp.MustCompile(`True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`).FindStringSubmatch(summary)
	if i == nil || pk == nil {
		t.Fatalf("cannot read the ebur128 summary:\n%s", summary)
	}
	integrated, _ = strconv.ParseFloat(i[1], 64)
	truePeak, _ = strconv.ParseFloat(pk[1], 64)
	return integrated, truePeak
}

func TestGenerateRefusesBadInput(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := write("ok.txt", sourceText)
	c.run("", "generate", "--text", text).expect(t, exitFailure, "stderr", "no account yet")
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	c.must("secret-pass-2\n", "user", "add", "bob", "--password-stdin")

	cases := map[string]struct {
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		"no text":                      {[]string{"generate"}, "", exitUsage, "say what the podcast is about"},
		"out not mp3":                  {[]string{"generate", "--text", text, "--out", "x.wav"}, "", exitUsage, ".mp3"},
		"several accounts":             {[]string{"generate", "--text", text}, "", exitFailure, "--user"},
		"unknown account":              {[]string{"generate", "--text", text, "--user", "carol"}, "", exitFailure, "no account named"},
		"empty text":                   {[]string{"generate", "--text", write("empty.txt", " \n\t\n"), "--user", "alice"}, "", exitFailure, "empty"},
		"empty stdin":                  {[]string{"generate", "--text", "-", "--user", "alice"}, "", exitFailure, "empty"},
		"binary file":                  {[]string{"generate", "--text", write("bin.txt", "\x00\x01\xff\xfe"), "--user", "alice"}, "", exitFailure, "not UTF-8"},
		"missing file":                 {[]string{"generate", "--text", filepath.Join(dir, "nope.txt"), "--user", "alice"}, "", exitFailure, "no such file"},
		"unknown template":             {[]string{"generate", "--text", text, "--user", "alice", "--template", "nope"}, "", exitFailure, "template"},
		"unknown writer":               {[]string{"generate", "--text", text, "--user", "alice", "--writer", "gpt"}, "", exitFailure, "writer"},
		"unknown tts":                  {[]string{"generate", "--text", text, "--user", "alice", "--tts", "nope"}, "", exitFailure, "nope"},
		"length out of range":          {[]string{"generate", "--text", text, "--user", "alice", "--minutes", "900"}, "", exitFailure, "minutes"},
		"language espeak cannot speak": {[]string{"generate", "--text", text, "--user", "alice", "--writer", "extractive", "--language", "xx-unknown", "--minutes", "1"}, "", exitFailure, "xx-unknown"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c.run(tc.stdin, tc.args...).expect(t, tc.code, "stderr", tc.stderr)
		})
	}
	entries, err := os.ReadDir(c.paths().PodcastsDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("refused requests left files in the library: %v", entries)
	}
}

// TestGenerateFromSources makes one podcast from a Markdown file, a web page
// and a recording (through a Whisper ASR fake), with real espeak-ng.
func TestGenerateFromSources(t *testing.T) {
	c := newCLI(t)
	c.must("secret-pass-1\n", "user", "add", "alice", "--password-stdin")
	whisper := asrtest.NewWhisperASR(t, asrtest.Config{Text: "Glaciers carve valleys of their own, wider and deeper than any river."})
	if err := os.WriteFile(c.paths().ConfigFile(), []byte("whisper:\n  url: "+whisper.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><head><title>Deltas</title></head><body><nav>Home | About</nav><article><h1>Deltas</h1>
<p>Where a river meets the sea, it builds a delta from the sediment it has carried over many centuries.</p>
<p>Deltas are some of the most fertile land on Earth, and many of them are shrinking today.</p></article></body></html>`)
	}))
	defer page.Close()
	dir := t.TempDir()
	md := filepath.Join(dir, "rivers.md")
	os.WriteFile(md, []byte("# Rivers\n\nRivers **shape** the land they cross, carving [valleys](http://example.com) over thousands of years.\n\n```go\ncode()\n```\n"), 0o600)
	wav := filepath.Join(dir, "talk.wav")
	os.WriteFile(wav, asrtest.Speech(t, "Glaciers carve valleys."), 0o600)

	stdout := c.must("", "generate", "--file", md, "--url", page.URL, "--audio", wav, "--writer", "extractive", "--minutes", "1", "--json")
	var res struct{ Podcast store.Podcast }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	p, err := openStoreForTest(t, c).Podcasts().Get(res.Podcast.ID)
	if err != nil {
		t.Fatal(err)
	}
	src := *p.SourceText
	for _, want := range []string{"Rivers shape the land", "builds a delta", "Glaciers carve valleys"} {
		if !strings.Contains(src, want) {
			t.Errorf("source text lacks %q:\n%s", want, src)
		}
	}
	for _, unwanted := range []string{"**", "](", "code()", "Home | About"} {
		if strings.Contains(src, unwanted) {
			t.Errorf("source text kept markup %q", unwanted)
		}
	}
	if !p.FromRecording() {
		t.Fatal("the recording was not kept")
	}
	if _, err := os.Stat(wav); err != nil {
		t.Fatal("the user's own recording was removed")
	}
	if len(whisper.Requests()) != 1 {
		t.Fatalf("whisper got %d requests", len(whisper.Requests()))
	}
}

func openStoreForTest(t *testing.T, c *cli) *store.Store {
	t.Helper()
	st, err := store.Open(c.paths(), templates.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return st
}
