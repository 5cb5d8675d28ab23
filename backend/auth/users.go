package auth

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/store"
)

// CreateUser validates and adds an account. The store makes the first
// account an admin whatever admin says. It returns a *ValidationError for a
// bad username, password or email, and store.ErrConflict when the username
// is taken (compared case-insensitively).
func (s *Service) CreateUser(username, password string, email *string, admin bool) (store.User, error) {
	if err := ValidateUsername(username); err != nil {
		return store.User{}, err
	}
	if err := validatePassword(password, s.opts.MinPasswordLen); err != nil {
		return store.User{}, err
	}
	email, err := normalizeEmail(email)
	if err != nil {
		return store.User{}, err
	}
	hash, err := s.hash(password)
	if err != nil {
		return store.User{}, err
	}
	u, err := s.users.Create(store.User{
		Username:     username,
		PasswordHash: hash,
		Email:        email,
		IsAdmin:      admin,
		CreatedAt:    s.opts.Now().UTC(),
	})
	if err != nil {
		return store.User{}, fmt.Errorf("creating user %q: %w", username, err)
	}
	s.log.Info("user created", "user", u.Username, "id", u.ID, "admin", u.IsAdmin)
	return u, nil
}

// CheckPassword reports whether a new password meets the rules (length,
// valid text) that CreateUser and SetPassword apply, so a door can say so
// before asking for it a second time.
func (s *Service) CheckPassword(password string) error {
	return validatePassword(password, s.opts.MinPasswordLen)
}

// SetPassword replaces a user's password without the old one (an admin's or
// the CLI's reset). Every token issued before is revoked.
func (s *Service) SetPassword(userID, newPassword string) error {
	if err := validatePassword(newPassword, s.opts.MinPasswordLen); err != nil {
		return err
	}
	hash, err := s.hash(newPassword)
	if err != nil {
		return err
	}
	u, err := s.users.Update(userID, func(u *store.User) error {
		u.PasswordHash = hash
		u.TokenVersion++
		return nil
	})
	if err != nil {
		return fmt.Errorf("changing password: %w", err)
	}
	s.byPair.resetUser(strings.ToLower(u.Username))
	s.log.Info("password changed", "user", u.Username, "id", u.ID)
	return nil
}

// DeleteUser removes an account; its tokens stop verifying at once.
func (s *Service) DeleteUser(userID string) error {
	if err := s.users.Delete(userID); err != nil {
		return fmt.Errorf("deleting user: %w", err)
	}
	s.log.Info("user deleted", "id", userID)
	return nil
}

// ListUsers returns every account, sorted by username.
func (s *Service) ListUsers() ([]PublicUser, error) {
	users, err := s.users.List()
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	out := make([]PublicUser, len(users))
	for i, u := range users {
		out[i] = ToPublic(u)
	}
	slices.SortFunc(out, func(a, b PublicUser) int {
		return cmp.Compare(strings.ToLower(a.Username), strings.ToLower(b.Username))
	})
	return out, nil
}

// FindUser looks an account up by username (case-insensitively); it returns
// store.ErrNotFound if there is none.
func (s *Service) FindUser(username string) (PublicUser, error) {
	u, err := s.users.ByUsername(username)
	if err != nil {
		return PublicUser{}, fmt.Errorf("user %q: %w", username, err)
	}
	return ToPublic(u), nil
}

func (s *Service) hash(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.opts.BcryptCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", &ValidationError{Field: "password", Message: fmt.Sprintf("must be at most %d bytes long", MaxPasswordBytes)}
	}
	if err != nil {
		return "", fmt.Errorf("hashing password: %w", err)
	}
	return string(h), nil
}
