package api

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/config"
)

// parsedFeed reads back what the feed must hold.
type parsedFeed struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title     string `xml:"title"`
			GUID      string `xml:"guid"`
			PubDate   string `xml:"pubDate"`
			Enclosure struct {
				URL    string `xml:"url,attr"`
				Length int64  `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
			Duration    string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd duration"`
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
			!strings.HasPrefix(it.Enclosure.URL, tt.srv.URL+"/podcasts/"+p.id+"/audio?") || it.GUID != "podcastfy:"+p.id {
			t.Fatalf("item %d: %+v", i, it)
		}
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Fatalf("pubDate %q: %v", it.PubDate, err)
		}
		if len(it.Transcripts) != 2 || it.Transcripts[0].Type != "text/vtt" || it.Chapters.Type != "application/json+chapters" {
			t.Fatalf("item %d companions: %+v", i, it)
		}
		// Podcast apps fetch every URL without headers.
		for _, u := range []string{it.Enclosure.URL, it.Transcripts[0].URL, it.Transcripts[1].URL, it.Chapters.URL} {
			tt.do("GET", strings.TrimPrefix(u, tt.srv.URL), "", nil).want(200)
		}
	}
	// Feed links outlive session links but not the feed key.
	encl := strings.TrimPrefix(items[0].Enclosure.URL, tt.srv.URL)
	tt.clock.advance(30 * 24 * time.Hour)
	tt.do("GET", encl, "", nil, "Range: bytes=0-9").want(206)
	tt.do("POST", "/me/feed-key", tt.login("alice"), nil).want(200)
	tt.do("GET", encl, "", nil).want(401, "invalid_signature")

	var bf parsedFeed
	xml.Unmarshal(tt.do("GET", tt.feedPath(tt.login("bob")), "", nil).want(200).body, &bf)
	if len(bf.Channel.Items) != 1 || bf.Channel.Items[0].GUID != "podcastfy:"+bobs.ID {
		t.Fatalf("bob's feed: %+v", bf.Channel.Items)
	}
	// Bob's feed links do not open alice's files.
	bobEncl, _ := url.Parse(bf.Channel.Items[0].Enclosure.URL)
	tt.do("GET", "/podcasts/"+newer.ID+"/audio?"+bobEncl.RawQuery, "", nil).want(401, "invalid_signature")

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
