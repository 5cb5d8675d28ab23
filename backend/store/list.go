package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// List returns a page of podcasts in q.Sort's order, without their source
// text (nil). The second result is the cursor of the next page, "" after
// the last. A cursor that List did not make, or made for another order, is
// an error wrapping ErrInvalidID; so is an unknown order. A page costs a
// binary search and a walk over the podcasts it looks at: nothing is
// copied or sorted per call.
func (p *Podcasts) List(q ListQuery) ([]Podcast, string, error) {
	if q.Limit < 0 {
		return nil, "", fmt.Errorf("%w: negative limit %d", ErrInvalidID, q.Limit)
	}
	sort := q.Sort
	if sort == "" {
		sort = SortNewest
	}
	if !slices.Contains(Sorts, sort) {
		return nil, "", fmt.Errorf("%w: unknown sort %q", ErrInvalidID, clip(sort))
	}
	var after *entry
	if q.Cursor != "" {
		var err error
		if after, err = decodeCursor(q.Cursor, sort); err != nil {
			return nil, "", err
		}
	}
	query := strings.ToLower(q.Query)
	if err := p.wait(); err != nil {
		return nil, "", err
	}
	p.refresh()
	if sort == SortTitle || sort == SortDuration {
		p.mu.Lock()
		p.buildSorted()
		p.mu.Unlock()
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	list, order, backwards := p.orderOf(sort)
	// i walks list in the page's direction from just past the cursor.
	i, step := 0, 1
	if backwards {
		i, step = len(list)-1, -1
	}
	if after != nil {
		// The first entry that sorts after the cursor in list's order.
		n, found := slices.BinarySearchFunc(list, after, order)
		if found {
			n++
		}
		i = n
		if backwards {
			// Walking backwards: the last entry sorting before the cursor.
			n, _ = slices.BinarySearchFunc(list, after, order)
			i = n - 1
		}
	}
	capacity := 64
	if q.Limit > 0 {
		capacity = q.Limit
	}
	out := make([]Podcast, 0, min(capacity, len(list)))
	var last *entry
	for ; i >= 0 && i < len(list); i += step {
		e := list[i]
		if !e.matches(q.Owner, query) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return out, encodeCursor(sort, last), nil
		}
		out = append(out, e.p.clone())
		last = e
	}
	return out, "", nil
}

// matches reports whether e is owner's ("" = anyone's) and its search text
// holds query (already lower-cased).
func (e *entry) matches(owner, query string) bool {
	return (owner == "" || e.p.Owner == owner) && (query == "" || strings.Contains(e.search, query))
}

// Total is the number of podcasts List would return for owner and query
// over all its pages. It is counted once per state of the index and then
// cached, so that every page can carry it.
func (p *Podcasts) Total(owner, query string) int {
	query = strings.ToLower(query)
	key := owner + "\x00" + query
	if p.wait() != nil {
		return 0 // List returned the error
	}
	p.refresh()
	p.mu.RLock()
	n, ok := p.sorted.totals[key]
	p.mu.RUnlock()
	if ok {
		return n
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n = 0
	for _, e := range p.order {
		if e.matches(owner, query) {
			n++
		}
	}
	if p.sorted.totals == nil || len(p.sorted.totals) >= maxCachedTotals {
		p.sorted.totals = map[string]int{}
	}
	p.sorted.totals[key] = n
	return n
}

// A cursor holds the sort key of the last podcast of a page (and the
// order it belongs to), so a page stays correct while podcasts are added,
// renamed or deleted between calls.
type cursor struct {
	Sort     string    `json:"s"`
	Date     time.Time `json:"d"`
	ID       string    `json:"i"`
	Title    string    `json:"t,omitempty"`
	Duration float64   `json:"l,omitempty"`
}

func encodeCursor(sort string, e *entry) string {
	c := cursor{Sort: sort, Date: e.p.GeneratedDate, ID: e.p.ID}
	switch sort {
	case SortTitle:
		c.Title = e.p.Title
	case SortDuration:
		c.Duration = e.p.Duration
	}
	data, _ := json.Marshal(c) // a struct of strings, a time and a float: always encodes
	return base64.RawURLEncoding.EncodeToString(data)
}

// maxCursorBytes bounds a cursor: a title of 200 characters fits easily.
const maxCursorBytes = 4096

func decodeCursor(s, sort string) (*entry, error) {
	var c cursor
	if len(s) <= maxCursorBytes {
		if raw, err := base64.RawURLEncoding.DecodeString(s); err == nil && json.Unmarshal(raw, &c) == nil &&
			c.Sort == sort && ValidID(c.ID) == nil {
			e := &entry{p: Podcast{ID: c.ID, GeneratedDate: c.Date, Title: c.Title, Duration: c.Duration}}
			if sort == SortTitle {
				e.titleKey = titleKey(c.Title)
			}
			return e, nil
		}
	}
	return nil, fmt.Errorf("%w: bad list cursor %q", ErrInvalidID, clip(s))
}
