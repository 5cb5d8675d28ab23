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
	"sync/atomic"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// Piper talks to the piper1-gpl HTTP server. v1.5+ synthesises at
// POST /synthesize; v1.3–1.4 at POST /. The first 404 on /synthesize
// switches to the older route for the life of the provider.
//
// Piper never rejects an unknown voice: it logs a warning and speaks with
// its default voice, so Voices is the only way to check a voice id.
type Piper struct {
	c      client
	base   string
	legacy atomic.Bool // the server answered 404 to /synthesize
	log    *slog.Logger
}

// NewPiper validates cfg and returns the provider.
func NewPiper(cfg PiperConfig, hc *http.Client, log *slog.Logger) (*Piper, error) {
	u, err := parseBaseURL(NamePiper, cfg.URL, "http", "https")
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Piper{c: client{provider: NamePiper, hc: hc}, base: u.String(), log: log}, nil
}

// Name implements tts.Synthesizer.
func (p *Piper) Name() string { return NamePiper }

type piperRequest struct {
	Text        string   `json:"text"`
	Voice       string   `json:"voice,omitempty"`
	LengthScale *float64 `json:"length_scale,omitempty"`
}

// Synthesize implements tts.Synthesizer. Speed becomes length_scale
// (1/Speed); at speed 1 the voice's own default is kept.
func (p *Piper) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	voice := strings.TrimSpace(req.Voice)
	if strings.TrimSpace(req.Text) == "" {
		// The server would answer with an HTML 500 page ("No text provided").
		return audio.Clip{}, p.c.fail(voice, "no text to speak", false, nil)
	}
	body := piperRequest{Text: req.Text, Voice: voice}
	if req.Speed < 0 || req.Speed > 10 {
		return audio.Clip{}, p.c.fail(voice, fmt.Sprintf("speed %g is out of range (0–10, 0 meaning normal)", req.Speed), false, nil)
	}
	if req.Speed != 0 && req.Speed != 1 {
		ls := 1 / req.Speed
		body.LengthScale = &ls
	}
	if !p.legacy.Load() {
		r, err := p.c.do(ctx, http.MethodPost, p.base+"/synthesize", voice, body)
		pe, ok := errors.AsType[*tts.ProviderError](err)
		if !ok || pe.Status != http.StatusNotFound {
			if err != nil {
				return audio.Clip{}, err
			}
			return p.c.decodeWAV(voice, r)
		}
		p.log.Info("piper server has no /synthesize; using POST / (piper v1.3–1.4)", "url", p.base)
		p.legacy.Store(true)
	}
	r, err := p.c.do(ctx, http.MethodPost, p.base+"/", voice, body)
	if err != nil {
		return audio.Clip{}, err
	}
	return p.c.decodeWAV(voice, r)
}

// Voices implements tts.Synthesizer from GET /voices, a map of voice id to
// the voice's .onnx.json.
func (p *Piper) Voices(ctx context.Context) ([]tts.Voice, error) {
	r, err := p.c.do(ctx, http.MethodGet, p.base+"/voices", "", nil)
	if err != nil {
		return nil, err
	}
	voices, err := parsePiperVoices(r.body)
	if err != nil {
		return nil, &tts.ProviderError{Provider: NamePiper, Status: r.status, Reason: "unreadable voice list: " + err.Error(), Err: err}
	}
	return voices, nil
}

func parsePiperVoices(body []byte) ([]tts.Voice, error) {
	var doc map[string]struct {
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	out := make([]tts.Voice, 0, len(doc))
	for id, meta := range doc {
		lang := strings.ReplaceAll(meta.Language.Code, "_", "-")
		out = append(out, tts.Voice{ID: id, Name: id, Language: lang})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Health implements tts.Synthesizer: GET /info (v1.5+) or GET /voices.
func (p *Piper) Health(ctx context.Context) error {
	_, err := p.c.do(ctx, http.MethodGet, p.base+"/info", "", nil)
	if pe, ok := errors.AsType[*tts.ProviderError](err); ok && pe.Status == http.StatusNotFound {
		_, err = p.c.do(ctx, http.MethodGet, p.base+"/voices", "", nil)
	}
	return err
}
