package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"podcastfy/backend/app"
	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// maxScriptFileBytes bounds a script file given to apply.
const maxScriptFileBytes = 16 << 20

func runScript(e *env, args []string) int {
	return runGroup(e, "script", "Edit a podcast's script and voice again only what changed.", []subcommand{
		{"export", "ID [-o FILE] [--user NAME]", "write the script as YAML to edit", runScriptExport},
		{"apply", "ID FILE [--user NAME]", "make an edited script the podcast's next version", runScriptApply},
	}, args)
}

// scriptOwner is the account the command acts for: --user, else the
// podcast's owner (whoever runs the command can read the library's files
// anyway; the LAN API is where ownership keeps users apart).
func scriptOwner(d *app.App, user, id string) (string, error) {
	if user != "" {
		u, err := pickOwner(d, user)
		return u.ID, err
	}
	p, err := d.Store.Podcasts().Get(id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		return "", fmt.Errorf("no podcast %q", id)
	}
	return p.Owner, err
}

func runScriptExport(e *env, args []string) int {
	f := newFlags("script export", "ID [-o FILE] [--user NAME]",
		`Writes a podcast's current script as YAML, with comments saying what may
change: titles, lines and their speakers, and each speaker's voice and speed.
Apply the edited file with podcastfy script apply ID FILE.`)
	out := f.String("o", "", "write to `FILE` instead of stdout")
	user := f.String("user", "", "the account `NAME` that owns the podcast (default: its owner)")
	pos, code, ok := f.parse(e, args, 1, 1)
	if !ok {
		return code
	}
	d, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	gen, err := d.Generation(nil)
	if err != nil {
		return e.fail(err)
	}
	owner, err := scriptOwner(d, *user, pos[0])
	if err != nil {
		return e.fail(err)
	}
	doc, err := gen.Studio.Script(e.ctx, owner, pos[0])
	if err != nil {
		return e.fail(err)
	}
	data, err := encodeScriptYAML(doc)
	if err != nil {
		return e.fail(err)
	}
	if *out == "" {
		if _, err := e.stdout.Write(data); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if err := store.WriteFileAtomic(*out, data, 0o600); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stderr, "wrote the script of %q (version %d) to %s\n", doc.Title, doc.Version, *out)
	return exitOK
}

func runScriptApply(e *env, args []string) int {
	f := newFlags("script apply", "ID FILE [--user NAME]",
		`Checks an edited script (from podcastfy script export) and makes it the
podcast's next version: only lines whose text, speaker, voice or speed
changed are voiced again, the rest is reused; then the MP3, transcripts
and chapters are made anew. A problem is reported at its line in FILE.`)
	user := f.String("user", "", "the account `NAME` that owns the podcast (default: its owner)")
	pos, code, ok := f.parse(e, args, 2, 2)
	if !ok {
		return code
	}
	id, name := pos[0], pos[1]
	file, err := readScriptFile(name)
	if err != nil {
		return e.fail(fmt.Errorf("%s: %w", name, err))
	}
	progress := newProgressPrinter(e.stderr, isTerminal(e.stderr), true)
	e.log = slog.New(progress.logHandler(e.level))
	d, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	gen, err := d.Generation(progress)
	if err != nil {
		return e.fail(err)
	}
	owner, err := scriptOwner(d, *user, id)
	if err != nil {
		return e.fail(err)
	}
	if file.doc.PodcastID != "" && file.doc.PodcastID != id {
		return e.fail(fmt.Errorf("%s:%d: this is the script of podcast %s, not %s", name, file.lineOf("podcastId"), file.doc.PodcastID, id))
	}
	st, err := gen.Studio.Save(e.ctx, owner, id, file.doc.ETag, file.doc)
	if err != nil {
		return e.fail(atLine(name, file, err))
	}
	st, err = gen.Jobs.Wait(e.ctx, st.ID)
	if err == nil && e.ctx.Err() != nil {
		st, err = gen.Jobs.Cancel(context.WithoutCancel(e.ctx), "", st.ID)
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
		return e.fail(fmt.Errorf("the re-voice was %s; the podcast is as it was", st.State))
	}
	p, err := d.Store.Podcasts().Get(id)
	if err != nil {
		return e.fail(err)
	}
	path, err := d.Store.Podcasts().MediaPath(id, store.KindAudio)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "%q is now version %d: %d segments reused, %d synthesised; %s, %d lines\n%s\n",
		p.Title, p.CurrentVersion(), st.SegmentsReused, st.SegmentsSynthesised, clock(p.Duration), p.Lines, path)
	return exitOK
}

func readScriptFile(name string) (scriptFile, error) {
	fh, err := os.Open(name)
	if err != nil {
		return scriptFile{}, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxScriptFileBytes+1))
	if err != nil {
		return scriptFile{}, err
	}
	if len(data) > maxScriptFileBytes {
		return scriptFile{}, fmt.Errorf("larger than %d MB; a script is far smaller", maxScriptFileBytes>>20)
	}
	return decodeScriptYAML(data)
}

// atLine places the studio's refusal at its line of the file.
func atLine(name string, f scriptFile, err error) error {
	ae := apperr.From(err)
	if ae.Field == "" {
		return err
	}
	if line := f.lineOf(ae.Field); line > 0 {
		return fmt.Errorf("%s:%d: %s", name, line, ae.Message)
	}
	return fmt.Errorf("%s: %s", name, ae.Message)
}
