// Package auth owns accounts and sessions: bcrypt password hashes, HS256 JWT
// session tokens signed with a per-installation key (secret.key), login
// throttling per username and per client address, and the user operations
// (create, list, delete, change password) on top of the store's users.json.
package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"podcastfy/backend/store"
)

// DefaultBcryptCost is the work factor for new password hashes: 12 (four
// times bcrypt.DefaultCost) takes a few hundred milliseconds per login on a
// laptop core — unnoticeable for a person logging in, but it slows offline
// guessing of a stolen users.json by the same factor. BenchmarkLogin prints
// the figure for the machine at hand.
const DefaultBcryptCost = 12

// Defaults for Options fields left zero.
const (
	DefaultIssuer         = "podcastfy"
	DefaultTTL            = 24 * time.Hour
	DefaultMinPasswordLen = 8
)

var (
	// ErrInvalidCredentials is returned by Login for an unknown user and for
	// a wrong password alike, so a caller cannot probe for usernames.
	ErrInvalidCredentials = errors.New("invalid username or password")
	// ErrInvalidToken is wrapped around every reason a token is refused.
	ErrInvalidToken = errors.New("invalid or expired session token")
)

// UserStore is what auth needs from the user store; *store.Users satisfies it.
type UserStore interface {
	Create(u store.User) (store.User, error)
	Get(id string) (store.User, error)
	ByUsername(name string) (store.User, error)
	List() ([]store.User, error)
	Update(id string, fn func(*store.User) error) (store.User, error)
	Delete(id string) error
}

// Options tune a Service; zero fields take the defaults above.
type Options struct {
	Issuer         string        // JWT "iss"; default "podcastfy"
	TTL            time.Duration // session lifetime; default 24h
	BcryptCost     int           // default DefaultBcryptCost; tests use bcrypt.MinCost
	MinPasswordLen int           // default 8
	Now            func() time.Time
	Log            *slog.Logger // default: discard
}

// Service checks passwords, issues and verifies session tokens, and manages
// accounts. It is safe for concurrent use.
type Service struct {
	users UserStore
	key   []byte
	opts  Options
	log   *slog.Logger

	byUser *throttle
	byAddr *throttle

	dummyOnce sync.Once
	dummyHash []byte
}

// New returns a Service over users signing tokens with key (see
// LoadOrCreateKey).
func New(users UserStore, key []byte, opts Options) *Service {
	if opts.Issuer == "" {
		opts.Issuer = DefaultIssuer
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.BcryptCost == 0 {
		opts.BcryptCost = DefaultBcryptCost
	}
	opts.BcryptCost = min(max(opts.BcryptCost, bcrypt.MinCost), bcrypt.MaxCost)
	if opts.MinPasswordLen <= 0 {
		opts.MinPasswordLen = DefaultMinPasswordLen
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		users:  users,
		key:    slices.Clone(key),
		opts:   opts,
		log:    log,
		byUser: newThrottle(userFreeFailures),
		byAddr: newThrottle(addressFreeFailures),
	}
}

// Session is what a successful login returns.
type Session struct {
	Token     string     `json:"token"`
	ExpiresAt time.Time  `json:"expiresAt"`
	User      PublicUser `json:"user"`
}

// PublicUser is a user as shown to clients: never the password hash, token
// version or feed key.
type PublicUser struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Email     *string   `json:"email"`
	IsAdmin   bool      `json:"isAdmin"`
	CreatedAt time.Time `json:"createdAt"`
}

// ToPublic strips the secrets from u.
func ToPublic(u store.User) PublicUser {
	return PublicUser{ID: u.ID, Username: u.Username, Email: u.Email, IsAdmin: u.IsAdmin, CreatedAt: u.CreatedAt}
}

// Login checks username and password and returns a new session. It returns
// ErrInvalidCredentials for an unknown user or a wrong password, and a
// *ThrottledError while the username or clientAddr is backing off after
// repeated failures.
func (s *Service) Login(username, password, clientAddr string) (Session, error) {
	now := s.opts.Now()
	userKey := throttleKey(strings.ToLower(username))
	clientAddr = throttleKey(clientAddr)
	if wait := max(s.byUser.wait(userKey, now), s.byAddr.wait(clientAddr, now)); wait > 0 {
		s.log.Info("login throttled", "user", userKey, "client", clientAddr, "retryAfter", wait)
		return Session{}, &ThrottledError{RetryAfter: wait}
	}

	var u store.User
	err := store.ErrNotFound // a name that breaks the rules cannot exist
	if ValidateUsername(username) == nil {
		u, err = s.users.ByUsername(username)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Spend the same time as a real check so response times do not
		// reveal which usernames exist.
		checkPassword(s.dummy(), password)
		return Session{}, s.failed(userKey, clientAddr, now)
	case err != nil:
		return Session{}, fmt.Errorf("login: %w", err)
	}
	if !checkPassword([]byte(u.PasswordHash), password) {
		return Session{}, s.failed(userKey, clientAddr, now)
	}
	s.byUser.reset(userKey)

	expires := now.Add(s.opts.TTL).Truncate(time.Second)
	token, err := sign(s.key, s.opts.Issuer, u.ID, u.TokenVersion, now, expires)
	if err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	s.log.Info("login", "user", u.Username, "client", clientAddr)
	return Session{Token: token, ExpiresAt: expires, User: ToPublic(u)}, nil
}

func (s *Service) failed(userKey, clientAddr string, now time.Time) error {
	s.byUser.fail(userKey, now)
	s.byAddr.fail(clientAddr, now)
	s.log.Info("login failed", "user", userKey, "client", clientAddr)
	return ErrInvalidCredentials
}

// checkPassword reports whether password matches hash. bcrypt ignores
// bytes past the 72nd, so a longer password (which no account can have) is
// refused rather than matched on its prefix; the hash is still computed so
// the answer takes as long either way.
func checkPassword(hash []byte, password string) bool {
	p := []byte(password)
	tooLong := len(p) > MaxPasswordBytes
	if tooLong {
		p = p[:MaxPasswordBytes]
	}
	return bcrypt.CompareHashAndPassword(hash, p) == nil && !tooLong
}

// throttleKey bounds the size of a throttle key taken from a request.
func throttleKey(s string) string {
	const maxKey = 64
	if len(s) > maxKey {
		return s[:maxKey]
	}
	return s
}

// dummy is a hash of a fixed string at the configured cost, made on
// first use.
func (s *Service) dummy() []byte {
	s.dummyOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword([]byte("podcastfy-no-such-user"), s.opts.BcryptCost)
		if err != nil {
			// Only possible for an out-of-range cost, which New clamps.
			s.log.Error("hashing dummy password", "err", err)
		}
		s.dummyHash = h
	})
	return s.dummyHash
}

// Verify checks a session token and returns its user. Every refusal wraps
// ErrInvalidToken with the reason: bad signature or algorithm, wrong issuer,
// expired or not yet valid, unknown user, or a token issued before the user's
// password last changed. Other errors come from reading the store.
func (s *Service) Verify(token string) (store.User, error) {
	c, err := parse(s.key, s.opts.Issuer, token, s.opts.Now)
	if err != nil {
		return store.User{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	u, err := s.users.Get(c.Subject)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		return store.User{}, fmt.Errorf("%w: user no longer exists", ErrInvalidToken)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("verifying token: %w", err)
	}
	if c.TokenVersion != u.TokenVersion {
		return store.User{}, fmt.Errorf("%w: the password changed after this token was issued", ErrInvalidToken)
	}
	return u, nil
}
