package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxTokenLen bounds the work spent on a presented token; ours are ~250 bytes.
const maxTokenLen = 4096

// claims are the JWT payload: the registered claims plus the user's token
// version, so changing a password invalidates every earlier token.
type claims struct {
	jwt.RegisteredClaims
	TokenVersion int `json:"tv"`
}

// Validate is called by the parser after the standard checks.
func (c claims) Validate() error {
	if c.Subject == "" {
		return errors.New("token has no subject")
	}
	if c.IssuedAt == nil {
		return errors.New("token has no issue time")
	}
	return nil
}

// sign issues an HS256 token for userID valid from now until expires.
func sign(key []byte, issuer, userID string, tokenVersion int, now, expires time.Time) (string, error) {
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(expires),
		},
		TokenVersion: tokenVersion,
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
	return token, nil
}

// parse checks the token's signature and time claims and returns its claims.
// Only HS256 with our key is accepted: "none", other HMAC sizes and public-key
// algorithms are refused before any signature check.
func parse(key []byte, issuer, token string, now func() time.Time) (claims, error) {
	if len(token) > maxTokenLen {
		return claims{}, fmt.Errorf("token is longer than %d bytes", maxTokenLen)
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
		jwt.WithTimeFunc(now),
	)
	var c claims
	_, err := p.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		// WithValidMethods has already checked the header; this guards the
		// key type should that option ever be dropped.
		if t.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		return key, nil
	})
	if err != nil {
		return claims{}, err
	}
	return c, nil
}
