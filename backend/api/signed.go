package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"

	"podcastfy/backend/store"
)

// Signed media URLs let clients that cannot send an Authorization header
// (a browser's <audio>, podcast apps) fetch one file:
//
//	/podcasts/{id}/audio?u=<user id>&exp=<unix time>&sig=<mac>   short-lived, in API answers
//	/podcasts/{id}/audio?u=<user id>&fsig=<mac>                  in the RSS feed
//
// The MAC is HMAC-SHA256, with a key derived from the installation secret,
// over the path, the expiry and the user id; a feed URL's MAC covers the
// user's feed key instead of an expiry, so rotating the feed key revokes
// every URL the feed ever gave out. The server only signs paths of the
// user's own podcasts, so a valid MAC is proof enough; the user must still
// exist.

// signer computes the MACs.
type signer struct{ key []byte }

// newSigner derives the URL-signing key from the installation secret, so a
// MAC never doubles as anything the token key signs.
func newSigner(secret []byte) signer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("podcastfy signed urls"))
	return signer{key: m.Sum(nil)}
}

func (s signer) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s signer) sign(path string, exp int64, userID string) string {
	return s.mac("url", path, strconv.FormatInt(exp, 10), userID)
}

func (s signer) signFeed(path, userID, feedKey string) string {
	return s.mac("feed", path, userID, feedKey)
}

// signedPath returns path with a short-lived signature for user.
func (s *server) signedPath(path, userID string) string {
	// Expiries are rounded up to ten minutes so that a file's URL stays the
	// same for a while and browsers can cache it.
	const step = 600
	exp := s.Now().Add(s.SignedURLTTL).Unix()
	exp += (step - exp%step) % step
	// Ids and base64url MACs need no escaping.
	return path + "?u=" + userID + "&exp=" + strconv.FormatInt(exp, 10) + "&sig=" + s.signer.sign(path, exp, userID)
}

// feedPath returns path signed with user's feed key.
func (s *server) feedPath(path string, u store.User) string {
	return path + "?u=" + u.ID + "&fsig=" + s.signer.signFeed(path, u.ID, u.FeedKey)
}

var (
	errBadSignature = &Error{Status: http.StatusUnauthorized, Code: "invalid_signature",
		Message: "the signed link is not valid for this file; fetch the podcast again for a fresh link"}
	errExpiredSignature = &Error{Status: http.StatusUnauthorized, Code: "signature_expired",
		Message: "the signed link has expired; fetch the podcast again for a fresh link"}
)

// verifySignedRequest checks a signed URL and returns the user it was made
// for.
func (s *server) verifySignedRequest(r *http.Request) (store.User, error) {
	q := r.URL.Query()
	uid := q.Get("u")
	if store.ValidID(uid) != nil {
		return store.User{}, errBadSignature
	}
	u, err := s.Users.Get(uid)
	if err != nil {
		return store.User{}, errBadSignature
	}
	path := r.URL.Path
	if fsig := q.Get("fsig"); fsig != "" {
		if u.FeedKey == "" || !hmac.Equal([]byte(fsig), []byte(s.signer.signFeed(path, u.ID, u.FeedKey))) {
			return store.User{}, errBadSignature
		}
		return u, nil
	}
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	if err != nil || !hmac.Equal([]byte(q.Get("sig")), []byte(s.signer.sign(path, exp, u.ID))) {
		return store.User{}, errBadSignature
	}
	if s.Now().Unix() > exp {
		return store.User{}, errExpiredSignature
	}
	return u, nil
}
