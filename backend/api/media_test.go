package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/store"
)

func TestMediaFiles(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.alice, "Rivers", "text", 0)
	audioPath, err := tt.store.Podcasts().MediaPath(p.ID, store.KindAudio)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(audioPath)
	if err != nil {
		t.Fatal(err)
	}
	base := "/podcasts/" + p.ID

	full := tt.do("GET", base+"/audio", tt.aliceTok, nil).want(200)
	if !bytes.Equal(full.body, want) || full.header.Get("Content-Type") != "audio/mpeg" ||
		full.header.Get("ETag") == "" || full.header.Get("Last-Modified") == "" || full.header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("full audio: %d bytes, headers %v", len(full.body), full.header)
	}
	size := strconv.Itoa(len(want))
	for name, c := range map[string]struct {
		rng          string
		status       int
		contentRange string
		body         []byte
	}{
		"first KB":                 {"bytes=0-1023", 206, "bytes 0-1023/" + size, want[:1024]},
		"open end":                 {"bytes=50000-", 206, "bytes 50000-" + strconv.Itoa(len(want)-1) + "/" + size, want[50000:]},
		"suffix":                   {"bytes=-100", 206, "bytes " + strconv.Itoa(len(want)-100) + "-" + strconv.Itoa(len(want)-1) + "/" + size, want[len(want)-100:]},
		"past the end":             {"bytes=0-99999999", 206, "bytes 0-" + strconv.Itoa(len(want)-1) + "/" + size, want},
		"not satisfied":            {"bytes=99999999-", 416, "bytes */" + size, nil},
		"garbage":                  {"bytes=abc", 416, "bytes */" + size, nil},
		"wrong unit":               {"items=0-1", 416, "bytes */" + size, nil},
		"reversed":                 {"bytes=10-5", 416, "bytes */" + size, nil},
		"negative":                 {"bytes=-5-10", 416, "bytes */" + size, nil},
		"no dash":                  {"bytes=5", 416, "bytes */" + size, nil},
		"empty suffix":             {"bytes=-0", 416, "bytes */" + size, nil},
		"empty suffix and a range": {"bytes=-0,0-9", 206, "bytes 0-9/" + size, want[:10]},
	} {
		t.Run(name, func(t *testing.T) {
			r := tt.with(t).do("GET", base+"/audio", tt.aliceTok, nil, "Range: "+c.rng).want(c.status)
			if c.status == 416 {
				r.want(416, "bad_range")
			}
			if got := r.header.Get("Content-Range"); got != c.contentRange {
				t.Errorf("Content-Range %q, want %q", got, c.contentRange)
			}
			if c.body != nil && !bytes.Equal(r.body, c.body) {
				t.Errorf("body: %d bytes, want %d", len(r.body), len(c.body))
			}
		})
	}
	etag := full.header.Get("ETag")
	tt.do("GET", base+"/audio", tt.aliceTok, nil, "If-None-Match: "+etag).want(304)
	r := tt.do("GET", base+"/audio", tt.aliceTok, nil, "Range: bytes=0-9", "If-Range: \"stale\"").want(200)
	if len(r.body) != len(want) {
		t.Fatal("a stale If-Range must get the whole file")
	}

	for suffix, ct := range map[string]string{
		"transcript.vtt": "text/vtt", "transcript.srt": "application/x-subrip",
		"chapters.json": "application/json+chapters", "script.json": "application/json",
	} {
		r := tt.do("GET", base+"/"+suffix, tt.aliceTok, nil).want(200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), ct) || len(r.body) == 0 {
			t.Errorf("%s: %q, %d bytes", suffix, r.header.Get("Content-Type"), len(r.body))
		}
	}
	// Another user's files are not found, whatever the route.
	for _, suffix := range []string{"audio", "transcript.vtt", "transcript.srt", "chapters.json", "script.json"} {
		tt.do("GET", base+"/"+suffix, tt.bobTok, nil).want(404, "not_found")
		tt.do("GET", base+"/"+suffix, "", nil).want(401, "unauthorized")
	}
	tt.do("GET", "/podcasts/"+store.NewID()+"/audio", tt.aliceTok, nil).want(404)
}

