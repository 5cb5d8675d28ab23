package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// closest returns the candidates nearest to word by edit distance, best
// first, at most three; only those close enough to be a slip of the finger
// (one edit in a short word, two or a third of the length in a longer one:
// a swapped pair of letters is two), so a wild guess gets none.
func closest(word string, candidates []string) []string {
	word = strings.ToLower(word)
	limit := 1
	if n := len([]rune(word)); n >= 4 {
		limit = max(2, n/3)
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(word, strings.ToLower(c))
		// A prefix ("gen" for "generate") is a slip too.
		if d <= limit || len(word) >= 3 && strings.HasPrefix(strings.ToLower(c), word) {
			found = append(found, scored{c, d})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return a.d - b.d })
	var names []string
	for _, f := range found[:min(3, len(found))] {
		names = append(names, f.name)
	}
	return names
}

// didYouMean is a hint line naming what word was probably meant, each
// shown by show ("podcastfy %s", "--%s"); "" when nothing is close.
func didYouMean(word string, candidates []string, show string) string {
	names := closest(word, candidates)
	if len(names) == 0 {
		return ""
	}
	for i, n := range names {
		names[i] = fmt.Sprintf(show, n)
	}
	return "Did you mean " + strings.Join(names, " or ") + "?"
}

// flagNames are a flag set's flag names.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// flagHint is the hint for an error of Go's flag package: the flag meant
// when one was misspelt, or the usage of the flag that was misused.
func flagHint(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return didYouMean(name, flagNames(fs), "--%s")
	}
	for _, prefix := range []string{"flag needs an argument: -", "invalid value "} {
		rest, ok := strings.CutPrefix(msg, prefix)
		if !ok {
			continue
		}
		if i := strings.Index(rest, "for flag -"); i >= 0 {
			rest = rest[i+len("for flag -"):]
		}
		name, _, _ := strings.Cut(rest, ":")
		if f := fs.Lookup(name); f != nil {
			arg, usage := flag.UnquoteUsage(f)
			return fmt.Sprintf("--%s %s: %s", f.Name, arg, usage)
		}
	}
	return ""
}
