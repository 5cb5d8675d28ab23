package main

import (
	"context"
	"io/fs"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"podcastfy/backend/api"
	"podcastfy/backend/auth"
)

func runServe(e *env, args []string) int {
	f := newFlags("serve", "[--addr HOST:PORT] [--tls]",
		`Starts the LAN HTTP API (reference at /docs once running). It listens on
this machine only (127.0.0.1) unless told otherwise: --addr 0.0.0.0:8765
reaches it from the network, and the URLs to use are printed. Port 0 picks a
free port. Accounts are made with podcastfy user add. Ctrl+C or SIGTERM stops
it gracefully: running downloads finish, and running jobs stop in a state
podcastfy resumes later.`)
	addr := f.String("addr", "", "listen on `HOST:PORT` (default: server.bind and server.port in config.yaml, 127.0.0.1:8765)")
	useTLS := f.Bool("tls", false, "serve HTTPS with a self-signed certificate (also server.tls in config.yaml)")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	d, err := e.openAll()
	if err != nil {
		return e.fail(err)
	}
	srv := d.settings.Server
	if *addr == "" {
		*addr = net.JoinHostPort(srv.Bind, strconv.Itoa(srv.Port))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return f.usageError(e, "--addr must be HOST:PORT, like 127.0.0.1:8765 or 0.0.0.0:8765")
	}
	hub := api.NewHub(0)
	gen, err := e.openGeneration(d, hub)
	if err != nil {
		return e.fail(err)
	}
	ui, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return e.fail(err)
	}
	key, err := auth.LoadOrCreateKey(d.paths.SecretKeyFile())
	if err != nil {
		return e.fail(err)
	}
	handler := api.NewServer(api.Deps{
		Accounts:  d.auth,
		Users:     d.store.Users(),
		Podcasts:  d.store.Podcasts(),
		Templates: d.store.Templates(),
		Jobs:      gen.jobs,
		Hub:       hub,
		Settings:  srv,
		UploadDir: filepath.Join(d.paths.State, "uploads"),
		Key:       key,
		UI:        ui,
		Version:   version,
		Log:       e.log,
	})
	err = api.Serve(e.ctx, api.ServeConfig{
		Addr:    *addr,
		TLS:     *useTLS || srv.TLS,
		CertDir: d.paths.Data,
		Out:     e.stdout,
		Log:     e.log,
		Hub:     hub,
		AfterDrain: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			return gen.jobs.Shutdown(ctx)
		},
	}, handler)
	if err != nil {
		return e.fail(err)
	}
	return exitOK
}
