package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"podcastfy/backend/apperr"

	"podcastfy/backend/app"
	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

func runGenerate(e *env, args []string) int {
	f := newFlags("generate", "[flags] FILE|URL|-...",
		`Makes a podcast from texts, documents (Markdown, HTML, PDF), web pages or
recordings (transcribed by the Whisper server in the settings), and adds it
to the library of the given user. Each FILE's kind is read from its content;
a URL is an http or https page; - is text on stdin. For example:

  podcastfy generate notes.md paper.pdf
  podcastfy generate --template brief https://example.org/article
  echo "Rivers shape the land." | podcastfy generate -

The podcast goes to the library of the given user
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
	dryRun := f.Bool("dry-run", false, "check the request (servers, voices, length) and say what would run, without starting")
	positional, code, ok := f.parse(e, args, 0, -1)
	if !ok {
		return code
	}
	var sources []core.Source
	for _, arg := range positional {
		switch {
		case arg == "-":
			if *textFile != "" && *textFile != "-" {
				return f.usageError(e, "stdin (-) and --text "+*textFile+" both give the text; give one")
			}
			*textFile = "-"
		case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
			urls = append(urls, arg)
		default:
			// Read as ingest reads an upload: the kind comes from the content.
			files = append(files, arg)
		}
	}
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
		return f.usageErrorHint(e, "say what the podcast is about: files, web pages or - for stdin",
			"For example: podcastfy generate notes.md paper.pdf")
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
	// From here on the log goes through the progress printer, which keeps
	// warnings off the progress bar.
	progress := newProgressPrinter(e.stderr, !*asJSON && isTerminal(e.stderr), !*asJSON)
	e.log = slog.New(progress.logHandler(e.level))
	d, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	owner, err := pickOwner(d, *user)
	if err != nil {
		return e.fail(err)
	}

	gen, err := d.Generation(progress)
	if err != nil {
		return e.fail(err)
	}
	req := core.Request{
		Owner: owner.ID, Text: text, Title: *title, TemplateID: *tpl, Minutes: *minutes,
		Language: *language, Focus: *focus, Writer: *writer, TTS: *provider, Sources: sources,
	}
	// The same checks as the start, said before it: what will differ from
	// what was asked, and what would make the job fail.
	plan, err := gen.Jobs.Preflight(e.ctx, req)
	if err != nil {
		return e.fail(withTemplateHint(d, err, *tpl))
	}
	if *dryRun {
		printPlan(e.stdout, plan)
		if plan.Refused() {
			return exitFailure
		}
		return exitOK
	}
	hint := ""
	if plan.Refused() && *tpl != "" && slices.ContainsFunc(plan.Problems, func(p core.Problem) bool { return p.Field == core.FieldTemplate }) {
		hint = templateHint(d, *tpl)
	}
	if refusePlan(e.stderr, plan, hint) {
		return exitFailure
	}
	printPlanWarnings(e.stderr, plan)
	st, err := gen.Jobs.Start(e.ctx, req)
	if err != nil {
		return e.fail(withTemplateHint(d, err, *tpl))
	}
	st, err = gen.Jobs.Wait(e.ctx, st.ID)
	if err == nil && e.ctx.Err() != nil {
		st, err = gen.Jobs.Cancel(context.WithoutCancel(e.ctx), "", st.ID)
		if errors.Is(err, core.ErrJobFinished) {
			err = nil
		}
	}
	progress.finish()
	if progress.enabled && st.Warning != "" {
		// Shown as it came (the offline writer's note comes first); again
		// here, where it is read after the bar.
		progress.summary(st.Warning)
	}
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

// withTemplateHint adds the template probably meant to an error about the
// template asked for.
func withTemplateHint(d *app.App, err error, asked string) error {
	var ae *apperr.Error
	if asked == "" || !errors.As(err, &ae) || ae.Field != core.FieldTemplate {
		return err
	}
	return fmt.Errorf("%w\n%s", err, templateHint(d, asked))
}

// templateHint names the template probably meant, or where to see them.
func templateHint(d *app.App, asked string) string {
	list, _ := d.Store.Templates().List()
	var ids []string
	for _, t := range list {
		ids = append(ids, t.ID)
	}
	if hint := didYouMean(asked, ids, "--template %s"); hint != "" {
		return hint
	}
	return "See the templates with: podcastfy templates list"
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
