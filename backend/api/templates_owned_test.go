package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"podcastfy/backend/store"
)

// A user's templates are theirs alone; an administrator's shared template
// is read by everyone and changed only by administrators; built-ins stay
// read-only; and a user's template is what their jobs use.
func TestTemplateOwnership(t *testing.T) {
	tt := newTester(t, testOptions{})
	carol := tt.addUser("carol")
	carolTok := tt.login(carol.Username)

	// bob's own template: invisible to others, who may use the same id.
	tt.do("POST", "/templates", tt.bobTok, validTemplate("bobs-show")).want(201)
	var sc store.Scoped
	tt.do("GET", "/templates/bobs-show", tt.bobTok, nil).want(200).decode(&sc)
	if sc.Scope != store.ScopePersonal {
		t.Fatalf("bob's template scope %q", sc.Scope)
	}
	for _, tok := range []string{carolTok, tt.aliceTok} { // not even the admin
		tt.do("GET", "/templates/bobs-show", tok, nil).want(404)
		tt.do("PUT", "/templates/bobs-show", tok, validTemplate("bobs-show")).want(201) // their own, new
		tt.do("DELETE", "/templates/bobs-show", tok, nil).want(204)                     // their own again
		tt.do("DELETE", "/templates/bobs-show", tok, nil).want(404)
	}
	var list templateList
	tt.do("GET", "/templates", carolTok, nil).want(200).decode(&list)
	for _, tpl := range list.Templates {
		if tpl.ID == "bobs-show" {
			t.Fatal("carol's list shows bob's template")
		}
	}
	tt.do("GET", "/templates/bobs-show", tt.bobTok, nil).want(200) // untouched

	// bob's template is what his job uses; carol cannot generate with it.
	tt.do("POST", "/podcasts/generate/text", carolTok, map[string]any{"text": sourceText, "templateId": "bobs-show", "minutes": 0.5}).want(400, "invalid_request")
	tt.do("POST", "/podcasts/generate/text", tt.bobTok, map[string]any{"text": sourceText, "templateId": "bobs-show", "minutes": 0.5}).want(202)

	// Shared: only an administrator publishes and changes it; all read it.
	tt.do("POST", "/templates?shared=true", tt.bobTok, validTemplate("house-style")).want(403, "read_only")
	tt.do("POST", "/templates?shared=true", tt.aliceTok, validTemplate("house-style")).want(201)
	tt.do("GET", "/templates/house-style", carolTok, nil).want(200).decode(&sc)
	if sc.Scope != store.ScopeShared {
		t.Fatalf("shared template scope %q", sc.Scope)
	}
	changed := validTemplate("house-style")
	changed["name"] = "Changed by bob"
	r := tt.do("PUT", "/templates/house-style", tt.bobTok, changed).want(403, "read_only")
	if !strings.Contains(string(r.body), "administrators") {
		t.Errorf("refusal does not say who may change it: %s", r.body)
	}
	tt.do("DELETE", "/templates/house-style", tt.bobTok, nil).want(403, "read_only")
	tt.do("POST", "/templates", tt.bobTok, validTemplate("house-style")).want(409, "conflict")
	changed["name"] = "Changed by alice"
	tt.do("PUT", "/templates/house-style", tt.aliceTok, changed).want(200)
	tt.do("GET", "/templates/house-style", tt.bobTok, nil).want(200).decode(&sc)
	if sc.Name != "Changed by alice" {
		t.Fatalf("bob sees %q", sc.Name)
	}
	tt.do("DELETE", "/templates/house-style", tt.aliceTok, nil).want(204)
	tt.do("GET", "/templates/house-style", tt.bobTok, nil).want(404)

	// Built-ins: read-only for everyone, the administrator too.
	tt.do("PUT", "/templates/deep-dive?shared=true", tt.aliceTok, validTemplate("deep-dive")).want(403, "read_only")
	tt.do("DELETE", "/templates/deep-dive", tt.aliceTok, nil).want(403, "read_only")
}

// Template files made before templates had owners stay where they are and
// become shared: every user still reads them, only administrators change
// them, and nothing is lost.
func TestTemplatesFromBeforeOwnersAreShared(t *testing.T) {
	tt := newTester(t, testOptions{})
	dir := tt.paths.TemplatesDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(yamlTemplate, "yaml-chat", "old-chat", 1)
	if err := os.WriteFile(filepath.Join(dir, "old-chat.yaml"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	var sc store.Scoped
	for _, tok := range []string{tt.aliceTok, tt.bobTok} {
		tt.do("GET", "/templates/old-chat", tok, nil).want(200).decode(&sc)
		if sc.Scope != store.ScopeShared || sc.Name != "YAML chat" {
			t.Fatalf("old template: %+v", sc)
		}
	}
	tt.do("DELETE", "/templates/old-chat", tt.bobTok, nil).want(403)
	if data, err := os.ReadFile(filepath.Join(dir, "old-chat.yaml")); err != nil || string(data) != old {
		t.Fatalf("the old file changed: %v", err)
	}
}
