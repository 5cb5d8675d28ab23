// Package library is the podcast library as every door shows it: a page of
// the user's podcasts (search, every sort order, cursor paging, the total),
// one podcast, rename, delete and export. It checks ownership: another
// user's podcast is "not found", exactly like one that does not exist.
package library

import (
	"context"
	"errors"
	"log/slog"
	"time"
	"unicode/utf8"

	"podcastfy/backend/apperr"
	"podcastfy/backend/core"
	"podcastfy/backend/store"
)

// Page sizes and the longest search.
const (
	DefaultLimit  = 50
	MaxLimit      = 200
	MaxQueryBytes = 200
)

// Query fields, as both doors name them.
const (
	FieldQuery  = "q"
	FieldSort   = "sort"
	FieldLimit  = "limit"
	FieldCursor = "cursor"
)

// Query selects a page of the library.
type Query struct {
	// Q keeps podcasts whose title, summary or source text contains it,
	// ignoring case.
	Q string `json:"q"`
	// Sort is "newest" (default), "oldest", "title" (natural order,
	// ignoring case) or "duration" (longest first).
	Sort string `json:"sort"`
	// Limit is the page size: 1 to MaxLimit; 0 means DefaultLimit.
	Limit int `json:"limit"`
	// Cursor continues the previous page of the same Q and Sort; "" starts
	// at the beginning.
	Cursor string `json:"cursor"`
}

// Summary is a podcast as the library list shows it, and nothing more (no
// file links: Get has them).
type Summary struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Summary       string    `json:"summary"`
	GeneratedDate time.Time `json:"generatedDate"`
	Duration      float64   `json:"duration"` // seconds
	Speakers      []string  `json:"speakers"`
	Template      string    `json:"template"` // "" when none was recorded
	Status        string    `json:"status"`
	// FromRecording marks a podcast transcribed from a recording.
	FromRecording bool `json:"fromRecording"`
}

// Page is one page of the library.
type Page struct {
	Items []Summary `json:"items"`
	// Total is how many podcasts match the query over all pages.
	Total int `json:"total"`
	// NextCursor continues the list; empty (left out) after the last page.
	NextCursor string `json:"nextCursor,omitempty"`
}

// Service is the library of every user.
type Service struct {
	podcasts *store.Podcasts
	log      *slog.Logger
}

// New returns the library over the store's podcasts.
func New(p *store.Podcasts, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{podcasts: p, log: log}
}

// errNoPodcast is the answer for a podcast that does not exist and for
// another user's alike, so that ids cannot be probed.
var errNoPodcast = apperr.New(apperr.NotFound, "no such podcast: it may have been deleted")

// List returns a page of owner's podcasts.
func (s *Service) List(_ context.Context, owner string, q Query) (Page, error) {
	switch {
	case len(q.Q) > MaxQueryBytes || !utf8.ValidString(q.Q):
		return Page{}, apperr.Field(FieldQuery, "the search must be text of at most %d bytes", MaxQueryBytes)
	case q.Limit < 0 || q.Limit > MaxLimit:
		return Page{}, apperr.Field(FieldLimit, "the page size must be from 1 to %d, not %d", MaxLimit, q.Limit)
	}
	if q.Sort == "" {
		q.Sort = store.SortNewest
	}
	if !validSort(q.Sort) {
		return Page{}, apperr.Field(FieldSort, "unknown sort %q: use newest, oldest, title or duration", clip(q.Sort))
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	list, next, err := s.podcasts.List(store.ListQuery{Owner: owner, Query: q.Q, Sort: q.Sort, Cursor: q.Cursor, Limit: q.Limit})
	if errors.Is(err, store.ErrInvalidID) {
		return Page{}, apperr.Field(FieldCursor, "the page cursor is not one this list gave out; list again from the start")
	}
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: make([]Summary, len(list)), Total: s.podcasts.Total(owner, q.Q), NextCursor: next}
	for i, p := range list {
		page.Items[i] = summaryOf(p)
	}
	return page, nil
}

func validSort(sort string) bool {
	for _, s := range store.Sorts {
		if s == sort {
			return true
		}
	}
	return false
}

func summaryOf(p store.Podcast) Summary {
	s := Summary{
		ID: p.ID, Title: p.Title, Summary: p.Summary, GeneratedDate: p.GeneratedDate, Duration: p.Duration,
		Speakers: p.Speakers, Status: p.Status, FromRecording: p.FromRecording(),
	}
	if p.TemplateUsed != nil {
		s.Template = *p.TemplateUsed
	}
	if s.Speakers == nil {
		s.Speakers = []string{}
	}
	return s
}

// Get returns one of owner's podcasts, source text included.
func (s *Service) Get(_ context.Context, owner, id string) (store.Podcast, error) {
	p, err := s.podcasts.Get(id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) || err == nil && p.Owner != owner {
		return store.Podcast{}, errNoPodcast
	}
	return p, err
}

// Rename gives one of owner's podcasts a new title, checked by the same
// rule as a title at generation (core.CleanTitle), and required.
func (s *Service) Rename(_ context.Context, owner, id, title string) (store.Podcast, error) {
	title, err := core.CleanTitle(title)
	if err == nil && title == "" {
		err = apperr.Field(core.FieldTitle, "the title must not be empty")
	}
	if err != nil {
		return store.Podcast{}, err
	}
	p, err := s.podcasts.Update(id, func(p *store.Podcast) error {
		if p.Owner != owner {
			return errNoPodcast
		}
		p.Title = title
		return nil
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		return store.Podcast{}, errNoPodcast
	}
	return p, err
}

// Delete removes one of owner's podcasts and all its files; the store
// makes that all or nothing, even across a crash.
func (s *Service) Delete(ctx context.Context, owner, id string) error {
	if _, err := s.Get(ctx, owner, id); err != nil {
		return err
	}
	err := s.podcasts.Delete(id)
	if errors.Is(err, store.ErrNotFound) {
		return errNoPodcast
	}
	if err != nil {
		return err
	}
	s.log.Info("podcast deleted", "id", id)
	return nil
}

// MediaPath is the file of one kind of one of owner's podcasts;
// store.ErrNotFound (not_found) when it has none.
func (s *Service) MediaPath(ctx context.Context, owner, id, kind string) (string, error) {
	if _, err := s.Get(ctx, owner, id); err != nil {
		return "", err
	}
	return s.podcasts.MediaPath(id, kind)
}

// clip shortens a value quoted back in a message.
func clip(v string) string {
	if r := []rune(v); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return v
}
