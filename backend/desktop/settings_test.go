package desktop

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/admin"
	"podcastfy/backend/apperr"
	"podcastfy/backend/config"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/player"
	"podcastfy/backend/tts/ttstest"
)

func TestSettingsNeedLogin(t *testing.T) {
	e := newEnv(t)
	s := e.d.Settings
	_, err := s.Get()
	notLoggedIn(t, "Get", err)
	_, err = s.Save(config.Defaults())
	notLoggedIn(t, "Save", err)
	_, err = s.TestProviders()
	notLoggedIn(t, "TestProviders", err)
	_, err = s.ListModels()
	notLoggedIn(t, "ListModels", err)
	_, err = s.OllamaContext()
	notLoggedIn(t, "OllamaContext", err)
	notLoggedIn(t, "PullModel", s.PullModel("llama3.2"))
	_, err = s.ListVoices("espeak")
	notLoggedIn(t, "ListVoices", err)
	_, err = s.VoicePresets()
	notLoggedIn(t, "VoicePresets", err)
	notLoggedIn(t, "PreviewVoice", s.PreviewVoice("espeak", "en", "hi"))
}

func TestSettingsGetSave(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	s := e.d.Settings
	cur, err := s.Get()
	if err != nil || cur.Ollama.URL != e.ollama.URL || cur.Writer != "extractive" {
		t.Fatalf("Get = %+v, %v", cur, err)
	}

	next := cur
	next.Writer = "auto"
	next.TTS.Voices = nil // as the frontend may send it
	saved, err := s.Save(next)
	if err != nil || saved.Writer != "auto" || saved.TTS.Voices == nil {
		t.Fatalf("Save = %+v, %v", saved, err)
	}
	onDisk, err := config.Load(e.paths.ConfigFile())
	if err != nil || onDisk.Writer != "auto" {
		t.Errorf("config.yaml after Save: writer %q, %v", onDisk.Writer, err)
	}
	if got, _ := s.Get(); got.Writer != "auto" {
		t.Errorf("Get after Save: writer %q", got.Writer)
	}
	// The generator follows the saved writer.
	if plan, err := e.d.Generator.Plan(GenerateRequest{Text: sourceText}); err != nil || plan.Writer != "ollama" {
		t.Errorf("Plan after saving writer auto = %+v, %v; want ollama", plan, err)
	}

	bad := saved
	bad.Server.Port = 70000
	_, err = s.Save(bad)
	if e := apperr.From(err); e == nil || e.Code != apperr.Invalid || e.Field != "server.port" || !strings.Contains(e.Message, "70000") {
		t.Errorf("Save with port 70000 = %+v, want invalid_request at server.port", e)
	}
	if got, _ := s.Get(); got.Server.Port == 70000 {
		t.Error("an invalid setting was kept")
	}
}

func TestSettingsTestProviders(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	cur, _ := e.d.Settings.Get()
	cur.Writer = "ollama"
	if _, err := e.d.Settings.Save(cur); err != nil {
		t.Fatal(err)
	}
	got, err := e.d.Settings.TestProviders()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kind  string
		state string
	}{
		"ollama": {"llm", admin.StateOK}, "espeak": {"tts", admin.StateOK}, "openai": {"tts", admin.StateUnused},
		"kyutai": {"tts", admin.StateUnused}, "piper": {"tts", admin.StateUnused}, "whisper-asr": {"asr", admin.StateOK},
	}
	if len(got) != len(want) {
		t.Fatalf("TestProviders = %+v, want %d providers", got, len(want))
	}
	for _, h := range got {
		w, ok := want[h.Name]
		if !ok || h.Kind != w.kind || h.State != w.state || h.Message == "" {
			t.Errorf("%+v, want kind %s state %s with a message", h, w.kind, w.state)
		}
	}

	// The model missing from Ollama shows as a problem with the LLM.
	next, _ := e.d.Settings.Get()
	next.Ollama.Model = "qwen3"
	if _, err := e.d.Settings.Save(next); err != nil {
		t.Fatal(err)
	}
	got, _ = e.d.Settings.TestProviders()
	for _, h := range got {
		if h.Name == "ollama" && (h.State != admin.StateDown || h.URL != e.ollama.URL || !strings.Contains(h.Message, "qwen3")) {
			t.Errorf("ollama without the model: %+v", h)
		}
	}
}

