// Package api owns the LAN HTTP API: the routes (routes.go), their handlers,
// authentication middleware, JSON decoding and the one mapping from Go errors
// to {"error":{"code","message"}} answers, signed media URLs, the private RSS
// feed, the Server-Sent Events hub for job progress, the OpenAPI document and
// the reference page rendered from it, and the http.Server that serves them.
// It holds no business logic: generation is core's, files are store's,
// accounts are auth's.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	adminsvc "podcastfy/backend/admin"
	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/library"
	"podcastfy/backend/llm"
	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

// Jobs is what the API needs from the generation service (*core.Service).
type Jobs interface {
	Start(ctx context.Context, req core.Request) (core.Status, error)
	Preflight(ctx context.Context, req core.Request) (core.Plan, error)
	Get(ctx context.Context, owner, id string) (core.Status, error)
	List(ctx context.Context, owner string) []core.Status
	Cancel(ctx context.Context, owner, id string) (core.Status, error)
	LiveAudio(ctx context.Context, owner, id string) (*core.LiveAudio, error)
	LiveLines(ctx context.Context, owner, id string, from int) (core.LiveLines, error)
	Resume(ctx context.Context, owner, id string) (core.Status, error)
	Remove(ctx context.Context, owner, id string) error
	// ClaimUpload refuses an upload before its body is read: the queue
	// cap, the user's disk budget, the disk's free space.
	ClaimUpload(owner, dir string, size int64) (*core.Claim, error)
}

// UserRemoval deletes an account with what it owns (*core.UserRemoval).
type UserRemoval interface {
	Delete(ctx context.Context, by store.User, userID, podcasts string) (core.UserRemoved, error)
}

// Accounts is what the API needs from the account service (*auth.Service).
type Accounts interface {
	Login(username, password, clientAddr string) (auth.Session, error)
	Verify(token string) (store.User, error)
	CreateUser(username, password string, email *string, admin bool) (store.User, error)
	ChangePassword(userID, currentPassword, newPassword string) (auth.Session, error)
	ResetPassword(by store.User, id, password string) error
	ListUsers() ([]auth.PublicUser, error)
}

// Users is what the API needs from the accounts file (*store.Users).
type Users interface {
	Get(id string) (store.User, error)
	ByFeedKey(key string) (store.User, error)
	Update(id string, fn func(*store.User) error) (store.User, error)
}

// Podcasts is what the feed and the signed media links need from the
// store's podcasts (*store.Podcasts).
type Podcasts interface {
	Get(id string) (store.Podcast, error)
	List(q store.ListQuery) ([]store.Podcast, string, error)
	MediaPath(id, kind string) (string, error)
}

// Library is the podcast library service (*library.Service): it checks
// ownership and the request's values.
type Library interface {
	List(ctx context.Context, owner string, q library.Query) (library.Page, error)
	Get(ctx context.Context, owner, id string) (store.Podcast, error)
	Rename(ctx context.Context, owner, id, title string) (store.Podcast, error)
	Delete(ctx context.Context, owner, id string) error
}

// Templates is what the API needs from the template store (*store.Templates):
// each user's view of them, by the store's ownership rules.
type Templates interface {
	ListFor(c store.Caller) ([]store.Scoped, []error)
	GetFor(c store.Caller, id string) (store.Scoped, error)
	SaveFor(c store.Caller, tpl template.Template, shared bool) (created bool, err error)
	DeleteFor(c store.Caller, id string) error
}

// Admin is what the administrators' routes need from the settings
// service (*admin.Service): the same one the desktop's settings screen
// calls, so both check and mask alike.
type Admin interface {
	Settings() config.Settings
	Save(ctx context.Context, next config.Settings) (config.Settings, error)
	Health(ctx context.Context) []adminsvc.Health
	Models(ctx context.Context) ([]llm.ModelInfo, error)
	Context(ctx context.Context) (llm.ContextInfo, error)
}

