package desktop

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"podcastfy/backend/template"
)

func TestTemplatesNeedLogin(t *testing.T) {
	e := newEnv(t)
	tp := e.d.Templates
	_, err := tp.List()
	notLoggedIn(t, "List", err)
	_, err = tp.Get("deep-dive")
	notLoggedIn(t, "Get", err)
	_, err = tp.Save(template.Template{})
	notLoggedIn(t, "Save", err)
	notLoggedIn(t, "Delete", tp.Delete("deep-dive"))
	_, err = tp.Validate(template.Template{})
	notLoggedIn(t, "Validate", err)
}

func TestTemplates(t *testing.T) {
	e := newEnv(t)
	e.login(t, "bob", false)
	tp := e.d.Templates

	list, err := tp.List()
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(list))
	for i, x := range list {
		ids[i] = x.ID
	}
	if !slices.Contains(ids, "deep-dive") || !slices.Contains(ids, "interview") {
		t.Fatalf("List = %v, want the built-in templates", ids)
	}
	dd, err := tp.Get("deep-dive")
	if err != nil || !dd.BuiltIn || len(dd.Speakers) == 0 {
		t.Fatalf("Get(deep-dive) = %+v, %v", dd, err)
	}
	_, err = tp.Get("nope")
	wantErr(t, err, `there is no template "nope"`)

	// New from a copy.
	mine := dd
	mine.ID, mine.Name = "my-dive", "My dive"
	if problems, err := tp.Validate(mine); err != nil || len(problems) != 0 {
		t.Fatalf("Validate of a good template = %+v, %v", problems, err)
	}
	saved, err := tp.Save(mine)
	if err != nil || saved.ID != "my-dive" || saved.BuiltIn || saved.Name != "My dive" {
		t.Fatalf("Save = %+v, %v", saved, err)
	}
	if got, err := tp.Get("my-dive"); err != nil || got.Name != "My dive" {
		t.Errorf("Get after Save = %+v, %v", got, err)
	}

	// Rule breaks come back by field, in Save's message as JSON too.
	bad := mine
	bad.Speakers = slices.Clone(mine.Speakers)
	bad.Speakers[0].Name = ""
	bad.Minutes = -3
	problems, err := tp.Validate(bad)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, p := range problems {
		fields[p.Field] = true
		if p.Message == "" {
			t.Errorf("problem at %s has no message", p.Field)
		}
	}
	if !fields["speakers[0].name"] || !fields["minutes"] {
		t.Errorf("Validate problems = %+v, want speakers[0].name and minutes", problems)
	}
	_, err = tp.Save(bad)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Save of a bad template: %v, want a ValidationError", err)
	}
	var decoded struct {
		Problems []FieldProblem `json:"problems"`
	}
	if jerr := json.Unmarshal([]byte(err.Error()), &decoded); jerr != nil || !slices.Equal(decoded.Problems, problems) {
		t.Errorf("Save error message %s does not decode to the problems (%v)", err, jerr)
	}

	wantErr(t, tp.Delete("deep-dive"), "built-in template and cannot be changed or deleted")
	wantErr(t, tp.Delete("nope"), `there is no template "nope"`)
	wantErr(t, tp.Delete("my-dive"), "")
	if _, err := tp.Get("my-dive"); err == nil {
		t.Error("Get after Delete found the template")
	}
}
