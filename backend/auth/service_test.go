package auth

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/apperr"
	"podcastfy/backend/store"
)

func TestNewDefaults(t *testing.T) {
	s := New(newUsers(t), testKey, Options{})
	want := Options{Issuer: "podcastfy", TTL: 24 * time.Hour, BcryptCost: DefaultBcryptCost, MinPasswordLen: 8}
	got := s.opts
	if got.Issuer != want.Issuer || got.TTL != want.TTL || got.BcryptCost != want.BcryptCost || got.MinPasswordLen != want.MinPasswordLen || got.Now == nil {
		t.Errorf("defaults = %+v, want %+v with a clock", got, want)
	}
	if DefaultBcryptCost < bcrypt.DefaultCost {
		t.Errorf("DefaultBcryptCost %d is below bcrypt.DefaultCost %d", DefaultBcryptCost, bcrypt.DefaultCost)
	}
}

func TestCreateUser(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := map[string]struct {
		name, password string
		email          *string
		wantField      string // ValidationError field, "" for success
	}{
		"valid":             {name: "carol", password: "carol-password"},
		"with email":        {name: "dave", password: "dave-password", email: str(" dave@example.org ")},
		"short name":        {name: "ca", password: "carol-password", wantField: "username"},
		"bad name":          {name: "carol smith", password: "carol-password", wantField: "username"},
		"short password":    {name: "carol", password: "short", wantField: "password"},
		"72+ byte password": {name: "carol", password: strings.Repeat("p", 73), wantField: "password"},
		"bad email":         {name: "carol", password: "carol-password", email: str("carol"), wantField: "email"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s, clk, users := newService(t)
			mustCreate(t, s, "admin", "admin-password")
			u, err := s.CreateUser(tt.name, tt.password, tt.email, false)
			if tt.wantField != "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Field != tt.wantField {
					t.Fatalf("err = %v, want a %s ValidationError", err, tt.wantField)
				}
				if list, _ := users.List(); len(list) != 1 {
					t.Errorf("store holds %d users after a refused create, want 1", len(list))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.ID == "" || u.Username != tt.name || u.IsAdmin || !u.CreatedAt.Equal(clk.Now()) {
				t.Errorf("created %+v", u)
			}
			if tt.email != nil && (u.Email == nil || *u.Email != strings.TrimSpace(*tt.email)) {
				t.Errorf("email = %v, want %q", u.Email, strings.TrimSpace(*tt.email))
			}
			if err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(tt.password)); err != nil {
				t.Errorf("stored hash does not match the password: %v", err)
			}
			if cost, _ := bcrypt.Cost([]byte(u.PasswordHash)); cost != bcrypt.MinCost {
				t.Errorf("hash cost %d, want the configured %d", cost, bcrypt.MinCost)
			}
		})
	}
}

func TestCreateUserFirstIsAdminAndNamesAreUnique(t *testing.T) {
	s, _, _ := newService(t)
	first, err := s.CreateUser("Alice", "alice-password", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if !first.IsAdmin {
		t.Error("first user is not an admin")
	}
	second := mustCreate(t, s, "bob", "bob-password")
	if second.IsAdmin {
		t.Error("second user became admin without asking")
	}
	third, err := s.CreateUser("carol", "carol-password", nil, true)
	if err != nil || !third.IsAdmin {
		t.Errorf("admin requested: %+v, %v", third, err)
	}
	for _, name := range []string{"Alice", "alice", "ALICE", "BoB"} {
		if _, err := s.CreateUser(name, "another-password", nil, false); !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreateUser(%q) = %v, want store.ErrConflict", name, err)
		}
	}
}

