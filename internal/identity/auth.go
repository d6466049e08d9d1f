package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// argon2id parameters: about 60–100 ms per hash on one core of the
// development machine, 32 MiB each. Hashing runs at most hashSlots at a
// time: half the processors (one on a two-core machine), at most 4, so
// that a burst of sign-ins can exhaust neither memory nor the processors
// every other request needs.
const (
	argonTime    = 3
	argonMemory  = 32 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

var hashSlots = min(4, max(1, runtime.GOMAXPROCS(0)/2))

var hashing = make(chan struct{}, hashSlots)

func argonKey(password, salt []byte, t, m uint32, p uint8) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(password, salt, t, m, p, argonKeyLen)
}

// HashPassword returns the PHC-style encoding of an argon2id hash.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argonKey([]byte(password), salt, argonTime, argonMemory, argonThreads)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// VerifyPassword checks password against an encoded hash in constant time.
func VerifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argonKey([]byte(password), salt, t, m, p)
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the account does not exist, so that a
// wrong email takes as long as a wrong password.
// (made on first use: hashing at start-up would slow every CLI command).
var dummyHash = sync.OnceValue(func() string { return HashPassword("no such account, no such password") })

// SpendPasswordTime does the work of checking a password for a sign-in
// that fails before any account is found, so that timing tells nothing.
func SpendPasswordTime(password string) { VerifyPassword(dummyHash(), password) }

// MinPasswordLength is the main app's shortest password; a workforce's
// user pool sets its own.
const MinPasswordLength = 12

// SetPassword stores a new password for the user with email, under the
// same rules as a workforce's pool (CheckPassword), and ends every session
// the user has: whoever held one must sign in with the new password.
func SetPassword(ctx context.Context, tx *store.Tx, email, password string) error {
	u, err := ByEmail(ctx, tx, email)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, MinPasswordLength, u.Email, u.Name); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `update users set password_hash = $1, password_set_at = $2, must_change_password = 0
		where tenant_id = $3 and id = $4`, HashPassword(password), now(), tx.TenantID, u.ID)
	if err != nil {
		return store.Err(err, "set password")
	}
	return EndAllSessions(ctx, tx, u.ID)
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// checkSignIn judges a sign-in from the account lookup's error and stored
// hash: a missing account spends the time of a wrong password, and a
// database failure is reported as one, not as a bad password.
func checkSignIn(lookup error, hash *string, password string) error {
	if lookup != nil || hash == nil {
		SpendPasswordTime(password)
		if lookup != nil && !errcode.Is(store.Err(lookup, ""), errcode.NotFound) {
			return store.Err(lookup, "authenticate")
		}
		return errBadSignIn
	}
	passwordChecks.Add(1)
	if !VerifyPassword(*hash, password) {
		return errBadSignIn
	}
	return nil
}

func scanUserWith(s interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var created string
	dest := append([]any{&u.ID, &u.TenantID, &u.Email, &u.Name, &u.Role, &u.EmployeeID, &u.Status, &created}, extra...)
	err := s.Scan(dest...)
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return u, err
}

// secret makes a credential "<prefix><tenant>.<random>"; the tenant part
// tells which tenant's rows to look in, the random part is 128 bits.
func secret(prefix string, tenantID int64) (string, string) {
	b := make([]byte, 16)
	rand.Read(b)
	raw := base64.RawURLEncoding.EncodeToString(b)
	return fmt.Sprintf("%s%d.%s", prefix, tenantID, raw), hashSecret(raw)
}

func hashSecret(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:])
}

// ParseCredential splits a session id or token into tenant and the hash of
// its secret part.
func ParseCredential(prefix, v string) (int64, string, bool) {
	if !strings.HasPrefix(v, prefix) {
		return 0, "", false
	}
	t, raw, ok := strings.Cut(v[len(prefix):], ".")
	id, err := strconv.ParseInt(t, 10, 64)
	if !ok || err != nil || id <= 0 || len(raw) != 22 {
		return 0, "", false
	}
	return id, hashSecret(raw), true
}

// SessionPrefix and TokenPrefix mark the two kinds of credential.
const (
	SessionPrefix = "s"
	TokenPrefix   = "scry_"
)

// NewSession starts a session for user and returns the cookie value.
func NewSession(ctx context.Context, tx *store.Tx, userID int64) (string, error) {
	return NewStagedSession(ctx, tx, userID, "full")
}

