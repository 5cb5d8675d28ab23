package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// checkSchema reports where a JSON value differs from a schema of the
// OpenAPI document: a property the schema does not declare, a required
// one missing, or a JSON type the schema does not allow. It follows $ref,
// arrays and object values.
func checkSchema(doc *openAPIDoc, sch map[string]any, v any, at string) []string {
	if ref, ok := sch["$ref"].(string); ok {
		return checkSchema(doc, doc.spec.Components.Schemas[refName(ref)], v, at)
	}
	var types []string
	switch t := sch["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, fmt.Sprint(x))
		}
	}
	got := jsonType(v)
	if len(types) > 0 && !slices.Contains(types, got) && !(got == "integer" && slices.Contains(types, "number")) {
		return []string{fmt.Sprintf("%s: a %s, the document says %v", at, got, types)}
	}
	var problems []string
	switch x := v.(type) {
	case map[string]any:
		props, _ := sch["properties"].(map[string]any)
		if req, ok := sch["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[fmt.Sprint(r)]; !ok {
					problems = append(problems, fmt.Sprintf("%s: required %q is missing", at, r))
				}
			}
		}
		extra, _ := sch["additionalProperties"].(map[string]any)
		for k, val := range x {
			if p, ok := props[k].(map[string]any); ok {
				problems = append(problems, checkSchema(doc, p, val, at+"."+k)...)
			} else if extra != nil {
				problems = append(problems, checkSchema(doc, extra, val, at+"."+k)...)
			} else if props != nil {
				problems = append(problems, fmt.Sprintf("%s: %q is not in the document", at, k))
			}
		}
	case []any:
		if items, ok := sch["items"].(map[string]any); ok {
			for i, val := range x {
				problems = append(problems, checkSchema(doc, items, val, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return problems
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// TestResponsesMatchSchemas checks real answers against the schemas the
// document gives for them, so a renamed or added field cannot go
// undocumented.
func TestResponsesMatchSchemas(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.alice, "Rivers", "text", 0)
	var acc jobAccepted
	accepted := tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 0.5}).want(202)
	accepted.decode(&acc)
	tt.follow(acc.JobID, tt.aliceTok)
	doc := tt.doc()
	for _, c := range []struct {
		method, path, schema string
		body                 any
		status               int
	}{
		{"POST", "/auth/login", "Session", map[string]string{"username": "bob", "password": password}, 200},
		{"GET", "/me", "Me", nil, 200},
		{"GET", "/voices?language=en", "VoiceList", nil, 200},
		{"POST", "/me/feed-key", "Me", nil, 200},
		{"GET", "/jobs", "JobList", nil, 200},
		{"GET", "/jobs/" + acc.JobID, "JobStatus", nil, 200},
		{"GET", "/podcasts", "PodcastPage", nil, 200},
		{"GET", "/podcasts/" + p.ID, "Podcast", nil, 200},
		{"PATCH", "/podcasts/" + p.ID, "Podcast", map[string]string{"title": "New"}, 200},
		{"GET", "/podcasts/" + p.ID + "/chapters.json", "ChaptersFile", nil, 200},
		{"GET", "/templates", "TemplateList", nil, 200},
		{"GET", "/templates/deep-dive", "Template", nil, 200},
		{"POST", "/templates", "Template", validTemplate("schema-check"), 201},
		{"GET", "/users", "UserList", nil, 200},
		{"POST", "/users", "User", map[string]any{"username": "carol", "password": password}, 201},
		{"GET", "/healthz", "Health", nil, 200},
		{"GET", "/admin/settings", "Settings", nil, 200},
		{"GET", "/admin/health", "ServiceHealthList", nil, 200},
		{"GET", "/admin/voice-presets", "VoicePresetList", nil, 200},
		{"GET", "/setup", "SetupStatus", nil, 200},
		{"POST", "/setup", "Error", map[string]string{"username": "x", "password": password}, 409},
		{"GET", "/podcasts/nope", "Error", nil, 404},
		{"POST", "/podcasts/generate/text", "Error", `{"x":1}`, 400},
	} {
		r := tt.do(c.method, c.path, tt.aliceTok, c.body).want(c.status)
		var v any
		r.decode(&v)
		for _, problem := range checkSchema(doc, map[string]any{"$ref": "#/components/schemas/" + c.schema}, v, c.schema) {
			t.Errorf("%s %s: %s", c.method, c.path, problem)
		}
	}
	var v any
	json.Unmarshal(accepted.body, &v)
	for _, problem := range checkSchema(doc, map[string]any{"$ref": "#/components/schemas/JobAccepted"}, v, "JobAccepted") {
		t.Errorf("generate: %s", problem)
	}
	if got := checkSchema(doc, map[string]any{"$ref": "#/components/schemas/Health"}, map[string]any{"status": "ok"}, "Health"); len(got) != 1 || !strings.Contains(got[0], "version") {
		t.Errorf("the checker misses a missing field: %v", got)
	}
	extra := map[string]any{"status": "ok", "version": "1", "uptime": 5}
	if got := checkSchema(doc, map[string]any{"$ref": "#/components/schemas/Health"}, extra, "Health"); len(got) != 1 || !strings.Contains(got[0], "uptime") {
		t.Errorf("the checker misses an undocumented field: %v", got)
	}
}

func (tt *tester) doc() *openAPIDoc {
	tt.t.Helper()
	doc, err := loadOpenAPI()
	if err != nil {
		tt.t.Fatal(err)
	}
	return doc
}
