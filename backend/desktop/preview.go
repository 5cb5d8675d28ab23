package desktop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"podcastfy/backend/audio"
	"podcastfy/backend/player"
	"podcastfy/backend/tts"
)

// Voice previews.
const (
	previewTimeout  = time.Minute
	previewMaxRunes = 500
	previewGreeting = "Hello! This is how I sound in your podcasts."
	// PreviewID is the player's podcast ID while it plays a voice preview.
	PreviewID = "preview"
)

// previewer speaks a line with a voice and plays it through the native
// player. The player only plays MP3 files, so the line is mastered like a
// one-line podcast into dir/preview.mp3.
type previewer struct {
	dir    string
	player *player.Player
	mu     sync.Mutex // one preview at a time: they share the file
}

func (p *previewer) play(syn tts.Synthesizer, voice, text, language string) error {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		text = previewGreeting
	}
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > previewMaxRunes {
		return fmt.Errorf("the preview text must be at most %d characters of text", previewMaxRunes)
	}
	if len(voice) > 200 {
		return errors.New("the voice name is too long")
	}
	ctx, cancel := context.WithTimeout(context.Background(), previewTimeout)
	defer cancel()
	clip, err := syn.Synthesize(ctx, tts.Request{Text: text, Voice: voice, Speed: 1, Pitch: 50, Language: language})
	if err != nil {
		return fmt.Errorf("the %s voice %q could not speak: %w", syn.Name(), voice, err)
	}
	if len(clip.Samples) == 0 || clip.SampleRate <= 0 {
		return fmt.Errorf("the %s voice %q returned no audio", syn.Name(), voice)
	}
	opt := audio.DefaultOptions()
	clip = audio.Resample(clip, opt.SampleRate)
	var wav bytes.Buffer
	if err := audio.WriteWAV(&wav, clip); err != nil {
		return err
	}
	seg := audio.Segment{
		Speaker: voice, Text: text, Stats: audio.Analyze(clip),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(wav.Bytes())), nil },
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("voice preview: %w", err)
	}
	path := filepath.Join(p.dir, "preview.mp3")
	// A new file each time: the player may still hold the previous one open.
	tmp, err := os.CreateTemp(p.dir, "preview-*.mp3")
	if err != nil {
		return fmt.Errorf("voice preview: %w", err)
	}
	_, merr := audio.Master(ctx, []audio.Segment{seg}, nil, audio.Tags{Title: "Voice preview"}, opt, tmp)
	if err := errors.Join(merr, tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("voice preview: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("voice preview: %w", err)
	}
	if _, err := p.player.Load(PreviewID, path); err != nil {
		return err
	}
	_, err = p.player.Play()
	return err
}
