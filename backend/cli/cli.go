// Package cli is podcastfy's command line: it parses the arguments, opens
// the services a command needs through backend/app and runs one command
// (or, with no command, the desktop window). It holds no business logic.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"

	"podcastfy/backend/app"
	"podcastfy/backend/auth"
	"podcastfy/backend/desktop"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // the command line was wrong
)

// Program is what the binary brings to the command line: its version and
// what it embeds, and the window, which only the root package can open
// (it holds the Wails options and the embedded frontend).
type Program struct {
	// Version is the version this binary was built as (git describe).
	Version string
	// UI is the built frontend (frontend/dist), served by the LAN server.
	UI fs.FS
	// Window opens the desktop window over desk, whose events and dialogs
	// go through rt (nil when only the bindings are generated), and blocks
	// until it is closed.
	Window func(log *slog.Logger, desk *desktop.Desktop, rt *desktop.WailsRuntime) error
	// BindingsOnly is set when Wails runs the binary only to collect the
	// bound types: the window gets facades without services.
	BindingsOnly bool
}

// env is what every command receives: the program, the process's context,
// environment and streams, and the logger.
type env struct {
	prog   Program
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	level  slog.Level // the log's
	opened []*app.App // settled when the command returns (see settle)
}

// command is one top-level subcommand (or group of subcommands, such as
// "user"); each lives in its own cli_<name>.go file.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"user", "manage accounts for the LAN API (add, list, passwd, delete)", runUser},
		{"generate", "make a podcast from a text", runGenerate},
		{"script", "export a podcast's script to edit, apply the edit (re-voices what changed)", runScript},
		{"serve", "start the LAN HTTP API (reference at /docs)", runServe},
		{"templates", "list, show and validate podcast templates", runTemplates},
		{"paths", "print where podcastfy keeps its files", runPaths},
		{"version", "print the version", runVersion},
	}
}

// Run is the real main: it parses args (os.Args, program name first),
// runs one command and returns the process exit code. Everything it touches
// comes in through its parameters, so tests call it directly.
func Run(ctx context.Context, prog Program, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		args = args[1:]
	}
	fs := flag.NewFlagSet("podcastfy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.Bool("verbose", false, "log debug messages to stderr (or set PODCASTFY_LOG=debug)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printMainUsage(stdout, fs)
			return exitOK
		}
		return usageError(stderr, "podcastfy", err.Error(), flagHint(fs, err), "podcastfy help")
	}
	if *showVersion {
		fmt.Fprintln(stdout, versionString(prog.Version))
		return exitOK
	}

	rest := fs.Args()
	level, err := logLevel(*verbose, getenv("PODCASTFY_LOG"), len(rest) == 0)
	if err != nil {
		return usageError(stderr, "podcastfy", err.Error(), "", "podcastfy help")
	}
	e := &env{
		prog:   prog,
		ctx:    ctx,
		getenv: getenv,
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
		log:    slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		level:  level,
	}
	defer e.settle()

	if len(rest) == 0 {
		return runDesktopWindow(e)
	}
	name, cmdArgs := rest[0], rest[1:]
	if name == "help" {
		return runHelp(e, fs, cmdArgs)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(e, cmdArgs)
		}
	}
	return usageError(stderr, "podcastfy", fmt.Sprintf("unknown command %q", name), commandHint(name), "podcastfy help")
}

// commandHint suggests the command meant by name: a near spelling, or
// generate for what looks like a file to make a podcast from.
func commandHint(name string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if hint := didYouMean(name, append(names, "help"), "'podcastfy %s'"); hint != "" {
		return hint
	}
	if strings.ContainsAny(name, "./") || name == "-" {
		return "To make a podcast from it: podcastfy generate " + name
	}
	return ""
}

