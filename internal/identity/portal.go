package identity

import (
	"bufio"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

//go:embed common-passwords.txt
var commonPasswordFile string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordFile))
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
})

// CheckPoolPassword applies a user pool's policy: minLen to 128
// characters, no composition rules, not one of the 10,000 most common
// passwords, and not containing the user's email or name.
func CheckPoolPassword(password string, minLen int, email, name string) error {
	n := len([]rune(password))
	if n < minLen || n > 128 {
		return errcode.New(errcode.Invalid, "A password needs %d to 128 characters (this one has %d)", minLen, n)
	}
	lower := strings.ToLower(password)
	if commonPasswords()[lower] {
		return errcode.New(errcode.Invalid, "This password is one of the 10,000 most common; choose another")
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	parts := append([]string{strings.ToLower(email), local}, strings.Fields(strings.ToLower(name))...)
	for _, p := range parts {
		if len(p) >= 3 && strings.Contains(lower, p) {
			return errcode.New(errcode.Invalid, "A password may not contain your email address or name")
		}
	}
	return nil
}

// Lockout: after maxFailures failures, each further attempt waits twice as
// long as the last (2 s, 4 s, 8 s …), at most 15 minutes; counted per
// account and per source address, for known and unknown accounts alike.
const maxLockout = 15 * time.Minute

func lockDelay(failures, maxFailures int) time.Duration {
	if failures < maxFailures {
		return 0
	}
	d := time.Duration(math.Pow(2, float64(failures-maxFailures+1))) * time.Second
	if d > maxLockout || d <= 0 {
		return maxLockout
	}
	return d
}

// LockedFor says how long sign-in must wait for any of keys.
func LockedFor(ctx context.Context, tx *store.Tx, keys ...string) (time.Duration, error) {
	var wait time.Duration
	for _, k := range keys {
		var until string
		err := tx.QueryRowContext(ctx, `select locked_until from login_failures where tenant_id = $1 and key = $2`, tx.TenantID, k).Scan(&until)
		if err != nil {
			continue // no failures recorded
		}
		if t, _ := time.Parse(time.RFC3339Nano, until); time.Until(t) > wait {
			wait = time.Until(t)
		}
	}
	return wait, nil
}

// RecordFailure counts a failed sign-in for each key and returns the
// delay now in force.
func RecordFailure(ctx context.Context, tx *store.Tx, maxFailures int, keys ...string) (time.Duration, error) {
	var longest time.Duration
	for _, k := range keys {
		var n int
		tx.QueryRowContext(ctx, `select failures from login_failures where tenant_id = $1 and key = $2`, tx.TenantID, k).Scan(&n)
		n++
		d := lockDelay(n, maxFailures)
		until := time.Now().Add(d).UTC().Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, `insert into login_failures (tenant_id, key, failures, locked_until) values ($1, $2, $3, $4)
			on conflict (tenant_id, key) do update set failures = excluded.failures, locked_until = excluded.locked_until`, tx.TenantID, k, n, until); err != nil {
			return 0, store.Err(err, "record sign-in failure")
		}
		longest = max(longest, d)
	}
	return longest, nil
}

// ClearFailures forgets the failures of keys after a success.
func ClearFailures(ctx context.Context, tx *store.Tx, keys ...string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `delete from login_failures where tenant_id = $1 and key = $2`, tx.TenantID, k); err != nil {
			return store.Err(err, "clear sign-in failures")
		}
	}
	return nil
}

// PortalUser is what the portal needs to know after a password check.
type PortalUser struct {
	User
	MustChangePassword bool
	MFAEnrolled        bool
}

// PortalAuthenticate checks a worker's password; an invited worker may
// sign in with the temporary password until it expires.
func PortalAuthenticate(ctx context.Context, tx *store.Tx, email, password string) (PortalUser, error) {
	var w PortalUser
	var hash, expires, enrolled *string
	var must int
	u, err := scanUserWith(tx.QueryRowContext(ctx, `select `+userCols+`, password_hash, invite_expires_at, must_change_password, mfa_enrolled_at
		from users where tenant_id = $1 and email_lower = $2 and role = 'worker' and status in ('active', 'invited')`,
		tx.TenantID, strings.ToLower(strings.TrimSpace(email))), &hash, &expires, &must, &enrolled)
	if err := checkSignIn(err, hash, password); err != nil {
		return w, err
	}
	if u.Status == "invited" && expires != nil {
		if t, _ := time.Parse(time.RFC3339, *expires); time.Now().After(t) {
			return w, errcode.New(errcode.Unauthenticated, "Your invitation has expired; ask for a new one")
		}
	}
	return PortalUser{User: u, MustChangePassword: must == 1, MFAEnrolled: enrolled != nil}, nil
}

