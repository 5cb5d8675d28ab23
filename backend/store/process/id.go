package process

import (
	"crypto/rand"
	"encoding/hex"
)

// idLen is the length of an id: 16 lower-case hex digits (64 random bits,
// so an id never comes back once its process is gone).
const idLen = 16

// ValidID reports whether id has the form Claim gives ids. Anything else
// (a name from an older version, a file that is not ours) has no owner
// this package can vouch for.
func ValidID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func newID() string {
	var b [idLen / 2]byte
	rand.Read(b[:]) // never fails on supported platforms (Go 1.24+)
	return hex.EncodeToString(b[:])
}
