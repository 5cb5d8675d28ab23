package desktop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/library"
	"podcastfy/backend/store"
)

// sourceFiles writes one file of every sort the picker meets into dir.
func sourceFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	mp3, err := os.ReadFile(fixtureMP3)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"notes.md":        []byte("# Rivers\n\n" + sourceText),
		"page.html":       []byte("<html><body><p>" + sourceText + "</p></body></html>"),
		"talk.mp3":        mp3,
		"talk-as-txt.txt": mp3, // a recording with a document's name: its content wins
		"fake.mp3":        []byte("plain text pretending to be a recording"),
		"photo.png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0},
		"empty.txt":       nil,
	}
	out := map[string]string{"folder": filepath.Join(dir, "folder"), "missing.txt": filepath.Join(dir, "missing.txt"),
		"pipe.txt": filepath.Join(dir, "pipe.txt")}
	if err := os.Mkdir(out["folder"], 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(out["pipe.txt"], 0o600); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		out[name] = filepath.Join(dir, name)
		if err := os.WriteFile(out[name], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestInspectSource(t *testing.T) {
	f := sourceFiles(t)
	cases := map[string]struct {
		path     string
		wantKind string
		wantErr  string
	}{
		"markdown":                 {f["notes.md"], "file", ""},
		"html":                     {f["page.html"], "file", ""},
		"mp3":                      {f["talk.mp3"], "audio", ""},
		"mp3 named .txt":           {f["talk-as-txt.txt"], "audio", ""},
		"text named .mp3":          {f["fake.mp3"], "", "fake.mp3 is named like a recording"},
		"image":                    {f["photo.png"], "", "photo.png is not a document or recording"},
		"empty":                    {f["empty.txt"], "", "empty.txt is empty"},
		"folder":                   {f["folder"], "", "folder is not a file"},
		"named pipe (would block)": {f["pipe.txt"], "", "pipe.txt is not a file"},
		"missing":                  {f["missing.txt"], "", "missing.txt cannot be opened"},
		"relative":                 {"notes.md", "", "is not a file on this computer"},
		"nothing":                  {"", "", "is not a file on this computer"},
		"device (not a document)":  {"/dev/null", "", "null is not a file"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src, err := inspectSource(c.path)
			wantErr(t, err, c.wantErr)
			if err != nil {
				return
			}
			info, _ := os.Stat(c.path)
			if src.Kind != c.wantKind || src.Name != filepath.Base(c.path) || src.Size != info.Size() || src.Token != "" {
				t.Errorf("inspectSource = %+v, want kind %s, name %s, size %d, no token", src, c.wantKind, filepath.Base(c.path), info.Size())
			}
		})
	}
}

func TestPickFiles(t *testing.T) {
	e := newEnv(t)
	g := e.d.Generator
	f := sourceFiles(t)
	_, err := g.PickFiles(PickDocuments)
	notLoggedIn(t, "PickFiles", err)
	e.login(t, "ann", true)

	cases := map[string]struct {
		kind      string
		files     []string
		dialogErr error
		wantKinds []string
		wantErr   string
		wantGlob  string
	}{
		"documents":                   {PickDocuments, []string{f["notes.md"], f["page.html"]}, nil, []string{"file", "file"}, "", "*.txt;*.md;*.markdown;*.html;*.htm;*.pdf"},
		"a recording":                 {PickAudio, []string{f["talk.mp3"]}, nil, []string{"audio"}, "", "*.mp3;*.wav;*.m4a;*.ogg;*.flac;*.webm"},
		"a recording among documents": {PickDocuments, []string{f["talk.mp3"]}, nil, []string{"audio"}, "", "*.pdf"},
		"cancelled":                   {PickAudio, nil, nil, []string{}, "", "*.mp3"},
		"a document as audio":         {PickAudio, []string{f["notes.md"]}, nil, nil, "notes.md is not a recording", "*.mp3"},
		"an image":                    {PickDocuments, []string{f["photo.png"]}, nil, nil, "photo.png is not a document or recording", "*.md"},
		"the dialog fails":            {PickDocuments, nil, errors.New("no display"), nil, "the file dialog failed: no display", "*.md"},
		"an unknown kind":             {"videos", nil, nil, nil, `unknown kind of file "videos"`, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e.rt.answerFiles(c.files, c.dialogErr)
			before := len(e.rt.filters)
			got, err := g.PickFiles(c.kind)
			wantErr(t, err, c.wantErr)
			if c.wantGlob != "" {
				if len(e.rt.filters) != before+1 || !strings.Contains(e.rt.filters[before][0].Pattern, c.wantGlob) {
					t.Errorf("dialog filters = %+v, want a pattern with %s", e.rt.filters[before:], c.wantGlob)
				}
			} else if len(e.rt.filters) != before {
				t.Error("the dialog opened for an unknown kind")
			}
			if err != nil {
				return
			}
			if got == nil || len(got) != len(c.wantKinds) {
				t.Fatalf("PickFiles = %+v, want %d files", got, len(c.wantKinds))
			}
			for i, src := range got {
				if src.Kind != c.wantKinds[i] || src.Name != filepath.Base(c.files[i]) || len(src.Token) < 20 || strings.Contains(src.Token, "/") {
					t.Errorf("file %d = %+v, want kind %s and an opaque token", i, src, c.wantKinds[i])
				}
			}
		})
	}
}

