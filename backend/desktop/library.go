package desktop

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/audio"
	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Page sizes of Library.List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Sort orders of Library.List.
const (
	SortNewest   = "newest"
	SortOldest   = "oldest"
	SortTitle    = "title"
	SortDuration = "duration"
)

// ListQuery selects a page of the library.
type ListQuery struct {
	// Query keeps podcasts whose title, summary or text contains it.
	Query string `json:"query"`
	// Sort is "newest" (default), "oldest", "title" or "duration" (longest first).
	Sort string `json:"sort"`
	// Limit is the page size: 1–500, 0 means 50.
	Limit int `json:"limit"`
	// Cursor continues a previous page ("" starts at the beginning).
	Cursor string `json:"cursor"`
}

// PodcastPage is one page of the library.
type PodcastPage struct {
	Items      []store.Podcast `json:"items"`
	NextCursor string          `json:"nextCursor"` // "" after the last page
}

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
}

// Library is the facade of the logged-in user's podcasts.
type Library struct {
	podcasts *store.Podcasts
	session  *Session
	rt       Runtime
	log      *slog.Logger
}

// List returns a page of the user's podcasts, without their source text.
func (l *Library) List(q ListQuery) (PodcastPage, error) {
	u, err := l.session.User()
	if err != nil {
		return PodcastPage{}, err
	}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		return PodcastPage{}, fmt.Errorf("the page size must be from 1 to %d, not %d", MaxPageSize, q.Limit)
	}
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	if len(q.Query) > 200 || !utf8.ValidString(q.Query) {
		return PodcastPage{}, errors.New("the search must be text of at most 200 bytes")
	}
	switch q.Sort {
	case "", SortNewest:
		items, next, err := l.podcasts.List(store.ListQuery{Owner: u.ID, Query: q.Query, Cursor: q.Cursor, Limit: q.Limit})
		if errors.Is(err, store.ErrInvalidID) {
			return PodcastPage{}, errors.New("the page cursor is not valid: list again from the start")
		}
		if err != nil {
			return PodcastPage{}, err
		}
		return PodcastPage{Items: items, NextCursor: next}, nil
	case SortOldest, SortTitle, SortDuration:
		return l.sorted(u.ID, q)
	}
	return PodcastPage{}, fmt.Errorf("unknown sort %q: use newest, oldest, title or duration", q.Sort)
}

// sorted lists every matching podcast, sorts them and returns the page at
// the cursor, which is "<sort>:<offset>".
func (l *Library) sorted(owner string, q ListQuery) (PodcastPage, error) {
	offset := 0
	if q.Cursor != "" {
		s, n, ok := strings.Cut(q.Cursor, ":")
		v, err := strconv.Atoi(n)
		if !ok || s != q.Sort || err != nil || v < 0 {
			return PodcastPage{}, errors.New("the page cursor is not valid: list again from the start")
		}
		offset = v
	}
	all, _, err := l.podcasts.List(store.ListQuery{Owner: owner, Query: q.Query})
	if err != nil {
		return PodcastPage{}, err
	}
	// all is newest first; stable sorts keep that order among equals.
	switch q.Sort {
	case SortOldest:
		slices.Reverse(all)
	case SortTitle:
		slices.SortStableFunc(all, func(a, b store.Podcast) int {
			return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		})
	case SortDuration:
		slices.SortStableFunc(all, func(a, b store.Podcast) int { return cmp.Compare(b.Duration, a.Duration) })
	}
	offset = min(offset, len(all))
	end := min(offset+q.Limit, len(all))
	page := PodcastPage{Items: all[offset:end]}
	if end < len(all) {
		page.NextCursor = q.Sort + ":" + strconv.Itoa(end)
	}
	return page, nil
}

// own returns one of the user's podcasts; anyone else's is "not found".
func (l *Library) own(id string) (store.Podcast, error) {
	u, err := l.session.User()
	if err != nil {
		return store.Podcast{}, err
	}
	p, err := l.podcasts.Get(id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) || err == nil && p.Owner != u.ID {
		return store.Podcast{}, fmt.Errorf("podcast %q not found: it may have been deleted", clipText(id))
	}
	return p, err
}

// Get returns a podcast with its transcript cues (from the committed WebVTT
// file, whose times are exact) and its chapters (from the chapters file, or
// the chapter starts in the metadata when that file is missing).
func (l *Library) Get(id string) (PodcastDetail, error) {
	p, err := l.own(id)
	if err != nil {
		return PodcastDetail{}, err
	}
	d := PodcastDetail{Podcast: p, Cues: []Cue{}}
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
	title, err := core.CleanTitle(title)
	if err == nil && title == "" {
		err = apperr.Field(core.FieldTitle, "the title must not be empty")
	}
	if err != nil {
		return store.Podcast{}, err
	}
	if _, err := l.own(id); err != nil {
		return store.Podcast{}, err
	}
	p, err := l.podcasts.Update(id, func(p *store.Podcast) error {
		p.Title = title
		return nil
	})
	if err != nil {
		return store.Podcast{}, fmt.Errorf("renaming the podcast: %w", err)
	}
	p.SourceText = nil
	return p, nil
}

// Delete removes a podcast and its files.
func (l *Library) Delete(id string) error {
	p, err := l.own(id)
	if err != nil {
		return err
	}
	if err := l.podcasts.Delete(id); err != nil {
		return fmt.Errorf("deleting %q: %w", p.Title, err)
	}
	l.log.Info("podcast deleted", "id", id)
	return nil
}

// clipText shortens s for an error message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