func TestSettingsModels(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	s := e.d.Settings
	models, err := s.ListModels()
	if err != nil || len(models) != 1 || models[0].Name != "llama3.2:latest" {
		t.Fatalf("ListModels = %+v, %v", models, err)
	}

	wantErr(t, s.PullModel("  "), "name the model")
	e.ollama.SetPullable("qwen3")
	for model, wantErr := range map[string]bool{"qwen3": false, "nope": true} {
		if err := s.PullModel(model); err != nil {
			t.Fatalf("PullModel(%s): %v", model, err)
		}
		ev := e.rt.waitEvent(t, 10*time.Second, "model:pull done", func(ev events.Event) bool {
			p, ok := ev.Data.(PullEvent)
			return ev.Name == events.ModelPull && ok && p.Model == model && p.Done
		})
		if p := ev.Data.(PullEvent); (p.Error != "") != wantErr {
			t.Errorf("pull of %s ended with %+v", model, p)
		}
	}
	if !e.rt.has(func(ev events.Event) bool {
		p, ok := ev.Data.(PullEvent)
		return ok && p.Model == "qwen3" && !p.Done && p.Status != ""
	}) {
		t.Error("no progress event before the end of the pull")
	}
	models, _ = s.ListModels()
	if !slices.ContainsFunc(models, func(m llm.ModelInfo) bool { return m.Name == "qwen3:latest" }) {
		t.Errorf("after the pull ListModels = %+v", models)
	}
}

func TestSettingsOllamaContext(t *testing.T) {
	e := newEnv(t)
	e.login(t, "bob", false) // the new-podcast screen warns everyone
	info, err := e.d.Settings.OllamaContext()
	if err != nil || info.Model != "llama3.2" || info.ModelLength != 131072 || info.NumCtx != 8192 || info.SourceChars <= 0 {
		t.Fatalf("OllamaContext = %+v, %v", info, err)
	}
	e.login(t, "ann", true)
	cur, _ := e.d.Settings.Get()
	cur.Ollama.Options.NumCtx = 4096
	if _, err := e.d.Settings.Save(cur); err != nil {
		t.Fatal(err)
	}
	smaller, err := e.d.Settings.OllamaContext()
	if err != nil || smaller.NumCtx != 4096 || smaller.SourceChars >= info.SourceChars {
		t.Fatalf("after num_ctx 4096: %+v, %v (was %+v)", smaller, err, info)
	}
}

func TestSettingsVoices(t *testing.T) {
	e := newEnv(t)
	e.login(t, "bob", false) // voices are for everyone, not only admins
	voices, err := e.d.Settings.ListVoices("espeak")
	if err != nil || len(voices) < 10 {
		t.Fatalf("ListVoices(espeak) = %d voices, %v", len(voices), err)
	}
	ids := map[string]bool{}
	for _, v := range voices {
		if ids[v.ID] {
			t.Errorf("voice %q is listed twice (the voice list keys by id)", v.ID)
		}
		ids[v.ID] = true
	}
	if _, err := e.d.Settings.ListVoices(""); err != nil {
		t.Errorf("ListVoices of the provider in use: %v", err)
	}
	_, err = e.d.Settings.ListVoices("say")
	wantErr(t, err, `"say"`)
	_, err = e.d.Settings.ListVoices("piper")
	wantErr(t, err, "the piper voices cannot be listed")
}

func TestSettingsPreviewVoice(t *testing.T) {
	e := newEnv(t)
	e.login(t, "bob", false)
	s := e.d.Settings
	if err := s.PreviewVoice("espeak", "en", "Hello there, this is a test."); err != nil {
		t.Fatalf("PreviewVoice: %v", err)
	}
	st, _ := e.d.Player.Status()
	if st.PodcastID != PreviewID || st.State != player.StatePlaying || st.Duration < 1 {
		t.Errorf("player after the preview = %+v, want the preview playing", st)
	}
	if e.out.pull(2400) == 0 {
		t.Error("the preview gave the device no samples")
	}
	long := string(slices.Repeat([]byte("a "), 300))
	wantErr(t, s.PreviewVoice("espeak", "en", long), "longer than 500 characters")
	wantErr(t, s.PreviewVoice("piper", "x", "hi"), "could not speak")
}

