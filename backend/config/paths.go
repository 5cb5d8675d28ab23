// Package config owns where podcastfy keeps its files (XDG folders, or one
// portable folder) and the user's settings (config.yaml): their defaults,
// strict loading with errors that name file, line and key, validation, and
// atomic saving. Paths and settings are resolved once at start-up and
// injected into the services that need them.
package config

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// AppName is the folder name used under each XDG base folder.
const AppName = "podcastfy"

// Paths holds podcastfy's four folders, for example
// $XDG_CONFIG_HOME/podcastfy. Every file podcastfy reads or writes lives
// under one of them.
type Paths struct {
	Config string `json:"config"`
	Data   string `json:"data"`
	State  string `json:"state"`
	Cache  string `json:"cache"`
}

// ResolvePaths finds the folders from the environment, read through getenv
// (pass os.Getenv in main, a fake in tests). PODCASTFY_HOME=<d> puts them
// all under one folder (<d>/config, <d>/data, <d>/state, <d>/cache).
// Otherwise XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and
// XDG_CACHE_HOME from getenv are used when they are absolute paths (the XDG
// rule: relative ones are ignored), and the platform defaults of
// github.com/adrg/xdg fill the rest. It creates nothing; see EnsureDirs.
func ResolvePaths(getenv func(string) string) (Paths, error) {
	if home := getenv("PODCASTFY_HOME"); home != "" {
		abs, err := filepath.Abs(home)
		if err != nil {
			return Paths{}, fmt.Errorf("PODCASTFY_HOME %q: %w", home, err)
		}
		return Paths{
			Config: filepath.Join(abs, "config"),
			Data:   filepath.Join(abs, "data"),
			State:  filepath.Join(abs, "state"),
			Cache:  filepath.Join(abs, "cache"),
		}, nil
	}
	base := func(env, fallback string) (string, error) {
		if v := getenv(env); filepath.IsAbs(v) {
			return filepath.Join(filepath.Clean(v), AppName), nil
		}
		if !filepath.IsAbs(fallback) {
			return "", fmt.Errorf("cannot find the %s folder (no home folder?); set PODCASTFY_HOME to a folder for podcastfy's files", env)
		}
		return filepath.Join(fallback, AppName), nil
	}
	var p Paths
	var err error
	if p.Config, err = base("XDG_CONFIG_HOME", xdg.ConfigHome); err != nil {
		return Paths{}, err
	}
	if p.Data, err = base("XDG_DATA_HOME", xdg.DataHome); err != nil {
		return Paths{}, err
	}
	if p.State, err = base("XDG_STATE_HOME", xdg.StateHome); err != nil {
		return Paths{}, err
	}
	if p.Cache, err = base("XDG_CACHE_HOME", xdg.CacheHome); err != nil {
		return Paths{}, err
	}
	return p, nil
}

// ConfigFile is the settings file, Config/config.yaml.
func (p Paths) ConfigFile() string { return filepath.Join(p.Config, "config.yaml") }

// TemplatesDir holds the user's own templates, Config/templates.
func (p Paths) TemplatesDir() string { return filepath.Join(p.Config, "templates") }

// UsersFile is the accounts file, Data/users.json.
func (p Paths) UsersFile() string { return filepath.Join(p.Data, "users.json") }

// PodcastsDir holds the library: <id>.json plus media files.
func (p Paths) PodcastsDir() string { return filepath.Join(p.Data, "podcasts") }

// SecretKeyFile holds the token signing key, Data/secret.key.
func (p Paths) SecretKeyFile() string { return filepath.Join(p.Data, "secret.key") }

// ProcessesDir holds a lock file for each live process that stages files
// (backend/store/process), Data/processes: beside the library, which every
// process that shares it stages into.
func (p Paths) ProcessesDir() string { return filepath.Join(p.Data, "processes") }

// JobsDir holds the state of generation jobs, State/jobs.
func (p Paths) JobsDir() string { return filepath.Join(p.State, "jobs") }

// LogFile is the application log, State/podcastfy.log.
func (p Paths) LogFile() string { return filepath.Join(p.State, "podcastfy.log") }

// TTSCacheDir caches synthesised speech segments, Cache/tts.
func (p Paths) TTSCacheDir() string { return filepath.Join(p.Cache, "tts") }

// EnsureDirs creates every folder (mode 0700: they hold private data).
// Folders that exist keep their mode.
func (p Paths) EnsureDirs() error {
	for _, d := range []string{p.Config, p.TemplatesDir(), p.Data, p.PodcastsDir(), p.State, p.JobsDir(), p.Cache, p.TTSCacheDir()} {
		if d == "" || !filepath.IsAbs(d) {
			return fmt.Errorf("folder %q is not an absolute path", d)
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("creating folder: %w", err)
		}
	}
	return nil
}
