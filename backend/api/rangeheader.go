package api

import (
	"errors"
	"net/textproto"
	"strconv"
	"strings"
)

// String is the range in a Range header's syntax.
func (r byteRange) String() string {
	return strconv.FormatInt(r.start, 10) + "-" + strconv.FormatInt(r.start+r.length-1, 10)
}

// rangeHeader writes ranges back as a Range header, so http.ServeContent
// serves exactly the ranges parseRange accepted and none it dropped.
func rangeHeader(ranges []byteRange) string {
	parts := make([]string, len(ranges))
	for i, r := range ranges {
		parts[i] = r.String()
	}
	return "bytes=" + strings.Join(parts, ",")
}

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
			if n == 0 {
				// The last zero bytes: nothing (RFC 9110 §14.1.3), so a
				// 416 rather than ServeContent's 206 with an invalid
				// Content-Range.
				noOverlap = true
				continue
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
