package api

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"podcastfy/backend/config"
	"podcastfy/backend/core"
)

func TestSecurityHeaders(t *testing.T) {
	tt := newTester(t, testOptions{})
	for _, path := range []string{"/healthz", "/docs", "/", "/podcasts", "/nope"} {
		r := tt.do("GET", path, tt.aliceTok, nil)
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if r.header.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, r.header.Get(k), v)
			}
		}
		csp := r.header.Get("Content-Security-Policy")
		if path == "/docs" || path == "/" {
			if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "script-src 'unsafe") {
				t.Errorf("%s: CSP %q", path, csp)
			}
		} else if !strings.HasPrefix(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS header without CORS configured", path)
		}
	}
	if cc := tt.do("GET", "/podcasts", tt.aliceTok, nil).header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("API JSON Cache-Control %q", cc)
	}
	tt.do("OPTIONS", "/podcasts", "", nil, "Origin: http://evil.example", "Access-Control-Request-Method: GET").want(405)
}

func TestCORS(t *testing.T) {
	tt := newTester(t, testOptions{settings: config.ServerSettings{CORSOrigins: []string{"http://phone.local:5173"}}})
	r := tt.do("OPTIONS", "/podcasts", "", nil, "Origin: http://phone.local:5173", "Access-Control-Request-Method: GET").want(204)
	if r.header.Get("Access-Control-Allow-Origin") != "http://phone.local:5173" || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %v", r.header)
	}
	r = tt.do("GET", "/podcasts", tt.aliceTok, nil, "Origin: http://phone.local:5173").want(200)
	if r.header.Get("Access-Control-Allow-Origin") != "http://phone.local:5173" || r.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("CORS GET: %v", r.header)
	}
	r = tt.do("GET", "/podcasts", tt.aliceTok, nil, "Origin: http://evil.example").want(200)
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("an unlisted origin was allowed")
	}
	anyOrigin := newTester(t, testOptions{settings: config.ServerSettings{CORSOrigins: []string{"*"}}})
	if anyOrigin.do("GET", "/healthz", "", nil, "Origin: http://x.example").header.Get("Access-Control-Allow-Origin") != "http://x.example" {
		t.Fatal(`"*" does not allow any origin`)
	}
}

// TestOpenAPIMatchesRoutes fails when a route and the document disagree:
// a route without an operation or an operation without a route, or a
// different authentication.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{doc: doc}
	documented := map[string]operation{}
	for path, item := range doc.spec.Paths {
		for method, op := range item {
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	ids := map[string]bool{}
	for _, rt := range s.routes() {
		key := rt.method + " " + rt.docPath()
		op, ok := documented[key]
		if !ok {
			t.Errorf("route %s is not in openapi.yaml", key)
			continue
		}
		delete(documented, key)
		if op.OperationID == "" || ids[op.OperationID] || op.Summary == "" || op.Description == "" {
			t.Errorf("%s: operationId %q (unique), summary and description are required", key, op.OperationID)
		}
		ids[op.OperationID] = true
		var schemes []string
		sec := doc.spec.Security
		if op.Security != nil {
			sec = *op.Security
		}
		for _, req := range sec {
			for name := range req {
				schemes = append(schemes, name)
			}
		}
		slices.Sort(schemes)
		want := map[access][]string{
			public: nil, bearer: {"bearerAuth"}, admin: {"bearerAuth"},
			media: {"bearerAuth", "feedSignedUrl", "signedUrl"}, signedPath: nil,
		}[rt.access]
		if rt.path == "/feed.xml" || rt.path == "/feed/artwork.png" {
			want = []string{"feedKey"}
		}
		if !slices.Equal(schemes, want) {
			t.Errorf("%s: the document says security %v, the route needs %v", key, schemes, want)
		}
		if rt.access == bearer || rt.access == admin || rt.access == media || rt.access == signedPath {
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s: authenticated but no 401 documented", key)
			}
		}
		if rt.access == admin {
			if _, ok := op.Responses["403"]; !ok {
				t.Errorf("%s: admin-only but no 403 documented", key)
			}
		}
	}
	for key := range documented {
		t.Errorf("openapi.yaml documents %s, which is not a route", key)
	}
}

