package store

import (
	"bytes"
	"cmp"
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Sort orders of List.
const (
	SortNewest   = "newest"   // generatedDate, newest first (the default)
	SortOldest   = "oldest"   // generatedDate, oldest first
	SortTitle    = "title"    // natural title order, ignoring case; "part 465" before "part 4551"
	SortDuration = "duration" // longest first
)

// Sorts lists the sort orders List knows.
var Sorts = []string{SortNewest, SortOldest, SortTitle, SortDuration}

// Every order breaks ties newest first, then by id, so that it is total:
// a cursor (the last item's sort key) then finds its place exactly.

func cmpNewest(a, b *entry) int {
	if c := b.p.GeneratedDate.Compare(a.p.GeneratedDate); c != 0 {
		return c
	}
	return cmp.Compare(b.p.ID, a.p.ID)
}

func cmpTitle(a, b *entry) int {
	if c := bytes.Compare(a.titleKey, b.titleKey); c != 0 {
		return c
	}
	return cmpNewest(a, b)
}

func cmpDuration(a, b *entry) int {
	if c := cmp.Compare(b.p.Duration, a.p.Duration); c != 0 {
		return c
	}
	return cmpNewest(a, b)
}

// collators make title sort keys: the Unicode collation with numbers
// compared by value and case ignored. A Collator is not safe for
// concurrent use, hence the pool.
var collators = sync.Pool{New: func() any {
	return collate.New(language.Und, collate.IgnoreCase, collate.Numeric)
}}

// titleKey is the sort key of a title: keys compare with bytes.Compare in
// natural title order.
func titleKey(title string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	return slices.Clone(c.KeyFromString(&buf, title))
}

// sorted holds the title and duration orders of the index. They are made
// on the first list that asks for them (start-up does not pay for them)
// and kept in step by insert and remove from then on. Guarded by
// Podcasts.mu.
type sorted struct {
	built      bool
	byTitle    []*entry
	byDuration []*entry
	// totals caches the number of podcasts matching an owner and a
	// search ("owner\x00query"), emptied by every change of the index.
	totals map[string]int
}

// maxCachedTotals bounds the totals cache; past it the cache starts over.
const maxCachedTotals = 256

// buildSorted makes the title and duration orders if they are not made
// yet. Callers hold mu for writing.
func (p *Podcasts) buildSorted() {
	if p.sorted.built {
		return
	}
	for _, e := range p.order {
		if e.titleKey == nil {
			e.titleKey = titleKey(e.p.Title)
		}
	}
	p.sorted.byTitle = slices.SortedFunc(slices.Values(p.order), cmpTitle)
	p.sorted.byDuration = slices.SortedFunc(slices.Values(p.order), cmpDuration)
	p.sorted.built = true
}

// warmSorted makes the title and duration orders in the background once
// the index is ready, so that the first list sorted by title does not pay
// for collating every title (most of a second at 10,000 podcasts). The keys
// are made outside the lock, which is held only to sort; a list that comes
// first simply builds the orders itself.
func (p *Podcasts) warmSorted() {
	p.mu.RLock()
	todo := make([]*entry, 0, len(p.order))
	titles := make([]string, 0, len(p.order))
	for _, e := range p.order {
		if e.titleKey == nil {
			todo, titles = append(todo, e), append(titles, e.p.Title)
		}
	}
	p.mu.RUnlock()
	keys := make([][]byte, len(titles))
	for i, t := range titles {
		keys[i] = titleKey(t)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, e := range todo {
		if e.titleKey == nil && e.p.Title == titles[i] {
			e.titleKey = keys[i]
		}
	}
	p.buildSorted()
}

// addSorted and dropSorted keep the orders in step; callers hold mu.
func (p *Podcasts) addSorted(e *entry) {
	p.sorted.totals = nil
	if !p.sorted.built {
		return
	}
	if e.titleKey == nil {
		e.titleKey = titleKey(e.p.Title)
	}
	p.sorted.byTitle = insertSorted(p.sorted.byTitle, e, cmpTitle)
	p.sorted.byDuration = insertSorted(p.sorted.byDuration, e, cmpDuration)
}

func (p *Podcasts) dropSorted(e *entry) {
	p.sorted.totals = nil
	if !p.sorted.built {
		return
	}
	p.sorted.byTitle = deleteSorted(p.sorted.byTitle, e, cmpTitle)
	p.sorted.byDuration = deleteSorted(p.sorted.byDuration, e, cmpDuration)
}

func insertSorted(list []*entry, e *entry, order func(a, b *entry) int) []*entry {
	i, _ := slices.BinarySearchFunc(list, e, order)
	return slices.Insert(list, i, e)
}

func deleteSorted(list []*entry, e *entry, order func(a, b *entry) int) []*entry {
	i, found := slices.BinarySearchFunc(list, e, order)
	if found && list[i] == e {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// orderOf returns the list to walk for a sort order, its comparison, and
// whether to walk it backwards. Callers hold mu; title and duration need
// buildSorted first.
func (p *Podcasts) orderOf(sort string) ([]*entry, func(a, b *entry) int, bool) {
	switch sort {
	case SortOldest:
		return p.order, cmpNewest, true
	case SortTitle:
		return p.sorted.byTitle, cmpTitle, false
	case SortDuration:
		return p.sorted.byDuration, cmpDuration, false
	}
	return p.order, cmpNewest, false
}