func TestSettingsPullOncePerModelAndShutdownEndsIt(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	e.ollama.Fail("/api/pull", ollamatest.Reply{Hang: true})
	if err := e.d.Settings.PullModel("qwen3"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.d.Settings.PullModel("qwen3"), "already being downloaded")
	// Shutdown does not wait for the download: it ends it.
	if err := e.d.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	ev := e.rt.waitEvent(t, 5*time.Second, "model:pull end", func(ev events.Event) bool {
		p, ok := ev.Data.(PullEvent)
		return ok && p.Done
	})
	if p := ev.Data.(PullEvent); p.Error == "" {
		t.Errorf("a download ended by Shutdown reported %+v", p)
	}
	wantErr(t, e.d.Settings.PullModel("llama3.2"), "shutting down")
}

// A voice server preset is chosen in one step from the settings screen:
// the list says which suits a machine without a GPU, and saving one puts
// its provider and voices in force.
func TestSettingsVoicePresets(t *testing.T) {
	e := newEnv(t)
	e.login(t, "ann", true)
	presets, err := e.d.Settings.VoicePresets()
	if err != nil {
		t.Fatal(err)
	}
	var best []string
	for _, p := range presets {
		if p.CPU.Best {
			best = append(best, p.ID)
		}
	}
	if len(presets) != 5 || len(best) != 1 || best[0] != "pocket-tts" {
		t.Fatalf("presets %+v; best without a GPU %v", presets, best)
	}
	cur, _ := e.d.Settings.Get()
	cur.TTS.Preset = "pocket-tts"
	saved, err := e.d.Settings.Save(cur)
	if err != nil {
		t.Fatal(err)
	}
	if saved.TTS.Provider != "openai" {
		t.Errorf("provider %q after choosing pocket-tts, want openai", saved.TTS.Provider)
	}
	voices, err := e.d.Settings.ListVoices("")
	if err != nil || len(voices) != 8 || voices[0].ID != "alba" {
		t.Errorf("voices of the preset in use: %+v, %v", voices, err)
	}
}

// TestSettingsKeysMaskedAndStatusFollowsSave: the window never receives a
// key in clear, a key left masked keeps the saved one, and the next check
// after a Save reports the services of the saved settings.
func TestSettingsKeysMaskedAndStatusFollowsSave(t *testing.T) {
	kokoro := httptest.NewServer(&ttstest.OpenAI{})
	defer kokoro.Close()
	e := newEnv(t)
	e.login(t, "ann", true)
	s := e.d.Settings
	cur, _ := s.Get()
	cur.TTS.Provider, cur.TTS.OpenAI.URL, cur.TTS.OpenAI.APIKey = "openai", kokoro.URL+"/v1", "sk-desktop-secret"
	saved, err := s.Save(cur)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s.Get()
	for _, got := range []config.Settings{saved, again} {
		data, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("sk-desktop-secret")) || got.TTS.OpenAI.APIKey != config.SecretMask {
			t.Errorf("the window received the key: %s", data)
		}
	}
	if _, err := s.Save(again); err != nil { // sent back masked
		t.Fatal(err)
	}
	if onDisk, err := config.Load(e.paths.ConfigFile()); err != nil || onDisk.TTS.OpenAI.APIKey != "sk-desktop-secret" {
		t.Errorf("key on disk after a masked save = %q, %v", onDisk.TTS.OpenAI.APIKey, err)
	}

	hs, err := s.TestProviders()
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, h := range hs {
		states[h.Name] = h.State
	}
	if states["openai"] != admin.StateOK || states["espeak"] != admin.StateUnused {
		t.Errorf("after switching to openai: %v", states)
	}
}
