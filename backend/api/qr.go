package api

import (
	"encoding/base64"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the side of a QR code image, in pixels: enough for a phone's
// camera across a desk, small enough to send inline (about 1 KB).
const qrSize = 256

// qrCached bounds the QR codes kept: one per feed URL in use, and a
// household has a handful.
const qrCached = 64

// qrCodes keeps the QR codes drawn lately. GET /me answers with the same
// one on every call (a feed URL changes only when its key is replaced),
// and drawing it took more CPU than anything else a signed-in page asks
// of the server: under load, time taken from the jobs. The codes hold
// feed keys, so they stay in memory only.
type qrCodes struct {
	mu sync.Mutex
	m  map[string]string
}

// qrCode is a data:image/png URL of a QR code of text, made here (no
// outside service sees the feed key it holds); "" if the text cannot be
// encoded, which the answer then simply lacks.
func (s *server) qrCode(text string) string {
	s.qrs.mu.Lock()
	url, ok := s.qrs.m[text]
	s.qrs.mu.Unlock()
	if ok {
		return url
	}
	png, err := qrcode.Encode(text, qrcode.Medium, qrSize)
	if err != nil {
		s.Log.Warn("making a QR code", "err", err)
		return ""
	}
	url = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	s.qrs.mu.Lock()
	defer s.qrs.mu.Unlock()
	if s.qrs.m == nil || len(s.qrs.m) >= qrCached {
		// Keys replaced, users gone: start afresh rather than track ages.
		s.qrs.m = map[string]string{}
	}
	s.qrs.m[text] = url
	return url
}