func TestFilesDropped(t *testing.T) {
	e := newEnv(t)
	f := sourceFiles(t)
	dropped := func() []DroppedSources {
		var out []DroppedSources
		for _, ev := range e.rt.Events() {
			if ev.Name == events.SourcesDropped {
				out = append(out, ev.Data.(DroppedSources))
			}
		}
		return out
	}
	e.d.FilesDropped([]string{f["notes.md"]})
	if got := dropped(); len(got) != 0 {
		t.Fatalf("a drop without a login was announced: %+v", got)
	}
	e.login(t, "ann", true)
	e.d.FilesDropped(nil)
	if got := dropped(); len(got) != 0 {
		t.Fatalf("a drop without files was announced: %+v", got)
	}
	e.d.FilesDropped([]string{f["notes.md"], f["photo.png"], f["talk.mp3"], f["folder"]})
	got := dropped()
	if len(got) != 1 {
		t.Fatalf("sources:dropped events = %+v, want one", got)
	}
	d := got[0]
	if len(d.Sources) != 2 || d.Sources[0].Name != "notes.md" || d.Sources[0].Kind != "file" || d.Sources[1].Kind != "audio" {
		t.Errorf("dropped sources = %+v, want notes.md and talk.mp3", d.Sources)
	}
	if len(d.Problems) != 2 || !strings.Contains(d.Problems[0], "photo.png") || !strings.Contains(d.Problems[1], "folder") {
		t.Errorf("problems = %q, want photo.png and folder refused", d.Problems)
	}
	// A drop of too many files looks at the first ones only.
	e.d.FilesDropped(slices.Repeat([]string{f["notes.md"]}, core.MaxSources+5))
	if got = dropped(); len(got) != 2 || len(got[1].Sources) != core.MaxSources || len(got[1].Problems) != 1 ||
		!strings.Contains(got[1].Problems[0], "25 files were dropped; the first 20") {
		t.Errorf("a drop of 25 files = %d sources, problems %q", len(got[len(got)-1].Sources), got[len(got)-1].Problems)
	}
	// The dropped file's token makes a podcast; logging out forgets it.
	st, err := e.d.Generator.Start(GenerateRequest{Sources: []SourceRef{{Token: d.Sources[0].Token}}, Writer: "extractive", TTS: "espeak"})
	if err != nil {
		t.Fatalf("Start with a dropped file: %v", err)
	}
	e.rt.waitEvent(t, 2*time.Minute, "job end", jobEvent(st.ID, events.JobDone, events.JobFailed))
	if err := e.d.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, "bob", false)
	_, err = e.d.Generator.Start(GenerateRequest{Sources: []SourceRef{{Token: d.Sources[0].Token}}})
	wantErr(t, err, "a file this window no longer knows")
}

func TestPickedFilesBounded(t *testing.T) {
	var p pickedFiles
	first := p.add("u1", "/a", PickedSource{Name: "a"})
	var last PickedSource
	for range maxPicked {
		last = p.add("u1", "/b", PickedSource{Name: "b"})
	}
	if _, ok := p.get("u1", first.Token); ok {
		t.Error("the oldest file was kept beyond the bound")
	}
	if f, ok := p.get("u1", last.Token); !ok || f.path != "/b" {
		t.Errorf("the newest file = %+v, %v", f, ok)
	}
	if _, ok := p.get("u2", last.Token); ok {
		t.Error("another user resolved the token")
	}
	if len(p.files) != maxPicked || len(p.tokens) != maxPicked {
		t.Errorf("%d files, %d tokens kept, want %d", len(p.files), len(p.tokens), maxPicked)
	}
}

