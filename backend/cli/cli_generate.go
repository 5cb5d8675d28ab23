package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"podcastfy/backend/app"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/store"
)

func runGenerate(e *env, args []string) int {
	f := newFlags("generate", "(--text FILE|- | --file FILE | --url URL | --audio FILE)... [flags]",
		`Makes a podcast from a text, documents (Markdown, HTML, PDF), web pages or
recordings (transcribed by the Whisper server in the settings), and adds it
to the library of the given user
(--user, or the only account). The script is written by Ollama when it is
reachable, otherwise by the offline extractive writer; the lines are spoken
by the TTS provider from the settings (espeak-ng by default), then mastered
to -16 LUFS as MP3 with chapters and a timestamped transcript.`)
	textFile := f.String("text", "", "read the source text from `FILE` (- for stdin)")
	var files, urls, audios repeated
	f.Var(&files, "file", "a document `FILE` to read: .txt, .md, .html or .pdf (repeatable)")
	f.Var(&urls, "url", "a web page `URL` to read, http or https (repeatable)")
	f.Var(&audios, "audio", "a recording `FILE` to transcribe: mp3, wav, m4a, ogg, flac or webm (repeatable)")
	tpl := f.String("template", "", "template `ID` (see podcastfy templates list)")
	minutes := f.Float64("minutes", 0, "target length in `MINUTES` (default: the template's)")
	title := f.String("title", "", "the podcast's `TITLE` (default: the writer's)")
	language := f.String("language", "", "language `CODE`, e.g. en (default: the template's)")
	focus := f.String("focus", "", "focus `INSTRUCTIONS` for the writer")
	writer := f.String("writer", "", "script `WRITER`: auto, ollama or extractive (default: settings)")
	provider := f.String("tts", "", "TTS `PROVIDER`: espeak, openai, kyutai or piper (default: settings)")
	out := f.String("out", "", "also copy the MP3 to `FILE.mp3`")
	user := f.String("user", "", "the account `NAME` that owns the podcast (default: the only account)")
	asJSON := f.Bool("json", false, "print the result as JSON, without progress")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	var sources []core.Source
	for _, p := range files {
		sources = append(sources, core.Source{Kind: "file", Name: filepath.Base(p), Path: p})
	}
	for _, u := range urls {
		sources = append(sources, core.Source{Kind: "url", URL: u})
	}
	for _, p := range audios {
		sources = append(sources, core.Source{Kind: "audio", Name: filepath.Base(p), Path: p})
	}
	if *textFile == "" && len(sources) == 0 {
		return f.usageError(e, "say what the podcast is about: --text, --file, --url or --audio")
	}
	for _, src := range sources {
		if src.Path == "" {
			continue
		}
		if fi, err := os.Stat(src.Path); err != nil {
			return e.fail(err)
		} else if !fi.Mode().IsRegular() {
			return e.fail(fmt.Errorf("%s is not a file", src.Path))
		}
	}
	if *out != "" && !strings.HasSuffix(strings.ToLower(*out), ".mp3") {
		return f.usageError(e, "--out must name an .mp3 file")
	}
	var text string
	if *textFile != "" {
		var err error
		if text, err = readSource(e, *textFile); err != nil {
			return e.fail(err)
		}
		if strings.TrimSpace(text) == "" && len(sources) == 0 {
			return e.fail(fmt.Errorf("%s is empty", *textFile))
		}
	}
	d, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	owner, err := pickOwner(d, *user)
	if err != nil {
		return e.fail(err)
	}

	progress := newProgressPrinter(e.stderr, !*asJSON && isTerminal(e.stderr), !*asJSON)
	gen, err := d.Generation(progress)
	if err != nil {
		return e.fail(err)
	}
	st, err := gen.Jobs.Start(core.Request{
		Owner: owner.ID, Text: text, Title: *title, TemplateID: *tpl, Minutes: *minutes,
		Language: *language, Focus: *focus, Writer: *writer, TTS: *provider, Sources: sources,
	})
	if err != nil {
		return e.fail(err)
	}
	st, err = gen.Jobs.Wait(e.ctx, st.ID)
	if err == nil && e.ctx.Err() != nil {
		st, err = gen.Jobs.Cancel("", st.ID)
		if errors.Is(err, core.ErrJobFinished) {
			err = nil
		}
	}
	progress.finish()
	if err != nil {
		return e.fail(err)
	}
	if st.State != core.Done {
		if st.Error != "" {
			return e.fail(errors.New(st.Error))
		}
		return e.fail(fmt.Errorf("generation %s", st.State))
	}
	p, err := d.Store.Podcasts().Get(st.PodcastID)
	if err != nil {
		return e.fail(err)
	}
	audioPath, err := d.Store.Podcasts().MediaPath(p.ID, "audio")
	if err != nil {
		return e.fail(err)
	}
	if *out != "" {
		if err := copyFileAtomic(audioPath, *out); err != nil {
			return e.fail(err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Podcast store.Podcast `json:"podcast"`
			Job     core.Status   `json:"job"`
			File    string        `json:"file"`
		}{p, st, audioPath}); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if st.Warning != "" {
		fmt.Fprintf(e.stderr, "note: %s\n", st.Warning)
	}
	fmt.Fprintf(e.stdout, "%q: %s, %d lines, %d chapters; script by the %s writer, voices by %s\n%s\n",
		p.Title, clock(p.Duration), p.Lines, len(p.Chapters), p.Writer, p.TTS, audioPath)
	if *out != "" {
		fmt.Fprintf(e.stdout, "copied to %s\n", *out)
	}
	return exitOK
}

// readSource reads the text from a file or stdin ("-"), refusing binary data.
func readSource(e *env, name string) (string, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, core.DefaultMaxTextBytes+1))
	if err != nil {
		return "", err
	}
	if len(data) > core.DefaultMaxTextBytes {
		return "", fmt.Errorf("%s is larger than %d MB", name, core.DefaultMaxTextBytes>>20)
	}
	if strings.ContainsRune(string(data), 0) || !isUTF8(data) {
		return "", fmt.Errorf("%s is not UTF-8 text", name)
	}
	return string(data), nil
}

