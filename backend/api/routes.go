package api

import (
	"net/http"
	"strings"
)

// access says who may call a route.
type access int

const (
	public     access = iota // anyone (login, health, docs, the feed with its own key)
	bearer                   // a valid session token: Authorization: Bearer <jwt>
	admin                    // a valid session token of an admin
	media                    // a session token or a signed URL (?exp=&sig=)
	signedPath               // a feed signature in the path: …/{user}/{sig}/{name}
)

// kind says how a route uses the connection, which sets its deadlines.
type kind int

const (
	small  kind = iota // no body or a JSON body; quick JSON answer
	upload             // a multipart upload; generous read deadline
	stream             // a long answer (media, SSE); no deadlines
)

// route is one endpoint. The table below registers the handlers and is what
// TestOpenAPIMatchesRoutes compares with the OpenAPI document.
type route struct {
	method  string
	path    string // ServeMux pattern path; "/{$}" is the exact root
	access  access
	kind    kind
	handler http.HandlerFunc
}

// routes lists every endpoint of the API.
func (s *server) routes() []route {
	return []route{
		{"GET", "/setup", public, small, s.getSetup},
		{"POST", "/setup", public, small, s.postSetup},
		{"POST", "/auth/login", public, small, s.login},
		{"GET", "/me", bearer, small, s.getMe},
		{"POST", "/me/feed-key", bearer, small, s.rotateFeedKey},
		{"POST", "/me/password", bearer, small, s.changePassword},
		{"GET", "/voices", bearer, small, s.listVoices},
		{"POST", "/voices/preview", bearer, small, s.previewVoice},

		{"POST", "/podcasts/plan", bearer, small, s.planPodcast},
		{"POST", "/podcasts/generate/text", bearer, small, s.generateText},
		{"POST", "/podcasts/generate/audio", bearer, upload, s.generateAudio},
		{"POST", "/podcasts/generate/files", bearer, upload, s.generateFiles},
		{"GET", "/jobs", bearer, small, s.listJobs},
		{"GET", "/jobs/{id}", bearer, small, s.getJob},
		{"DELETE", "/jobs/{id}", bearer, small, s.cancelJob},
		{"POST", "/jobs/{id}/resume", bearer, small, s.resumeJob},
		{"GET", "/jobs/{id}/events", bearer, stream, s.jobEvents},
		{"GET", "/jobs/{id}/audio", media, stream, s.jobAudio},
		{"GET", "/jobs/{id}/lines", bearer, small, s.jobLines},

		{"GET", "/podcasts", bearer, small, s.listPodcasts},
		{"GET", "/podcasts/{id}", bearer, small, s.getPodcast},
		{"PATCH", "/podcasts/{id}", bearer, small, s.patchPodcast},
		{"DELETE", "/podcasts/{id}", bearer, small, s.deletePodcast},
		{"GET", "/podcasts/{id}/audio", media, stream, s.serveMedia(mediaAudio)},
		{"GET", "/podcasts/{id}/transcript.vtt", media, stream, s.serveMedia(mediaVTT)},
		{"GET", "/podcasts/{id}/transcript.srt", media, stream, s.serveMedia(mediaSRT)},
		{"GET", "/podcasts/{id}/chapters.json", media, stream, s.serveMedia(mediaChapters)},
		{"GET", "/podcasts/{id}/script.json", media, stream, s.serveMedia(mediaScript)},
		{"GET", "/podcasts/{id}/source", media, stream, s.serveMedia(mediaSource)},
		{"GET", "/podcasts/{id}/audio/{user}/{sig}/{name}", signedPath, stream, s.feedAudio},
		{"GET", "/podcasts/{id}/artwork.png", media, small, s.episodeArtwork},
		{"GET", "/podcasts/{id}/script", bearer, small, s.getScript},
		{"PUT", "/podcasts/{id}/script", bearer, upload, s.putScript},
		{"POST", "/podcasts/{id}/script/rewrite", bearer, upload, s.rewriteScript}, // Ollama may take minutes
		{"GET", "/podcasts/{id}/versions", bearer, small, s.listVersions},
		{"POST", "/podcasts/{id}/versions/{v}/restore", bearer, small, s.restoreVersion},

		{"GET", "/templates", bearer, small, s.listTemplates},
		{"GET", "/templates/{id}", bearer, small, s.getTemplate},
		{"POST", "/templates", bearer, small, s.createTemplate},
		{"PUT", "/templates/{id}", bearer, small, s.putTemplate},
		{"DELETE", "/templates/{id}", bearer, small, s.deleteTemplate},

		{"GET", "/users", admin, small, s.listUsers},
		{"POST", "/users", admin, small, s.createUser},
		{"DELETE", "/users/{id}", admin, small, s.deleteUser},
		{"POST", "/users/{id}/password", admin, small, s.resetPassword},

		{"GET", "/admin/settings", admin, small, s.getSettings},
		{"PUT", "/admin/settings", admin, small, s.putSettings},
		{"GET", "/admin/health", admin, small, s.adminHealth},
		{"GET", "/admin/models", admin, small, s.adminModels},
		{"GET", "/admin/models/context", admin, small, s.adminModelContext},
		{"GET", "/admin/voice-presets", admin, small, s.voicePresets},

		{"GET", "/feed.xml", public, small, s.feed},
		{"GET", "/feed/artwork.png", public, small, s.showArtwork},
		{"GET", "/favicon.ico", public, small, s.favicon},
		{"GET", "/openapi.json", public, small, s.openAPI},
		{"GET", "/docs", public, small, s.docs},
		{"GET", "/healthz", public, small, s.health},
		{"GET", "/{$}", public, small, s.webUI},
		{"GET", "/assets/{file}", public, small, s.webAsset},
	}
}

// register adds every route to the mux, wrapped in its access check and
// connection deadlines.
func (s *server) register() {
	for _, rt := range s.routes() {
		h := s.deadlines(rt.kind, rt.access == public, rt.handler)
		switch rt.access {
		case bearer:
			h = s.requireUser(false, h)
		case admin:
			h = s.requireUser(true, h)
		case media:
			h = s.requireUserOrSignature(h)
		case signedPath:
			h = s.requirePathSignature(h)
		}
		s.mux.Handle(rt.method+" "+rt.path, h)
	}
}

// docPath is a route's path as the OpenAPI document writes it.
func (rt route) docPath() string {
	return strings.TrimSuffix(rt.path, "{$}")
}
