package desktop

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"podcastfy/backend/audio"
	"podcastfy/backend/library"
	"podcastfy/backend/store"
)

// Chapter is one chapter's span, in seconds.
type Chapter struct {
	Index int     `json:"index"`
	Title string  `json:"title"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// Cue is one transcript line with its place in the audio, in seconds.
type Cue struct {
	Index   int     `json:"index"`
	Speaker string  `json:"speaker"`
	Text    string  `json:"text"`
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
}

// PodcastDetail is a podcast with its transcript and chapters, for the
// player screen.
type PodcastDetail struct {
	Podcast  store.Podcast `json:"podcast"`
	Cues     []Cue         `json:"cues"`
	Chapters []Chapter     `json:"chapters"`
	// FromRecording marks a podcast transcribed from a recording (the
	// window has no link to the original: exporting includes it).
	FromRecording bool `json:"fromRecording"`
}

// Library is the facade of the logged-in user's podcasts: each method
// adapts one call of the library service (which checks ownership).
type Library struct {
	lib      *library.Service
	podcasts *store.Podcasts // for the files of a podcast the service returned
	session  *Session
	rt       Runtime
	log      *slog.Logger
}

// List returns a page of the user's podcasts: {items, total, nextCursor}.
func (l *Library) List(q library.Query) (library.Page, error) {
	u, err := l.session.User()
	if err != nil {
		return library.Page{}, err
	}
	return l.lib.List(context.Background(), u.ID, q)
}

// own returns one of the user's podcasts; anyone else's is "not found".
func (l *Library) own(id string) (store.Podcast, error) {
	u, err := l.session.User()
	if err != nil {
		return store.Podcast{}, err
	}
	return l.lib.Get(context.Background(), u.ID, id)
}

// Get returns a podcast with its transcript cues (from the committed WebVTT
// file, whose times are exact) and its chapters (from the chapters file, or
// the chapter starts in the metadata when that file is missing).
func (l *Library) Get(id string) (PodcastDetail, error) {
	p, err := l.own(id)
	if err != nil {
		return PodcastDetail{}, err
	}
	d := PodcastDetail{Podcast: p, Cues: []Cue{}, FromRecording: p.FromRecording()}
	if path, err := l.podcasts.MediaPath(id, store.KindVTT); err == nil {
		data, err := os.ReadFile(path)
		if err != nil {
			return PodcastDetail{}, fmt.Errorf("reading the transcript of %q: %w", p.Title, err)
		}
		cues, err := audio.ReadVTT(data)
		if err != nil {
			return PodcastDetail{}, fmt.Errorf("the transcript of %q: %w", p.Title, err)
		}
		for i, c := range cues {
			d.Cues = append(d.Cues, Cue{Index: i, Speaker: c.Speaker, Text: c.Text, Start: c.Start, End: c.End})
		}
	}
	d.Chapters, err = l.chapters(p)
	if err != nil {
		return PodcastDetail{}, err
	}
	return d, nil
}

// Rename changes a podcast's title.
func (l *Library) Rename(id, title string) (store.Podcast, error) {
	u, err := l.session.User()
	if err != nil {
		return store.Podcast{}, err
	}
	p, err := l.lib.Rename(context.Background(), u.ID, id, title)
	p.SourceText = nil
	return p, err
}

// Delete removes a podcast and its files.
func (l *Library) Delete(id string) error {
	u, err := l.session.User()
	if err != nil {
		return err
	}
	return l.lib.Delete(context.Background(), u.ID, id)
}

// Export asks for a folder with the native dialog and copies the podcast's
// files into it (library.Service.Export says which and how they are
// named). It returns the folder, or "" when the person cancelled.
func (l *Library) Export(id string) (string, error) {
	p, err := l.own(id)
	if err != nil {
		return "", err
	}
	dir, err := l.rt.ChooseDirectory(fmt.Sprintf("Export “%s” to a folder", p.Title))
	if err != nil {
		return "", fmt.Errorf("choosing a folder: %w", err)
	}
	if dir == "" {
		return "", nil
	}
	u, err := l.session.User()
	if err != nil {
		return "", err
	}
	if _, err := l.lib.Export(context.Background(), u.ID, id, dir); err != nil {
		return "", err
	}
	return dir, nil
}

// clipText shortens s for an error message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
