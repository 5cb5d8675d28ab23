package auth

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Limits on account fields.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
	// MaxPasswordBytes is bcrypt's limit: it ignores anything past 72 bytes,
	// so longer passwords are refused rather than silently truncated.
	MaxPasswordBytes = 72
	maxEmailLen      = 254
)

// ValidationError reports a field that does not meet the account rules. Its
// message is meant for the person who typed the value.
type ValidationError struct {
	Field   string // "username", "password" or "email"
	Message string
}

func (e *ValidationError) Error() string {
	return e.Field + ": " + e.Message
}

// ValidateUsername checks the username rules: 3–32 characters from
// A–Z, a–z, 0–9, '.', '_' and '-'.
func ValidateUsername(name string) error {
	for _, r := range name {
		if !usernameRune(r) {
			return &ValidationError{Field: "username", Message: fmt.Sprintf("may contain only letters A–Z, digits, '.', '_' and '-' (found %q)", r)}
		}
	}
	// Only ASCII is left, so bytes are characters.
	if n := len(name); n < MinUsernameLen || n > MaxUsernameLen {
		return &ValidationError{Field: "username", Message: fmt.Sprintf("must be %d–%d characters long (got %d)", MinUsernameLen, MaxUsernameLen, n)}
	}
	return nil
}

func usernameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}

// validatePassword checks a new password against the length rules.
func validatePassword(password string, minLen int) error {
	if !utf8.ValidString(password) {
		return &ValidationError{Field: "password", Message: "is not valid UTF-8 text"}
	}
	if n := utf8.RuneCountInString(password); n < minLen {
		return &ValidationError{Field: "password", Message: fmt.Sprintf("must be at least %d characters long (got %d)", minLen, n)}
	}
	if len(password) > MaxPasswordBytes {
		return &ValidationError{Field: "password", Message: fmt.Sprintf("must be at most %d bytes long (got %d)", MaxPasswordBytes, len(password))}
	}
	return nil
}

// normalizeEmail trims the address and checks it is a bare address
// ("ann@example.org", not "Ann <ann@example.org>"). An empty address means
// none (nil).
func normalizeEmail(email *string) (*string, error) {
	if email == nil {
		return nil, nil
	}
	e := strings.TrimSpace(*email)
	if e == "" {
		return nil, nil
	}
	if len(e) > maxEmailLen {
		return nil, &ValidationError{Field: "email", Message: fmt.Sprintf("must be at most %d characters long", maxEmailLen)}
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		return nil, &ValidationError{Field: "email", Message: fmt.Sprintf("%q is not an email address like name@example.org", e)}
	}
	return &e, nil
}
