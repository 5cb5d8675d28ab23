package voices

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
	"podcastfy/backend/template"
	"podcastfy/backend/tts"
)

// Preview limits.
const (
	// MaxPreviewRunes bounds a preview's text: a sentence or two.
	MaxPreviewRunes = 500
	MinSpeed        = 0.5
	MaxSpeed        = 2
	// Greeting is spoken when a preview names no text.
	Greeting       = "Hello! This is how I sound in your podcasts."
	maxVoiceBytes  = 200
	previewTimeout = 40 * time.Second // within the API's 60 s answer deadline
	// previewSlots bounds the previews made at once by all users, so
	// previews never take every core from the podcasts being made.
	previewSlots = 2
)

// PreviewRequest asks to hear a voice.
type PreviewRequest struct {
	Provider string // "" means the one in use
	Voice    string // "" means the provider's default voice
	Text     string // "" means Greeting
	// Language is the text's language; "" means the voice's own (as the
	// provider lists it), else the settings' language. Some providers
	// (espeak-ng) refuse to speak a language with another language's voice.
	Language string
	// Speed is the rate multiplier; 0 means 1.
	Speed float64
}

// Preview is a voice speaking a line, mastered like a podcast.
type Preview struct {
	Provider string
	Voice    string
	MP3      []byte
}

// Preview has voice speak a short line for user, mastered to MP3 as a
// podcast would be. It returns an invalid_request error at the field at
// fault, a *LimitError while the user's allowance of previews is spent
// or their previous one is still being made, and unavailable when the
// provider cannot speak.
func (s *Service) Preview(ctx context.Context, user string, req PreviewRequest) (Preview, error) {
	req, err := s.checkPreview(req)
	if err != nil {
		return Preview{}, err
	}
	syn, provider, err := s.synthesizer(req.Provider)
	if err != nil {
		return Preview{}, err
	}
	done, err := s.limits.take(user)
	if err != nil {
		s.log.Info("voice preview refused", "user", user, "err", err)
		return Preview{}, err
	}
	defer done()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return Preview{}, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	if req.Language == "" {
		req.Language = s.voiceLanguage(ctx, syn, req.Voice)
	}
	mp3, err := render(ctx, syn, req)
	if err != nil {
		return Preview{}, err
	}
	return Preview{Provider: provider, Voice: req.Voice, MP3: mp3}, nil
}

// voiceLanguage is the language the provider lists voice as speaking,
// else the settings' language.
func (s *Service) voiceLanguage(ctx context.Context, syn tts.Synthesizer, voice string) string {
	if voice != "" {
		ctx, cancel := context.WithTimeout(ctx, listTimeout)
		defer cancel()
		if all, err := syn.Voices(ctx); err == nil {
			for _, v := range all {
				if v.ID == voice && v.Language != "" && template.ValidLanguage(v.Language) {
					return v.Language
				}
			}
		}
	}
	return s.defaults().Language
}

// checkPreview checks the request's fields and fills in the defaults.
func (s *Service) checkPreview(req PreviewRequest) (PreviewRequest, error) {
	if !utf8.ValidString(req.Text) {
		return req, apperr.Field(FieldText, "the preview text is not valid text")
	}
	req.Text = strings.Join(strings.Fields(req.Text), " ")
	switch {
	case req.Text == "":
		req.Text = Greeting
	case utf8.RuneCountInString(req.Text) > MaxPreviewRunes:
		return req, apperr.Field(FieldText, "the preview text is longer than %d characters: a sentence or two is enough to hear a voice", MaxPreviewRunes)
	}
	req.Voice = strings.TrimSpace(req.Voice)
	if len(req.Voice) > maxVoiceBytes || !utf8.ValidString(req.Voice) || strings.ContainsFunc(req.Voice, unicode.IsControl) {
		return req, apperr.Field(FieldVoice, "the voice must be a voice name of at most %d bytes", maxVoiceBytes)
	}
	switch {
	case req.Speed == 0:
		req.Speed = 1
	case math.IsNaN(req.Speed) || req.Speed < MinSpeed || req.Speed > MaxSpeed:
		return req, apperr.Field(FieldSpeed, "the speed must be between %g and %g", MinSpeed, float64(MaxSpeed))
	}
	if req.Language != "" && !template.ValidLanguage(req.Language) {
		return req, apperr.Field(FieldLanguage, "%q is not a language code like en or en-GB", clip(req.Language))
	}
	return req, nil
}

// render speaks the line and masters it like a one-line podcast (same
// loudness and format), so the preview sounds as the podcast will.
func render(ctx context.Context, syn tts.Synthesizer, req PreviewRequest) ([]byte, error) {
	clip, err := syn.Synthesize(ctx, tts.Request{Text: req.Text, Voice: req.Voice, Speed: req.Speed, Pitch: 50, Language: req.Language})
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, err
		}
		return nil, apperr.New(apperr.Unavailable, "the %s voice %q could not speak: %v", syn.Name(), req.Voice, err)
	}
	if len(clip.Samples) == 0 || clip.SampleRate <= 0 {
		return nil, apperr.New(apperr.Unavailable, "the %s voice %q gave no audio", syn.Name(), req.Voice)
	}
	opt := audio.DefaultOptions()
	clip = audio.Resample(clip, opt.SampleRate)
	var wav bytes.Buffer
	if err := audio.WriteWAV(&wav, clip); err != nil {
		return nil, err
	}
	seg := audio.Segment{
		Speaker: req.Voice, Text: req.Text, Stats: audio.Analyze(clip),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(wav.Bytes())), nil },
	}
	var out seekBuffer
	if _, err := audio.Master(ctx, []audio.Segment{seg}, nil, audio.Tags{Title: "Voice preview"}, opt, &out); err != nil {
		return nil, fmt.Errorf("voice preview: %w", err)
	}
	return out.buf, nil
}

// seekBuffer is an in-memory io.WriteSeeker (the mastering writes its
// header last).
type seekBuffer struct {
	buf []byte
	pos int
}

func (b *seekBuffer) Write(p []byte) (int, error) {
	if end := b.pos + len(p); end > len(b.buf) {
		b.buf = append(b.buf, make([]byte, end-len(b.buf))...)
	}
	n := copy(b.buf[b.pos:], p)
	b.pos += n
	return n, nil
}

func (b *seekBuffer) Seek(offset int64, whence int) (int64, error) {
	var at int64
	switch whence {
	case io.SeekStart:
		at = offset
	case io.SeekCurrent:
		at = int64(b.pos) + offset
	case io.SeekEnd:
		at = int64(len(b.buf)) + offset
	default:
		return 0, errors.New("seekBuffer: bad whence")
	}
	if at < 0 {
		return 0, errors.New("seekBuffer: negative position")
	}
	b.pos = int(at)
	return at, nil
}