// runDesktopWindow opens the window. Everything the window works with is
// opened first, so a damaged config.yaml or users.json stops the start with
// a message naming the file instead of surfacing later in the window.
func runDesktopWindow(e *env) int {
	if e.prog.BindingsOnly && e.prog.Window != nil {
		if err := e.prog.Window(e.log, desktop.TypesOnly(), nil); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	a, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	if e.prog.Window == nil {
		return e.fail(errors.New("this build has no desktop window; run a subcommand such as `podcastfy version`"))
	}
	if err := checkDisplay(e.getenv); err != nil {
		return e.fail(err)
	}
	rt := &desktop.WailsRuntime{}
	desk, err := a.Desktop(rt)
	if err != nil {
		return e.fail(err)
	}
	if err := e.prog.Window(e.log, desk, rt); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// options are what the app is opened with.
func (e *env) options() app.Options {
	return app.Options{Getenv: e.getenv, Log: e.log, Version: e.prog.Version, UI: e.prog.UI}
}

// open opens the store and the accounts (app.Open).
func (e *env) open() (*app.App, error) { return e.keep(app.Open(e.options())) }

// openAuth is open for commands that need only accounts.
func (e *env) openAuth() (*auth.Service, error) {
	a, err := e.open()
	if err != nil {
		return nil, err
	}
	return a.Auth, nil
}

// openStore opens the store only (app.OpenStore).
func (e *env) openStore() (*app.App, error) { return e.keep(app.OpenStore(e.options())) }

// keep remembers an opened app so that settle can wait for it.
func (e *env) keep(a *app.App, err error) (*app.App, error) {
	if err == nil {
		e.opened = append(e.opened, a)
	}
	return a, err
}

// settle waits for the background work of the stores the command opened,
// so that a command returns only when nothing of it still runs or writes
// to its output (a test reading stderr, or a second command on the same
// folder, would otherwise race with the index build).
func (e *env) settle() {
	for _, a := range e.opened {
		a.Store.Settle()
	}
}

// logLevel picks the log level: quiet (warnings) for commands, info for the
// desktop window, debug with --verbose; PODCASTFY_LOG overrides the default.
func logLevel(verbose bool, fromEnv string, desktop bool) (slog.Level, error) {
	if verbose {
		return slog.LevelDebug, nil
	}
	if fromEnv != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(fromEnv)); err != nil {
			return 0, fmt.Errorf("PODCASTFY_LOG=%q: want debug, info, warn or error", fromEnv)
		}
		return l, nil
	}
	if desktop {
		return slog.LevelInfo, nil
	}
	return slog.LevelWarn, nil
}

func printMainUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `podcastfy turns text, documents and recordings into multi-voice podcasts.

Usage:
  podcastfy [--verbose]            open the desktop window
  podcastfy [--verbose] COMMAND [ARGS]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help       show help for a command: podcastfy help COMMAND

Flags:
`)
	printFlags(w, fs)
	fmt.Fprint(w, `
Environment:
  PODCASTFY_HOME         keep every file under this one folder (portable mode)
  XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME, XDG_CACHE_HOME
                         where the files go otherwise (see podcastfy paths)
  PODCASTFY_LOG          log level: debug, info, warn (default) or error
  PODCASTFY_BCRYPT_COST  bcrypt work factor for new passwords (default 12)

Exit status: 0 success, 1 failure, 2 wrong usage.
`)
}

// runHelp prints the main usage, or a command's usage ("help user").
func runHelp(e *env, fs *flag.FlagSet, args []string) int {
	if len(args) == 0 {
		printMainUsage(e.stdout, fs)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, append(args[1:], "--help"))
		}
	}
	return usageError(e.stderr, "podcastfy", fmt.Sprintf("unknown command %q", args[0]), commandHint(args[0]), "podcastfy help")
}

// usageError reports a wrong command line in at most three lines (what is
// wrong, a hint when there is one, where to read more) and returns
// exitUsage. The full usage is one --help away, not in the way.
func usageError(w io.Writer, who, msg, hint, helpCmd string) int {
	fmt.Fprintf(w, "%s: %s\n", who, msg)
	if hint != "" {
		fmt.Fprintln(w, hint)
	}
	fmt.Fprintf(w, "Run '%s' for usage.\n", helpCmd)
	return exitUsage
}

