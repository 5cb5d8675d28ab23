package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"podcastfy/backend/player"
	"podcastfy/backend/voices"
)

// PreviewID is the player's podcast ID while it plays a voice preview.
const PreviewID = "preview"

// previewer plays voice previews through the native player. The voice
// service makes them (with the same rules and limits as for the LAN), as
// MP3, which is what the player plays; each goes to a new file in dir.
type previewer struct {
	voices *voices.Service
	dir    string
	player *player.Player
	mu     sync.Mutex // one preview at a time: they share the file
}

func (p *previewer) play(user string, req voices.PreviewRequest) error {
	pv, err := p.voices.Preview(context.Background(), user, req)
	if err != nil {
		return err
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
	_, werr := tmp.Write(pv.MP3)
	if err := errors.Join(werr, tmp.Close()); err != nil {
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
