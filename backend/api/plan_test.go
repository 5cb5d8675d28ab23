package api

import (
	"encoding/json"
	"strings"
	"testing"

	"podcastfy/backend/core"
)

// problemsOf reads the problems of a plan or of a refused generate request.
func problemsOf(t *testing.T, r reply) (core.Plan, []core.Problem) {
	t.Helper()
	var body struct {
		core.Plan
		Error struct{ Problems []core.Problem } `json:"error"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if r.status >= 400 {
		return core.Plan{}, body.Error.Problems
	}
	return body.Plan, body.Plan.Problems
}

func wantProblem(t *testing.T, probs []core.Problem, field, code, severity, text string) {
	t.Helper()
	for _, p := range probs {
		if p.Field == field && p.Code == code && p.Severity == severity && strings.Contains(p.Message, text) {
			return
		}
	}
	t.Fatalf("no %s %s at %s containing %q in %+v", severity, code, field, text, probs)
}

func TestPlanRoute(t *testing.T) {
	tt := newTester(t, testOptions{})
	doc := tt.doc()

	r := tt.do("POST", "/podcasts/plan", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 10, "writer": "extractive"}).want(200)
	var v any
	r.decode(&v)
	for _, problem := range checkSchema(doc, map[string]any{"$ref": "#/components/schemas/Plan"}, v, "Plan") {
		t.Error(problem)
	}
	plan, probs := problemsOf(t, r)
	if plan.Writer != "extractive" || plan.TTS != "espeak" || plan.Minutes != 10 || plan.MinutesFillable <= 0 || plan.MinutesFillable >= 10 {
		t.Errorf("plan %+v", plan)
	}
	wantProblem(t, probs, "minutes", core.CodeShortSource, core.SeverityWarning, "not the 10 minutes asked for")

	// Nothing wrong: an empty list, not null.
	r = tt.do("POST", "/podcasts/plan", tt.aliceTok, map[string]any{"text": sourceText, "minutes": 0.5}).want(200)
	if !strings.Contains(string(r.body), `"problems":[]`) {
		t.Errorf("plan without problems: %s", r.body)
	}

	// Every field at fault at once; planning is not refusing.
	r = tt.do("POST", "/podcasts/plan", tt.aliceTok, map[string]any{"text": sourceText, "title": strings.Repeat("x", 201), "language": "not a language"}).want(200)
	_, probs = problemsOf(t, r)
	wantProblem(t, probs, "title", "invalid_request", core.SeverityError, "200 characters")
	wantProblem(t, probs, "language", "invalid_request", core.SeverityError, "not a language code")

	// A form not yet filled: what will run, and no problem at text before
	// the person typed; generating it is refused at text.
	r = tt.do("POST", "/podcasts/plan", tt.aliceTok, map[string]any{"writer": "auto", "tts": "say"}).want(200)
	plan, probs = problemsOf(t, r)
	if (plan.Writer != "ollama" && plan.Writer != "extractive") || plan.TTS != "espeak" || plan.Minutes == 0 {
		t.Errorf("an empty form's plan %+v, want the writer and voices that will run", plan)
	}
	wantProblem(t, probs, "tts", "invalid_request", core.SeverityError, `unknown TTS provider say`)
	for _, p := range probs {
		if p.Field == "text" {
			t.Errorf("an empty form's plan has a problem at text: %+v", p)
		}
	}
	tt.do("POST", "/podcasts/generate/text", tt.aliceTok, map[string]any{}).want(400, "invalid_request:text")

	tt.do("POST", "/podcasts/plan", "", map[string]any{"text": sourceText}).want(401)
	tt.do("POST", "/podcasts/plan", tt.aliceTok, map[string]any{"uploads": []map[string]string{{"kind": "url", "name": "x"}}}).want(400, "invalid_request:uploads")
	tt.do("POST", "/podcasts/plan", tt.aliceTok, `{"text":"x","extra":1}`).want(400, "unknown_field")
}

// A page on the server's own network, asked for from the LAN, is refused
// by the plan and by the start alike, naming the sources.
func TestPlanPrivateAddressFromTheLAN(t *testing.T) {
	tt := newTester(t, testOptions{})
	body := map[string]any{"sources": []map[string]string{{"kind": "url", "url": "http://192.168.1.5/wiki"}}}
	_, probs := problemsOf(t, tt.do("POST", "/podcasts/plan", tt.aliceTok, body).want(200))
	wantProblem(t, probs, "sources", core.CodePrivateAddress, core.SeverityError, "192.168.1.5 is a private address")
	_, probs = problemsOf(t, tt.do("POST", "/podcasts/generate/text", tt.aliceTok, body).want(400, "invalid_request:sources"))
	wantProblem(t, probs, "sources", core.CodePrivateAddress, core.SeverityError, "192.168.1.5")
}

// A recording still to be uploaded: the plan asks the Whisper server, and
// with it down the upload is refused and nothing of it is kept.
func TestPlanRecordingWithWhisperDown(t *testing.T) {
	tt := newTester(t, testOptions{})
	planBody := map[string]any{"uploads": []map[string]string{{"kind": "audio", "name": "talk.wav"}}}
	_, probs := problemsOf(t, tt.do("POST", "/podcasts/plan", tt.aliceTok, planBody).want(200))
	if len(probs) != 0 {
		t.Fatalf("with Whisper up: %+v", probs)
	}
	tt.whisper.srv.Close()
	tt.jobs.ForgetChecks()
	_, probs = problemsOf(t, tt.do("POST", "/podcasts/plan", tt.aliceTok, planBody).want(200))
	wantProblem(t, probs, "sources", "unavailable", core.SeverityError, "recordings cannot be transcribed now")

	ct, body := multipartForm(formPart{field: "audio", file: "talk.wav", value: string(espeakWAV(t, "Rivers shape the land."))})
	_, probs = problemsOf(t, tt.do("POST", "/podcasts/generate/audio", tt.aliceTok, body, "Content-Type: "+ct).want(400, "invalid_request:sources"))
	wantProblem(t, probs, "sources", "unavailable", core.SeverityError, "recordings cannot be transcribed now")
	if left := tt.uploadsLeft(); len(left) != 0 {
		t.Errorf("the refused upload left %v", left)
	}
}
