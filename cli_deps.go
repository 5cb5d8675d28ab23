package main

import (
	"fmt"
	"strconv"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

// deps are the services a command works with, opened in the order the
// application always uses: paths, folders, settings, store, auth.
type deps struct {
	paths    config.Paths
	settings config.Settings
	store    *store.Store
	auth     *auth.Service // nil from openStore
}

// openStore resolves the folders, creates the missing ones, loads the
// settings and opens the store. A damaged config.yaml or users.json stops
// here with an error naming the file; neither is ever rewritten.
func (e *env) openStore() (*deps, error) {
	paths, err := config.ResolvePaths(e.getenv)
	if err != nil {
		return nil, err
	}
	if err := paths.EnsureDirs(); err != nil {
		return nil, err
	}
	settings, err := config.Load(paths.ConfigFile())
	if err != nil {
		return nil, err
	}
	st, err := store.Open(paths, templates.FS, e.log)
	if err != nil {
		return nil, err
	}
	return &deps{paths: paths, settings: settings, store: st}, nil
}

// openAll opens the store and the account service on top of it, creating
// the token key on first run.
func (e *env) openAll() (*deps, error) {
	d, err := e.openStore()
	if err != nil {
		return nil, err
	}
	key, err := auth.LoadOrCreateKey(d.paths.SecretKeyFile())
	if err != nil {
		return nil, err
	}
	cost, err := bcryptCost(e.getenv("PODCASTFY_BCRYPT_COST"))
	if err != nil {
		return nil, err
	}
	d.auth = auth.New(d.store.Users(), key, auth.Options{BcryptCost: cost, Log: e.log})
	return d, nil
}

// openAuth is openAll for commands that need only accounts.
func (e *env) openAuth() (*auth.Service, error) {
	d, err := e.openAll()
	if err != nil {
		return nil, err
	}
	return d.auth, nil
}

// bcryptCost reads PODCASTFY_BCRYPT_COST: empty means auth's default.
func bcryptCost(v string) (int, error) {
	if v == "" {
		return auth.DefaultBcryptCost, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < bcrypt.MinCost || n > bcrypt.MaxCost {
		return 0, fmt.Errorf("PODCASTFY_BCRYPT_COST=%q: want a whole number from %d to %d (default %d)", v, bcrypt.MinCost, bcrypt.MaxCost, auth.DefaultBcryptCost)
	}
	return n, nil
}