func TestSignedURLs(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.alice, "Rivers", "text", 0)
	q := tt.addPodcast(tt.bob, "Bob's", "text", 0)
	var v, bv podcastJSON
	tt.do("GET", "/podcasts/"+p.ID, tt.aliceTok, nil).want(200).decode(&v)
	tt.do("GET", "/podcasts/"+q.ID, tt.bobTok, nil).want(200).decode(&bv)

	// A signed URL needs no header: that is what <audio> and podcast apps use.
	for _, u := range []string{v.AudioURL, v.TranscriptURL, v.SubtitlesURL, v.ChaptersURL, v.ScriptURL} {
		tt.do("GET", u, "", nil).want(200)
	}
	r := tt.do("GET", v.AudioURL, "", nil, "Range: bytes=0-9").want(206)
	if len(r.body) != 10 {
		t.Fatalf("signed range: %d bytes", len(r.body))
	}

	parsed, err := url.Parse(v.AudioURL)
	if err != nil {
		t.Fatal(err)
	}
	vals := parsed.Query()
	with := func(path string, change func(url.Values)) string {
		c := url.Values{}
		for k, v := range vals {
			c[k] = append([]string(nil), v...)
		}
		change(c)
		return path + "?" + c.Encode()
	}
	bobParsed, _ := url.Parse(bv.AudioURL)
	for name, u := range map[string]string{
		"tampered sig":         with(parsed.Path, func(c url.Values) { c.Set("sig", strings.Repeat("A", 43)) }),
		"later expiry":         with(parsed.Path, func(c url.Values) { c.Set("exp", strconv.FormatInt(time.Now().Add(1000*time.Hour).Unix(), 10)) }),
		"other user":           with(parsed.Path, func(c url.Values) { c.Set("u", tt.bob.ID) }),
		"unknown user":         with(parsed.Path, func(c url.Values) { c.Set("u", store.NewID()) }),
		"bad user id":          with(parsed.Path, func(c url.Values) { c.Set("u", "../x") }),
		"bad exp":              with(parsed.Path, func(c url.Values) { c.Set("exp", "soon") }),
		"sig on other file":    with("/podcasts/"+p.ID+"/script.json", func(url.Values) {}),
		"bob's sig on alice's": "/podcasts/" + p.ID + "/audio?" + bobParsed.RawQuery,
		"alice's sig on bob's": "/podcasts/" + q.ID + "/audio?" + parsed.RawQuery,
		"unknown podcast":      with("/podcasts/"+store.NewID()+"/audio", func(url.Values) {}),
		"feed sig garbage":     "/podcasts/" + p.ID + "/audio?u=" + tt.alice.ID + "&fsig=xyz",
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("GET", u, "", nil).want(401, "invalid_signature")
		})
	}
	// A bearer token wins over a signature: bob's token on alice's file is 404.
	tt.do("GET", v.AudioURL, tt.bobTok, nil).want(404)

	tt.clock.advance(DefaultSignedURLTTL + 11*time.Minute)
	tt.do("GET", v.AudioURL, "", nil).want(401, "signature_expired")
	tt.do("GET", "/podcasts/"+p.ID+"/audio", tt.login("alice"), nil).want(200)
}

// emptySuffixOnly reports whether every range of a Range header asks for
// the last zero bytes, which ServeContent answers 206 with an invalid
// Content-Range and parseRange refuses (416).
func emptySuffixOnly(h string) bool {
	rest, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return false
	}
	seen := false
	for item := range strings.SplitSeq(rest, ",") {
		item = strings.Trim(item, " \t")
		if item == "" {
			continue
		}
		n, ok := strings.CutPrefix(item, "-")
		if !ok || strings.Trim(strings.TrimSpace(n), "0") != "" || strings.TrimSpace(n) == "" {
			return false
		}
		seen = true
	}
	return seen
}

// FuzzParseRange checks the Range parser against http.ServeContent: what
// parseRange refuses, ServeContent answers 416; what it accepts,
// ServeContent serves, and a single range has exactly the bytes asked for.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{
		"bytes=0-1023", "bytes=-1", "bytes=5-", "bytes=0-0,2-3", "bytes=", "bytes=,", "bytes=10-5", "bytes=abc",
		"bytes=-0", "bytes=99-", "bytes= 1 - 2 ", "bytes=+1-2", "bytes=1--2", "bytes=0-9223372036854775807", "bytes=-9223372036854775808",
		"items=0-1", "bytes=0-1,,", "bytes=1-1,-1,3-", "bytes=\t0-1",
	} {
		f.Add(s, int64(100))
	}
	f.Add("bytes=0-0", int64(0))
	f.Fuzz(func(t *testing.T, header string, size int64) {
		if size < 0 || size > 4096 {
			size %= 4097
			if size < 0 {
				size = -size
			}
		}
		ranges, err := parseRange(header, size)
		for _, r := range ranges {
			if r.start < 0 || r.length < 0 || r.start+r.length > size {
				t.Fatalf("parseRange(%q, %d) gave %+v outside the file", header, size, r)
			}
		}
		data := bytes.Repeat([]byte{'x'}, int(size))
		for i := range data {
			data[i] = byte(i)
		}
		req := httptest.NewRequest("GET", "/f", nil)
		req.Header.Set("Range", header)
		if len(ranges) > 0 {
			req.Header.Set("Range", rangeHeader(ranges)) // as serveMedia does
		}
		rec := httptest.NewRecorder()
		http.ServeContent(rec, req, "", time.Time{}, bytes.NewReader(data))
		switch {
		case err != nil && rec.Code != http.StatusRequestedRangeNotSatisfiable && !emptySuffixOnly(header):
			t.Fatalf("parseRange(%q, %d) refused (%v) but ServeContent answered %d", header, size, err, rec.Code)
		case err == nil && rec.Code == http.StatusRequestedRangeNotSatisfiable:
			t.Fatalf("parseRange(%q, %d) accepted %+v but ServeContent answered 416", header, size, ranges)
		case err == nil && rec.Code == http.StatusPartialContent && len(ranges) == 1:
			r := ranges[0]
			if !bytes.Equal(rec.Body.Bytes(), data[r.start:r.start+r.length]) {
				t.Fatalf("parseRange(%q, %d) = %+v but ServeContent sent other bytes", header, size, r)
			}
		}
	})
}