func TestOpenAPIDocsAndHealth(t *testing.T) {
	tt := newTester(t, testOptions{})
	r := tt.do("GET", "/openapi.json", "", nil).want(200)
	var doc map[string]any
	if err := json.Unmarshal(r.body, &doc); err != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi.json: %v %v", err, doc["openapi"])
	}
	docs := tt.do("GET", "/docs", "", nil).want(200)
	page := string(docs.body)
	if !strings.HasPrefix(docs.header.Get("Content-Type"), "text/html") || strings.Contains(page, "<script") || strings.Contains(page, "http://cdn") {
		t.Fatalf("docs page: %q…", clip(page))
	}
	s := &server{}
	for _, rt := range s.routes() {
		if !strings.Contains(page, ">"+rt.method+"</span> <span class=\"path\">"+rt.docPath()+"</span>") {
			t.Errorf("/docs does not show %s %s", rt.method, rt.docPath())
		}
	}
	for _, want := range []string{"schema-Podcast", "session token or signed URL", "Authentication: none", "<code>bytes=0-1023</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs lacks %q", want)
		}
	}
	var h healthJSON
	tt.do("GET", "/healthz", "", nil).want(200).decode(&h)
	if h.Status != "ok" || h.Version != "test" {
		t.Fatalf("health: %+v", h)
	}
}

func TestWebUI(t *testing.T) {
	tt := newTester(t, testOptions{})
	r := tt.do("GET", "/", "", nil).want(200)
	if !strings.Contains(string(r.body), "not built") || !strings.Contains(string(r.body), `href="/docs"`) {
		t.Fatalf("/ without a UI: %s", r.body)
	}
	tt.do("GET", "/assets/app.js", "", nil).want(404)

	ui := fstest.MapFS{
		"index.html":       {Data: []byte("<!doctype html><title>podcastfy</title>")},
		"assets/app-1a.js": {Data: []byte("console.log(1)")},
		"assets/.secret":   {Data: []byte("x")},
		"assets/style.css": {Data: []byte("body{}")},
	}
	h := NewServer(Deps{UI: ui})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	if rec := get("/"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "<title>podcastfy") || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("/: %d %q", rec.Code, rec.Body.String())
	}
	if rec := get("/assets/app-1a.js"); rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "javascript") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %v", rec.Code, rec.Header())
	}
	for _, p := range []string{"/assets/.secret", "/assets/nope.js", "/index.html", "/assets/%2e%2e%2findex.html", "/podcasts-ui"} {
		if rec := get(p); rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

// panicJobs makes the job list panic, to check recovery.
type panicJobs struct{ Jobs }

func (panicJobs) List(context.Context, string) []core.Status { panic("boom: secret detail") }

func TestPanicBecomes500(t *testing.T) {
	tt := newTester(t, testOptions{jobs: panicJobs{}})
	r := tt.do("GET", "/jobs", tt.aliceTok, nil).want(500, "internal")
	if strings.Contains(string(r.body), "secret detail") || strings.Contains(string(r.body), "goroutine") {
		t.Fatalf("500 leaks the panic: %s", r.body)
	}
	tt.do("GET", "/healthz", "", nil).want(200)
}

// FuzzDecoders feeds arbitrary bodies to every JSON request type: the
// answer is nil or a 4xx error, never a panic.
func FuzzDecoders(f *testing.F) {
	for _, s := range []string{
		`{"text":"hello","minutes":2,"voices":{"Alex":"en"}}`, `{"username":"a","password":"b"}`, `{"title":"x"}`,
		`{"id":"x","name":"n","speakers":[{"name":"A","role":"r","voices":{"espeak":"en"}}],"structure":["a"],"minutes":1,"language":"en","llmPromptInstructions":"i","description":""}`,
		``, `null`, `[]`, `{`, `{"text":1}`, `{"minutes":1e999}`, `{"minutes":NaN}`, `{"voices":{"a":1}}`, `{"x":1}`, `{} {}`, "{\"text\":\"\xff\"}",
		`{"email":null,"isAdmin":"true"}`, `{"title":null}`, `{"text":"a","text":"b"}`, `  {"title":"\u0000"}  `,
		`{"sources":[{"kind":"url","url":"https://example.com/a"}]}`, `{"text":"x","sources":[{"kind":"url","url":"file:///etc/passwd"}]}`,
		`{"sources":[{"kind":"file","url":"/etc/passwd"}]}`, `{"sources":[{"kind":"url","url":"http://[::1"}]}`, `{"sources":null}`,
		`{"sources":[{"kind":"url","url":"https://a.b/\u0007"}]}`, `{"sources":[{}]}`, `{"sources":[{"path":"/x"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []checker{&generateRequest{}, &loginRequest{}, &patchRequest{}, &newUserRequest{}, &templateBody{}} {
			err := decodeStrict(data, v)
			if err == nil {
				continue
			}
			e := toError(err)
			if e.Status < 400 || e.Status > 499 || e.Code == "" || e.Message == "" {
				t.Fatalf("decoding %q into %T: %#v", data, v, err)
			}
		}
	})
}
