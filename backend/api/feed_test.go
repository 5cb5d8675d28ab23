package api

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/config"
)

// parsedFeed reads back what the feed must hold.
type parsedFeed struct {
	Channel struct {
		Title string `xml:"title"`
		Self  []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Image struct {
			Href string `xml:"href,attr"`
		} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd image"`
		Items []struct {
			Title     string `xml:"title"`
			GUID      string `xml:"guid"`
			PubDate   string `xml:"pubDate"`
			Enclosure struct {
				URL    string `xml:"url,attr"`
				Length int64  `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
			Duration string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd duration"`
			Image    struct {
				Href string `xml:"href,attr"`
			} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd image"`
			Transcripts []struct {
				URL  string `xml:"url,attr"`
				Type string `xml:"type,attr"`
			} `xml:"https://podcastindex.org/namespace/1.0 transcript"`
			Chapters struct {
				URL  string `xml:"url,attr"`
				Type string `xml:"type,attr"`
			} `xml:"https://podcastindex.org/namespace/1.0 chapters"`
		} `xml:"item"`
	} `xml:"channel"`
}

func (tt *tester) feedPath(token string) string {
	tt.t.Helper()
	var me meJSON
	tt.do("GET", "/me", token, nil).want(200).decode(&me)
	u, err := url.Parse(me.FeedURL)
	if err != nil {
		tt.t.Fatal(err)
	}
	return u.RequestURI()
}

func TestFeed(t *testing.T) {
	tt := newTester(t, testOptions{})
	older := tt.addPodcast(tt.alice, "Old <one> & more", "text", 48*time.Hour)
	newer := tt.addPodcast(tt.alice, "New one", "text", time.Hour)
	bobs := tt.addPodcast(tt.bob, "Bob's", "text", 0)

	r := tt.do("GET", tt.feedPath(tt.aliceTok), "", nil).want(200)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/rss+xml") {
		t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
	}
	var f parsedFeed
	if err := xml.Unmarshal(r.body, &f); err != nil {
		t.Fatalf("feed XML: %v\n%s", err, r.body)
	}
	items := f.Channel.Items
	if len(items) != 2 || items[0].Title != "New one" || items[1].Title != "Old <one> & more" {
		t.Fatalf("items: %+v", items)
	}
	if strings.Contains(string(r.body), bobs.ID) {
		t.Fatal("alice's feed lists bob's podcast")
	}
	for i, it := range items {
		p := []struct {
			id    string
			bytes int64
		}{{newer.ID, newer.AudioBytes}, {older.ID, older.AudioBytes}}[i]
		if it.Enclosure.Type != "audio/mpeg" || it.Enclosure.Length != p.bytes || it.Duration != "61" ||
			!strings.HasPrefix(it.Enclosure.URL, tt.srv.URL+"/podcasts/"+p.id+"/audio/") || it.GUID != "podcastfy:"+p.id {
			t.Fatalf("item %d: %+v", i, it)
		}
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Fatalf("pubDate %q: %v", it.PubDate, err)
		}
		if len(it.Transcripts) != 2 || it.Transcripts[0].Type != "text/vtt" || it.Chapters.Type != "application/json+chapters" {
			t.Fatalf("item %d companions: %+v", i, it)
		}
		// Podcast apps fetch every URL without headers.
		for _, u := range []string{it.Enclosure.URL, it.Transcripts[0].URL, it.Transcripts[1].URL, it.Chapters.URL, it.Image.Href} {
			tt.do("GET", strings.TrimPrefix(u, tt.srv.URL), "", nil).want(200)
		}
	}
	// Feed links outlive session links but not the feed key.
	encl := strings.TrimPrefix(items[0].Enclosure.URL, tt.srv.URL)
	tt.clock.advance(30 * 24 * time.Hour)
	tt.do("GET", encl, "", nil, "Range: bytes=0-9").want(206)
	tt.do("POST", "/me/feed-key", tt.login("alice"), nil).want(200)
	tt.do("GET", encl, "", nil).want(401, "invalid_signature")
	tt.do("GET", strings.TrimPrefix(items[0].Image.Href, tt.srv.URL), "", nil).want(401, "invalid_signature")

	var bf parsedFeed
	xml.Unmarshal(tt.do("GET", tt.feedPath(tt.login("bob")), "", nil).want(200).body, &bf)
	if len(bf.Channel.Items) != 1 || bf.Channel.Items[0].GUID != "podcastfy:"+bobs.ID {
		t.Fatalf("bob's feed: %+v", bf.Channel.Items)
	}
	// Bob's feed links do not open alice's files.
	bobEncl, _ := url.Parse(bf.Channel.Items[0].Enclosure.URL)
	signedPart := strings.TrimPrefix(bobEncl.Path, "/podcasts/"+bobs.ID+"/audio")
	tt.do("GET", "/podcasts/"+newer.ID+"/audio"+signedPart, "", nil).want(401, "invalid_signature")
	bobArt, _ := url.Parse(bf.Channel.Items[0].Image.Href)
	tt.do("GET", "/podcasts/"+newer.ID+"/artwork.png?"+bobArt.RawQuery, "", nil).want(401, "invalid_signature")

	for _, q := range []string{"", "?key=", "?key=wrong", "?key=" + strings.Repeat("k", 200), "?key=%00"} {
		tt.do("GET", "/feed.xml"+q, "", nil).want(401, "invalid_feed_key")
	}
}

