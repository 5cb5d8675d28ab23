package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateUsername(t *testing.T) {
	tests := map[string]struct {
		name string
		ok   bool
	}{
		"plain":          {"alice", true},
		"shortest":       {"abc", true},
		"longest":        {strings.Repeat("a", 32), true},
		"punctuation":    {"a.b_c-d", true},
		"mixed case":     {"Alice99", true},
		"too short":      {"ab", false},
		"too long":       {strings.Repeat("a", 33), false},
		"empty":          {"", false},
		"space":          {"al ice", false},
		"slash":          {"../etc", false},
		"at sign":        {"a@b.c", false},
		"non-ascii":      {"ålice", false},
		"3 runes 6 byte": {"ééé", false},
		"nul byte":       {"abc\x00", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := ValidateUsername(tt.name)
			if tt.ok != (err == nil) {
				t.Fatalf("ValidateUsername(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
			var ve *ValidationError
			if err != nil && (!errors.As(err, &ve) || ve.Field != "username") {
				t.Errorf("error %v is not a username ValidationError", err)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	tests := map[string]struct {
		password string
		ok       bool
	}{
		"eight":              {"12345678", true},
		"seven":              {"1234567", false},
		"empty":              {"", false},
		"multibyte counted":  {"ééééééé", false}, // 7 characters, 14 bytes
		"eight multibyte":    {"éééééééé", true},
		"72 bytes":           {strings.Repeat("x", 72), true},
		"73 bytes":           {strings.Repeat("x", 73), false},
		"invalid utf8":       {"12345678\xff", false},
		"spaces are allowed": {"correct horse battery", true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := validatePassword(tt.password, 8)
			if tt.ok != (err == nil) {
				t.Fatalf("validatePassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := map[string]struct {
		in   *string
		want *string
		ok   bool
	}{
		"none":         {nil, nil, true},
		"empty":        {str(""), nil, true},
		"blank":        {str("  "), nil, true},
		"plain":        {str("ann@example.org"), str("ann@example.org"), true},
		"trimmed":      {str(" ann@example.org\n"), str("ann@example.org"), true},
		"display name": {str("Ann <ann@example.org>"), nil, false},
		"no at":        {str("ann.example.org"), nil, false},
		"two":          {str("a@b.org, c@d.org"), nil, false},
		"too long":     {str(strings.Repeat("a", 250) + "@b.org"), nil, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := normalizeEmail(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("normalizeEmail = %v, want ok=%v", err, tt.ok)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("normalizeEmail = %v, want %v", got, tt.want)
			}
		})
	}
}
