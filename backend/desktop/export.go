package desktop

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"podcastfy/backend/store"
)

const maxChaptersBytes = 4 << 20

// chapters returns the podcast's chapters with their ends: from the
// chapters file (Podcasting 2.0 JSON) when it exists, else from the starts
// kept in the metadata, each ending where the next begins.
func (l *Library) chapters(p store.Podcast) ([]Chapter, error) {
	path, err := l.podcasts.MediaPath(p.ID, store.KindChapters)
	if err == nil {
		return readChapters(path)
	}
	out := make([]Chapter, len(p.Chapters))
	for i, c := range p.Chapters {
		end := p.Duration
		if i+1 < len(p.Chapters) {
			end = p.Chapters[i+1].Start
		}
		out[i] = Chapter{Index: i, Title: c.Title, Start: c.Start, End: max(end, c.Start)}
	}
	return out, nil
}

func readChapters(path string) ([]Chapter, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the chapters: %w", err)
	}
	defer f.Close()
	var doc struct {
		Chapters []struct {
			StartTime float64 `json:"startTime"`
			EndTime   float64 `json:"endTime"`
			Title     string  `json:"title"`
		} `json:"chapters"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxChaptersBytes)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("the chapters file %s is damaged: %w", filepath.Base(path), err)
	}
	out := make([]Chapter, len(doc.Chapters))
	for i, c := range doc.Chapters {
		out[i] = Chapter{Index: i, Title: c.Title, Start: c.StartTime, End: max(c.EndTime, c.StartTime)}
	}
	return out, nil
}