// NewBoundSession starts a session at stage (StageApp, or StagePortal for a
// workforce member) for user that also ends at ends (a session opened
// through an identity provider ends with its token or assertion); via says
// how the person signed in ("oidc", "saml").
func NewBoundSession(ctx context.Context, tx *store.Tx, userID int64, stage, via string, ends time.Time) (string, error) {
	value, hash := secret(SessionPrefix, tx.TenantID)
	t := now()
	_, err := tx.ExecContext(ctx, `insert into sessions (tenant_id, id_hash, user_id, created_at, last_seen_at, stage, expires_at, via) values ($1, $2, $3, $4, $4, $5, $6, $7)`,
		tx.TenantID, hash, userID, t, stage, ends.UTC().Format(time.RFC3339Nano), via)
	return value, store.Err(err, "create session")
}

// SessionVia says how the session with hash was opened: "password" (or a
// portal's steps), "oidc" or "saml".
func SessionVia(ctx context.Context, tx *store.Tx, hash string) (string, error) {
	var via string
	err := tx.QueryRowContext(ctx, `select via from sessions where tenant_id = $1 and id_hash = $2`, tx.TenantID, hash).Scan(&via)
	return via, store.Err(err, "read session")
}

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle     time.Duration // default 30 min
	Absolute time.Duration // default 12 h
}

// ErrSessionExpired marks a session past its idle or absolute limit: the
// caller refuses it and deletes it (EndSession).
var ErrSessionExpired = errors.New("session expired")

// idleSlack is how stale a session's stored idle clock may be. The clock is
// written only when older than this (a client polling every 10 s costs a
// write a minute, not six), and a session ends only when its clock is
// older than idle + slack: so it never ends before its idle time without
// use has passed, and at most the slack (a minute, less for short idle
// limits) after.
func idleSlack(idle time.Duration) time.Duration { return min(time.Minute, max(idle/10, time.Second)) }

// sessionClock judges a session at time at: expired, or alive and its
// idle clock due to be written.
func sessionClock(created, seen, at time.Time, p SessionPolicy) (expired, touch bool) {
	slack := idleSlack(p.Idle)
	if at.Sub(seen) > p.Idle+slack || at.Sub(created) > p.Absolute {
		return true, false
	}
	return false, at.Sub(seen) >= slack
}

// SessionStage reads a live session (hash from ParseCredential): its user,
// the stage it is at (portal sign-in passes through a password change and
// MFA first), and whether its idle clock is due to be written (Touch). It
// only reads, so that authenticating a request does not take SQLite's
// single writer; the caller writes when asked to.
func SessionStage(ctx context.Context, tx *store.Tx, hash string, p SessionPolicy) (User, string, bool, error) {
	var created, seen, stage, ends string
	u, err := scanUserWith(tx.QueryRowContext(ctx, `select u.id, u.tenant_id, u.email, u.name, u.role, coalesce(u.employee_id, ''), u.status, u.created_at,
		s.created_at, s.last_seen_at, s.stage, coalesce(s.expires_at, '') from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
		where s.tenant_id = $1 and s.id_hash = $2 and u.status in ('active', 'invited')`, tx.TenantID, hash), &created, &seen, &stage, &ends)
	if err = credentialErr(err, "read session"); err != nil {
		return u, "", false, err
	}
	c, _ := time.Parse(time.RFC3339Nano, created)
	s, _ := time.Parse(time.RFC3339Nano, seen)
	expired, touch := sessionClock(c, s, time.Now(), p)
	// A session opened through an identity provider also ends with the
	// token or assertion it was opened with.
	if e, err := time.Parse(time.RFC3339Nano, ends); ends != "" && (err != nil || !time.Now().Before(e)) {
		expired = true
	}
	if expired {
		return u, "", false, errcode.Wrap(errcode.Unauthenticated, ErrSessionExpired, "Your session has expired; sign in again")
	}
	return u, stage, touch, nil
}

// credentialErr is a credential lookup's error: no such (live) credential
// asks to sign in, while a busy or broken database says so (a timeout must
// not sign the user out).
func credentialErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if err = store.Err(err, what); errcode.Is(err, errcode.NotFound) {
		return errcode.Wrap(errcode.Unauthenticated, err, "Sign in first")
	}
	return err
}