func TestLogin(t *testing.T) {
	tests := map[string]struct {
		user, password string
		wantErr        error
	}{
		"right":                 {"Alice", "alice-password", nil},
		"name in another case":  {"alice", "alice-password", nil},
		"wrong password":        {"Alice", "alice-passwort", ErrInvalidCredentials},
		"password in caps":      {"Alice", "ALICE-PASSWORD", ErrInvalidCredentials},
		"unknown user":          {"mallory", "alice-password", ErrInvalidCredentials},
		"empty password":        {"Alice", "", ErrInvalidCredentials},
		"empty user":            {"", "alice-password", ErrInvalidCredentials},
		"overlong password":     {"Alice", "alice-password" + strings.Repeat("x", 100), ErrInvalidCredentials},
		"password with a NUL":   {"Alice", "alice-password\x00", ErrInvalidCredentials},
		"username with a space": {"Alice ", "alice-password", ErrInvalidCredentials},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			// A service per case: failures must not add up to a throttle.
			s, _, _ := newService(t)
			alice := mustCreate(t, s, "Alice", "alice-password")
			session, err := s.Login(tt.user, tt.password, "")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Login = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if session.Token != "" {
					t.Error("failed login returned a token")
				}
				return
			}
			if session.User.ID != alice.ID || session.User.Username != "Alice" {
				t.Errorf("session user = %+v", session.User)
			}
			if u, err := s.Verify(session.Token); err != nil || u.ID != alice.ID {
				t.Errorf("Verify(new token) = %v, %v", u.ID, err)
			}
		})
	}
	// Unknown users are checked against a dummy hash of the same cost, so
	// both failures take as long.
	s, _, _ := newService(t)
	if _, err := s.Login("mallory", "alice-password", ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	if cost, err := bcrypt.Cost(s.dummyHash); err != nil || cost != s.opts.BcryptCost {
		t.Errorf("dummy hash cost = %d, %v; want %d", cost, err, s.opts.BcryptCost)
	}
}

func TestChangePassword(t *testing.T) {
	s, _, _ := newService(t)
	alice := mustCreate(t, s, "alice", "alice-password")
	if _, err := s.ChangePassword(alice.ID, "not-the-password", "new-password"); !errors.Is(err, ErrWrongCurrentPassword) {
		t.Errorf("wrong old password: err = %v, want ErrWrongCurrentPassword", err)
	} else if e := apperr.From(err); e.Code != apperr.Forbidden || e.Field != FieldCurrentPassword {
		t.Errorf("wrong old password: %+v, want forbidden at currentPassword", e)
	}
	if _, err := s.ChangePassword(alice.ID, "alice-password", "short"); apperr.From(err).Field != FieldNewPassword ||
		!strings.Contains(err.Error(), "the new password must be at least 8 characters") {
		t.Errorf("short new password: err = %v, want a problem at newPassword", err)
	}
	if _, err := s.ChangePassword("no-such-id", "alice-password", "new-password"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user: err = %v, want store.ErrNotFound", err)
	}
	before, err := s.Login("alice", "alice-password", "")
	if err != nil {
		t.Fatalf("refused changes must keep the old password: %v", err)
	}
	sess, err := s.ChangePassword(alice.ID, "alice-password", "new-password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(before.Token); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("a session from before the change still works: %v", err)
	}
	if u, err := s.Verify(sess.Token); err != nil || u.ID != alice.ID || sess.User.ID != alice.ID {
		t.Errorf("the changer's new session: %+v, %v", u, err)
	}
	if _, err := s.Login("alice", "alice-password", ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.Login("alice", "new-password", ""); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := s.SetPassword("no-such-id", "new-password"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPassword unknown user: err = %v, want store.ErrNotFound", err)
	}
}

// TestChangePasswordThrottled: guessing the current password with a
// session token backs off like guessing it at login, and only for that user.
func TestChangePasswordThrottled(t *testing.T) {
	s, clk, _ := newService(t)
	alice := mustCreate(t, s, "alice", "alice-password")
	bob := mustCreate(t, s, "bob", "bob-password")
	for i := range changeFreeFailures {
		if _, err := s.ChangePassword(alice.ID, "guess", "new-password"); !errors.Is(err, ErrWrongCurrentPassword) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	var te *ThrottledError
	if _, err := s.ChangePassword(alice.ID, "alice-password", "new-password"); !errors.As(err, &te) || te.Busy ||
		!strings.Contains(err.Error(), "too many wrong current passwords") || apperr.CodeOf(err) != apperr.Throttled {
		t.Fatalf("after %d wrong guesses: err = %v, want throttled", changeFreeFailures, err)
	}
	if _, err := s.ChangePassword(bob.ID, "bob-password", "bob-new-password"); err != nil {
		t.Errorf("another user is held back: %v", err)
	}
	clk.Advance(te.RetryAfter)
	if _, err := s.ChangePassword(alice.ID, "alice-password", "new-password"); err != nil {
		t.Errorf("after waiting: %v", err)
	}
}

func TestDeleteAndListUsers(t *testing.T) {
	s, _, _ := newService(t)
	mustCreate(t, s, "zed", "zed-password")
	bob := mustCreate(t, s, "Bob", "bob-password")
	mustCreate(t, s, "alice", "alice-password")

	list, err := s.ListUsers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Username)
	}
	if got := strings.Join(names, ","); got != "alice,Bob,zed" {
		t.Errorf("ListUsers order = %s, want alice,Bob,zed", got)
	}

	if err := s.DeleteUser(bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v, want store.ErrNotFound", err)
	}
	if _, err := s.FindUser("bob"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindUser(deleted) = %v, want store.ErrNotFound", err)
	}
	if u, err := s.FindUser("ZED"); err != nil || u.Username != "zed" {
		t.Errorf("FindUser(ZED) = %+v, %v", u, err)
	}
	if _, err := s.Login("Bob", "bob-password", ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("deleted user logged in: %v", err)
	}
}

