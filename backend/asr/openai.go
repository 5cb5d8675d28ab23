package asr

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
)

// OpenAI talks to an OpenAI-compatible server: POST /v1/audio/transcriptions
// (or /v1/audio/translations) with the multipart fields file and model.
// speaches, LocalAI and OpenAI itself speak it.
type OpenAI struct {
	client
	model  string
	apiKey string
}

// NewOpenAI returns a client for the server at baseURL (default
// http://127.0.0.1:8000, speaches; a trailing /v1 is accepted). model
// defaults to "whisper-1"; apiKey, when set, is sent as a Bearer token.
func NewOpenAI(baseURL, model, apiKey string, hc *http.Client, log *slog.Logger) (*OpenAI, error) {
	base, err := parseBase(baseURL, DefaultOpenAIURL)
	if err != nil {
		return nil, err
	}
	base.Path = strings.TrimSuffix(base.Path, "/v1")
	if model = strings.TrimSpace(model); model == "" {
		model = DefaultOpenAIModel
	}
	c := newClient(ProviderOpenAI, "OpenAI-compatible transcription server",
		"start speaches or LocalAI, or check the URL in the speech recognition settings", base, hc, log)
	return &OpenAI{client: c, model: model, apiKey: apiKey}, nil
}

func (o *OpenAI) auth() http.Header {
	if o.apiKey == "" {
		return nil
	}
	return http.Header{"Authorization": {"Bearer " + o.apiKey}}
}

// Transcribe implements Transcriber, asking for verbose_json so segments and
// the duration come back. Translation uses /v1/audio/translations, which
// takes no language.
func (o *OpenAI) Transcribe(ctx context.Context, filename string, audio io.Reader, size int64, opts Options) (Transcript, error) {
	if err := checkOptions(opts); err != nil {
		return Transcript{}, err
	}
	up := upload{path: "/v1/audio/transcriptions", header: o.auth(), fileField: "file",
		fields: [][2]string{{"model", o.model}, {"response_format", "verbose_json"}}}
	if opts.Task == TaskTranslate {
		up.path = "/v1/audio/translations"
	} else {
		if opts.Language != "" {
			up.fields = append(up.fields, [2]string{"language", opts.Language})
		}
		up.fields = append(up.fields, [2]string{"timestamp_granularities[]", "segment"})
		if opts.WordTimestamps {
			up.fields = append(up.fields, [2]string{"timestamp_granularities[]", "word"})
		}
	}
	s, err := o.post(ctx, up, filename, audio, size, opts)
	if err != nil {
		return Transcript{}, err
	}
	var out struct {
		Text     *string       `json:"text"`
		Language string        `json:"language"`
		Duration float64       `json:"duration"`
		Segments []wireSegment `json:"segments"`
	}
	if err := json.Unmarshal(s.body, &out); err != nil || out.Text == nil {
		return Transcript{}, o.badResponse(s.endpoint, fmt.Errorf("no JSON transcript (%.60q)", s.body))
	}
	nanosToSeconds(out.Segments)
	return finish(*out.Text, out.Language, out.Duration, out.Segments, s), nil
}

// nanosToSeconds fixes LocalAI, whose segment times are Go time.Duration
// values (nanoseconds): no real segment ends after 100,000 seconds.
func nanosToSeconds(segs []wireSegment) {
	if len(segs) == 0 || segs[len(segs)-1].End < 1e5 {
		return
	}
	for i := range segs {
		segs[i].Start /= 1e9
		segs[i].End /= 1e9
	}
}

// Health lists /v1/models and, when the server names any, checks that the
// configured model is among them.
func (o *OpenAI) Health(ctx context.Context) error {
	body, err := o.get(ctx, "/v1/models", o.auth())
	if err != nil {
		return err
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &list) != nil {
		return fmt.Errorf("the server at %s answers /v1/models with %.60q, not an OpenAI model list", o.base, body)
	}
	ids := make([]string, len(list.Data))
	for i, m := range list.Data {
		ids[i] = m.ID
	}
	if len(ids) > 0 && !slices.Contains(ids, o.model) {
		if len(ids) > 10 {
			ids = append(ids[:10], "…")
		}
		return fmt.Errorf("the model %q is not installed on the server at %s (it has %s) — install it or pick one of those",
			o.model, o.base, strings.Join(ids, ", "))
	}
	return nil
}
