package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Content-Security-Policy values: pages (the web UI, /docs) may load their
// own scripts, styles, images and media; everything else (JSON, media,
// feed) may load nothing.
const (
	cspPage = "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	cspNone = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
)

// recoverPanics turns a handler panic into a 500 with the stack in the log
// and none in the answer.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.writeError(w, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every answer carries.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if isPage(r.URL.Path) {
			h.Set("Content-Security-Policy", cspPage)
		} else {
			h.Set("Content-Security-Policy", cspNone)
		}
		next.ServeHTTP(w, r)
	})
}

// isPage reports whether path is an HTML page or one of its assets.
func isPage(path string) bool {
	return path == "/" || path == "/docs" || strings.HasPrefix(path, "/assets/")
}

// cors allows the configured browser origins ("*" for any) to call the API;
// with none configured (the default) no CORS header is ever sent, so
// browsers keep other sites out. Tokens travel in headers, never cookies,
// so credentials are not allowed.
func (s *server) cors(next http.Handler) http.Handler {
	origins := s.Settings.CORSOrigins
	if len(origins) == 0 {
		return next
	}
	allowAll := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !allowAll && !slices.Contains(origins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "Content-Range, Content-Length, Accept-Ranges, ETag, Last-Modified, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Range")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badPath explains why a request path is refused before routing: NUL
// bytes, "." or ".." segments (also percent-encoded) and empty segments.
// ServeMux would otherwise redirect such paths to their cleaned form.
func badPath(r *http.Request) string {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		return "the request path must start with /"
	}
	if strings.ContainsRune(p, 0) {
		return "the request path contains a NUL byte"
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." {
			return "the request path contains a '.' or '..' segment"
		}
		if seg == "" && i != len(segs)-1 {
			return "the request path contains an empty segment ('//')"
		}
	}
	return ""
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

var errNoToken = &Error{Status: http.StatusUnauthorized, Code: "unauthorized",
	Message: "log in first: send Authorization: Bearer <token> with the token from POST /auth/login"}

// requireUser lets through requests with a valid session token (of an
// admin, when adminOnly), with the user in the request context.
func (s *server) requireUser(adminOnly bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			s.writeError(w, r, errNoToken)
			return
		}
		u, err := s.Accounts.Verify(token)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if adminOnly && !u.IsAdmin {
			s.writeError(w, r, &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "only administrators may manage accounts and settings"})
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	})
}

// requireUserOrSignature accepts a session token or, for clients that
// cannot send headers (<audio>, podcast apps), a signed URL.
func (s *server) requireUserOrSignature(next http.Handler) http.Handler {
	withToken := s.requireUser(false, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Header.Get("Authorization") != "" || !q.Has("sig") && !q.Has("fsig") {
			withToken.ServeHTTP(w, r)
			return
		}
		u, err := s.verifySignedRequest(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, markSigned(r.WithContext(context.WithValue(r.Context(), userKey, u))))
	})
}

// entryDeadlines bound every request until its route's own deadlines take
// over: a body must arrive within PublicBodyDeadline unless the request has
// proven who sent it, so an unauthenticated client cannot hold a
// connection open by sending its body slowly (the server would otherwise
// wait for it even after answering 401).
func (s *server) entryDeadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		// Recorders cannot set deadlines; on a real connection both work.
		_ = rc.SetReadDeadline(s.Now().Add(s.PublicBodyDeadline))
		_ = rc.SetWriteDeadline(s.Now().Add(jsonDeadline))
		next.ServeHTTP(w, r)
	})
}

// deadlines sets the connection's read and write deadlines for the route's
// kind once the request has passed its access check; a public route keeps
// the short read deadline of an unauthenticated body. The server itself has
// none beyond the header timeout, because media downloads and event streams
// may last as long as they need.
func (s *server) deadlines(k kind, public bool, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		var read, write time.Time
		switch k {
		case small:
			read, write = s.Now().Add(jsonDeadline), s.Now().Add(jsonDeadline)
		case upload:
			read, write = s.Now().Add(uploadDeadline), s.Now().Add(uploadDeadline+jsonDeadline)
		}
		if public {
			read = s.Now().Add(s.PublicBodyDeadline)
		}
		_ = rc.SetReadDeadline(read)
		_ = rc.SetWriteDeadline(write)
		next(w, r)
	})
}

// clientAddr is the client's IP address, for login throttling.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