func TestPublicUserJSONHasNoSecrets(t *testing.T) {
	email := "ann@example.org"
	u := store.User{
		ID: "u1", Username: "ann", PasswordHash: "$2a$04$secret-hash", Email: &email,
		IsAdmin: true, CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), FeedKey: "feed-secret", TokenVersion: 3,
	}
	data, err := json.Marshal(Session{Token: "t", ExpiresAt: u.CreatedAt, User: ToPublic(u)})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"token":"t","expiresAt":"2025-01-02T03:04:05Z","user":{"id":"u1","username":"ann","email":"ann@example.org","isAdmin":true,"createdAt":"2025-01-02T03:04:05Z"}}`
	if string(data) != want {
		t.Errorf("JSON\n got %s\nwant %s", data, want)
	}
}

func TestLoginRefusesPasswordsPastBcryptLimit(t *testing.T) {
	s, _, _ := newService(t)
	long := strings.Repeat("p", MaxPasswordBytes)
	u := mustCreate(t, s, "alice", long)
	// bcrypt alone would accept these: it reads only the first 72 bytes.
	for _, extra := range []string{"x", strings.Repeat("y", 1000)} {
		if _, err := s.Login("alice", long+extra, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("password plus %d bytes: err = %v, want ErrInvalidCredentials", len(extra), err)
		}
		if _, err := s.ChangePassword(u.ID, long+extra, "new-password"); !errors.Is(err, ErrWrongCurrentPassword) {
			t.Errorf("ChangePassword with old password plus %d bytes: err = %v", len(extra), err)
		}
	}
	if _, err := s.Login("alice", long, ""); err != nil {
		t.Errorf("exact password: %v", err)
	}
}

func TestLoginBoundsThrottleKeys(t *testing.T) {
	s, _, _ := newService(t)
	huge := strings.Repeat("u", 1<<20)
	if _, err := s.Login(huge, "password", huge); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("err = %v", err)
	}
	for _, tr := range []*throttle{s.byPair, s.byAddr} {
		tr.mu.Lock()
		for k := range tr.entries {
			if len(k) > 2*64+1 {
				t.Errorf("throttle key of %d bytes stored", len(k))
			}
		}
		tr.mu.Unlock()
	}
}