// ChangePassword sets a worker's own new password under the pool policy
// and makes an invited account active.
func ChangePassword(ctx context.Context, tx *store.Tx, u User, password string, minLen int) error {
	if err := CheckPoolPassword(password, minLen, u.Email, u.Name); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `update users set password_hash = $1, password_set_at = $2, must_change_password = 0, status = 'active'
		where tenant_id = $3 and id = $4`, HashPassword(password), now(), tx.TenantID, u.ID)
	return store.Err(err, "change password")
}

// NewStagedSession starts a session that still has steps to pass.
func NewStagedSession(ctx context.Context, tx *store.Tx, userID int64, stage string) (string, error) {
	value, hash := secret(SessionPrefix, tx.TenantID)
	t := now()
	_, err := tx.ExecContext(ctx, `insert into sessions (tenant_id, id_hash, user_id, created_at, last_seen_at, stage) values ($1, $2, $3, $4, $4, $5)`,
		tx.TenantID, hash, userID, t, stage)
	return value, store.Err(err, "create session")
}

// SetStage moves a session on.
func SetStage(ctx context.Context, tx *store.Tx, hash, stage string) error {
	_, err := tx.ExecContext(ctx, `update sessions set stage = $1 where tenant_id = $2 and id_hash = $3`, stage, tx.TenantID, hash)
	return store.Err(err, "set session stage")
}

// BeginTOTP creates (or returns the pending) TOTP secret for enrollment.
func BeginTOTP(ctx context.Context, tx *store.Tx, u User, issuer string) (*otp.Key, error) {
	var pending *string
	err := tx.QueryRowContext(ctx, `select mfa_secret from users where tenant_id = $1 and id = $2 and mfa_enrolled_at is null`, tx.TenantID, u.ID).Scan(&pending)
	if err != nil && !errors.Is(err, sql.ErrNoRows) { // no row: already enrolled, a new secret is made
		return nil, store.Err(err, "read pending TOTP secret")
	}
	if pending != nil {
		return otp.NewKeyFromURL(*pending)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `update users set mfa_secret = $1 where tenant_id = $2 and id = $3`, key.URL(), tx.TenantID, u.ID)
	return key, store.Err(err, "store TOTP secret")
}

// CheckTOTP verifies a code (RFC 6238, 30 s steps, ±1 step) and makes sure
// each code is used once; a first good code completes enrollment.
func CheckTOTP(ctx context.Context, tx *store.Tx, u User, code string, at time.Time) error {
	var url *string
	var last int64
	if err := tx.QueryRowContext(ctx, `select mfa_secret, mfa_last_step from users where tenant_id = $1 and id = $2`, tx.TenantID, u.ID).Scan(&url, &last); err != nil || url == nil {
		return errcode.New(errcode.Unauthenticated, "Set up your authenticator first")
	}
	key, err := otp.NewKeyFromURL(*url)
	if err != nil {
		return err
	}
	step := at.Unix() / 30
	for _, s := range []int64{step, step - 1, step + 1} {
		want, err := totp.GenerateCodeCustom(key.Secret(), time.Unix(s*30, 0), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || want != strings.TrimSpace(code) {
			continue
		}
		if s <= last {
			return errcode.New(errcode.Unauthenticated, "This code was already used; wait for the next one")
		}
		_, err = tx.ExecContext(ctx, `update users set mfa_last_step = $1, mfa_enrolled_at = coalesce(mfa_enrolled_at, $2) where tenant_id = $3 and id = $4`,
			s, now(), tx.TenantID, u.ID)
		return store.Err(err, "record TOTP step")
	}
	return errcode.New(errcode.Unauthenticated, "The code is not right; check your authenticator's clock")
}

// FormatWait says a lockout delay for a person.
func FormatWait(d time.Duration) string {
	n, unit := int(math.Ceil(d.Seconds())), "second"
	if d >= time.Minute {
		n, unit = int(math.Ceil(d.Minutes())), "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}
