package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"podcastfy/backend/core"
	"podcastfy/backend/store/process"
)

// espeakWAV is speech made by espeak-ng, as a recording to upload.
func espeakWAV(t *testing.T, text string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "speech.wav")
	if msg, err := exec.Command("espeak-ng", "-w", out, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// formPart is one part of an upload form: a field when file is "".
type formPart struct{ field, file, value string }

func multipartForm(parts ...formPart) (contentType string, body []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.file == "" {
			mw.WriteField(p.field, p.value)
			continue
		}
		fw, _ := mw.CreateFormFile(p.field, p.file)
		fw.Write([]byte(p.value))
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// settle waits for every job to end (and clean up after itself).
func (tt *tester) settle() {
	tt.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tt.jobs.Shutdown(ctx); err != nil {
		tt.t.Fatal(err)
	}
}

// uploadsLeft lists what is in the upload folder.
func (tt *tester) uploadsLeft() []string {
	entries, _ := os.ReadDir(uploadDir(tt.paths))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func (tt *tester) accept(r reply) jobAccepted {
	tt.t.Helper()
	var acc jobAccepted
	r.want(http.StatusAccepted).decode(&acc)
	return acc
}

func TestGenerateFromAudio(t *testing.T) {
	tt := newTester(t, testOptions{})
	wav := espeakWAV(t, "Rivers shape the land they cross.")
	ct, body := multipartForm(formPart{"title", "", "Talk"}, formPart{"minutes", "", "0.5"},
		formPart{"audio", `C:\Users\me\talk "one".wav`, string(wav)})
	acc := tt.accept(tt.do("POST", "/podcasts/generate/audio", tt.aliceTok, body, "Content-Type: "+ct))
	events, _ := tt.follow(acc.JobID, tt.aliceTok)
	last := events[len(events)-1]
	if last.name != "done" {
		t.Fatalf("job ended with %s: %+v", last.name, last.status)
	}
	transcribing := false
	for _, e := range events {
		transcribing = transcribing || e.status.State == core.Transcribing
	}
	if !transcribing {
		t.Errorf("no transcribing stage among %d events", len(events))
	}
	if got := tt.whisper.recordings(); len(got) != 1 || !bytes.Equal(got[0], wav) {
		t.Fatalf("Whisper received %d recordings, not the upload", len(got))
	}
	var p podcastJSON
	got := tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(200)
	got.decode(&p)
	var raw any
	got.decode(&raw)
	for _, problem := range checkSchema(tt.doc(), map[string]any{"$ref": "#/components/schemas/Podcast"}, raw, "Podcast") {
		t.Error(problem)
	}
	if p.Title != "Talk" || p.SourceText == nil || !strings.Contains(*p.SourceText, "Rivers shape the land") {
		t.Fatalf("podcast %q, source text %v", p.Title, p.SourceText)
	}
	if p.SourceAudioURL == nil || !strings.HasPrefix(*p.SourceAudioURL, "/podcasts/"+p.ID+"/source?") {
		t.Fatalf("sourceAudioUrl %v", p.SourceAudioURL)
	}
	// The signed URL works without a header; the bytes are the upload's.
	r := tt.do("GET", *p.SourceAudioURL, "", nil).want(200)
	if !bytes.Equal(r.body, wav) || r.header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("source: %d bytes of %s", len(r.body), r.header.Get("Content-Type"))
	}
	r = tt.do("GET", "/podcasts/"+p.ID+"/source", tt.aliceTok, nil, "Range: bytes=0-3").want(206)
	if string(r.body) != "RIFF" {
		t.Fatalf("range: %q", r.body)
	}
	// Bob cannot fetch Alice's recording, by token or by altering her URL.
	tt.do("GET", "/podcasts/"+p.ID+"/source", tt.bobTok, nil).want(404)
	tt.do("GET", "/podcasts/"+p.ID+"/source", "", nil).want(401)
	forged := strings.Replace(*p.SourceAudioURL, "u="+tt.alice.ID, "u="+tt.bob.ID, 1)
	tt.do("GET", forged, "", nil).want(401)
	// A podcast without a recording has no source.
	other := tt.addPodcast(tt.alice, "Typed", "text", 0)
	tt.do("GET", "/podcasts/"+other.ID+"/source", tt.aliceTok, nil).want(404)
	var typed podcastJSON
	tt.do("GET", "/podcasts/"+other.ID, tt.aliceTok, nil).want(200).decode(&typed)
	if typed.SourceAudioURL != nil {
		t.Fatalf("a typed podcast has sourceAudioUrl %q", *typed.SourceAudioURL)
	}
	tt.settle()
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("the finished job left uploads: %v", left)
	}
}

// textPDF is a one-page PDF with a text layer, as a phone might send.
func textPDF(t *testing.T, lines ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Times", "", 12)
	for _, l := range lines {
		p.CellFormat(0, 6, l, "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerateFromFiles(t *testing.T) {
	tt := newTester(t, testOptions{})
	pdf := textPDF(t, "Mountains rise where tectonic plates collide.", "Erosion wears them down again over millions of years.")
	ct, body := multipartForm(
		formPart{"file", "notes.md", "# Rivers\n\n" + sourceText + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"},
		formPart{"file", "scan from phone", string(pdf)},
		formPart{"file", "more", "Deltas are some of the most fertile land on Earth. Floods renew the soil of river plains."},
		formPart{"text", "", "Some words typed on the phone."},
		formPart{"writer", "", "extractive"}, formPart{"minutes", "", "0.5"})
	acc := tt.accept(tt.do("POST", "/podcasts/generate/files", tt.aliceTok, body, "Content-Type: "+ct))
	events, _ := tt.follow(acc.JobID, tt.aliceTok)
	if last := events[len(events)-1]; last.name != "done" {
		t.Fatalf("job ended with %s: %+v", last.name, last.status)
	}
	var p podcastJSON
	tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(200).decode(&p)
	text := *p.SourceText
	for _, want := range []string{"typed on the phone", "carves valleys", "Floods renew", "tectonic plates collide"} {
		if !strings.Contains(text, want) {
			t.Errorf("source text lacks %q: %s", want, clip(text))
		}
	}
	if strings.Contains(text, "|---|") || p.SourceAudioURL != nil {
		t.Errorf("markup in the text or a source recording: %s %v", clip(text), p.SourceAudioURL)
	}
	tt.settle()
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("the finished job left uploads: %v", left)
	}
}

func TestUploadBadRequests(t *testing.T) {
	tt := newTester(t, testOptions{settings: serverSettings(1)})
	wav := espeakWAV(t, "Hello.")
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
	good, body := multipartForm(formPart{"audio", "talk.wav", string(wav)})
	for name, c := range map[string]struct {
		route  string
		ct     string
		body   []byte
		parts  []formPart
		status int
		code   string
	}{
		"json":               {ct: "application/json", body: []byte(`{"text":"x"}`), status: 415, code: "unsupported_media_type"},
		"no boundary":        {ct: "multipart/form-data", body: body, status: 400, code: "bad_multipart"},
		"truncated":          {ct: good, body: body[:len(body)-20], status: 400, code: "bad_multipart"},
		"garbage":            {ct: "multipart/form-data; boundary=xyz", body: []byte("not a form at all"), status: 400, code: "bad_multipart"},
		"too large":          {parts: []formPart{{"audio", "a.wav", string(wav) + strings.Repeat("a", 3<<20)}}, status: 413, code: "too_large"},
		"missing audio":      {parts: []formPart{{"title", "", "x"}}, status: 400, code: "invalid_request:audio"},
		"only a document":    {parts: []formPart{{"file", "a.txt", sourceText}}, status: 400, code: "invalid_request:audio"},
		"no document":        {route: "files", parts: []formPart{{"text", "", sourceText}}, status: 400, code: "invalid_request:file"},
		"empty audio":        {parts: []formPart{{"audio", "a.wav", ""}}, status: 400, code: "empty_file"},
		"not audio":          {parts: []formPart{{"audio", "a.mp3", "just some text named like an MP3"}}, status: 415, code: "not_audio"},
		"image as audio":     {parts: []formPart{{"audio", "a.wav", png}}, status: 415, code: "not_audio"},
		"two recordings":     {parts: []formPart{{"audio", "a.wav", string(wav)}, {"audio", "b.wav", string(wav)}}, status: 400, code: "bad_multipart"},
		"binary document":    {route: "files", parts: []formPart{{"file", "a.txt", png}}, status: 415, code: "unsupported_file"},
		"empty document":     {route: "files", parts: []formPart{{"file", "a.txt", sourceText}, {"file", "b.txt", ""}}, status: 400, code: "empty_file"},
		"file url":           {parts: []formPart{{"audio", "a.wav", string(wav)}, {"url", "", "file:///etc/passwd"}}, status: 400, code: "invalid_request:sources"},
		"unknown field":      {parts: []formPart{{"audio", "a.wav", string(wav)}, {"owner", "", "bob"}}, status: 400, code: "unknown_field"},
		"bad minutes":        {parts: []formPart{{"audio", "a.wav", string(wav)}, {"minutes", "", "lots"}}, status: 400, code: "invalid_request:minutes"},
		"bad voices":         {parts: []formPart{{"audio", "a.wav", string(wav)}, {"voices", "", "[1]"}}, status: 400, code: "invalid_request:voices"},
		"minutes range":      {parts: []formPart{{"audio", "a.wav", string(wav)}, {"minutes", "", "9999"}}, status: 400, code: "invalid_request:minutes"},
		"unknown template":   {parts: []formPart{{"audio", "a.wav", string(wav)}, {"templateId", "", "nope"}}, status: 400, code: "invalid_request:template"},
		"too many documents": {route: "files", parts: manyFiles(core.MaxSources + 1), status: 400, code: "invalid_request:sources"},
	} {
		t.Run(name, func(t *testing.T) {
			ct, body := c.ct, c.body
			if c.parts != nil {
				ct, body = multipartForm(c.parts...)
			}
			route := "/podcasts/generate/audio"
			if c.route == "files" {
				route = "/podcasts/generate/files"
			}
			tt.with(t).do("POST", route, tt.aliceTok, body, "Content-Type: "+ct).want(c.status, c.code)
			if left := tt.uploadsLeft(); len(left) != 0 {
				t.Fatalf("a refused upload left %v", left)
			}
		})
	}
	tt.do("POST", "/podcasts/generate/audio", "", body, "Content-Type: "+good).want(401)
	var list jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Jobs) != 0 {
		t.Fatalf("refused uploads left jobs: %+v", list.Jobs)
	}
}

func manyFiles(n int) []formPart {
	parts := make([]formPart, n)
	for i := range parts {
		parts[i] = formPart{"file", fmt.Sprintf("%d.txt", i), sourceText}
	}
	return parts
}

// TestWhisperFailureFailsTheJob: a Whisper server that fails makes a
// failed job saying so, and the upload is removed.
func TestWhisperFailureFailsTheJob(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.whisper.fail(http.StatusInternalServerError)
	ct, body := multipartForm(formPart{"audio", "talk.wav", string(espeakWAV(t, "Hello there."))})
	acc := tt.accept(tt.do("POST", "/podcasts/generate/audio", tt.aliceTok, body, "Content-Type: "+ct))
	events, _ := tt.follow(acc.JobID, tt.aliceTok)
	last := events[len(events)-1]
	if last.name != "failed" || last.status.State != core.Failed || !strings.Contains(strings.ToLower(last.status.Error), "whisper") {
		t.Fatalf("job ended %s %s: %q", last.name, last.status.State, last.status.Error)
	}
	tt.do("GET", "/podcasts/"+acc.JobID, tt.aliceTok, nil).want(404)
	tt.settle()
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Fatalf("the failed job left uploads: %v", left)
	}
}

func TestGenerateTextSources(t *testing.T) {
	tt := newTester(t, testOptions{})
	long := "https://example.com/" + strings.Repeat("a", core.MaxURLBytes)
	many := make([]map[string]string, core.MaxSources+1)
	for i := range many {
		many[i] = map[string]string{"kind": "url", "url": fmt.Sprintf("https://example.com/%d", i)}
	}
	for name, c := range map[string]struct {
		body any
		code string
	}{
		"file scheme":      {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "file:///etc/passwd"}}}, "invalid_request:sources"},
		"ftp scheme":       {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "ftp://example.com/a"}}}, "invalid_request:sources"},
		"javascript":       {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "javascript:alert(1)"}}}, "invalid_request:sources"},
		"relative":         {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "/etc/passwd"}}}, "invalid_request:sources"},
		"no host":          {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "https:///x"}}}, "invalid_request:sources"},
		"empty url":        {map[string]any{"sources": []map[string]string{{"kind": "url"}}}, "invalid_request:sources"},
		"too long":         {map[string]any{"sources": []map[string]string{{"kind": "url", "url": long}}}, "invalid_request:sources"},
		"control char":     {map[string]any{"sources": []map[string]string{{"kind": "url", "url": "https://a.com/\nx"}}}, "invalid_request:sources"},
		"file kind":        {map[string]any{"sources": []map[string]string{{"kind": "file", "url": "/etc/passwd"}}}, "invalid_request:sources"},
		"audio kind":       {map[string]any{"sources": []map[string]string{{"kind": "audio"}}}, "invalid_request:sources"},
		"path field":       {`{"sources":[{"kind":"file","path":"/etc/passwd"}]}`, "unknown_field"},
		"too many":         {map[string]any{"sources": many}, "invalid_request:sources"},
		"no text, none":    {map[string]any{"sources": []map[string]string{}}, "invalid_request:text"},
		"sources not list": {`{"sources":"https://example.com"}`, "wrong_type:sources"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("POST", "/podcasts/generate/text", tt.aliceTok, c.body).want(400, c.code)
		})
	}

	// A page on this machine: the LAN may not make the server fetch it.
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><head><title>Secret</title></head><body><article><p>"+sourceText+"</p></article></body></html>")
	}))
	defer page.Close()
	// Refused before any job starts, at the sources.
	for _, u := range []string{page.URL + "/admin", "http://localhost:" + mustPort(t, page.URL) + "/admin"} {
		r := tt.do("POST", "/podcasts/generate/text", tt.aliceTok,
			map[string]any{"sources": []map[string]string{{"kind": "url", "url": u}}}).want(400, "invalid_request:sources")
		if body := string(r.body); !strings.Contains(body, "private") || !strings.Contains(body, `"code":"private_address"`) {
			t.Fatalf("%s: %s", u, body)
		}
	}
	var jobs jobList
	tt.do("GET", "/jobs", tt.aliceTok, nil).want(200).decode(&jobs)
	if len(jobs.Jobs) != 0 {
		t.Fatalf("%d jobs, want none", len(jobs.Jobs))
	}
}

