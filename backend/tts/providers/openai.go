package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// openAIMaxInput is the OpenAI limit on "input"; longer lines are split at
// sentence ends and the clips joined.
const openAIMaxInput = 4096

// openAIPCMRate is the rate of headerless "pcm" answers (s16le mono).
const openAIPCMRate = 24000

// openAIVoices is OpenAI's fixed voice list, used when the server has no
// voices endpoint.
var openAIVoices = []string{"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse"}

// OpenAISpeech talks to an OpenAI-compatible POST /v1/audio/speech server:
// Kokoro-FastAPI, speaches, LocalAI or OpenAI itself.
type OpenAISpeech struct {
	c      client
	base   string // ends in /v1
	model  string
	format string
	log    *slog.Logger
}

// NewOpenAI validates cfg and returns the provider.
func NewOpenAI(cfg OpenAIConfig, hc *http.Client, log *slog.Logger) (*OpenAISpeech, error) {
	u, err := parseBaseURL(NameOpenAI, cfg.URL, "http", "https")
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(u.Path, "/v1") {
		u.Path += "/v1"
	}
	format := strings.ToLower(strings.TrimSpace(cfg.Format))
	switch format {
	case "":
		format = "wav"
	case "wav", "pcm":
	default:
		return nil, fmt.Errorf("openai TTS: response format %q is not supported (use wav or pcm)", cfg.Format)
	}
	model := strings.TrimSpace(cfg.Model)
	if model == "" {
		model = "tts-1"
	}
	h := http.Header{}
	if cfg.APIKey != "" {
		h.Set("Authorization", "Bearer "+cfg.APIKey)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &OpenAISpeech{
		c:    client{provider: NameOpenAI, hc: hc, header: h},
		base: u.String(), model: model, format: format, log: log,
	}, nil
}

// Name implements tts.Synthesizer.
func (o *OpenAISpeech) Name() string { return NameOpenAI }

type speechRequest struct {
	Model          string  `json:"model"`
	Input          string  `json:"input"`
	Voice          string  `json:"voice"`
	ResponseFormat string  `json:"response_format"`
	Speed          float64 `json:"speed"`
}

// Synthesize implements tts.Synthesizer. An empty voice means "alloy",
// which OpenAI offers and Kokoro-FastAPI maps to one of its own.
func (o *OpenAISpeech) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	voice := strings.TrimSpace(req.Voice)
	if voice == "" {
		voice = "alloy"
	}
	if strings.TrimSpace(req.Text) == "" {
		return audio.Clip{}, o.c.fail(voice, "no text to speak", false, nil)
	}
	speed := req.Speed
	if speed == 0 {
		speed = 1
	}
	if speed < 0.25 || speed > 4 {
		return audio.Clip{}, o.c.fail(voice, fmt.Sprintf("speed %g is out of range (0.25–4)", speed), false, nil)
	}
	var out audio.Clip
	for _, chunk := range splitText(req.Text, openAIMaxInput) {
		clip, err := o.speak(ctx, speechRequest{Model: o.model, Input: chunk, Voice: voice, ResponseFormat: o.format, Speed: speed})
		if err != nil {
			return audio.Clip{}, err
		}
		if out.SampleRate != 0 && out.SampleRate != clip.SampleRate {
			return audio.Clip{}, o.c.fail(voice, fmt.Sprintf("server changed sample rate between parts (%d Hz then %d Hz)", out.SampleRate, clip.SampleRate), false, nil)
		}
		out.SampleRate = clip.SampleRate
		out.Samples = append(out.Samples, clip.Samples...)
	}
	return out, nil
}

func (o *OpenAISpeech) speak(ctx context.Context, sr speechRequest) (audio.Clip, error) {
	r, err := o.c.do(ctx, http.MethodPost, o.base+"/audio/speech", sr.Voice, sr)
	if err != nil {
		return audio.Clip{}, err
	}
	if o.format == "wav" {
		return o.c.decodeWAV(sr.Voice, r)
	}
	if err := o.c.checkAudio(sr.Voice, r); err != nil {
		return audio.Clip{}, err
	}
	if len(r.body)%2 != 0 {
		return audio.Clip{}, o.c.fail(sr.Voice, fmt.Sprintf("truncated PCM audio (%d bytes is not a whole number of 16-bit samples)", len(r.body)), false, nil)
	}
	return audio.DecodePCM16LE(r.body, openAIPCMRate), nil
}

// Voices implements tts.Synthesizer: GET /v1/audio/voices (Kokoro-FastAPI),
// or OpenAI's fixed list when the server has no such endpoint.
func (o *OpenAISpeech) Voices(ctx context.Context) ([]tts.Voice, error) {
	r, err := o.c.do(ctx, http.MethodGet, o.base+"/audio/voices", "", nil)
	if pe, ok := errors.AsType[*tts.ProviderError](err); ok && pe.Status == http.StatusNotFound {
		o.log.Debug("no voices endpoint; using OpenAI's voice list", "url", o.base)
		out := make([]tts.Voice, len(openAIVoices))
		for i, v := range openAIVoices {
			out[i] = tts.Voice{ID: v, Name: v}
		}
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	voices, err := parseOpenAIVoices(r.body)
	if err != nil {
		return nil, &tts.ProviderError{Provider: NameOpenAI, Status: r.status, Reason: "unreadable voice list: " + err.Error(), Err: err}
	}
	return voices, nil
}

// parseOpenAIVoices reads {"voices":[{"id","name"}…]} (Kokoro-FastAPI 0.3+)
// or the legacy {"voices":["af_heart",…]}.
func parseOpenAIVoices(body []byte) ([]tts.Voice, error) {
	var doc struct {
		Voices []json.RawMessage `json:"voices"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	if doc.Voices == nil {
		return nil, errors.New(`no "voices" field`)
	}
	out := make([]tts.Voice, 0, len(doc.Voices))
	for _, raw := range doc.Voices {
		var id string
		if json.Unmarshal(raw, &id) == nil {
			if id != "" {
				out = append(out, tts.Voice{ID: id, Name: id})
			}
			continue
		}
		var v struct {
			ID, Name, Language, Gender string
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("voice entry %s: %w", shortJSON(raw), err)
		}
		if v.ID == "" {
			v.ID = v.Name
		}
		if v.ID == "" {
			continue
		}
		if v.Name == "" {
			v.Name = v.ID
		}
		out = append(out, tts.Voice{ID: v.ID, Name: v.Name, Language: v.Language, Gender: v.Gender})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func shortJSON(raw []byte) string {
	if len(raw) > 60 {
		return string(raw[:60]) + "…"
	}
	return string(raw)
}

// Health implements tts.Synthesizer: the voices endpoint, or /v1/models
// when there is none.
func (o *OpenAISpeech) Health(ctx context.Context) error {
	_, err := o.c.do(ctx, http.MethodGet, o.base+"/audio/voices", "", nil)
	if pe, ok := errors.AsType[*tts.ProviderError](err); ok && pe.Status == http.StatusNotFound {
		_, err = o.c.do(ctx, http.MethodGet, o.base+"/models", "", nil)
	}
	return err
}
