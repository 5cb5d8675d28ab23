package api

import (
	"encoding/base64"
	"fmt"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// The QR codes kept are bounded, and a kept one is the code of its own
// text, never another's.
func TestQRCodesKeptAreBoundedAndRight(t *testing.T) {
	s := &server{}
	for round := range 2 { // the second round answers from what is kept
		for i := range qrCached + 3 {
			text := fmt.Sprintf("https://lan.example/feed.xml?key=%d", i)
			want, err := qrcode.Encode(text, qrcode.Medium, qrSize)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.qrCode(text); got != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(want) {
				t.Fatalf("round %d: the QR code of %s is not its own", round, text)
			}
			if n := len(s.qrs.m); n > qrCached {
				t.Fatalf("%d QR codes kept, more than %d", n, qrCached)
			}
		}
	}
}