func TestFeedPublicURL(t *testing.T) {
	tt := newTester(t, testOptions{settings: config.ServerSettings{PublicURL: "https://podcasts.example.net:8443/"}})
	tt.addPodcast(tt.alice, "One", "text", 0)
	var me meJSON
	tt.do("GET", "/me", tt.aliceTok, nil).want(200).decode(&me)
	if !strings.HasPrefix(me.FeedURL, "https://podcasts.example.net:8443/feed.xml?key=") {
		t.Fatalf("feed URL %s", me.FeedURL)
	}
	var f parsedFeed
	u, _ := url.Parse(me.FeedURL)
	xml.Unmarshal(tt.do("GET", u.RequestURI(), "", nil).want(200).body, &f)
	if len(f.Channel.Items) != 1 || !strings.HasPrefix(f.Channel.Items[0].Enclosure.URL, "https://podcasts.example.net:8443/podcasts/") {
		t.Fatalf("items: %+v", f.Channel.Items)
	}
}

// TestFeedForPodcastApps holds what podcast apps need from a feed: file
// names, artwork, a self link that works, the icon.
func TestFeedForPodcastApps(t *testing.T) {
	tt := newTester(t, testOptions{})
	first := tt.addPodcast(tt.alice, "Rivers & Deltas: Ünïcode!", "text", 3*time.Hour)
	again := tt.addPodcast(tt.alice, "Rivers & deltas — ünicode", "text", 2*time.Hour)
	greek := tt.addPodcast(tt.alice, "Ποταμοί", "text", time.Hour)

	var f parsedFeed
	r := tt.do("GET", tt.feedPath(tt.aliceTok), "", nil).want(200)
	if err := xml.Unmarshal(r.body, &f); err != nil {
		t.Fatal(err)
	}
	// Newest first; names distinct, made from the titles.
	wantNames := map[string]string{
		first.ID: "rivers-deltas-unicode.mp3", again.ID: "rivers-deltas-unicode-2.mp3",
		greek.ID: "podcast-" + strings.ToLower(greek.ID) + ".mp3",
	}
	for _, it := range f.Channel.Items {
		id := strings.TrimPrefix(it.GUID, "podcastfy:")
		u, err := url.Parse(it.Enclosure.URL)
		if err != nil || u.RawQuery != "" || path.Base(u.Path) != wantNames[id] {
			t.Errorf("enclosure %s, want one ending in %s without a query", it.Enclosure.URL, wantNames[id])
			continue
		}
		audio := tt.do("GET", u.Path, "", nil, "Range: bytes=0-2").want(206)
		if string(audio.body) != "ID3" || audio.header.Get("Content-Type") != "audio/mpeg" {
			t.Errorf("enclosure answered %q as %s", audio.body, audio.header.Get("Content-Type"))
		}
		// The name is not part of the signature; the ending is.
		tt.do("GET", path.Dir(u.Path)+"/renamed.mp3", "", nil).want(200)
		tt.do("GET", path.Dir(u.Path)+"/renamed.wav", "", nil).want(404)
		tt.do("GET", strings.Replace(u.Path, "/audio/", "/audio/x", 1), "", nil).want(401, "invalid_signature")

		cover := tt.do("GET", strings.TrimPrefix(it.Image.Href, tt.srv.URL), "", nil).want(200)
		checkCover(t, cover)
		// An app that has the cover is told so before anything is drawn.
		tt.do("GET", strings.TrimPrefix(it.Image.Href, tt.srv.URL), "", nil, "If-None-Match: "+cover.header.Get("ETag")).want(304)
	}

	// The channel's image and self link, both fetched as an app would.
	checkCover(t, tt.do("GET", strings.TrimPrefix(f.Channel.Image.Href, tt.srv.URL), "", nil).want(200))
	if len(f.Channel.Self) != 1 || f.Channel.Self[0].Rel != "self" {
		t.Fatalf("atom links %+v", f.Channel.Self)
	}
	var self parsedFeed
	if err := xml.Unmarshal(tt.do("GET", strings.TrimPrefix(f.Channel.Self[0].Href, tt.srv.URL), "", nil).want(200).body, &self); err != nil {
		t.Fatal(err)
	}
	if len(self.Channel.Items) != 3 || self.Channel.Items[2].Enclosure != f.Channel.Items[2].Enclosure {
		t.Errorf("the self link gives another feed: %+v", self.Channel.Items)
	}
	tt.do("GET", "/feed/artwork.png?key=wrong", "", nil).want(401, "invalid_feed_key")

	// Episode covers with a session token too, for the owner only.
	checkCover(t, tt.do("GET", "/podcasts/"+first.ID+"/artwork.png", tt.aliceTok, nil).want(200))
	tt.do("GET", "/podcasts/"+first.ID+"/artwork.png", tt.bobTok, nil).want(404)

	icon := tt.do("GET", "/favicon.ico", "", nil).want(200)
	if icon.header.Get("Content-Type") != "image/x-icon" || len(icon.body) < 22 || string(icon.body[:4]) != "\x00\x00\x01\x00" {
		t.Errorf("favicon: %s, % x", icon.header.Get("Content-Type"), icon.body[:min(8, len(icon.body))])
	}
	if _, err := png.Decode(bytes.NewReader(icon.body[22:])); err != nil {
		t.Errorf("the favicon's image: %v", err)
	}
}

// checkCover fails unless r is a square PNG of at least 1400 pixels.
func checkCover(t *testing.T, r reply) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "image/png" {
		t.Fatalf("cover served as %q", ct)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(r.body))
	if err != nil || cfg.Width < 1400 || cfg.Height != cfg.Width {
		t.Fatalf("cover: %+v, %v; want a square PNG of at least 1400 px", cfg, err)
	}
}
