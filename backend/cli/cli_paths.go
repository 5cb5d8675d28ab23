package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"podcastfy/backend/config"
)

func runPaths(e *env, args []string) int {
	f := newFlags("paths", "[--json]",
		`Prints where podcastfy keeps its files. PODCASTFY_HOME puts them all under
one folder; otherwise the XDG folders are used. Nothing is created.`)
	asJSON := f.Bool("json", false, "print JSON instead of a table")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	p, err := config.ResolvePaths(e.getenv)
	if err != nil {
		return e.fail(err)
	}
	rows := []struct{ key, label, path string }{
		{"config", "config folder", p.Config},
		{"data", "data folder", p.Data},
		{"state", "state folder", p.State},
		{"cache", "cache folder", p.Cache},
		{"configFile", "settings", p.ConfigFile()},
		{"templatesDir", "your templates", p.TemplatesDir()},
		{"usersFile", "accounts", p.UsersFile()},
		{"podcastsDir", "podcasts", p.PodcastsDir()},
		{"secretKeyFile", "token key", p.SecretKeyFile()},
		{"jobsDir", "jobs", p.JobsDir()},
		{"logFile", "log", p.LogFile()},
		{"ttsCacheDir", "speech cache", p.TTSCacheDir()},
	}
	if *asJSON {
		m := make(map[string]string, len(rows))
		for _, r := range rows {
			m[r.key] = r.path
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r.label, r.path)
	}
	if err := tw.Flush(); err != nil {
		return e.fail(err)
	}
	return exitOK
}
