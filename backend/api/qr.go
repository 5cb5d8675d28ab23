package api

import (
	"encoding/base64"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the side of a QR code image, in pixels: enough for a phone's
// camera across a desk, small enough to send inline (about 1 KB).
const qrSize = 256

// qrCode is a data:image/png URL of a QR code of text, made here (no
// outside service sees the feed key it holds); "" if the text cannot be
// encoded, which the answer then simply lacks.
func (s *server) qrCode(text string) string {
	png, err := qrcode.Encode(text, qrcode.Medium, qrSize)
	if err != nil {
		s.Log.Warn("making a QR code", "err", err)
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}
