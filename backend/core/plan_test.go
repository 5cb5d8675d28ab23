package core

import (
	"context"
	"strings"
	"testing"
)

// A text too short for the length asked is reported before the job starts:
// by Plan, and in the status Start returns.
func TestPlanSaysWhenTheTextIsTooShort(t *testing.T) {
	h := newHarness(t, writerSource{&scriptedWriter{script: sampleScript(2)}}, staticSource{&toneSynth{}})
	short := Request{Owner: "u", Text: riverText, Minutes: 10, Writer: "extractive"}
	p, err := h.svc.Plan(context.Background(), short)
	if err != nil {
		t.Fatal(err)
	}
	if p.Minutes != 10 || p.FillMinutes <= 0 || p.FillMinutes >= 2 || !strings.Contains(p.Note, "not the 10 minutes asked for") {
		t.Fatalf("plan %+v", p)
	}
	st, err := h.svc.Start(context.Background(), short)
	if err != nil {
		t.Fatal(err)
	}
	if st.Warning != p.Note {
		t.Fatalf("started with warning %q, want %q", st.Warning, p.Note)
	}
	h.wait(t, st.ID)
	long := Request{Owner: "u", Text: strings.Repeat(riverText+"\n\n", 2), Minutes: 0.5, Writer: "extractive"}
	if p, err := h.svc.Plan(context.Background(), long); err != nil || p.Note != "" || p.FillMinutes < 0.5 {
		t.Fatalf("plan %+v, %v", p, err)
	}
	if _, err := h.svc.Plan(context.Background(), Request{Owner: "u"}); err == nil {
		t.Fatal("an empty request was planned")
	}
}