// pickOwner finds the account named, or the only one.
func pickOwner(d *app.App, name string) (store.User, error) {
	if name != "" {
		u, err := d.Store.Users().ByUsername(name)
		if errors.Is(err, store.ErrNotFound) {
			return u, fmt.Errorf("no account named %q (see podcastfy user list)", name)
		}
		return u, err
	}
	users, err := d.Store.Users().List()
	if err != nil {
		return store.User{}, err
	}
	switch len(users) {
	case 0:
		return store.User{}, errors.New("there is no account yet: create one with podcastfy user add NAME")
	case 1:
		return users[0], nil
	}
	return store.User{}, errors.New("there are several accounts: say whose library gets the podcast with --user NAME")
}

// copyFileAtomic streams src to dst through a temporary file beside dst, so
// dst is either its old self or the whole copy.
func copyFileAtomic(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, in); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func isUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// clock formats seconds as m:ss or h:mm:ss.
func clock(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// progressPrinter renders job events: a redrawn bar on a terminal, one line
// per stage otherwise, nothing in --json mode.
type progressPrinter struct {
	w       io.Writer
	bar     bool
	enabled bool

	mu        sync.Mutex
	lastStage string
	drawn     bool
}

var _ events.Emitter = (*progressPrinter)(nil)

func newProgressPrinter(w io.Writer, bar, enabled bool) *progressPrinter {
	return &progressPrinter{w: w, bar: bar, enabled: enabled}
}

func (p *progressPrinter) Emit(name string, data any) {
	st, ok := data.(core.Status)
	if !ok || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar {
		const width = 28
		filled := int(st.Progress * width)
		bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
		eta := ""
		if st.ETA > 0 {
			eta = "  ETA " + clock(st.ETA)
		}
		fmt.Fprintf(p.w, "\r\033[K%s %3.0f%%  %s%s", bar, st.Progress*100, st.Stage, eta)
		p.drawn = true
		return
	}
	// Without a terminal, print each stage once (not every line's progress).
	stage := string(st.State)
	if st.State == core.Writing {
		stage = st.Stage
	}
	if stage != p.lastStage {
		p.lastStage = stage
		fmt.Fprintf(p.w, "%s: %s\n", st.State, st.Stage)
	}
}

func (p *progressPrinter) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ", ") }

func (r *repeated) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty value")
	}
	*r = append(*r, v)
	return nil
}
