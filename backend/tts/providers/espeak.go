package providers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

const (
	espeakDefaultWPM   = 175
	espeakMinWPM       = 80
	espeakMaxWPM       = 450
	espeakDefaultPitch = 50
	espeakDefaultVoice = "en"
	// espeakWaitDelay bounds how long Wait waits for output pipes after the
	// process is killed on cancel.
	espeakWaitDelay = 2 * time.Second
)

// ESpeak runs the local espeak-ng binary once per line: text on stdin, a
// 22050 Hz WAV on stdout. A voice is "<voice>[+<variant>]", e.g. "en-us",
// "en-gb-scotland" or "en-us+f3"; both parts are checked against
// `espeak-ng --voices` (read once) because espeak-ng silently ignores an
// unknown variant.
type ESpeak struct {
	bin string
	log *slog.Logger

	mu      sync.Mutex
	catalog *espeakCatalog // nil until listed successfully
}

// NewESpeak returns the provider. A missing binary is reported by Health,
// Voices and Synthesize, so installing espeak-ng later needs no restart.
func NewESpeak(cfg ESpeakConfig, log *slog.Logger) *ESpeak {
	bin := strings.TrimSpace(cfg.Binary)
	if bin == "" {
		bin = "espeak-ng"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ESpeak{bin: bin, log: log}
}

// Name implements tts.Synthesizer.
func (e *ESpeak) Name() string { return NameESpeak }

// RunsLocally implements tts.Local: espeak-ng is a program on this machine.
func (e *ESpeak) RunsLocally() bool { return true }

func (e *ESpeak) fail(voice, reason string, err error) *tts.ProviderError {
	return &tts.ProviderError{Provider: NameESpeak, Voice: voice, Reason: reason, Err: err}
}

// run executes espeak-ng with args and stdin, returning stdout. The process
// is killed when ctx ends and always waited for, so none is left behind.
func (e *ESpeak) run(ctx context.Context, voice string, stdin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	out := &capped{buf: &stdout, max: maxBody}
	cmd.Stdout = out
	cmd.Stderr = &capped{buf: &stderr, max: 4 << 10}
	cmd.WaitDelay = espeakWaitDelay
	err := cmd.Run()
	switch {
	case err == nil:
		return stdout.Bytes(), nil
	case ctx.Err() != nil:
		return nil, e.fail(voice, "stopped: "+context.Cause(ctx).Error(), context.Cause(ctx))
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return nil, e.fail(voice, fmt.Sprintf("espeak-ng is not installed (cannot run %q); install the Debian package espeak-ng: sudo apt install espeak-ng", e.bin), err)
	case out.over:
		return nil, e.fail(voice, fmt.Sprintf("espeak-ng produced more than %d MB of audio", maxBody>>20), err)
	}
	msg := strings.Join(strings.Fields(stderr.String()), " ")
	if msg == "" {
		msg = "no message"
	}
	return nil, e.fail(voice, fmt.Sprintf("espeak-ng failed (%v): %s", err, msg), err)
}

// catalogue lists voices and variants once; a failure is not cached.
func (e *ESpeak) catalogue(ctx context.Context) (*espeakCatalog, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.catalog != nil {
		return e.catalog, nil
	}
	c := &espeakCatalog{}
	for _, l := range []struct {
		arg  string
		into *[]espeakVoice
	}{{"--voices", &c.voices}, {"--voices=variant", &c.variants}} {
		out, err := e.run(ctx, "", "", l.arg)
		if err != nil {
			return nil, err
		}
		vs, err := parseESpeakVoices(string(out))
		if err != nil {
			return nil, e.fail("", fmt.Sprintf("cannot read `%s %s`: %v", e.bin, l.arg, err), err)
		}
		*l.into = vs
	}
	if len(c.voices) == 0 {
		return nil, e.fail("", "espeak-ng lists no voices (is espeak-ng-data installed?)", nil)
	}
	e.catalog = c
	return c, nil
}

// Voices implements tts.Synthesizer: the base voices of `espeak-ng --voices`.
// Any of them takes a variant suffix, e.g. "en-us+f3" (see Variants).
func (e *ESpeak) Voices(ctx context.Context) ([]tts.Voice, error) {
	c, err := e.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]tts.Voice, len(c.voices))
	for i, v := range c.voices {
		out[i] = v.asVoice(v.Lang)
	}
	return out, nil
}

// Variants lists the voice variants ("f3", "m1", "croak", …) that can follow
// a voice after '+'.
func (e *ESpeak) Variants(ctx context.Context) ([]tts.Voice, error) {
	c, err := e.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]tts.Voice, len(c.variants))
	for i, v := range c.variants {
		out[i] = v.asVoice(v.variantID())
		out[i].Language = ""
	}
	return out, nil
}

// Health implements tts.Synthesizer: the binary runs and lists voices.
func (e *ESpeak) Health(ctx context.Context) error {
	_, err := e.catalogue(ctx)
	return err
}

