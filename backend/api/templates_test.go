package api

import (
	"encoding/json"
	"strings"
	"testing"

	"podcastfy/backend/template"
)

func validTemplate(id string) map[string]any {
	return map[string]any{
		"id": id, "name": "Quick chat", "description": "Two friends talk",
		"llmPromptInstructions": "Keep it light.",
		"speakers": []map[string]any{
			{"name": "Ann", "role": "host", "voices": map[string]string{"espeak": "en-us"}},
			{"name": "Ben", "role": "guest", "voices": map[string]string{"espeak": "en-gb"}},
		},
		"structure": []string{"Hello", "Talk", "Bye"},
		"minutes":   3, "language": "en",
	}
}

const yamlTemplate = `id: yaml-chat
name: YAML chat
description: Sent as a file
llmPromptInstructions: Be brief.
speakers:
  - name: Ann
    role: host
    voices:
      espeak: en-us
structure: [Start, End]
minutes: 2
language: en
`

func TestTemplates(t *testing.T) {
	tt := newTester(t, testOptions{})
	var list templateList
	tt.do("GET", "/templates", tt.bobTok, nil).want(200).decode(&list)
	builtins := 0
	for _, tpl := range list.Templates {
		if tpl.BuiltIn {
			builtins++
		}
	}
	if builtins < 3 || len(list.Problems) != 0 {
		t.Fatalf("templates: %d built-in of %d, problems %v", builtins, len(list.Templates), list.Problems)
	}
	var dd template.Template
	tt.do("GET", "/templates/deep-dive", tt.bobTok, nil).want(200).decode(&dd)
	if dd.ID != "deep-dive" || !dd.BuiltIn || len(dd.Speakers) == 0 {
		t.Fatalf("deep-dive: %+v", dd)
	}
	tt.do("GET", "/templates/nope", tt.bobTok, nil).want(404)
	tt.do("GET", "/templates/Bad_ID", tt.bobTok, nil).want(404)
	tt.do("GET", "/templates", "", nil).want(401)

	var created template.Template
	r := tt.do("POST", "/templates", tt.aliceTok, validTemplate("quick-chat")).want(201)
	r.decode(&created)
	if created.ID != "quick-chat" || created.BuiltIn || r.header.Get("Location") != "/templates/quick-chat" {
		t.Fatalf("created: %+v", created)
	}
	tt.do("POST", "/templates", tt.aliceTok, validTemplate("quick-chat")).want(409, "conflict:id")
	tt.do("POST", "/templates", tt.aliceTok, validTemplate("deep-dive")).want(409, "conflict")
	tt.do("POST", "/templates", tt.aliceTok, yamlTemplate, "Content-Type: application/yaml").want(201)
	tt.do("GET", "/templates/yaml-chat", tt.aliceTok, nil).want(200)
	tt.do("GET", "/templates/yaml-chat", tt.bobTok, nil).want(404) // alice's own

	bad := func(change func(map[string]any)) map[string]any {
		m := validTemplate("broken")
		change(m)
		return m
	}
	for name, c := range map[string]struct {
		body    any
		headers []string
		code    string
	}{
		"no speakers": {bad(func(m map[string]any) { m["speakers"] = []any{} }), nil, "invalid_template:speakers"},
		"bad id":      {bad(func(m map[string]any) { m["id"] = "../etc" }), nil, "invalid_template"},
		"minutes":     {bad(func(m map[string]any) { m["minutes"] = 500 }), nil, "invalid_template:minutes"},
		"unknown key": {bad(func(m map[string]any) { m["voice"] = "x" }), nil, "unknown_field"},
		"wrong type":  {bad(func(m map[string]any) { m["structure"] = "Hello" }), nil, "wrong_type"},
		"unknown tts": {bad(func(m map[string]any) {
			m["speakers"] = []map[string]any{{"name": "A", "role": "r", "voices": map[string]string{"siri": "x"}}}
		}), nil, "invalid_template"},
		"yaml bad key":   {strings.Replace(yamlTemplate, "minutes:", "minuets:", 1), []string{"Content-Type: application/yaml"}, "invalid_template"},
		"yaml syntax":    {"id: [unclosed", []string{"Content-Type: application/yaml"}, "invalid_template"},
		"yaml too large": {strings.Repeat("#", template.MaxFileBytes+1), []string{"Content-Type: application/yaml"}, "too_large"},
	} {
		t.Run(name, func(t *testing.T) {
			r := tt.with(t).do("POST", "/templates", tt.aliceTok, c.body, c.headers...)
			if c.code == "too_large" {
				r.want(413, c.code)
				return
			}
			r.want(400, c.code)
		})
	}
	r = tt.do("POST", "/templates", tt.aliceTok, strings.Replace(yamlTemplate, "minutes: 2", "minutes: 999", 1), "Content-Type: application/yaml").want(400)
	if !strings.Contains(string(r.body), ":11:") {
		t.Errorf("a YAML error should name its line like the CLI: %s", r.body)
	}

	changed := validTemplate("quick-chat")
	changed["name"] = "Quicker chat"
	var put template.Template
	tt.do("PUT", "/templates/quick-chat", tt.aliceTok, changed).want(200).decode(&put)
	if put.Name != "Quicker chat" {
		t.Fatalf("put: %+v", put)
	}
	tt.do("PUT", "/templates/new-one", tt.aliceTok, validTemplate("new-one")).want(201)
	tt.do("PUT", "/templates/other-id", tt.aliceTok, validTemplate("quick-chat")).want(400, "id_mismatch")
	tt.do("PUT", "/templates/deep-dive", tt.aliceTok, validTemplate("deep-dive")).want(403, "read_only")
	tt.do("PUT", "/templates/..", tt.aliceTok, validTemplate("x")).want(400, "bad_path")
	tt.do("PUT", "/templates/Bad_Id", tt.aliceTok, validTemplate("x")).want(404)

	tt.do("DELETE", "/templates/deep-dive", tt.aliceTok, nil).want(403, "read_only")
	tt.do("DELETE", "/templates/quick-chat", tt.aliceTok, nil).want(204)
	tt.do("DELETE", "/templates/quick-chat", tt.aliceTok, nil).want(404)
	tt.do("DELETE", "/templates/NOPE", tt.aliceTok, nil).want(404)
	tt.do("GET", "/templates/deep-dive", tt.aliceTok, nil).want(200)
	var after template.Template
	json.Unmarshal(tt.do("GET", "/templates/deep-dive", tt.aliceTok, nil).body, &after)
	if !after.BuiltIn {
		t.Fatal("built-in changed")
	}
}
