// Package voices owns what people do with the voices of the TTS providers
// outside a podcast: list them (of one language) and hear one speak a
// short line. The rules — which providers, how long a preview may be, how
// often a user may ask for one — live here, so the LAN API (which sends the
// preview's MP3) and the desktop (which plays it through the native player)
// apply the same ones.
package voices

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"podcastfy/backend/apperr"
	"podcastfy/backend/config"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/providers"
)

// Request field names, as the doors' requests spell them.
const (
	FieldProvider = "provider"
	FieldLanguage = "language"
	FieldVoice    = "voice"
	FieldText     = "text"
	FieldSpeed    = "speed"
)

// listTimeout bounds asking a provider for its voices.
const listTimeout = 15 * time.Second

// Source gives the TTS provider of a name, built from the settings in
// force (*core.Synths).
type Source interface {
	Synthesizer(name string) (tts.Synthesizer, error)
}

// Defaults are the settings in force that a request leaves out: the TTS
// provider in use and the podcasts' language.
type Defaults struct {
	Provider string
	Language string
}

// Service lists voices and makes previews. It is safe for concurrent use.
type Service struct {
	synths   Source
	defaults func() Defaults
	limits   *limiter
	slots    chan struct{}
	log      *slog.Logger
}

// Options tune a Service; zero fields take the defaults.
type Options struct {
	// Now is the clock of the preview limits; default time.Now.
	Now func() time.Time
	Log *slog.Logger
}

// New returns the service over synths; defaults is called for every
// request, so a saved setting applies to the next one.
func New(synths Source, defaults func() Defaults, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{synths: synths, defaults: defaults, limits: newLimiter(o.Now), slots: make(chan struct{}, previewSlots), log: o.Log}
}

// List is the answer of List: the provider asked (or in use) and its voices.
type List struct {
	Provider string      `json:"provider"`
	Voices   []tts.Voice `json:"voices"`
}

// List returns the voices of provider ("" means the one in use). With a
// language ("de", "en-GB"), only the voices that speak it are kept, and
// those whose language the provider does not say (OpenAI-compatible
// servers name voices, not languages). A language without a region
// matches every region of it. It returns an invalid_request error at
// FieldProvider or FieldLanguage, or unavailable when the provider cannot
// be asked.
func (s *Service) List(ctx context.Context, provider, language string) (List, error) {
	syn, provider, err := s.synthesizer(provider)
	if err != nil {
		return List{}, err
	}
	if language != "" && !template.ValidLanguage(language) {
		return List{}, apperr.Field(FieldLanguage, "%q is not a language code like en or en-GB", clip(language))
	}
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	all, err := syn.Voices(ctx)
	if err != nil {
		return List{}, apperr.New(apperr.Unavailable, "the %s voices cannot be listed: %v", provider, err)
	}
	out := List{Provider: provider, Voices: []tts.Voice{}}
	seen := map[string]bool{}
	for _, v := range all {
		// An id names one voice: espeak-ng lists some twice (yue).
		if seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		if language == "" || v.Language == "" || Speaks(v.Language, language) {
			out.Voices = append(out.Voices, v)
		}
	}
	return out, nil
}

// Speaks reports whether a voice of language voiceLang speaks want: the
// same language, and the same region when want names one ("en-GB" is not
// spoken by an "en-us" voice; "en" is spoken by both). Case and "_" or "-"
// do not matter.
func Speaks(voiceLang, want string) bool {
	v, w := normalTag(voiceLang), normalTag(want)
	if !strings.Contains(w, "-") {
		v, _, _ = strings.Cut(v, "-")
	}
	return v == w || strings.HasPrefix(v, w+"-")
}

func normalTag(tag string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(tag)), "_", "-")
}

// synthesizer returns the named provider ("" means the one in use) and
// its name.
func (s *Service) synthesizer(provider string) (tts.Synthesizer, string, error) {
	if provider == "" {
		provider = s.defaults().Provider
	}
	if !slices.Contains(providers.Names(), provider) {
		return nil, "", apperr.Field(FieldProvider, "unknown voice provider %q: use %s", clip(provider), strings.Join(providers.Names(), ", "))
	}
	syn, err := s.synths.Synthesizer(provider)
	if err != nil {
		return nil, "", apperr.New(apperr.Unavailable, "the %s voices cannot be used: %v", provider, err)
	}
	return syn, provider, nil
}

// clip shortens a value quoted back in a message.
func clip(v string) string {
	r := []rune(v)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return v
}

// SettingsDefaults reads the Defaults from the settings in force (the
// config.Live's Get), at each request.
func SettingsDefaults(get func() config.Settings) func() Defaults {
	return func() Defaults {
		s := get()
		return Defaults{Provider: s.TTS.Provider, Language: s.Generation.Language}
	}
}
