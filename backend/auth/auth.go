// Package auth owns accounts and sessions: bcrypt password hashes, HS256 JWT
// session tokens signed with a per-installation key (secret.key), login
// throttling per client address and per username from that address, a bound
// on password checks running at once, and the user operations
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

	"podcastfy/backend/apperr"
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
	ErrInvalidCredentials error = &apperr.Error{Code: apperr.InvalidCredentials, Message: "wrong username or password"}
	// ErrInvalidToken is wrapped around every reason a token is refused.
	ErrInvalidToken error = &apperr.Error{Code: apperr.InvalidToken, Message: "invalid or expired session token"}
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
	// LoginSlots bounds the password checks running at once (default 2);
	// LoginQueue bounds the logins waiting for a slot (default 32; below
	// zero, none wait).
	LoginSlots int
	LoginQueue int
	Now        func() time.Time
	Log        *slog.Logger // default: discard
}

// Service checks passwords, issues and verifies session tokens, and manages
// accounts. It is safe for concurrent use.
type Service struct {
	users UserStore
	key   []byte
	opts  Options
	log   *slog.Logger

	byPair *throttle // keyed by address and lowercased username
	byAddr *throttle
	// byChange counts wrong current passwords given to ChangePassword,
	// keyed by user ID.
	byChange *throttle
	gate     *gate

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
	if opts.LoginSlots <= 0 {
		opts.LoginSlots = defaultLoginSlots
	}
	if opts.LoginQueue == 0 {
		opts.LoginQueue = defaultLoginQueue
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		users:    users,
		key:      slices.Clone(key),
		opts:     opts,
		log:      log,
		byPair:   newThrottle(pairFreeFailures),
		byAddr:   newThrottle(addressFreeFailures),
		byChange: newThrottle(changeFreeFailures),
		gate:     newGate(opts.LoginSlots, opts.LoginQueue),
	}
	// Hash the dummy password now, in the background, so the first login
	// of an unknown name does not take a hash longer than a known one.
	go s.dummy()
	return s
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
// *ThrottledError while clientAddr, or the username tried from clientAddr,
// is backing off after repeated failures, or while the server is checking
// as many logins as it allows. Failures from one address never delay the
// right password from another, so no one can lock an account out.
func (s *Service) Login(username, password, clientAddr string) (Session, error) {
	now := s.opts.Now()
	clientAddr = throttleKey(clientAddr)
	pair := pairKey(clientAddr, username)
	if wait := max(s.byPair.wait(pair, now), s.byAddr.wait(clientAddr, now)); wait > 0 {
		s.log.Info("login throttled", "client", clientAddr, "retryAfter", wait)
		return Session{}, &ThrottledError{RetryAfter: wait}
	}
	if !s.gate.enter() {
		s.log.Warn("login refused: too many logins at once", "client", clientAddr)
		return Session{}, &ThrottledError{RetryAfter: busyRetry, Busy: true}
	}
	defer s.gate.leave()

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
		return Session{}, s.failed(pair, clientAddr, now)
	case err != nil:
		return Session{}, fmt.Errorf("login: %w", err)
	}
	if !HasPassword(u) {
		// The desktop's own account before it has a password: refused,
		// after the same work as any other refusal.
		checkPassword(s.dummy(), password)
		return Session{}, s.failed(pair, clientAddr, now)
	}
	if !checkPassword([]byte(u.PasswordHash), password) {
		return Session{}, s.failed(pair, clientAddr, now)
	}
	s.byPair.reset(pair)
	s.upgradeHash(u, password)

	sess, err := s.session(u, now)
	if err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	s.log.Info("login", "user", u.Username, "client", clientAddr)
	return sess, nil
}

// failed counts a failure against the address and the username from it.
// The address's own counter is not reset by a later success: one valid
// account must not launder guesses at others.
func (s *Service) failed(pair, clientAddr string, now time.Time) error {
	s.byPair.fail(pair, now)
	s.byAddr.fail(clientAddr, now)
	s.log.Info("login failed", "client", clientAddr)
	return ErrInvalidCredentials
}

// upgradeHash rehashes a password stored at another cost than the
// configured one, so every known account costs the same as the dummy check
// of an unknown one. A failure only costs the upgrade, not the login.
func (s *Service) upgradeHash(u store.User, password string) {
	if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil || cost == s.opts.BcryptCost {
		return
	}
	hash, err := s.hash(password)
	if err == nil {
		_, err = s.users.Update(u.ID, func(stored *store.User) error {
			if stored.PasswordHash == u.PasswordHash { // unless it changed meanwhile
				stored.PasswordHash = hash
			}
			return nil
		})
	}
	if err != nil {
		s.log.Warn("upgrading a password hash", "user", u.Username, "err", err)
	}
}

// pairKey is the throttle key of one username tried from one address.
func pairKey(clientAddr, username string) string {
	return clientAddr + "\x00" + throttleKey(strings.ToLower(username))
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
	return compareHash(hash, p) == nil && !tooLong
}

// compareHash is bcrypt's comparison; a variable so tests can see the work
// each login does.
var compareHash = bcrypt.CompareHashAndPassword

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