// fail reports a failed command and returns exitFailure.
func (e *env) fail(err error) int {
	fmt.Fprintf(e.stderr, "podcastfy: %v\n", err)
	return exitFailure
}

// subcommand is one verb of a command group ("user add").
type subcommand struct {
	name     string
	synopsis string // arguments after the name, e.g. "NAME [--admin]"
	summary  string
	run      func(e *env, args []string) int
}

// runGroup dispatches a command group such as "user" to its subcommand.
func runGroup(e *env, group, summary string, subs []subcommand, args []string) int {
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\nUsage:\n", summary)
		for _, s := range subs {
			fmt.Fprintf(w, "  podcastfy %s %s %s\n      %s\n", group, s.name, s.synopsis, s.summary)
		}
		fmt.Fprintf(w, "\nRun 'podcastfy %s SUBCOMMAND --help' for details.\n", group)
	}
	var names []string
	for _, s := range subs {
		names = append(names, s.name)
	}
	if len(args) == 0 {
		return usageError(e.stderr, "podcastfy "+group, "missing subcommand",
			"Subcommands: "+strings.Join(names, ", ")+".", "podcastfy "+group+" --help")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printUsage(e.stdout)
		return exitOK
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(e, args[1:])
		}
	}
	return usageError(e.stderr, "podcastfy "+group, fmt.Sprintf("unknown subcommand %q", args[0]),
		didYouMean(args[0], names, "'podcastfy "+group+" %s'"), "podcastfy "+group+" --help")
}

// flags is a subcommand's flag set with its usage text.
type flags struct {
	*flag.FlagSet
	name     string // "user add"
	synopsis string
	help     string
}

func newFlags(name, synopsis, help string) *flags {
	fs := flag.NewFlagSet("podcastfy "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, name: name, synopsis: synopsis, help: help}
}

func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: podcastfy %s %s\n\n%s\n", f.name, f.synopsis, f.help)
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, f.FlagSet)
	}
}

// printFlags lists flags GNU-style ("--email address"); Go's flag package
// accepts one or two dashes alike.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(fl *flag.Flag) {
		arg, usage := flag.UnquoteUsage(fl)
		name := "--" + fl.Name
		if arg != "" {
			name += " " + arg
		}
		fmt.Fprintf(w, "  %-22s %s\n", name, usage)
	})
}

// parse parses flags placed anywhere among the arguments ("add NAME
// --admin" as well as "add --admin NAME"; "--" ends the flags) and checks
// the number of positional arguments is within [minArgs, maxArgs]
// (maxArgs < 0: no limit). When it returns ok=false the caller returns
// code: --help printed the usage (0) or the command line was wrong (2).
func (f *flags) parse(e *env, args []string, minArgs, maxArgs int) (positional []string, code int, ok bool) {
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage(e.stdout)
				return nil, exitOK, false
			}
			return nil, f.usageErrorHint(e, err.Error(), flagHint(f.FlagSet, err)), false
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	switch {
	case len(positional) < minArgs:
		return nil, f.usageError(e, "missing argument"), false
	case maxArgs >= 0 && len(positional) > maxArgs:
		return nil, f.usageError(e, "unexpected argument "+quoteArgs(positional[maxArgs:])), false
	}
	return positional, exitOK, true
}

// usageError reports a wrong command line for this subcommand, with the
// synopsis as the hint.
func (f *flags) usageError(e *env, msg string) int {
	return f.usageErrorHint(e, msg, "Usage: podcastfy "+f.name+" "+f.synopsis)
}

func (f *flags) usageErrorHint(e *env, msg, hint string) int {
	return usageError(e.stderr, "podcastfy "+f.name, msg, hint, "podcastfy "+f.name+" --help")
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}
