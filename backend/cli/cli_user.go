package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"podcastfy/backend/auth"
	"podcastfy/backend/core"
	"podcastfy/backend/events"
	"podcastfy/backend/store"
)

func runUser(e *env, args []string) int {
	return runGroup(e, "user", "Manage the accounts that log in to the LAN API.", []subcommand{
		{"add", "NAME [--admin] [--email ADDRESS] [--password-stdin]", "create an account (the first one is an admin)", runUserAdd},
		{"list", "[--json]", "list the accounts", runUserList},
		{"passwd", "NAME [--password-stdin]", "set a new password (signs the user out everywhere)", runUserPasswd},
		{"delete", "NAME --delete-podcasts|--keep-podcasts", "delete an account and say what happens to its podcasts", runUserDelete},
	}, args)
}

func runUserAdd(e *env, args []string) int {
	f := newFlags("user add", "NAME [--admin] [--email ADDRESS] [--password-stdin]",
		`Creates an account. NAME is 3–32 letters, digits, '.', '_' or '-', unique
regardless of case. The password (at least 8 characters) is typed twice at
the terminal, or read from stdin with --password-stdin. The first account
created is always an admin.`)
	admin := f.Bool("admin", false, "make the account an admin")
	email := f.String("email", "", "the account's email `ADDRESS` (optional)")
	fromStdin := f.Bool("password-stdin", false, "read the password from stdin instead of the terminal")
	pos, code, ok := f.parse(e, args, 1, 1)
	if !ok {
		return code
	}
	name := pos[0]
	if err := auth.ValidateUsername(name); err != nil {
		return e.fail(err)
	}
	if err := e.checkPasswordSource(*fromStdin); err != nil {
		return f.usageError(e, err.Error())
	}
	svc, err := e.openAuth()
	if err != nil {
		return e.fail(err)
	}
	if _, err := svc.FindUser(name); err == nil {
		return e.fail(fmt.Errorf("user %q already exists", name))
	} else if !errors.Is(err, store.ErrNotFound) {
		return e.fail(err)
	}
	password, err := e.readNewPassword(name, *fromStdin, svc.CheckPassword)
	if err != nil {
		return e.fail(err)
	}
	var emailPtr *string
	if *email != "" {
		emailPtr = email
	}
	u, err := svc.CreateUser(name, password, emailPtr, *admin)
	if errors.Is(err, store.ErrConflict) {
		return e.fail(fmt.Errorf("user %q already exists", name))
	}
	if err != nil {
		return e.fail(err)
	}
	role := "user"
	if u.IsAdmin {
		role = "admin"
	}
	fmt.Fprintf(e.stdout, "Created %s %s (id %s).\n", role, u.Username, u.ID)
	return exitOK
}

func runUserList(e *env, args []string) int {
	f := newFlags("user list", "[--json]", "Lists the accounts, sorted by name.")
	asJSON := f.Bool("json", false, "print JSON instead of a table")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	svc, err := e.openAuth()
	if err != nil {
		return e.fail(err)
	}
	users, err := svc.ListUsers()
	if err != nil {
		return e.fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(users); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "No accounts yet. Create one with: podcastfy user add NAME")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tEMAIL\tCREATED\tID")
	for _, u := range users {
		role, mail := "user", "-"
		if u.IsAdmin {
			role = "admin"
		}
		if u.Email != nil {
			mail = *u.Email
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, role, mail, u.CreatedAt.Local().Format("2006-01-02 15:04"), u.ID)
	}
	if err := tw.Flush(); err != nil {
		return e.fail(err)
	}
	return exitOK
}

func runUserPasswd(e *env, args []string) int {
	f := newFlags("user passwd", "NAME [--password-stdin]",
		`Sets a new password for an account, typed twice at the terminal or read
from stdin with --password-stdin. Every session of that user ends.`)
	fromStdin := f.Bool("password-stdin", false, "read the password from stdin instead of the terminal")
	pos, code, ok := f.parse(e, args, 1, 1)
	if !ok {
		return code
	}
	if err := e.checkPasswordSource(*fromStdin); err != nil {
		return f.usageError(e, err.Error())
	}
	svc, err := e.openAuth()
	if err != nil {
		return e.fail(err)
	}
	u, err := findUser(svc, pos[0])
	if err != nil {
		return e.fail(err)
	}
	password, err := e.readNewPassword(u.Username, *fromStdin, svc.CheckPassword)
	if err != nil {
		return e.fail(err)
	}
	if err := svc.SetPassword(u.ID, password); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Changed the password of %s; their sessions have ended.\n", u.Username)
	return exitOK
}

func runUserDelete(e *env, args []string) int {
	f := newFlags("user delete", "NAME --delete-podcasts|--keep-podcasts",
		`Deletes an account: its sessions and feed links end at once, and its jobs
are cancelled and removed with their uploads. Say what happens to its
podcasts: --delete-podcasts removes them with their files and the account's
templates; --keep-podcasts gives them (and its templates) to the oldest
other administrator.`)
	del := f.Bool("delete-podcasts", false, "remove the account's podcasts and templates")
	keep := f.Bool("keep-podcasts", false, "give the account's podcasts and templates to the oldest other administrator")
	pos, code, ok := f.parse(e, args, 1, 1)
	if !ok {
		return code
	}
	if *del == *keep {
		return f.usageError(e, "say what happens to the account's podcasts: --delete-podcasts or --keep-podcasts")
	}
	choice := core.PodcastsDelete
	if *keep {
		choice = core.PodcastsKeep
	}
	a, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	u, err := findUser(a.Auth, pos[0])
	if err != nil {
		return e.fail(err)
	}
	by, err := keeper(a.Store.Users(), u.ID)
	if err != nil && choice == core.PodcastsKeep {
		return e.fail(err)
	}
	gen, err := a.Generation(events.Nop{})
	if err != nil {
		return e.fail(err)
	}
	out, err := a.UserRemoval(gen.Jobs).Delete(context.Background(), by, u.ID, choice)
	if out.Message != "" {
		fmt.Fprintln(e.stdout, out.Message)
	}
	if err != nil {
		return e.fail(err)
	}
	return exitOK
}

// keeper is who keeps a deleted account's podcasts from the command line:
// the oldest administrator other than the account itself.
func keeper(users *store.Users, deleting string) (store.User, error) {
	list, err := users.List()
	if err != nil {
		return store.User{}, err
	}
	var oldest *store.User
	for i, u := range list {
		if u.IsAdmin && u.ID != deleting && (oldest == nil || u.CreatedAt.Before(oldest.CreatedAt)) {
			oldest = &list[i]
		}
	}
	if oldest == nil {
		return store.User{}, errors.New("no other administrator can keep the podcasts: make one (podcastfy user add NAME --admin) or use --delete-podcasts")
	}
	return *oldest, nil
}

// findUser looks an account up by name with a message fit for the terminal.
func findUser(svc *auth.Service, name string) (auth.PublicUser, error) {
	u, err := svc.FindUser(name)
	if errors.Is(err, store.ErrNotFound) {
		return u, fmt.Errorf("no user named %q (see podcastfy user list)", name)
	}
	return u, err
}
