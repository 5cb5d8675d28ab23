package cli

import (
	"net"
	"strconv"

	"podcastfy/backend/app"
)

func runServe(e *env, args []string) int {
	f := newFlags("serve", "[--addr HOST:PORT] [--tls]",
		`Starts the LAN HTTP API (reference at /docs once running). It listens on
this machine only (127.0.0.1) unless told otherwise: --addr 0.0.0.0:8765
reaches it from the network, and the URLs to use are printed. Port 0 picks a
free port. Accounts are made with podcastfy user add.

Ctrl+C or SIGTERM stops it gracefully: no new connection is accepted;
downloads in progress (audio, transcripts, the feed) get up to 30 seconds to
finish and are then cut off (podcast apps and browsers continue them with a
Range request once the server is back); job event streams end with a
"stopping" event; running jobs stop as interrupted and can be resumed later
(POST /jobs/{id}/resume). A second Ctrl+C does not skip the wait.`)
	addr := f.String("addr", "", "listen on `HOST:PORT` (default: server.bind and server.port in config.yaml, 127.0.0.1:8765)")
	useTLS := f.Bool("tls", false, "serve HTTPS with a self-signed certificate (also server.tls in config.yaml)")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	a, err := e.open()
	if err != nil {
		return e.fail(err)
	}
	srv := a.Settings.Get().Server
	if *addr == "" {
		*addr = net.JoinHostPort(srv.Bind, strconv.Itoa(srv.Port))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return f.usageError(e, "--addr must be HOST:PORT, like 127.0.0.1:8765 or 0.0.0.0:8765")
	}
	if err := a.Serve(e.ctx, app.ServeOptions{Addr: *addr, TLS: *useTLS || srv.TLS, Out: e.stdout}); err != nil {
		return e.fail(err)
	}
	return exitOK
}