// resolve turns the request's voice (or language) into the -v argument.
func (e *ESpeak) resolve(c *espeakCatalog, req tts.Request) (espeakVoice, string, error) {
	voice := strings.TrimSpace(req.Voice)
	if voice == "" {
		lang := req.Language
		if strings.TrimSpace(lang) == "" {
			lang = espeakDefaultVoice
		}
		v, ok := c.forLanguage(lang)
		if !ok {
			return v, "", e.fail("", fmt.Sprintf("espeak-ng has no voice for language %q%s", lang, didYouMean(suggest(lang, c.voiceIDs()))), nil)
		}
		return v, v.File, nil
	}
	base, variant, hasVariant := strings.Cut(voice, "+")
	v, ok := c.find(base)
	if !ok {
		return v, "", e.fail(voice, fmt.Sprintf("espeak-ng has no voice or language %q%s; run `espeak-ng --voices` for the list", base, didYouMean(suggest(base, c.voiceIDs()))), nil)
	}
	arg := v.File
	if hasVariant {
		id, ok := c.variant(variant)
		if !ok {
			return v, "", e.fail(voice, fmt.Sprintf("espeak-ng has no voice variant %q%s; run `espeak-ng --voices=variant` for the list", variant, didYouMean(suggest(variant, c.variantIDs()))), nil)
		}
		arg += "+" + id
	}
	if lang := strings.TrimSpace(req.Language); lang != "" && !v.speaks(langPrimary(lang)) {
		hint := ""
		if alt, ok := c.forLanguage(lang); ok {
			hint = fmt.Sprintf("; use a %s voice such as %q", lang, alt.Lang)
		}
		return v, "", e.fail(voice, fmt.Sprintf("this voice speaks %s (%s), not the requested language %q%s", v.Name, v.Lang, lang, hint), nil)
	}
	return v, arg, nil
}

// Synthesize implements tts.Synthesizer. Speed multiplies espeak-ng's
// 175 words per minute (clamped to 80–450); Pitch 1–99 sets -p (0 means 50).
func (e *ESpeak) Synthesize(ctx context.Context, req tts.Request) (audio.Clip, error) {
	if strings.TrimSpace(req.Text) == "" {
		return audio.Clip{}, e.fail(req.Voice, "no text to speak", nil)
	}
	if req.Speed < 0 {
		return audio.Clip{}, e.fail(req.Voice, fmt.Sprintf("speed %g is out of range (0 means normal; 2 is twice as fast)", req.Speed), nil)
	}
	if req.Pitch < 0 || req.Pitch > 99 {
		return audio.Clip{}, e.fail(req.Voice, fmt.Sprintf("pitch %d is out of range (1–99; 0 means the default, 50)", req.Pitch), nil)
	}
	c, err := e.catalogue(ctx)
	if err != nil {
		return audio.Clip{}, err
	}
	v, arg, err := e.resolve(c, req)
	if err != nil {
		return audio.Clip{}, err
	}
	name := req.Voice
	if name == "" {
		name = v.Lang
	}
	if script := foreignScript(req.Text, v); script != "" {
		hint := ""
		if alt := scriptVoice(c, script); alt != "" {
			hint = fmt.Sprintf("; pick a voice that reads it, such as %q", alt)
		}
		return audio.Clip{}, e.fail(name, fmt.Sprintf("the text is written in %s script, which the %s voice cannot read%s", script, v.Name, hint), nil)
	}
	speed := req.Speed
	if speed == 0 {
		speed = 1
	}
	wpm := min(max(int(math.Round(espeakDefaultWPM*speed)), espeakMinWPM), espeakMaxWPM)
	pitch := req.Pitch
	if pitch == 0 {
		pitch = espeakDefaultPitch
	}
	out, err := e.run(ctx, name, req.Text, "--stdout", "--stdin", "-v", arg, "-s", strconv.Itoa(wpm), "-p", strconv.Itoa(pitch))
	if err != nil {
		return audio.Clip{}, err
	}
	clip, err := audio.DecodeWAV(bytes.NewReader(out))
	if err != nil {
		return audio.Clip{}, e.fail(name, fmt.Sprintf("unreadable WAV from espeak-ng (%d bytes): %v", len(out), err), err)
	}
	if len(clip.Samples) == 0 {
		return audio.Clip{}, e.fail(name, "empty audio (espeak-ng produced no samples)", nil)
	}
	e.log.Debug("espeak-ng line", "voice", arg, "wpm", wpm, "pitch", pitch, "seconds", clip.Duration())
	return clip, nil
}

// scriptVoice names an installed voice for a script, for error hints.
func scriptVoice(c *espeakCatalog, script string) string {
	for _, s := range scriptLanguages {
		if s.name != script {
			continue
		}
		for _, l := range s.langs {
			if v, ok := c.forLanguage(l); ok {
				return v.Lang
			}
		}
	}
	return ""
}

// capped is a bytes.Buffer writer that fails past max bytes, which makes
// exec stop copying (and the process get SIGPIPE) instead of filling memory.
type capped struct {
	buf  *bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.buf.Len()+len(p) > c.max {
		c.over = true
		return 0, errors.New("output too large")
	}
	return c.buf.Write(p)
}
