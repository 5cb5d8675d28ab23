package core

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"podcastfy/backend/apperr"
	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
	"podcastfy/backend/ingest"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
	"podcastfy/backend/tts/ttstest"
)

// providerSource builds the production providers (espeak-ng on this
// machine, piper at a fake server), as Synths does.
func providerSource(t *testing.T, piperURL string) SynthSource {
	t.Helper()
	return &Synths{New: func(name string) (tts.Synthesizer, error) {
		return providers.New(name, providers.Config{Piper: providers.PiperConfig{URL: piperURL}}, nil, slog.New(slog.DiscardHandler))
	}}
}

// withIngest rebuilds the harness's service with the production ingesters
// (the remote one refusing private addresses) and Whisper at whisperURL.
func withIngest(t *testing.T, h *harness, whisperURL string) *harness {
	t.Helper()
	var tr asr.Transcriber
	if whisperURL != "" {
		w, err := asr.NewWhisperASR(whisperURL, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		tr = w
	}
	h.deps.Ingest = ingest.New(ingest.Options{Transcriber: tr}, nil)
	h.deps.RemoteIngest = ingest.New(ingest.Options{Transcriber: tr, BlockPrivateHosts: true}, nil)
	svc, err := NewService(h.cfg, h.deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	h.svc = svc
	return h
}

// counted serves h and counts the requests.
func counted(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// problemAt is the plan's problem at field, or fails the test.
func problemAt(t *testing.T, p Plan, field, code, severity, text string) Problem {
	t.Helper()
	for _, pr := range p.Problems {
		if pr.Field == field {
			if pr.Code != code || pr.Severity != severity || !strings.Contains(pr.Message, text) {
				t.Fatalf("problem at %s = %+v, want %s %s containing %q", field, pr, severity, code, text)
			}
			return pr
		}
	}
	t.Fatalf("no problem at %s in %+v", field, p.Problems)
	return Problem{}
}

func noProblems(t *testing.T, p Plan) {
	t.Helper()
	if len(p.Problems) != 0 {
		t.Fatalf("problems %+v", p.Problems)
	}
}

// refusedAt checks that Start refused at field, starting nothing.
func refusedAt(t *testing.T, h *harness, req Request, field string) {
	t.Helper()
	before := len(h.svc.List(t.Context(), ""))
	st, err := h.svc.Start(t.Context(), req)
	var r *Refusal
	if !errors.As(err, &r) || apperr.From(err).Field != field || apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("Start = %+v, %v; want a refusal at %s", st, err, field)
	}
	if jobs := h.svc.List(t.Context(), ""); len(jobs) != before {
		t.Fatalf("a refused request left jobs %+v", jobs)
	}
}

func TestPreflightWriter(t *testing.T) {
	tests := map[string]struct {
		writer, model string
		down          bool
		want          string // the writer that will run
		code, sev     string // the problem at writer, if any
		text          string
	}{
		"ollama up":                {writer: "ollama", model: "llama3.2", want: "ollama"},
		"auto, ollama up":          {writer: "auto", model: "llama3.2", want: "ollama"},
		"ollama without its model": {writer: "ollama", model: "qwen3", want: "ollama", code: apperr.Unavailable, sev: SeverityError, text: "llama3.2"},
		"ollama down":              {writer: "ollama", model: "llama3.2", down: true, want: "ollama", code: apperr.Unavailable, sev: SeverityError, text: "ollama serve"},
		"auto, ollama down":        {writer: "auto", model: "llama3.2", down: true, want: "extractive", code: CodeOfflineWriter, sev: SeverityWarning, text: "offline extractive writer"},
		"extractive":               {writer: "extractive", model: "llama3.2", down: true, want: "extractive"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := ollamatest.New(tc.model)
			h := newHarness(t, ollamaWriters(t, srv), staticSource{&toneSynth{}})
			if tc.down {
				srv.Close()
			} else {
				t.Cleanup(srv.Close)
			}
			req := Request{Owner: "u", Text: riverText, Writer: tc.writer, Minutes: 0.5}
			p, err := h.svc.Preflight(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			if p.Writer != tc.want || p.TTS != "espeak" {
				t.Errorf("plan runs %s and %s, want %s and espeak", p.Writer, p.TTS, tc.want)
			}
			if tc.code == "" {
				noProblems(t, p)
				return
			}
			problemAt(t, p, FieldWriter, tc.code, tc.sev, tc.text)
			if tc.sev == SeverityError {
				refusedAt(t, h, req, FieldWriter)
				return
			}
			st, err := h.svc.Start(t.Context(), req)
			if err != nil || !strings.Contains(st.Warning, tc.text) {
				t.Fatalf("Start = %+v, %v; want it started with the warning", st, err)
			}
			h.wait(t, st.ID)
		})
	}
}

func TestPreflightTTS(t *testing.T) {
	piper := &ttstest.Piper{Voices: map[string]int{"en_US-ryan-medium": 22050, "en_US-lessac-medium": 22050}}
	srv, calls := counted(t, piper)
	h := newHarness(t, writerSource{llm.NewExtractive()}, providerSource(t, srv.URL))
	req := Request{Owner: "u", Text: riverText, TTS: "piper", Writer: "extractive", Minutes: 0.5}
	p, err := h.svc.Preflight(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, p)
	if p.TTS != "piper" {
		t.Errorf("plan speaks with %s", p.TTS)
	}
	// A form plans on every pause in typing: the server is asked once.
	before := calls.Load()
	for range 5 {
		if _, err := h.svc.Preflight(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != before {
		t.Errorf("5 more plans asked the voice server %d more times, want none", n-before)
	}

	srv.Close()
	h.svc.ForgetChecks() // as a settings change does
	p, err = h.svc.Preflight(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldTTS, apperr.Unavailable, SeverityError, "the piper voices are not available")
	refusedAt(t, h, req, FieldTTS)
}

// A voice server that takes longer than the budget is a warning, not a
// refusal, and its answer, when it comes, is kept for the next plan.
func TestPreflightSlowServer(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		(&ttstest.Piper{}).ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	h := newHarness(t, writerSource{llm.NewExtractive()}, providerSource(t, slow.URL))
	req := Request{Owner: "u", Text: riverText, TTS: "piper", Writer: "extractive", Minutes: 0.5}
	p, err := h.svc.Preflight(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldTTS, CodeNoAnswer, SeverityWarning, "did not answer within 2 seconds")
}

func TestPreflightVoicesForLanguage(t *testing.T) {
	piper := &ttstest.Piper{Voices: map[string]int{
		"en_US-ryan-medium": 22050, "en_US-lessac-medium": 22050, "de_DE-thorsten-medium": 22050, "de_DE-eva_k-x_low": 16000,
	}}
	srv := httptest.NewServer(piper)
	t.Cleanup(srv.Close)
	h := newHarness(t, writerSource{llm.NewExtractive()}, providerSource(t, srv.URL))
	base := Request{Owner: "u", Text: riverText, TTS: "piper", Writer: "extractive", Minutes: 0.5, TemplateID: "deep-dive"}

	t.Run("picked for the language", func(t *testing.T) {
		req := base
		req.Language = "de"
		p, err := h.svc.Preflight(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		noProblems(t, p)
		st, err := h.svc.Start(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if st = h.wait(t, st.ID); st.State != Done {
			t.Fatalf("job %s: %s", st.State, st.Error)
		}
		voices := map[string]bool{}
		for _, r := range piper.Requests() {
			voices[r.Voice] = true
		}
		if len(voices) != 2 || !voices["de_DE-thorsten-medium"] || !voices["de_DE-eva_k-x_low"] {
			t.Errorf("the job spoke with %v, want the two German voices", voices)
		}
	})
	t.Run("no voice speaks it", func(t *testing.T) {
		req := base
		req.Language = "fr"
		p, err := h.svc.Preflight(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		problemAt(t, p, FieldLanguage, apperr.Invalid, SeverityError, `no piper voice speaks "fr"`)
		refusedAt(t, h, req, FieldLanguage)
	})
	t.Run("chosen by the person", func(t *testing.T) {
		req := base
		req.Language = "de"
		req.Voices = map[string]string{"Alex": "en_US-ryan-medium"}
		p, err := h.svc.Preflight(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		problemAt(t, p, FieldVoices+".Alex", CodeVoiceLanguage, SeverityWarning, "speaks en-US, not de")
	})
}

// espeak-ng's own list says which languages it speaks.
func TestPreflightESpeakLanguage(t *testing.T) {
	h := newHarness(t, writerSource{llm.NewExtractive()}, providerSource(t, ""))
	req := Request{Owner: "u", Text: riverText, TTS: "espeak", Writer: "extractive", Minutes: 0.5, Language: "de"}
	p, err := h.svc.Preflight(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, p)
	req.Language = "tlh"
	p, err = h.svc.Preflight(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldLanguage, apperr.Invalid, SeverityError, `no espeak voice speaks "tlh"`)
}

func TestPreflightSources(t *testing.T) {
	whisper := asrtest.NewWhisperASR(t, asrtest.Config{})
	h := withIngest(t, newHarness(t, writerSource{llm.NewExtractive()}, staticSource{&toneSynth{}}), whisper.URL)
	page := Source{Kind: ingest.KindURL, URL: "http://192.168.1.5/notes"}
	lan := Request{Owner: "u", Text: riverText, Writer: "extractive", Minutes: 0.5, Sources: []Source{page}, Untrusted: true}
	p, err := h.svc.Preflight(t.Context(), lan)
	if err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldSources, CodePrivateAddress, SeverityError, "192.168.1.5 is a private address")
	refusedAt(t, h, lan, FieldSources)

	desk := lan
	desk.Untrusted = false // the person at this machine may read its network
	if p, err = h.svc.Preflight(t.Context(), desk); err != nil {
		t.Fatal(err)
	}
	noProblems(t, p)

	// A recording still to be uploaded: Whisper is asked before the upload.
	talk := Request{Owner: "u", Writer: "extractive", Minutes: 0.5, Untrusted: true, Sources: []Source{{Kind: ingest.KindAudio, Name: "talk.mp3"}}}
	if p, err = h.svc.Preflight(t.Context(), talk); err != nil {
		t.Fatal(err)
	}
	noProblems(t, p)
	if _, err := h.svc.Start(t.Context(), talk); apperr.From(err).Field != FieldSources {
		t.Fatalf("Start of a recording without its file = %v", err)
	}
	whisper.Close()
	h.svc.ForgetChecks()
	if p, err = h.svc.Preflight(t.Context(), talk); err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldSources, apperr.Unavailable, SeverityError, "recordings cannot be transcribed now")
}

func TestPreflightLength(t *testing.T) {
	h := withIngest(t, newHarness(t, writerSource{llm.NewExtractive()}, staticSource{&toneSynth{}}), "")
	short := Request{Owner: "u", Text: riverText, Minutes: 10, Writer: "extractive"}
	p, err := h.svc.Preflight(t.Context(), short)
	if err != nil {
		t.Fatal(err)
	}
	if p.Minutes != 10 || p.MinutesFillable <= 0 || p.MinutesFillable >= 2 {
		t.Fatalf("plan %+v", p)
	}
	pr := problemAt(t, p, FieldMinutes, CodeShortSource, SeverityWarning, "not the 10 minutes asked for")
	st, err := h.svc.Start(t.Context(), short)
	if err != nil || st.Warning != pr.Message {
		t.Fatalf("Start = %+v, %v; want the warning %q", st, err, pr.Message)
	}
	h.wait(t, st.ID)

	// A document on this machine is read to measure it.
	doc := filepath.Join(t.TempDir(), "rivers.md")
	if err := os.WriteFile(doc, []byte("# Rivers\n\n"+riverText), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := Request{Owner: "u", Minutes: 10, Writer: "extractive", Sources: []Source{{Kind: ingest.KindFile, Name: "rivers.md", Path: doc}}}
	if p, err = h.svc.Preflight(t.Context(), fromFile); err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldMinutes, CodeShortSource, SeverityWarning, "not the 10 minutes asked for")
	if p.MinutesFillable <= 0 {
		t.Errorf("the document was not measured: %+v", p)
	}
	// One that cannot be read is said before the job starts.
	if err := os.WriteFile(doc, []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}, 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err = h.svc.Preflight(t.Context(), fromFile); err != nil {
		t.Fatal(err)
	}
	problemAt(t, p, FieldSources, apperr.Invalid, SeverityError, "rivers.md")

	long := Request{Owner: "u", Text: strings.Repeat(riverText+"\n\n", 2), Minutes: 0.5, Writer: "extractive"}
	if p, err = h.svc.Preflight(t.Context(), long); err != nil || len(p.Problems) != 0 || p.MinutesFillable < 0.5 {
		t.Fatalf("plan %+v, %v", p, err)
	}
}

// Every field at fault is reported at once, errors before warnings.
func TestPreflightEveryField(t *testing.T) {
	h := newHarness(t, writerSource{llm.NewExtractive()}, staticSource{&toneSynth{}})
	p, err := h.svc.Preflight(t.Context(), Request{Owner: "u", Text: riverText, Title: strings.Repeat("t", 300), Minutes: 500, TTS: "say"})
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, pr := range p.Problems {
		fields = append(fields, pr.Field+":"+pr.Severity)
	}
	if got := strings.Join(fields, " "); got != "title:error minutes:error tts:error" {
		t.Errorf("problems at %s", got)
	}
	if _, err := h.svc.Preflight(t.Context(), Request{}); err == nil {
		t.Error("a request without an owner was planned")
	}
}
