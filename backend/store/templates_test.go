package store

import (
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"podcastfy/backend/template"
)

const userTemplate = `id: deep-dive
name: My deep dive
description: mine
llmPromptInstructions: Talk.
speakers:
  - name: Solo
    role: Host
    voices: {espeak: en-us+m3}
structure: [All]
minutes: 3
language: en
`

func TestTemplatesBuiltin(t *testing.T) {
	ts := open(t, testPaths(t)).Templates()
	list, errs := ts.List()
	if len(errs) != 0 {
		t.Fatalf("built-in errors: %v", errs)
	}
	var ids []string
	for _, tpl := range list {
		ids = append(ids, tpl.ID)
		if !tpl.BuiltIn {
			t.Errorf("%s is not marked built-in", tpl.ID)
		}
	}
	for _, want := range []string{"brief", "critique", "debate", "deep-dive", "eli10", "interview"} {
		if !slices.Contains(ids, want) {
			t.Errorf("built-in %s missing from %v", want, ids)
		}
	}
	if !slices.IsSortedFunc(list, func(a, b template.Template) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	}) {
		t.Errorf("not sorted by name: %v", ids)
	}
	tpl, err := ts.Get("brief")
	if err != nil || tpl.ID != "brief" || !tpl.BuiltIn {
		t.Fatalf("Get(brief) = %+v, %v", tpl, err)
	}
	// A caller changing its copy does not change the store's.
	tpl.Speakers[0].Voices["espeak"] = "changed"
	again, _ := ts.Get("brief")
	if again.Speakers[0].Voices["espeak"] == "changed" {
		t.Fatal("Get returned shared data")
	}
}

func TestTemplatesOverrideAndErrors(t *testing.T) {
	paths := testPaths(t)
	ts := open(t, paths).Templates()
	dir := paths.TemplatesDir()
	write(t, filepath.Join(dir, "deep-dive.yaml"), userTemplate)
	write(t, filepath.Join(dir, "broken.yaml"), "id: broken\nname: Broken\nminutes: lots\n")
	write(t, filepath.Join(dir, "debate.yaml"), "id: debate\nname: [\n") // broken override
	write(t, filepath.Join(dir, "mismatch.yaml"), strings.Replace(userTemplate, "id: deep-dive", "id: other", 1))
	write(t, filepath.Join(dir, "Bad_Name.yaml"), userTemplate)
	write(t, filepath.Join(dir, "notes.txt"), "ignored")

	list, errs := ts.List()
	byID := map[string]template.Template{}
	for _, tpl := range list {
		byID[tpl.ID] = tpl
	}
	if d := byID["deep-dive"]; d.Name != "My deep dive" || d.BuiltIn {
		t.Fatalf("user file did not override: %+v", d)
	}
	if d := byID["debate"]; !d.BuiltIn {
		t.Fatalf("a broken override hid the built-in: %+v", d)
	}
	if _, ok := byID["brief"]; !ok || len(list) != 6 {
		t.Fatalf("other templates missing: %d listed", len(list))
	}
	wantErrs := []string{
		filepath.Join(dir, "broken.yaml") + `:3: key "minutes": expected a number`,
		filepath.Join(dir, "debate.yaml") + ":2:",
		filepath.Join(dir, "mismatch.yaml") + `: the id "other" does not match the file name`,
		filepath.Join(dir, "Bad_Name.yaml") + ": the file name is not a template id",
	}
	joined := errors.Join(errs...).Error()
	if len(errs) != len(wantErrs) {
		t.Errorf("got %d errors, want %d:\n%s", len(errs), len(wantErrs), joined)
	}
	for _, w := range wantErrs {
		if !strings.Contains(joined, w) {
			t.Errorf("errors lack %q:\n%s", w, joined)
		}
	}
	if tpl, err := ts.Get("deep-dive"); err != nil || tpl.Name != "My deep dive" {
		t.Fatalf("Get(deep-dive) = %+v, %v", tpl, err)
	}
	if _, err := ts.Get("debate"); err == nil || !strings.Contains(err.Error(), "debate.yaml:2:") {
		t.Fatalf("Get of a broken override: %v", err)
	}
}

func TestTemplatesSaveDelete(t *testing.T) {
	paths := testPaths(t)
	ts := open(t, paths).Templates()
	mine, err := template.Parse("mine", []byte(strings.Replace(userTemplate, "id: deep-dive", "id: mine", 1)))
	if err != nil {
		t.Fatal(err)
	}
	mine.BuiltIn = true // ignored: a saved template is the user's
	if err := ts.Save(mine); err != nil {
		t.Fatal(err)
	}
	got, err := ts.Get("mine")
	mine.BuiltIn = false
	if err != nil || got.Name != mine.Name || got.BuiltIn {
		t.Fatalf("Get after Save = %+v, %v", got, err)
	}
	// Overriding and then deleting the override reveals the built-in.
	brief, _ := ts.Get("brief")
	brief.Name = "Shorter brief"
	if err := ts.Save(brief); err != nil {
		t.Fatal(err)
	}
	if b, _ := ts.Get("brief"); b.Name != "Shorter brief" || b.BuiltIn {
		t.Fatalf("override not used: %+v", b)
	}
	if err := ts.Delete("brief"); err != nil {
		t.Fatal(err)
	}
	if b, _ := ts.Get("brief"); b.Name == "Shorter brief" || !b.BuiltIn {
		t.Fatalf("built-in not back: %+v", b)
	}
	mustErr(t, ts.Delete("brief"), ErrReadOnly)
	mustErr(t, ts.Delete("nothing"), ErrNotFound)
	mustErr(t, ts.Delete("../x"), ErrInvalidID)
	if err := ts.Delete("mine"); err != nil {
		t.Fatal(err)
	}
	_, err = ts.Get("mine")
	mustErr(t, err, ErrNotFound)
	_, err = ts.Get("Bad")
	mustErr(t, err, ErrInvalidID)

	bad := mine
	bad.Minutes = 0
	if err := ts.Save(bad); err == nil || !strings.Contains(err.Error(), "minutes") {
		t.Fatalf("Save of an invalid template: %v", err)
	}
	bad = mine
	bad.ID = "../../x"
	mustErr(t, ts.Save(bad), ErrInvalidID)
	if names := dirNames(t, paths.TemplatesDir()); len(names) != 0 {
		t.Fatalf("files left: %v", names)
	}
}

func TestTemplatesInvalidBuiltin(t *testing.T) {
	paths := testPaths(t)
	fsys := fstest.MapFS{
		"good.yaml": {Data: []byte(strings.Replace(userTemplate, "id: deep-dive", "id: good", 1))},
		"bad.yaml":  {Data: []byte("id: bad\nfoo: 1\n")},
	}
	s, err := Open(paths, fsys, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	list, errs := s.Templates().List()
	if len(list) != 1 || list[0].ID != "good" {
		t.Fatalf("list %+v", list)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `built-in bad.yaml:2: unknown key "foo"`) {
		t.Fatalf("errors %v", errs)
	}
}