// Deps are the server's collaborators and settings.
type Deps struct {
	Accounts  Accounts
	Users     Users
	Podcasts  Podcasts
	Library   Library
	Templates Templates
	Jobs      Jobs
	// Removal deletes accounts with what they own (DELETE /users/{id}).
	Removal UserRemoval
	// Voices lists voices and makes previews; nil answers 503 there.
	Voices Voices
	// Studio is the script studio (required).
	Studio Studio
	// Admin serves the administrators' settings and health routes.
	Admin Admin
	// Hub streams job events; it must also be the emitter the job service
	// was built with (see NewHub). Nil makes a hub that sees no events.
	Hub *Hub
	// Settings are the server settings (CORS, upload limit, public URL).
	Settings config.ServerSettings
	// UploadDir holds uploads until their job ends, one private folder per
	// upload (<State>/uploads): "incoming-*" while it arrives, "job-*" once
	// a job owns it (the job deletes it). NewServer removes incoming
	// folders a crash left behind.
	UploadDir string
	// Process is this process's claim on what it stages (store.Store's
	// Process): arriving uploads carry its id, so that NewServer in
	// another process removes them only once this one has ended. Nil
	// leaves such folders to age (staleIncoming).
	Process core.Processes
	// Key is the installation's secret (the token key); signed media URLs
	// use a subkey derived from it.
	Key []byte
	// UI is the built web interface (frontend/dist); nil or empty serves a
	// page saying it is not built.
	UI fs.FS
	// Version is reported by /healthz.
	Version string
	Log     *slog.Logger
	Now     func() time.Time
	// SignedURLTTL is how long a signed media URL is valid; default 6 h.
	SignedURLTTL time.Duration
	// PublicBodyDeadline bounds reading the body of a request that has
	// not authenticated (a login, or any request before its token is
	// checked); default DefaultPublicBodyDeadline.
	PublicBodyDeadline time.Duration
}

// Limits and defaults.
const (
	// MaxJSONBytes bounds a JSON request body.
	MaxJSONBytes = 1 << 20
	// DefaultMaxUploadMB bounds an uploaded file when the settings say 0.
	DefaultMaxUploadMB = 200
	// DefaultSignedURLTTL is the life of a signed media URL.
	DefaultSignedURLTTL = 6 * time.Hour
	// jsonDeadline bounds reading a JSON body and writing a JSON answer.
	jsonDeadline = 60 * time.Second
	// DefaultPublicBodyDeadline bounds an unauthenticated body: a login or
	// setup form is a few hundred bytes.
	DefaultPublicBodyDeadline = 15 * time.Second
	// uploadDeadline bounds reading an upload.
	uploadDeadline = 30 * time.Minute
)

// server holds what the handlers share.
type server struct {
	Deps
	mux       *http.ServeMux
	signer    signer
	doc       *openAPIDoc
	maxUpload int64
	setup     setupGuard
	qrs       qrCodes
}

// NewServer returns the API as one handler: every route of routes.go behind
// the security headers, panic recovery and (when configured) CORS.
func NewServer(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Hub == nil {
		d.Hub = NewHub(0)
	}
	if d.SignedURLTTL <= 0 {
		d.SignedURLTTL = DefaultSignedURLTTL
	}
	if d.PublicBodyDeadline <= 0 {
		d.PublicBodyDeadline = DefaultPublicBodyDeadline
	}
	mb := d.Settings.MaxUploadMB
	if mb <= 0 {
		mb = DefaultMaxUploadMB
	}
	s := &server{
		Deps:      d,
		mux:       http.NewServeMux(),
		signer:    newSigner(d.Key),
		doc:       mustLoadOpenAPI(),
		maxUpload: int64(mb) << 20,
	}
	if d.UploadDir != "" {
		removeStaleUploads(d.UploadDir, d.Now(), d.Process, d.Log)
	}
	s.register()
	return s.recoverPanics(s.entryDeadlines(s.securityHeaders(s.cors(http.HandlerFunc(s.dispatch)))))
}

// dispatch rejects unclean paths, then hands the request to the mux, turning
// the mux's own plain-text 404 and 405 answers into JSON errors.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	if msg := badPath(r); msg != "" {
		s.writeError(w, r, &Error{Status: http.StatusBadRequest, Code: "bad_path", Message: msg})
		return
	}
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		// ServeHTTP, not h: only the mux sets the path values.
		s.mux.ServeHTTP(w, r)
		return
	}
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		s.writeError(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: r.Method + " is not allowed on " + r.URL.Path + "; allowed: " + probe.header.Get("Allow")})
		return
	}
	s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found",
		Message: "no such endpoint: " + r.Method + " " + r.URL.Path + " (see /docs)"})
}

// statusProbe records what the mux's fallback handler would answer.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int)        { p.status = code }

// ctxKey keys request-scoped values.
type ctxKey int

const (
	userKey   ctxKey = iota // the authenticated store.User
	signedKey               // true when a signed URL authorised the request
)

// currentUser is the authenticated user of a bearer or signed request.
func currentUser(ctx context.Context) store.User {
	u, _ := ctx.Value(userKey).(store.User)
	return u
}