func mustPort(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

func TestUploadKindAndName(t *testing.T) {
	for _, c := range []struct {
		field, name, head string
		kind, ext         string
		code              string
	}{
		{"audio", "a.wav", "RIFF\x24\x00\x00\x00WAVEfmt ", "audio", "wav", ""},
		{"audio", "a.ogg", "OggS\x00\x02", "audio", "ogg", ""},
		{"audio", "a.flac", "fLaC\x00\x00\x00\x22", "audio", "flac", ""},
		{"audio", "a.wav", "%PDF-1.4", "", "", "not_audio"},
		{"file", "a.wav", "RIFF\x24\x00\x00\x00WAVEfmt ", "audio", "wav", ""},
		{"file", "paper", "%PDF-1.7\n", "file", "pdf", ""},
		{"file", "paper.txt", "%PDF-1.7\n", "file", "pdf", ""},
		{"file", "notes.MD", "# Title", "file", "md", ""},
		{"file", "page.htm", "hello", "file", "html", ""},
		{"file", "page", "<!DOCTYPE html><html><body>x</body></html>", "file", "html", ""},
		{"file", "notes.exe", "plain words", "file", "txt", ""},
		{"file", "a.txt", "\x00\x01\x02\x03", "", "", "unsupported_file"},
		{"file", "a.docx", "PK\x03\x04\x14\x00\x06\x00", "", "", "unsupported_file"},
	} {
		kind, ext, err := uploadKind(c.field, c.name, c.name, []byte(c.head))
		if c.code != "" {
			if e, ok := err.(*Error); !ok || e.Code != c.code || !strings.Contains(e.Message, c.name) {
				t.Errorf("%s %q: %v, want %s naming the file", c.field, c.name, err, c.code)
			}
			continue
		}
		if err != nil || kind != c.kind || ext != c.ext {
			t.Errorf("%s %q: %s %s %v, want %s %s", c.field, c.name, kind, ext, err, c.kind, c.ext)
		}
	}
	for raw, want := range map[string]string{
		"talk.wav": "talk.wav", `C:\Users\me\talk.wav`: "talk.wav", "../../etc/passwd": "passwd", "": "document",
		"a\x00b\nc.txt": "abc.txt", "..": "document", "/": "document", "\xff\xfe.txt": ".txt",
		strings.Repeat("é", 300): strings.Repeat("é", maxNameRunes),
	} {
		if got := uploadName(raw, fieldFile); got != want {
			t.Errorf("uploadName(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := uploadName("", fieldAudio); got != "recording" {
		t.Errorf("unnamed recording: %q", got)
	}
}

// TestSourceMediaType: the source recording is served with its format's
// content type.
func TestSourceMediaType(t *testing.T) {
	for ext, want := range map[string]string{
		".mp3": "audio/mpeg", ".wav": "audio/wav", ".m4a": "audio/mp4", ".OGG": "audio/ogg",
		".flac": "audio/flac", ".webm": "audio/webm", ".bin": "application/octet-stream",
	} {
		if got := mediaSource.contentTypeOf("/x/id.source" + ext); got != want {
			t.Errorf("%s: %s, want %s", ext, got, want)
		}
	}
	if got := mediaAudio.contentTypeOf("/x/id.mp3"); got != "audio/mpeg" {
		t.Errorf("audio: %s", got)
	}
}

// BenchmarkUpload measures how fast an upload streams to its folder (a
// 16 MB WAV-headed file through the multipart reader to disk).
func BenchmarkUpload(b *testing.B) {
	data := make([]byte, 16<<20)
	copy(data, "RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data")
	ct, body := multipartForm(formPart{"audio", "big.wav", string(data)})
	s := &server{Deps: Deps{UploadDir: b.TempDir()}, maxUpload: 64 << 20}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		req := httptest.NewRequest("POST", "/podcasts/generate/audio", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		form, err := s.readUploadForm(httptest.NewRecorder(), req, nil)
		if err != nil || len(form.sources) != 1 {
			b.Fatalf("%v, %d sources", err, len(form.sources))
		}
		form.remove()
	}
}

// TestStaleUploadsRemoved: an upload a crash cut short is removed when the
// server starts: at once when the process receiving it has ended, after
// staleIncoming when the folder names no process. Uploads a live process
// is receiving, and those owned by jobs, stay.
func TestStaleUploadsRemoved(t *testing.T) {
	dir := t.TempDir()
	procs := filepath.Join(t.TempDir(), "processes")
	self, err := process.Claim(procs)
	if err != nil {
		t.Fatal(err)
	}
	live, err := process.Claim(procs) // another server on the same folders
	if err != nil {
		t.Fatal(err)
	}
	ended, err := process.Claim(procs)
	if err != nil {
		t.Fatal(err)
	}
	ended.Release()
	old := time.Now().Add(-48 * time.Hour)
	names := map[string]bool{ // name → old
		"incoming-1": true, "incoming-2": false, "job-3": true,
		"incoming-" + live.ID() + "-4": true, "incoming-" + ended.ID() + "-5": false,
	}
	for name, isOld := range names {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o700); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name, "1.wav"), []byte("RIFF"), 0o600)
		if isOld {
			os.Chtimes(filepath.Join(dir, name), old, old)
		}
	}
	NewServer(Deps{UploadDir: dir, Process: self})
	entries, _ := os.ReadDir(dir)
	// What this server receives carries its id, for the next start-up.
	s := &server{Deps: Deps{UploadDir: dir, Process: self}}
	if mine, err := s.newUploadDir(); err != nil || !strings.HasPrefix(filepath.Base(mine), "incoming-"+self.ID()+"-") {
		t.Fatalf("a new upload folder is %s (%v), not marked with the server's process", mine, err)
	} else {
		os.Remove(mine)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	slices.Sort(left)
	want := []string{"incoming-" + live.ID() + "-4", "incoming-2", "job-3"}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Fatalf("left %v, want %s: the recent upload, the live process's and the job's", left, want)
	}
}
