package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// b64 is the JWT segment encoding.
func b64(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // test data only
	}
	return base64.RawURLEncoding.EncodeToString(data)
}

func TestVerifyRejectsForgedTokens(t *testing.T) {
	s, clk, _ := newService(t)
	alice := mustCreate(t, s, "alice", "alice-password")
	bob := mustCreate(t, s, "bob", "bob-password")
	session, err := s.Login("alice", "alice-password", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.Verify(session.Token); err != nil || u.ID != alice.ID {
		t.Fatalf("genuine token: Verify = %v, %v; want alice", u.ID, err)
	}

	now := clk.Now()
	good := func() jwt.MapClaims {
		return jwt.MapClaims{
			"iss": DefaultIssuer,
			"sub": alice.ID,
			"iat": now.Unix(),
			"nbf": now.Unix(),
			"exp": now.Add(time.Hour).Unix(),
			"tv":  alice.TokenVersion,
		}
	}
	with := func(key string, value any) jwt.MapClaims {
		c := good()
		if value == nil {
			delete(c, key)
		} else {
			c[key] = value
		}
		return c
	}
	signed := func(m jwt.SigningMethod, key any, c jwt.Claims) string {
		tok, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatalf("signing with %s: %v", m.Alg(), err)
		}
		return tok
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := make([]byte, 32)
	if _, err := rand.Read(otherKey); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(session.Token, ".")
	var payload map[string]any
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &payload); err != nil {
		t.Fatal(err)
	}
	tamper := func(key string, value any) string {
		p := map[string]any{}
		for k, v := range payload {
			p[k] = v
		}
		p[key] = value
		return parts[0] + "." + b64(p) + "." + parts[2]
	}
	flipped := []byte(parts[2])
	flipped[5] ^= 'A' ^ 'B'
	if flipped[5] == parts[2][5] {
		t.Fatal("signature byte did not change")
	}

	tests := map[string]string{
		"alg none via library":        signed(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good()),
		"alg none by hand":            b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + b64(good()) + ".",
		"alg None":                    b64(map[string]string{"alg": "None", "typ": "JWT"}) + "." + b64(good()) + ".",
		"alg none with our signature": b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + parts[1] + "." + parts[2],
		"HS384 with our key":          signed(jwt.SigningMethodHS384, testKey, good()),
		"HS512 with our key":          signed(jwt.SigningMethodHS512, testKey, good()),
		"RS256":                       signed(jwt.SigningMethodRS256, rsaKey, good()),
		// The classic confusion: a public-key algorithm named in the header
		// with the HMAC key standing in for the public key.
		"RS256 header, HS256 signature": func() string {
			h := b64(map[string]string{"alg": "RS256", "typ": "JWT"})
			sig, err := jwt.SigningMethodHS256.Sign(h+"."+b64(good()), testKey)
			if err != nil {
				t.Fatal(err)
			}
			return h + "." + b64(good()) + "." + base64.RawURLEncoding.EncodeToString(sig)
		}(),
		"signed with another key": signed(jwt.SigningMethodHS256, otherKey, good()),
		"expired":                 signed(jwt.SigningMethodHS256, testKey, with("exp", now.Add(-time.Second).Unix())),
		"expires this second":     signed(jwt.SigningMethodHS256, testKey, with("exp", now.Unix())),
		"no expiry":               signed(jwt.SigningMethodHS256, testKey, with("exp", nil)),
		"not valid yet":           signed(jwt.SigningMethodHS256, testKey, with("nbf", now.Add(time.Minute).Unix())),
		"issued in the future":    signed(jwt.SigningMethodHS256, testKey, with("iat", now.Add(time.Minute).Unix())),
		"no issue time":           signed(jwt.SigningMethodHS256, testKey, with("iat", nil)),
		"wrong issuer":            signed(jwt.SigningMethodHS256, testKey, with("iss", "someone-else")),
		"no issuer":               signed(jwt.SigningMethodHS256, testKey, with("iss", nil)),
		"no subject":              signed(jwt.SigningMethodHS256, testKey, with("sub", nil)),
		"unknown subject":         signed(jwt.SigningMethodHS256, testKey, with("sub", "no-such-user")),
		"stale token version":     signed(jwt.SigningMethodHS256, testKey, with("tv", alice.TokenVersion+1)),
		"exp as a string":         signed(jwt.SigningMethodHS256, testKey, with("exp", "never")),
		"tampered subject":        tamper("sub", bob.ID),
		"tampered expiry":         tamper("exp", now.Add(1000*time.Hour).Unix()),
		"tampered token version":  tamper("tv", 7),
		"tampered signature":      parts[0] + "." + parts[1] + "." + string(flipped),
		"signature removed":       parts[0] + "." + parts[1] + ".",
		"padded segments":         parts[0] + "=." + parts[1] + "." + parts[2],
		"empty":                   "",
		"garbage":                 "not-a-token",
		"three empty segments":    "..",
		"too long":                parts[0] + "." + parts[1] + strings.Repeat("A", maxTokenLen) + "." + parts[2],
	}
	for name, token := range tests {
		t.Run(name, func(t *testing.T) {
			u, err := s.Verify(token)
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("Verify accepted or mis-reported a forged token: user %q, err %v", u.ID, err)
			}
			if u.ID != "" {
				t.Errorf("Verify returned user %q with its error", u.ID)
			}
		})
	}
}

