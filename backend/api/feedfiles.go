package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"podcastfy/backend/artwork"
	"podcastfy/backend/store"
)

// What a podcast app needs beyond the feed itself: enclosures whose URL
// ends in a file name (apps and podget name the saved file after the last
// part of the path, query and all), artwork, and an icon.
//
//	/podcasts/{id}/audio/{user}/{sig}/{title-slug}.mp3   the enclosure: signed in the path
//	/podcasts/{id}/artwork.png?u=&fsig=                  an episode's cover
//	/feed/artwork.png?key=                               the show's cover
//
// An enclosure's MAC is the feed MAC of /podcasts/{id}/audio, so it is
// revoked with the feed key like every other feed URL, and it does not
// cover the file name: renaming a podcast does not break a download in
// progress.

// slug turns a title into a file name: lower-case ASCII letters and digits
// joined by hyphens, accents dropped, at most 80 characters; "" when
// nothing is left (a title in another script).
func slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // the accent of a decomposed letter
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// fileNames gives each podcast of a feed its enclosure's file name,
// "<title-slug>.mp3", distinct within the feed (a later one with the same
// title gets "-2", "-3" …), since a podcast app saves them side by side.
func fileNames(list []store.Podcast) map[string]string {
	names, taken := map[string]string{}, map[string]bool{}
	// Oldest first, so an episode keeps its name when newer ones arrive.
	for i := len(list) - 1; i >= 0; i-- {
		p := list[i]
		base := slug(p.Title)
		if base == "" {
			base = "podcast-" + strings.ToLower(p.ID)
		}
		if v := p.CurrentVersion(); v > 1 {
			// An edited episode is a new file to a podcast app, which
			// otherwise keeps the copy it downloaded of the same URL.
			base += "-v" + strconv.Itoa(v)
		}
		name := base + ".mp3"
		for n := 2; taken[name]; n++ {
			name = base + "-" + strconv.Itoa(n) + ".mp3"
		}
		taken[name], names[p.ID] = true, name
	}
	return names
}

// enclosurePath is the audio's feed URL path for user u, named name.
func (s *server) enclosurePath(id, name string, u store.User) string {
	canonical := mediaAudio.path(id)
	return canonical + "/" + u.ID + "/" + s.signer.signFeed(canonical, u.ID, u.FeedKey) + "/" + name
}

// requirePathSignature checks a feed signature carried in the path
// ({user}/{sig}/{name} after the file's canonical path).
func (s *server) requirePathSignature(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, sig, name := r.PathValue("user"), r.PathValue("sig"), r.PathValue("name")
		canonical := strings.TrimSuffix(r.URL.Path, "/"+uid+"/"+sig+"/"+name)
		if store.ValidID(uid) != nil || canonical == r.URL.Path {
			s.writeError(w, r, errBadSignature)
			return
		}
		u, err := s.Users.Get(uid)
		if err != nil || u.FeedKey == "" || !hmac.Equal([]byte(sig), []byte(s.signer.signFeed(canonical, u.ID, u.FeedKey))) {
			s.writeError(w, r, errBadSignature)
			return
		}
		next.ServeHTTP(w, markSigned(r.WithContext(context.WithValue(r.Context(), userKey, u))))
	})
}

// feedAudio serves the audio under its enclosure name.
func (s *server) feedAudio(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.PathValue("name"), ".mp3") {
		s.writeError(w, r, notFound("the audio's file name ends in .mp3"))
		return
	}
	s.serveMedia(mediaAudio)(w, r)
}

// episodeArtwork draws a podcast's cover: its title on its template's
// colours.
func (s *server) episodeArtwork(w http.ResponseWriter, r *http.Request) {
	var p store.Podcast
	var err error
	if signed, _ := r.Context().Value(signedKey).(bool); signed {
		// Only the owner's feed is signed for it.
		if p, err = s.Podcasts.Get(r.PathValue("id")); err != nil {
			err = errNoPodcast
		}
	} else {
		p, err = s.ownPodcast(r)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cover := artwork.Cover{Title: p.Title, Palette: artwork.ForTemplate("")}
	if p.TemplateUsed != nil {
		cover.Palette = artwork.ForTemplate(*p.TemplateUsed)
		cover.Kicker = *p.TemplateUsed
		if tpl, err := s.Templates.GetFor(store.Caller{ID: p.Owner}, *p.TemplateUsed); err == nil && tpl.Name != "" {
			cover.Kicker = tpl.Name
		}
	}
	s.serveCover(w, r, cover, p.GeneratedDate)
}

// showArtwork draws the cover of a user's feed; the feed key opens it.
func (s *server) showArtwork(w http.ResponseWriter, r *http.Request) {
	u, err := s.feedUser(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveCover(w, r, showCover(u), time.Time{})
}

func showCover(u store.User) artwork.Cover {
	return artwork.Cover{Title: u.Username + "'s podcasts", Kicker: "Private feed", Palette: artwork.Show}
}

// serveCover answers with the cover as a PNG. Its ETag is a hash of what
// it shows, so an app that has it gets 304 before anything is drawn.
func (s *server) serveCover(w http.ResponseWriter, r *http.Request, c artwork.Cover, modified time.Time) {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%v", artwork.Size, c.Title, c.Kicker, c.Palette))
	etag := `"cover-` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=86400")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var buf bytes.Buffer
	if err := c.PNG(&buf); err != nil {
		s.writeError(w, r, err)
		return
	}
	h.Set("Content-Type", "image/png")
	http.ServeContent(w, r, "", modified, bytes.NewReader(buf.Bytes()))
}

// favicon serves the server's icon.
func (s *server) favicon(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := artwork.ICO(&buf, 64); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/x-icon")
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}
