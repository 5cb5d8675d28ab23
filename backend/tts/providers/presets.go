package providers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// Preset is a voice server people run, set up in one step: which of the
// clients speaks to it, where it listens by default, what to ask it for,
// how to tell it is up, and a voice for every speaker of the built-in
// templates, so a template works on it without editing.
type Preset struct {
	ID       string `json:"id"`       // as settings name it: tts.preset
	Name     string `json:"name"`     // as people know it
	Provider string `json:"provider"` // the client: openai, piper or kyutai
	URL      string `json:"url"`      // its default address
	Model    string `json:"model,omitempty"`
	Format   string `json:"format,omitempty"` // the response format to ask for (openai)
	// Start is how to run it on this machine, for the settings screen.
	Start string `json:"start"`
	// CPU says how it runs on a machine without a GPU.
	CPU CPUFit `json:"cpu"`
	// VoiceList is its voices, for servers that cannot list them.
	VoiceList []tts.Voice `json:"voices,omitempty"`

	// healthPath, when set, is a GET on the server's root that answers 200
	// while it is up, for servers the client's own check does not fit.
	healthPath string
	// voices turns the built-in templates' voices for Provider into this
	// server's; those it does not name pass as they are.
	voices map[string]string
	// female and male stand in for Kokoro-style ids ("af_…", "bm_…") the
	// map does not name.
	female, male string
}

// CPUFit is how a server does without a GPU.
type CPUFit struct {
	// Best marks the one to choose on a machine without a GPU.
	Best bool `json:"best"`
	// Note says how fast or how well, in a few words.
	Note string `json:"note"`
}

// Preset IDs.
const (
	PresetKokoro    = "kokoro"
	PresetSpeaches  = "speaches"
	PresetPocketTTS = "pocket-tts"
	PresetPiper     = "piper"
	PresetKyutai    = "kyutai"
)

// pocketVoices are Pocket TTS's built-in voices.
var pocketVoices = []tts.Voice{
	{ID: "alba", Name: "Alba", Language: "en", Gender: "female"},
	{ID: "marius", Name: "Marius", Language: "en", Gender: "male"},
	{ID: "javert", Name: "Javert", Language: "en", Gender: "male"},
	{ID: "jean", Name: "Jean", Language: "en", Gender: "male"},
	{ID: "fantine", Name: "Fantine", Language: "en", Gender: "female"},
	{ID: "cosette", Name: "Cosette", Language: "en", Gender: "female"},
	{ID: "eponine", Name: "Eponine", Language: "en", Gender: "female"},
	{ID: "azelma", Name: "Azelma", Language: "en", Gender: "female"},
}

// Presets lists the voice servers podcastfy knows, the one best without a
// GPU first.
func Presets() []Preset {
	return []Preset{
		{
			ID: PresetPocketTTS, Name: "Pocket TTS (Kyutai)", Provider: NameOpenAI,
			URL: "http://127.0.0.1:8000/v1", Model: "pocket-tts", Format: "wav",
			Start: "uvx pocket-tts serve",
			CPU:   CPUFit{Best: true, Note: "made for CPUs: about 6× real time on 2 cores, natural voices"},
			// It answers WAV whatever is asked, knows only its own voices
			// (an unknown one is a 400) and has no voices endpoint.
			VoiceList:  pocketVoices,
			healthPath: "/health",
			voices: map[string]string{
				"af_heart": "alba", "af_bella": "fantine", "af_sky": "cosette", "bf_emma": "eponine",
				"bf_isabella": "azelma", "am_adam": "marius", "am_michael": "jean", "am_puck": "javert",
				"bm_george": "marius",
			},
			female: "alba", male: "marius",
		},
		{
			ID: PresetKokoro, Name: "Kokoro-FastAPI", Provider: NameOpenAI,
			URL: "http://127.0.0.1:8880/v1", Model: "kokoro", Format: "wav",
			Start: "docker run -p 8880:8880 ghcr.io/remsky/kokoro-fastapi-cpu (-gpu with an NVIDIA GPU)",
			CPU:   CPUFit{Note: "runs on CPU (the -cpu image), around real time; much faster with a GPU"},
		},
		{
			ID: PresetSpeaches, Name: "speaches", Provider: NameOpenAI,
			URL: "http://127.0.0.1:8000/v1", Model: "speaches-ai/Kokoro-82M-v1.0-ONNX", Format: "wav",
			Start: "docker run -p 8000:8000 ghcr.io/speaches-ai/speaches:latest-cpu, then " +
				"curl -X POST http://127.0.0.1:8000/v1/models/speaches-ai/Kokoro-82M-v1.0-ONNX",
			CPU: CPUFit{Note: "Kokoro voices on CPU (the -cpu image), around real time"},
		},
		{
			ID: PresetPiper, Name: "Piper", Provider: NamePiper,
			URL: "http://127.0.0.1:5000",
			Start: "python3 -m piper.download_voices " + strings.Join(piperTemplateVoices, " ") +
				" && python3 -m piper.http_server -m en_US-lessac-medium",
			CPU: CPUFit{Note: "the fastest on CPU, even a Raspberry Pi; plainer voices"},
		},
		{
			ID: PresetKyutai, Name: "Kyutai TTS (moshi-server)", Provider: NameKyutai,
			URL:   "ws://127.0.0.1:8080",
			Start: "moshi-server worker --config configs/config-tts.toml (from kyutai-labs/delayed-streams-modeling)",
			CPU:   CPUFit{Note: "needs an NVIDIA GPU; far slower than real time on a CPU"},
		},
	}
}