// Touch restarts a session's idle clock.
func Touch(ctx context.Context, tx *store.Tx, hash string) error {
	_, err := tx.ExecContext(ctx, `update sessions set last_seen_at = $1 where tenant_id = $2 and id_hash = $3`, now(), tx.TenantID, hash)
	return store.Err(err, "touch session")
}

// EndSession deletes one session; EndAllSessions every session of a user.
func EndSession(ctx context.Context, tx *store.Tx, hash string) error {
	_, err := tx.ExecContext(ctx, `delete from sessions where tenant_id = $1 and id_hash = $2`, tx.TenantID, hash)
	return store.Err(err, "end session")
}

// EndAllSessions signs a user out everywhere.
func EndAllSessions(ctx context.Context, tx *store.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `delete from sessions where tenant_id = $1 and user_id = $2`, tx.TenantID, userID)
	return store.Err(err, "end sessions")
}

// Token is an API token's public part.
type Token struct {
	ID        int64      `json:"id"`
	Email     string     `json:"email"`
	Name      string     `json:"name,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Secret    string     `json:"token,omitempty"` // shown once, at creation
}

// CreateToken makes an API token for the user with email.
func CreateToken(ctx context.Context, tx *store.Tx, email, name string, ttl time.Duration) (Token, error) {
	u, err := ByEmail(ctx, tx, email)
	if err != nil {
		return Token{}, err
	}
	if u.Role == Worker {
		return Token{}, errcode.New(errcode.Invalid, "%s is a workforce account: it signs in only at its portal and gets no API token", u.Email)
	}
	value, hash := secret(TokenPrefix, tx.TenantID)
	t := Token{Email: u.Email, Name: name, CreatedAt: time.Now().UTC().Truncate(time.Second), Secret: value}
	var exp any
	if ttl > 0 {
		e := t.CreatedAt.Add(ttl)
		t.ExpiresAt, exp = &e, e.Format(time.RFC3339)
	}
	err = tx.QueryRowContext(ctx, `insert into api_tokens (tenant_id, hash, user_id, name, created_at, expires_at) values ($1, $2, $3, $4, $5, $6) returning id`,
		tx.TenantID, hash, u.ID, name, t.CreatedAt.Format(time.RFC3339), exp).Scan(&t.ID)
	return t, store.Err(err, "create token")
}

// RevokeToken revokes a token by id.
func RevokeToken(ctx context.Context, tx *store.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `update api_tokens set revoked_at = $1 where tenant_id = $2 and id = $3 and revoked_at is null`, now(), tx.TenantID, id)
	if err != nil {
		return store.Err(err, "revoke token")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errcode.New(errcode.NotFound, "No active token %d in this tenant", id)
	}
	return nil
}

// TokenUser returns the user of a valid token (hash from ParseCredential).
func TokenUser(ctx context.Context, tx *store.Tx, hash string) (User, error) {
	var exp *string
	u, err := scanUserWith(tx.QueryRowContext(ctx, `select u.id, u.tenant_id, u.email, u.name, u.role, coalesce(u.employee_id, ''), u.status, u.created_at, k.expires_at
		from api_tokens k join users u on u.tenant_id = k.tenant_id and u.id = k.user_id
		where k.tenant_id = $1 and k.hash = $2 and k.revoked_at is null and u.status = 'active' and u.role <> 'worker'`, tx.TenantID, hash), &exp)
	if err = credentialErr(err, "read token"); err != nil {
		return u, err
	}
	if exp != nil {
		if e, _ := time.Parse(time.RFC3339, *exp); time.Now().After(e) {
			return u, errcode.New(errcode.Unauthenticated, "The API token has expired")
		}
	}
	return u, nil
}

// Invite stores a temporary credential for a new user: it must be changed
// at first sign-in and expires.
func Invite(ctx context.Context, tx *store.Tx, userID int64, hash string, expires time.Time) error {
	_, err := tx.ExecContext(ctx, `update users set password_hash = $1, must_change_password = 1, status = 'invited', invited_at = $2, invite_expires_at = $3
		where tenant_id = $4 and id = $5`, hash, now(), expires.UTC().Format(time.RFC3339), tx.TenantID, userID)
	return store.Err(err, "invite")
}
