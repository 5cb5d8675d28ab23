package api

import (
	"errors"
	"net/textproto"
	"strconv"
	"strings"
)

// byteRange is one satisfiable range of a Range header.
type byteRange struct {
	start, length int64
}

var (
	errBadRange  = errors.New("not a valid byte range (want bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX)")
	errNoOverlap = errors.New("no range overlaps the file")
)

// parseRange checks a Range header against a file of size bytes, by the
// same rules http.ServeContent applies (RFC 9110 §14.1.2), so the API can
// answer a bad range with a JSON error before ServeContent would answer it
// in plain text. It returns the satisfiable ranges.
func parseRange(s string, size int64) ([]byteRange, error) {
	const unit = "bytes="
	if s == "" {
		return nil, nil // no Range header: the whole file
	}
	if !strings.HasPrefix(s, unit) {
		return nil, errBadRange
	}
	var ranges []byteRange
	noOverlap := false
	for ra := range strings.SplitSeq(s[len(unit):], ",") {
		ra = textproto.TrimString(ra)
		if ra == "" {
			continue
		}
		first, last, ok := strings.Cut(ra, "-")
		if !ok {
			return nil, errBadRange
		}
		first, last = textproto.TrimString(first), textproto.TrimString(last)
		var r byteRange
		if first == "" {
			// bytes=-N: the last N bytes.
			if last == "" || last[0] == '-' {
				return nil, errBadRange
			}
			n, err := strconv.ParseInt(last, 10, 64)
			if n < 0 || err != nil {
				return nil, errBadRange
			}
			n = min(n, size)
			r.start = size - n
			r.length = size - r.start
		} else {
			i, err := strconv.ParseInt(first, 10, 64)
			if err != nil || i < 0 {
				return nil, errBadRange
			}
			if i >= size {
				noOverlap = true
				continue
			}
			r.start = i
			if last == "" {
				r.length = size - r.start
			} else {
				j, err := strconv.ParseInt(last, 10, 64)
				if err != nil || r.start > j {
					return nil, errBadRange
				}
				j = min(j, size-1)
				r.length = j - r.start + 1
			}
		}
		ranges = append(ranges, r)
	}
	if noOverlap && len(ranges) == 0 {
		if size == 0 {
			// Like ServeContent: an empty file ignores the range (200).
			return nil, nil
		}
		return nil, errNoOverlap
	}
	return ranges, nil
}
