package api

import (
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"podcastfy/backend/store"
)

// XML namespaces of a podcast feed.
const (
	nsITunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsPodcast = "https://podcastindex.org/namespace/1.0"
	nsAtom    = "http://www.w3.org/2005/Atom"
)

// The feed is RSS 2.0 with the iTunes and Podcasting 2.0 namespaces. The
// element names carry their prefixes literally, which encoding/xml writes
// as they are; the root declares the prefixes.
type rssFeed struct {
	XMLName   xml.Name    `xml:"rss"`
	Version   string      `xml:"version,attr"`
	ITunesNS  string      `xml:"xmlns:itunes,attr"`
	PodcastNS string      `xml:"xmlns:podcast,attr"`
	AtomNS    string      `xml:"xmlns:atom,attr"`
	Channel   feedChannel `xml:"channel"`
}

type feedChannel struct {
	Title          string         `xml:"title"`
	Link           string         `xml:"link"`
	Description    string         `xml:"description"`
	Language       string         `xml:"language"`
	Generator      string         `xml:"generator"`
	LastBuildDate  string         `xml:"lastBuildDate"`
	Self           atomLink       `xml:"atom:link"`
	Image          feedImage      `xml:"image"`
	ITunesImage    itunesImage    `xml:"itunes:image"`
	ITunesAuthor   string         `xml:"itunes:author"`
	ITunesExplicit string         `xml:"itunes:explicit"`
	ITunesType     string         `xml:"itunes:type"`
	ITunesCategory itunesCategory `xml:"itunes:category"`
	Items          []feedItem     `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// feedImage is RSS 2.0's channel image, for readers that know no iTunes.
type feedImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type itunesImage struct {
	Href string `xml:"href,attr"`
}

type itunesCategory struct {
	Text string `xml:"text,attr"`
}

type feedItem struct {
	Title       string            `xml:"title"`
	Description string            `xml:"description"`
	GUID        feedGUID          `xml:"guid"`
	PubDate     string            `xml:"pubDate"`
	Enclosure   feedEnclosure     `xml:"enclosure"`
	Duration    int64             `xml:"itunes:duration"`
	ITunesImage itunesImage       `xml:"itunes:image"`
	Transcripts []feedTranscript  `xml:"podcast:transcript"`
	Chapters    *feedChaptersLink `xml:"podcast:chapters"`
}

type feedGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type feedEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type feedTranscript struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type feedChaptersLink struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

var errBadFeedKey = &Error{Status: http.StatusUnauthorized, Code: "invalid_feed_key",
	Message: "the feed key is missing, wrong or revoked; copy the feed URL again from GET /me"}

// feed serves the user's private podcast feed. The key in the URL is the
// user's feed key (not their session token); every file URL in the feed is
// signed with it, so rotating the key (POST /me/feed-key) revokes them all.
func (s *server) feed(w http.ResponseWriter, r *http.Request) {
	u, err := s.feedUser(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, _, err := s.Podcasts.List(store.ListQuery{Owner: u.ID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := s.baseURL(r)
	names := fileNames(list)
	doc := buildFeed(list, u, base, s.Now(), feedLinks{
		file: func(m mediaKind, id string) string { return base + s.feedPath(m.path(id), u) },
		enclosure: func(id string) string {
			return base + s.enclosurePath(id, names[id], u)
		},
		self:     FeedURL(base, u.FeedKey),
		showArt:  base + "/feed/artwork.png?key=" + url.QueryEscape(u.FeedKey),
		showName: showCover(u).Title,
	})
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/rss+xml; charset=utf-8")
	h.Set("Cache-Control", "private, no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(xml.Header))
	w.Write(data)
	w.Write([]byte("\n"))
}

// feedUser is the user whose feed key the request carries.
func (s *server) feedUser(r *http.Request) (store.User, error) {
	key := r.URL.Query().Get("key")
	if key == "" || len(key) > 128 {
		return store.User{}, errBadFeedKey
	}
	u, err := s.Users.ByFeedKey(key)
	if err != nil {
		return store.User{}, errBadFeedKey
	}
	return u, nil
}

// feedLinks are the absolute URLs a feed gives out, each signed or keyed.
type feedLinks struct {
	file      func(m mediaKind, id string) string // a file of a podcast, signed in the query
	enclosure func(id string) string              // the audio, signed in the path, named <slug>.mp3
	self      string                              // the feed itself, with its key
	showArt   string                              // the show's cover
	showName  string
}

// buildFeed makes the feed of list (newest first) for user u.
func buildFeed(list []store.Podcast, u store.User, base string, now time.Time, links feedLinks) rssFeed {
	fileURL := links.file
	lang := "en"
	if len(list) > 0 && list[0].Language != "" {
		lang = list[0].Language
	}
	ch := feedChannel{
		Title:          u.Username + "'s podcasts",
		Link:           base + "/",
		Description:    fmt.Sprintf("Podcasts %s made with podcastfy from their own texts and recordings.", u.Username),
		Language:       lang,
		Generator:      "podcastfy",
		LastBuildDate:  now.UTC().Format(time.RFC1123Z),
		Self:           atomLink{Href: links.self, Rel: "self", Type: "application/rss+xml"},
		Image:          feedImage{URL: links.showArt, Title: u.Username + "'s podcasts", Link: base + "/"},
		ITunesImage:    itunesImage{Href: links.showArt},
		ITunesAuthor:   u.Username,
		ITunesExplicit: "false",
		ITunesType:     "episodic",
		ITunesCategory: itunesCategory{Text: "Education"},
		Items:          make([]feedItem, 0, len(list)),
	}
	for _, p := range list {
		if _, ok := p.Files[store.KindAudio]; !ok {
			continue
		}
		desc := p.Summary
		if strings.TrimSpace(desc) == "" {
			desc = p.Title
		}
		it := feedItem{
			Title:       p.Title,
			Description: desc,
			GUID:        feedGUID{IsPermaLink: "false", Value: "podcastfy:" + p.ID},
			PubDate:     p.GeneratedDate.UTC().Format(time.RFC1123Z),
			Enclosure:   feedEnclosure{URL: links.enclosure(p.ID), Length: p.AudioBytes, Type: "audio/mpeg"},
			Duration:    int64(math.Round(p.Duration)),
			ITunesImage: itunesImage{Href: fileURL(mediaArtwork, p.ID)},
		}
		if _, ok := p.Files[store.KindVTT]; ok {
			it.Transcripts = append(it.Transcripts, feedTranscript{URL: fileURL(mediaVTT, p.ID), Type: "text/vtt", Rel: "captions"})
		}
		if _, ok := p.Files[store.KindSRT]; ok {
			it.Transcripts = append(it.Transcripts, feedTranscript{URL: fileURL(mediaSRT, p.ID), Type: "application/x-subrip", Rel: "captions"})
		}
		if _, ok := p.Files[store.KindChapters]; ok {
			it.Chapters = &feedChaptersLink{URL: fileURL(mediaChapters, p.ID), Type: "application/json+chapters"}
		}
		ch.Items = append(ch.Items, it)
	}
	return rssFeed{Version: "2.0", ITunesNS: nsITunes, PodcastNS: nsPodcast, AtomNS: nsAtom, Channel: ch}
}