// piperTemplateVoices are the Piper voices the built-in templates use: the
// server speaks them once they are downloaded.
var piperTemplateVoices = []string{
	"en_US-lessac-medium", "en_US-ryan-medium", "en_US-amy-medium",
	"en_GB-alba-medium", "en_GB-jenny_dioco-medium", "en_GB-northern_english_male-medium",
}

// PresetByID returns the preset named id.
func PresetByID(id string) (Preset, bool) {
	for _, p := range Presets() {
		if p.ID == id {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetIDs lists the preset IDs.
func PresetIDs() []string {
	var ids []string
	for _, p := range Presets() {
		ids = append(ids, p.ID)
	}
	return ids
}

// Apply points cfg at the preset's server: at url, or at the preset's
// default address when url is empty.
func (p Preset) Apply(cfg Config, url string) Config {
	if url == "" {
		url = p.URL
	}
	switch p.Provider {
	case NameOpenAI:
		cfg.OpenAI = OpenAIConfig{URL: url, Model: p.Model, APIKey: cfg.OpenAI.APIKey, Format: p.Format}
	case NamePiper:
		cfg.Piper = PiperConfig{URL: url}
	case NameKyutai:
		cfg.Kyutai = KyutaiConfig{URL: url, APIKey: cfg.Kyutai.APIKey}
	}
	cfg.Preset = p.ID
	return cfg
}

// Voice is the server's voice for a template's voice id.
func (p Preset) Voice(id string) string {
	if v, ok := p.voices[id]; ok {
		return v
	}
	// Kokoro ids: language letter, gender letter, '_', name.
	if len(id) > 3 && id[2] == '_' && p.female != "" {
		switch id[1] {
		case 'f':
			return p.female
		case 'm':
			return p.male
		}
	}
	return id
}

// presetSynth is a client of a preset's server: voices are translated and
// the health check is the preset's.
type presetSynth struct {
	tts.Synthesizer
	p      Preset
	c      client
	health string // the URL to GET, or ""
}

// withPreset wraps s, the client cfg's preset runs on.
func withPreset(s tts.Synthesizer, p Preset, cfg Config, hc *http.Client) (tts.Synthesizer, error) {
	w := &presetSynth{Synthesizer: s, p: p, c: client{provider: p.Provider, hc: hc}}
	if p.healthPath != "" {
		u, err := url.Parse(cfg.OpenAI.URL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/v1") + p.healthPath
		u.RawQuery = ""
		w.health = u.String()
	}
	return w, nil
}

func (s *presetSynth) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	req.Voice = s.p.Voice(req.Voice)
	return s.Synthesizer.Synthesize(ctx, req)
}

func (s *presetSynth) Voices(ctx context.Context) ([]tts.Voice, error) {
	if s.p.VoiceList != nil {
		return append([]tts.Voice(nil), s.p.VoiceList...), nil
	}
	return s.Synthesizer.Voices(ctx)
}

func (s *presetSynth) Health(ctx context.Context) error {
	if s.health == "" {
		return s.Synthesizer.Health(ctx)
	}
	_, err := s.c.do(ctx, http.MethodGet, s.health, "", nil)
	return err
}
