package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
	"podcastfy/templates"
)

// testVersion is the version the tests' program was built as.
const testVersion = "v1.2.3-test"

// testProgram is the binary as the tests build it: no window, no built
// frontend (the LAN server serves its fallback page).
var testProgram = Program{Version: testVersion}

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the program in a portable home with the given stdin and extra
// environment ("KEY=value"), and the cheapest bcrypt cost.
type cli struct {
	t    *testing.T
	home string
	env  map[string]string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, home: t.TempDir(), env: map[string]string{"PODCASTFY_BCRYPT_COST": "4"}}
}

func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	return c.runProgram(testProgram, stdin, args...)
}

// runProgram is run with another program (one with a window, say).
func (c *cli) runProgram(prog Program, stdin string, args ...string) result {
	c.t.Helper()
	getenv := func(k string) string {
		if k == "PODCASTFY_HOME" {
			return c.home
		}
		return c.env[k]
	}
	var out, errOut bytes.Buffer
	code := Run(c.t.Context(), prog, append([]string{"podcastfy"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// must runs a command that has to succeed.
func (c *cli) must(stdin string, args ...string) string {
	c.t.Helper()
	r := c.run(stdin, args...)
	if r.code != exitOK {
		c.t.Fatalf("podcastfy %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func (c *cli) paths() config.Paths {
	c.t.Helper()
	p, err := config.ResolvePaths(func(k string) string {
		if k == "PODCASTFY_HOME" {
			return c.home
		}
		return ""
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

// auth opens the account service over the CLI's home, as the API would.
func (c *cli) auth() *auth.Service {
	c.t.Helper()
	p := c.paths()
	st, err := store.Open(p, templates.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		c.t.Fatal(err)
	}
	key, err := auth.LoadOrCreateKey(p.SecretKeyFile())
	if err != nil {
		c.t.Fatal(err)
	}
	return auth.New(st.Users(), key, auth.Options{BcryptCost: bcrypt.MinCost})
}

func (r result) expect(t *testing.T, code int, stream, want string) {
	t.Helper()
	got := r.stdout
	if stream == "stderr" {
		got = r.stderr
	}
	if r.code != code || !strings.Contains(got, want) {
		t.Errorf("exit %d (want %d), %s should contain %q\nstdout: %s\nstderr: %s", r.code, code, stream, want, r.stdout, r.stderr)
	}
}

func TestUserCommands(t *testing.T) {
	c := newCLI(t)
	c.run("", "user", "list").expect(t, exitOK, "stdout", "No accounts yet")

	c.run("alice-password\n", "user", "add", "alice", "--password-stdin").expect(t, exitOK, "stdout", "Created admin alice")
	c.run("bob-password\r\n", "user", "add", "--password-stdin", "bob", "--email", "bob@example.org").expect(t, exitOK, "stdout", "Created user bob")
	c.run("carol-password", "user", "add", "carol", "--admin", "--password-stdin").expect(t, exitOK, "stdout", "Created admin carol")

	c.run("other-password\n", "user", "add", "ALICE", "--password-stdin").expect(t, exitFailure, "stderr", `user "ALICE" already exists`)
	c.run("dave-password\n", "user", "add", "da", "--password-stdin").expect(t, exitFailure, "stderr", "username: must be 3–32 characters")
	c.run("dave-password\n", "user", "add", "dave smith", "--password-stdin").expect(t, exitFailure, "stderr", "username: may contain only")
	c.run("short\n", "user", "add", "dave", "--password-stdin").expect(t, exitFailure, "stderr", "password: must be at least 8 characters")
	c.run("dave-password\n", "user", "add", "dave", "--email", "not-an-address", "--password-stdin").expect(t, exitFailure, "stderr", "email:")
	c.run("", "user", "add", "dave", "--password-stdin").expect(t, exitFailure, "stderr", "no password on stdin")
	c.run("one\ntwo\n", "user", "add", "dave", "--password-stdin").expect(t, exitFailure, "stderr", "one line")

	list := c.must("", "user", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "USERNAME") {
		t.Fatalf("user list:\n%s", list)
	}
	for i, want := range []string{"alice  ", "bob  ", "carol  "} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(lines[1], "admin") || !strings.Contains(lines[2], "user") || !strings.Contains(lines[2], "bob@example.org") {
		t.Errorf("roles or email missing:\n%s", list)
	}

	var users []auth.PublicUser
	if err := json.Unmarshal([]byte(c.must("", "user", "list", "--json")), &users); err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[0].Username != "alice" || !users[0].IsAdmin || users[1].IsAdmin || users[1].Email == nil || *users[1].Email != "bob@example.org" {
		t.Errorf("user list --json = %+v", users)
	}

	// The file holds hashes, never the passwords; the key is private.
	p := c.paths()
	data, err := os.ReadFile(p.UsersFile())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("alice-password")) || !bytes.Contains(data, []byte("$2a$04$")) {
		t.Errorf("users.json does not hold bcrypt hashes only:\n%s", data)
	}
	if info, err := os.Stat(p.SecretKeyFile()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("secret.key: %v, %v; want mode 0600", info, err)
	}

	// passwd ends old sessions and the new password works.
	svc := c.auth()
	old, err := svc.Login("bob", "bob-password", "")
	if err != nil {
		t.Fatal(err)
	}
	c.run("bob-new-password\n", "user", "passwd", "BOB", "--password-stdin").expect(t, exitOK, "stdout", "Changed the password of bob")
	svc = c.auth()
	if _, err := svc.Verify(old.Token); !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("token from before passwd: %v, want ErrInvalidToken", err)
	}
	if _, err := svc.Login("bob", "bob-new-password", ""); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	c.run("short\n", "user", "passwd", "bob", "--password-stdin").expect(t, exitFailure, "stderr", "password: must be at least 8")
	c.run("whatever-password\n", "user", "passwd", "nobody", "--password-stdin").expect(t, exitFailure, "stderr", `no user named "nobody"`)

	// Deleting asks what happens to the podcasts, in a few lines.
	r := c.run("", "user", "delete", "bob")
	r.expect(t, exitUsage, "stderr", "--delete-podcasts or --keep-podcasts")
	if n := len(strings.Split(strings.TrimSpace(r.stderr), "\n")); n > 4 {
		t.Errorf("the refusal takes %d lines:\n%s", n, r.stderr)
	}
	c.run("", "user", "delete", "bob", "--delete-podcasts", "--keep-podcasts").expect(t, exitUsage, "stderr", "--delete-podcasts or --keep-podcasts")
	c.run("", "user", "delete", "bob", "--keep-podcasts").expect(t, exitOK, "stdout", "Deleted bob; their 0 podcasts and 0 templates now belong to alice")
	c.run("", "user", "delete", "bob", "--delete-podcasts").expect(t, exitFailure, "stderr", `no user named "bob"`)
	if list := c.must("", "user", "list"); strings.Contains(list, "bob") {
		t.Errorf("bob still listed:\n%s", list)
	}
}

func TestPasswordNeedsTerminalOrFlag(t *testing.T) {
	c := newCLI(t)
	c.must("alice-password", "user", "add", "alice", "--password-stdin")
	before, err := os.ReadFile(c.paths().UsersFile())
	if err != nil {
		t.Fatal(err)
	}
	// stdin here is a pipe, not a terminal: without the flag nothing is read.
	for _, args := range [][]string{{"user", "add", "bob"}, {"user", "passwd", "alice"}} {
		c.run("bob-password\n", args...).expect(t, exitUsage, "stderr", "pass --password-stdin")
	}
	if after, _ := os.ReadFile(c.paths().UsersFile()); !bytes.Equal(before, after) {
		t.Error("users.json changed")
	}
}

func TestTemplatesCommands(t *testing.T) {
	c := newCLI(t)
	list := c.must("", "templates", "list")
	for _, id := range []string{"deep-dive", "interview", "eli10"} {
		if !strings.Contains(list, id) {
			t.Errorf("templates list lacks %s:\n%s", id, list)
		}
	}
	if !strings.Contains(list, "built-in") {
		t.Errorf("templates list does not mark built-ins:\n%s", list)
	}
	var listed []template.Template
	if err := json.Unmarshal([]byte(c.must("", "templates", "list", "--json")), &listed); err != nil || len(listed) == 0 {
		t.Errorf("templates list --json: %d templates, %v", len(listed), err)
	}

	shown := c.must("", "templates", "show", "deep-dive")
	tmpl, err := template.Parse("shown.yaml", []byte(shown))
	if err != nil {
		t.Fatalf("templates show output does not parse back: %v", err)
	}
	if tmpl.ID != "deep-dive" || len(tmpl.Speakers) == 0 {
		t.Errorf("shown template = %+v", tmpl)
	}
	var asJSON template.Template
	if err := json.Unmarshal([]byte(c.must("", "templates", "show", "deep-dive", "--json")), &asJSON); err != nil || asJSON.ID != "deep-dive" {
		t.Errorf("templates show --json: %+v, %v", asJSON.ID, err)
	}
	c.run("", "templates", "show", "no-such-template").expect(t, exitFailure, "stderr", `no template "no-such-template"`)

	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte(strings.Replace(shown, "id: deep-dive", "id: my-show", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	unknownKey := filepath.Join(dir, "unknown-key.yaml")
	if err := os.WriteFile(unknownKey, []byte(strings.Replace(shown, "name: ", "nmae: ", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	badValue := filepath.Join(dir, "bad-value.yaml")
	if err := os.WriteFile(badValue, []byte("id: Bad ID\nname: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("id: a\nname: [unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	nameLine := 1 + strings.Count(shown[:strings.Index(shown, "\nname: ")+1], "\n")

	c.run("", "templates", "validate", good).expect(t, exitOK, "stdout", good+": ok")
	tests := map[string]struct{ file, want string }{
		"unknown key": {unknownKey, unknownKey + ":" + strconv.Itoa(nameLine) + ":"},
		"bad value":   {badValue, badValue + ":1:"},
		"bad YAML":    {broken, broken + ":"},
		"missing":     {filepath.Join(dir, "missing.yaml"), "missing.yaml"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := c.run("", "templates", "validate", good, tt.file)
			r.expect(t, exitFailure, "stderr", tt.want)
			if !strings.Contains(r.stdout, good+": ok") || !strings.Contains(r.stderr, "1 of 2 template file(s) have errors") {
				t.Errorf("each file must be reported:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
			}
		})
	}

	// A broken file among the user's templates is reported, with its name.
	userBad := filepath.Join(c.paths().TemplatesDir(), "mine.yaml")
	if err := os.WriteFile(userBad, []byte("id: mine\nnmae: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "templates", "list")
	r.expect(t, exitFailure, "stderr", "mine.yaml")
	if !strings.Contains(r.stdout, "deep-dive") {
		t.Errorf("good templates must still be listed:\n%s", r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"unknown command":       {args: []string{"frobnicate"}, want: `unknown command "frobnicate"`},
		"unknown global flag":   {args: []string{"--bogus"}, want: "bogus"},
		"group alone":           {args: []string{"user"}, want: "missing subcommand"},
		"unknown subcommand":    {args: []string{"user", "frob"}, want: `unknown subcommand "frob"`},
		"missing name":          {args: []string{"user", "add"}, want: "missing argument"},
		"two names":             {args: []string{"user", "add", "alice", "bob"}, want: `unexpected argument "bob"`},
		"unknown flag":          {args: []string{"user", "add", "alice", "--bogus"}, want: "flag provided but not defined: -bogus"},
		"flag without value":    {args: []string{"user", "add", "alice", "--email"}, want: "flag needs an argument"},
		"extra list argument":   {args: []string{"user", "list", "all"}, want: `unexpected argument "all"`},
		"delete without name":   {args: []string{"user", "delete"}, want: "missing argument"},
		"validate without file": {args: []string{"templates", "validate"}, want: "missing argument"},
		"show without id":       {args: []string{"templates", "show"}, want: "missing argument"},
		"paths argument":        {args: []string{"paths", "x"}, want: "unexpected argument"},
		"version argument":      {args: []string{"version", "x"}, want: "unexpected argument"},
		"help unknown":          {args: []string{"help", "nope"}, want: `unknown command "nope"`},
		"bad log level":         {args: []string{"version"}, env: map[string]string{"PODCASTFY_LOG": "loud"}, want: "PODCASTFY_LOG"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			for k, v := range tt.env {
				c.env[k] = v
			}
			r := c.run("", tt.args...)
			r.expect(t, exitUsage, "stderr", tt.want)
			if r.stdout != "" {
				t.Errorf("usage error wrote to stdout: %q", r.stdout)
			}
			if entries, _ := os.ReadDir(c.home); len(entries) != 0 {
				t.Errorf("a usage error created files in the home folder")
			}
		})
	}
}

func TestBadBcryptCost(t *testing.T) {
	c := newCLI(t)
	c.env["PODCASTFY_BCRYPT_COST"] = "99"
	c.run("alice-password", "user", "add", "alice", "--password-stdin").expect(t, exitFailure, "stderr", "PODCASTFY_BCRYPT_COST")
}

func TestHelp(t *testing.T) {
	tests := map[string]struct {
		args []string
		want string
	}{
		"--help":            {[]string{"--help"}, "Commands:"},
		"-h":                {[]string{"-h"}, "Commands:"},
		"help":              {[]string{"help"}, "PODCASTFY_HOME"},
		"help user":         {[]string{"help", "user"}, "podcastfy user add NAME"},
		"help templates":    {[]string{"help", "templates"}, "podcastfy templates validate FILE"},
		"user --help":       {[]string{"user", "--help"}, "podcastfy user passwd NAME"},
		"user add --help":   {[]string{"user", "add", "--help"}, "--password-stdin"},
		"user list -h":      {[]string{"user", "list", "-h"}, "--json"},
		"user passwd -help": {[]string{"user", "passwd", "-help"}, "Every session"},
		"user delete":       {[]string{"user", "delete", "--help"}, "Usage: podcastfy user delete NAME"},
		"templates list":    {[]string{"templates", "list", "--help"}, "Usage: podcastfy templates list"},
		"templates show":    {[]string{"templates", "show", "--help"}, "Usage: podcastfy templates show ID"},
		"templates valid.":  {[]string{"templates", "validate", "--help"}, "FILE:LINE"},
		"paths":             {[]string{"paths", "--help"}, "Usage: podcastfy paths"},
		"version":           {[]string{"version", "--help"}, "Usage: podcastfy version"},
		"help after args":   {[]string{"user", "add", "alice", "--help"}, "Usage: podcastfy user add"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			c.run("", tt.args...).expect(t, exitOK, "stdout", tt.want)
		})
	}
}

func TestCorruptUsersFileIsRefusedAndKept(t *testing.T) {
	// No arguments (the desktop window) checks the files before opening it.
	for _, args := range [][]string{{"user", "list"}, {"user", "add", "alice", "--password-stdin"}, {"templates", "list"}, {}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			c := newCLI(t)
			p := c.paths()
			if err := p.EnsureDirs(); err != nil {
				t.Fatal(err)
			}
			corrupt := []byte(`[{"id": "u1", "username": "alice", `)
			if err := os.WriteFile(p.UsersFile(), corrupt, 0o600); err != nil {
				t.Fatal(err)
			}
			r := c.run("alice-password\n", args...)
			r.expect(t, exitFailure, "stderr", p.UsersFile())
			got, err := os.ReadFile(p.UsersFile())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, corrupt) {
				t.Errorf("users.json was rewritten:\n%s", got)
			}
		})
	}
}

func TestCorruptConfigIsRefusedAndKept(t *testing.T) {
	for _, args := range [][]string{{"user", "add", "alice", "--password-stdin"}, {"templates", "show", "eli10"}, {}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			c := newCLI(t)
			p := c.paths()
			if err := p.EnsureDirs(); err != nil {
				t.Fatal(err)
			}
			bad := []byte("server:\n  port: 8765\n  prot: 1\n")
			if err := os.WriteFile(p.ConfigFile(), bad, 0o600); err != nil {
				t.Fatal(err)
			}
			c.run("alice-password\n", args...).expect(t, exitFailure, "stderr", p.ConfigFile()+":3:")
			if got, _ := os.ReadFile(p.ConfigFile()); !bytes.Equal(got, bad) {
				t.Errorf("config.yaml was rewritten:\n%s", got)
			}
			if _, err := os.Stat(p.UsersFile()); err == nil {
				t.Error("a user was created despite the bad settings")
			}
		})
	}
}

func TestPaths(t *testing.T) {
	c := newCLI(t)
	out := c.must("", "paths")
	for _, want := range []string{
		filepath.Join(c.home, "config", "config.yaml"),
		filepath.Join(c.home, "data", "users.json"),
		filepath.Join(c.home, "data", "secret.key"),
		filepath.Join(c.home, "state", "podcastfy.log"),
		filepath.Join(c.home, "cache", "tts"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("paths lacks %s:\n%s", want, out)
		}
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(c.must("", "paths", "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if m["usersFile"] != filepath.Join(c.home, "data", "users.json") || len(m) != 12 {
		t.Errorf("paths --json = %v", m)
	}
	if entries, _ := os.ReadDir(c.home); len(entries) != 0 {
		t.Error("paths created folders")
	}
}

func TestVersion(t *testing.T) {
	c := newCLI(t)
	want := "podcastfy " + testVersion + " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if got := c.must("", args...); got != want {
			t.Errorf("%v = %q, want %q", args, got, want)
		}
	}
}

func TestVerboseLogsToStderr(t *testing.T) {
	c := newCLI(t)
	quiet := c.run("alice-password", "user", "add", "alice", "--password-stdin")
	if quiet.stderr != "" {
		t.Errorf("commands must be quiet by default; stderr: %s", quiet.stderr)
	}
	loud := c.run("bob-password", "--verbose", "user", "add", "bob", "--password-stdin")
	loud.expect(t, exitOK, "stderr", "user created")
	c.env["PODCASTFY_LOG"] = "info"
	c.run("carol-password", "user", "add", "carol", "--password-stdin").expect(t, exitOK, "stderr", "level=INFO")
}

func TestFlagParsing(t *testing.T) {
	tests := map[string]struct {
		args      []string
		wantPos   []string
		wantAdmin bool
	}{
		"flags first":               {[]string{"--admin", "alice"}, []string{"alice"}, true},
		"flags last":                {[]string{"alice", "--admin"}, []string{"alice"}, true},
		"single dash":               {[]string{"alice", "-admin"}, []string{"alice"}, true},
		"no flags":                  {[]string{"alice"}, []string{"alice"}, false},
		"double dash":               {[]string{"--", "--admin"}, []string{"--admin"}, false},
		"double dash in the middle": {[]string{"alice", "--admin", "--", "-x", "y"}, []string{"alice", "-x", "y"}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFlags("test", "", "")
			admin := f.Bool("admin", false, "")
			e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
			pos, _, ok := f.parse(e, tt.args, 0, -1)
			if !ok {
				t.Fatalf("parse failed: %s", e.stderr)
			}
			if strings.Join(pos, "|") != strings.Join(tt.wantPos, "|") || *admin != tt.wantAdmin {
				t.Errorf("positional %q admin %v; want %q %v", pos, *admin, tt.wantPos, tt.wantAdmin)
			}
		})
	}
}

func TestReadPasswordStdin(t *testing.T) {
	tests := map[string]struct {
		in, want, wantErr string
	}{
		"plain":        {in: "secret-pw", want: "secret-pw"},
		"newline":      {in: "secret-pw\n", want: "secret-pw"},
		"crlf":         {in: "secret-pw\r\n", want: "secret-pw"},
		"spaces kept":  {in: " secret pw \n", want: " secret pw "},
		"empty":        {in: "", wantErr: "no password"},
		"only newline": {in: "\n", wantErr: "no password"},
		"two lines":    {in: "a\nb", wantErr: "one line"},
		"two newlines": {in: "secret-pw\n\n", wantErr: "one line"},
		"too much":     {in: strings.Repeat("x", maxStdinPassword+1), wantErr: "more than"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := readPasswordStdin(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("= %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
