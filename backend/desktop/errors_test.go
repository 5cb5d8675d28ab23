package desktop

import (
	"encoding/json"
	"strings"
	"testing"

	"podcastfy/backend/library"
)

// rejection is what a facade's promise rejects with in the window: the
// JSON Wails sends for FormatError's value.
func rejection(t *testing.T, err error) map[string]any {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	data, jerr := json.Marshal(FormatError(err))
	if jerr != nil {
		t.Fatal(jerr)
	}
	var out map[string]any
	if jerr := json.Unmarshal(data, &out); jerr != nil {
		t.Fatal(jerr)
	}
	return out
}

// wantRejection checks the code and field of a facade error as the window
// receives it; field "" wants no "field" key at all.
func wantRejection(t *testing.T, err error, code, field string) {
	t.Helper()
	r := rejection(t, err)
	msg, _ := r["message"].(string)
	got, has := r["field"]
	switch {
	case r["code"] != code || msg == "":
		t.Fatalf("rejection %v, want code %q with a message", r, code)
	case field == "" && has:
		t.Fatalf("rejection %v has a field, want none", r)
	case field != "" && got != field:
		t.Fatalf("rejection %v, want field %q", r, field)
	case len(r) > 3:
		t.Fatalf("rejection %v has more than code, field and message", r)
	}
}

// TestFacadeErrorShape calls facades as the window does and checks the
// exact object each rejection carries.
func TestFacadeErrorShape(t *testing.T) {
	e := newEnv(t)
	_, err := e.d.Library.List(library.Query{})
	wantRejection(t, err, "unauthorized", "")

	if _, err := e.auth.CreateUser("admin", testPassword, nil, true); err != nil {
		t.Fatal(err)
	}
	e.login(t, "ann", false)
	_, err = e.d.Generator.Start(GenerateRequest{Text: sourceText, Minutes: 500})
	wantRejection(t, err, "invalid_request", "minutes")
	_, err = e.d.Generator.Start(GenerateRequest{Text: sourceText, Title: "evil\u202Etxt.exe"})
	wantRejection(t, err, "invalid_request", "title")
	_, err = e.d.Generator.Start(GenerateRequest{Text: sourceText, TemplateID: "no-such"})
	wantRejection(t, err, "invalid_request", "template")
	_, err = e.d.Generator.Start(GenerateRequest{Sources: []SourceRef{{URL: "ftp://example.org/"}}})
	wantRejection(t, err, "invalid_request", "sources")
	_, err = e.d.Generator.Cancel("no-such-job")
	wantRejection(t, err, "not_found", "")
	_, err = e.d.Server.Status()
	wantRejection(t, err, "forbidden", "")

	r := rejection(t, errString("disk on fire"))
	if r["code"] != "internal" || !strings.Contains(r["message"].(string), "disk on fire") {
		t.Fatalf("an unknown error rejects with %v, want internal with its message", r)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
