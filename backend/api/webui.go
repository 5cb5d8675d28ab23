package api

import (
	"bytes"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// notBuiltPage answers / when the web interface has not been built.
const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>podcastfy</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto">
<h1>podcastfy</h1>
<p>The web interface is not built into this server (run <code>make frontend</code>, then build podcastfy again).</p>
<p>The API works: see the <a href="/docs">API reference</a>.</p>
</body></html>
`

// webUI serves the web interface's index.html. Its routes live after the
// '#', so no other path needs to fall back to it.
func (s *server) webUI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	if s.UI != nil {
		if page, err := fs.ReadFile(s.UI, "index.html"); err == nil {
			w.Write(page)
			return
		}
	}
	w.Write([]byte(notBuiltPage))
}

// webAsset serves a file of the web interface's assets folder. Their names
// carry a content hash, so they may be cached for good.
func (s *server) webAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if s.UI == nil || strings.HasPrefix(name, ".") || !fs.ValidPath(name) {
		s.writeError(w, r, notFound("no such file"))
		return
	}
	data, err := fs.ReadFile(s.UI, path.Join("assets", name))
	if err != nil {
		s.writeError(w, r, notFound("no such file"))
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
