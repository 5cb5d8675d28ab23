package auth

import (
	"errors"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, and the
// only token it may accept is the one the service signed.
func FuzzVerify(f *testing.F) {
	s, _, _ := newService(f)
	mustCreate(f, s, "alice", "alice-password")
	session, err := s.Login("alice", "alice-password", "")
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(session.Token, ".")
	for _, seed := range []string{
		session.Token,
		"",
		"..",
		"a.b.c",
		parts[0] + "." + parts[1] + ".",
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".",
		parts[0] + "." + parts[1] + "." + parts[2] + "=",
		strings.ToUpper(session.Token),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		u, err := s.Verify(token)
		if err == nil && token != session.Token {
			t.Fatalf("Verify accepted a token it did not sign: %q", token)
		}
		if err != nil && !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("Verify error %v does not wrap ErrInvalidToken", err)
		}
		if err == nil && u.Username != "alice" {
			t.Fatalf("Verify returned %q", u.Username)
		}
	})
}