func TestVerifyExpiryFollowsClock(t *testing.T) {
	s, clk, _ := newService(t)
	mustCreate(t, s, "alice", "alice-password")
	session, err := s.Login("alice", "alice-password", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := clk.Now().Add(DefaultTTL); !session.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", session.ExpiresAt, want)
	}
	clk.Advance(DefaultTTL - time.Second)
	if _, err := s.Verify(session.Token); err != nil {
		t.Fatalf("one second before expiry: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := s.Verify(session.Token); !errors.Is(err, ErrInvalidToken) || !errors.Is(err, jwt.ErrTokenExpired) {
		t.Fatalf("at expiry: err = %v, want ErrInvalidToken wrapping jwt.ErrTokenExpired", err)
	}
}

func TestVerifyRevokedTokens(t *testing.T) {
	tests := map[string]func(s *Service, id string) error{
		"user deleted": func(s *Service, id string) error { return s.DeleteUser(id) },
		"password changed by user": func(s *Service, id string) error {
			_, err := s.ChangePassword(id, "alice-password", "new-password")
			return err
		},
		"password reset by admin": func(s *Service, id string) error { return s.SetPassword(id, "new-password") },
	}
	for name, revoke := range tests {
		t.Run(name, func(t *testing.T) {
			s, _, _ := newService(t)
			alice := mustCreate(t, s, "alice", "alice-password")
			old, err := s.Login("alice", "alice-password", "")
			if err != nil {
				t.Fatal(err)
			}
			if err := revoke(s, alice.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Verify(old.Token); !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("token issued before %s: err = %v, want ErrInvalidToken", name, err)
			}
			if name == "user deleted" {
				return
			}
			fresh, err := s.Login("alice", "new-password", "")
			if err != nil {
				t.Fatalf("login with the new password: %v", err)
			}
			if _, err := s.Verify(fresh.Token); err != nil {
				t.Errorf("token issued after %s: %v", name, err)
			}
		})
	}
}

func TestVerifyWithOtherIssuerOption(t *testing.T) {
	s, _, users := newService(t)
	mustCreate(t, s, "alice", "alice-password")
	session, err := s.Login("alice", "alice-password", "")
	if err != nil {
		t.Fatal(err)
	}
	other := New(users, testKey, Options{Issuer: "podcastfy-test", Now: s.opts.Now})
	if _, err := other.Verify(session.Token); !errors.Is(err, ErrInvalidToken) || !errors.Is(err, jwt.ErrTokenInvalidIssuer) {
		t.Errorf("token from another issuer: err = %v, want invalid issuer", err)
	}
}
