package store

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
)

// List returns podcasts newest first, without their source text (nil). The
// second result is the cursor of the next page, "" after the last. A cursor
// that List did not make is an error wrapping ErrInvalidID.
func (p *Podcasts) List(q ListQuery) ([]Podcast, string, error) {
	if q.Limit < 0 {
		return nil, "", fmt.Errorf("%w: negative limit %d", ErrInvalidID, q.Limit)
	}
	query := strings.ToLower(q.Query)
	p.refresh()
	p.mu.RLock()
	defer p.mu.RUnlock()
	start := 0
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", err
		}
		start, _ = slices.BinarySearchFunc(p.order, after, func(e, target *entry) int {
			if before(e, target) || e.p.ID == target.p.ID && e.p.GeneratedDate.Equal(target.p.GeneratedDate) {
				return -1
			}
			return 1
		})
	}
	capacity := len(p.order) - start
	if q.Limit > 0 {
		capacity = min(capacity, q.Limit)
	}
	out := make([]Podcast, 0, capacity)
	var last *entry
	for _, e := range p.order[start:] {
		if q.Owner != "" && e.p.Owner != q.Owner || query != "" && !strings.Contains(e.search, query) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return out, encodeCursor(last), nil
		}
		out = append(out, e.p.clone())
		last = e
	}
	return out, "", nil
}

// A cursor is the sort key of the last podcast of a page, so a page stays
// correct while podcasts are added or deleted between calls.
func encodeCursor(e *entry) string {
	raw := e.p.GeneratedDate.UTC().Format(time.RFC3339Nano) + " " + e.p.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(c string) (*entry, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		date, id, ok := strings.Cut(string(raw), " ")
		t, terr := time.Parse(time.RFC3339Nano, date)
		if ok && terr == nil && ValidID(id) == nil {
			return &entry{p: Podcast{ID: id, GeneratedDate: t}}, nil
		}
	}
	return nil, fmt.Errorf("%w: bad list cursor %q", ErrInvalidID, clip(c))
}