func TestStartSourceErrors(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	g := e.d.Generator
	other := g.picked.add("someone-else", "/tmp/x.md", PickedSource{Name: "x.md", Kind: "file"})
	many := make([]SourceRef, core.MaxSources+1)
	for i := range many {
		many[i] = SourceRef{URL: "https://example.org/"}
	}
	cases := map[string]struct {
		refs []SourceRef
		want string
	}{
		"unknown token":   {[]SourceRef{{Token: "nope"}}, "source 1 is a file this window no longer knows"},
		"another's token": {[]SourceRef{{Token: other.Token}}, "no longer knows"},
		"token and URL":   {[]SourceRef{{URL: "https://example.org/"}, {Token: other.Token, URL: "https://example.org/"}}, "source 2 names both"},
		"empty":           {[]SourceRef{{Token: " ", URL: ""}}, "source 1 is empty"},
		"file scheme":     {[]SourceRef{{URL: "file:///etc/passwd"}}, "use an http:// or https:// address"},
		"no host":         {[]SourceRef{{URL: "https:///path"}}, "names no host"},
		"not a URL":       {[]SourceRef{{URL: "http://[::1"}}, "is not a web address"},
		"too many":        {many, "at most 20"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := g.Start(GenerateRequest{Sources: c.refs})
			wantErr(t, err, c.want)
			wantRejection(t, err, "invalid_request", "sources")
		})
	}
	if jobs, _ := g.Jobs(); len(jobs) != 0 {
		t.Errorf("refused requests left jobs: %+v", jobs)
	}
}

// TestStartWithSources makes a podcast from a recording (transcribed by
// the Whisper fake, kept beside the podcast) and a web page on loopback,
// with no text of its own.
func TestStartWithSources(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	g := e.d.Generator
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><head><title>Deltas</title></head><body><nav>Home | About</nav><article><h1>Deltas</h1>
<p>A delta forms where a river meets the sea and drops the silt it carried. Deltas are among the most fertile lands on Earth.</p></article></body></html>`))
	}))
	defer page.Close()
	speech := filepath.Join(t.TempDir(), "interview.wav")
	if err := os.WriteFile(speech, asrtest.Speech(t, "Rivers shape the land they cross."), 0o600); err != nil {
		t.Fatal(err)
	}
	e.rt.answerFiles([]string{speech}, nil)
	picked, err := g.PickFiles(PickAudio)
	if err != nil || len(picked) != 1 || picked[0].Kind != "audio" {
		t.Fatalf("PickFiles = %+v, %v", picked, err)
	}
	st, err := g.Start(GenerateRequest{
		Sources: []SourceRef{{Token: picked[0].Token}, {URL: " " + page.URL + "/deltas "}},
		Writer:  "extractive", TTS: "espeak", Minutes: 0.5,
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	ev := e.rt.waitEvent(t, 2*time.Minute, "job end", jobEvent(st.ID, events.JobDone, events.JobFailed))
	if done := ev.Data.(core.Status); ev.Name != events.JobDone {
		t.Fatalf("job ended with %s: %+v", ev.Name, done)
	}
	if !e.rt.has(func(ev events.Event) bool {
		s, ok := ev.Data.(core.Status)
		return ok && s.ID == st.ID && s.State == core.Transcribing
	}) {
		t.Error("no transcribing stage was reported")
	}
	if reqs := e.whisper.Requests(); len(reqs) != 1 || !strings.HasPrefix(string(reqs[0].File), "RIFF") {
		t.Errorf("Whisper got %d requests, want the recording once", len(reqs))
	}
	d, err := e.d.Library.Get(ev.Data.(core.Status).PodcastID)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Podcast
	if !d.FromRecording {
		t.Error("the detail does not say the podcast was transcribed from a recording")
	}
	if _, err := e.d.Library.podcasts.MediaPath(p.ID, store.KindSource); err != nil {
		t.Errorf("the recording was not kept beside the podcast: %v", err)
	}
	if p.SourceText == nil || !strings.Contains(*p.SourceText, "Rayleigh") || !strings.Contains(*p.SourceText, "fertile") {
		t.Errorf("source text = %v, want the transcript and the page", p.SourceText)
	}
	if _, err := os.Stat(speech); err != nil {
		t.Errorf("the user's own recording was touched: %v", err)
	}
	// Export hands the original back beside the podcast's files.
	dir := t.TempDir()
	e.rt.answer(dir, nil)
	if _, err := e.d.Library.Export(p.ID); err != nil {
		t.Fatalf("Export: %v", err)
	}
	want, _ := os.ReadFile(speech)
	got, err := os.ReadFile(filepath.Join(dir, library.FileName(p.Title)+".original.wav"))
	if err != nil || string(got) != string(want) {
		t.Errorf("exported original: %v (same as the recording: %v)", err, string(got) == string(want))
	}
}
