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
	"unicode"
	"unicode/utf8"

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

// CheckPassword applies the one password policy (the main app's, with
// minLen 12, and every workforce pool's): minLen to 128 characters, no
// composition rules, not one of the 10,000 most common passwords — nor one
// padded with digits or symbols, repeated, or made of too few different
// characters — and not containing the user's email or name.
func CheckPassword(password string, minLen int, email, name string) error {
	n := utf8.RuneCountInString(password)
	if n < minLen || n > 128 {
		return errcode.New(errcode.Invalid, "A password needs %d to 128 characters (this one has %d)", minLen, n)
	}
	lower := strings.ToLower(password)
	if isCommon(lower) {
		return errcode.New(errcode.Invalid, "This password is, or is made from, one of the 10,000 most common; choose another")
	}
	if distinct(lower) < minDistinct {
		return errcode.New(errcode.Invalid, "A password needs at least %d different characters", minDistinct)
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

// minDistinct: "aaaaaaaaaaaa", twelve spaces or "abababababab" are long
// but guessed at once.
const minDistinct = 5

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// isCommon says whether a (lower-case) password is on the list once the
// usual disguises are taken off: the list's long entries are few (about 56
// of 12 characters or more), so "password1234", "!!password!!" or
// "qwertyqwerty" must be caught through their base.
func isCommon(p string) bool {
	list := commonPasswords()
	pad := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, c := range []string{p, strings.TrimRightFunc(p, pad), strings.TrimLeftFunc(p, pad), strings.TrimFunc(p, pad), strings.TrimFunc(p, unicode.IsSpace)} {
		if c != "" && (list[c] || list[unit(c)]) {
			return true
		}
	}
	return false
}

// unit is the shortest string whose repetition makes s ("qwerty" for
// "qwertyqwerty"), or s itself.
func unit(s string) string {
	for n := 1; n <= len(s)/2; n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s {
			return s[:n]
		}
	}
	return s
}

// ChangePassword sets a worker's own new password under the pool policy,
// makes an invited account active and ends the worker's other sessions
// (all but keep, the session making the change).
func ChangePassword(ctx context.Context, tx *store.Tx, u User, password string, minLen int, keep string) error {
	if err := CheckPassword(password, minLen, u.Email, u.Name); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `update users set password_hash = $1, password_set_at = $2, must_change_password = 0, status = 'active'
		where tenant_id = $3 and id = $4`, HashPassword(password), now(), tx.TenantID, u.ID)
	if err != nil {
		return store.Err(err, "change password")
	}
	_, err = tx.ExecContext(ctx, `delete from sessions where tenant_id = $1 and user_id = $2 and id_hash <> $3`, tx.TenantID, u.ID, keep)
	return store.Err(err, "end other sessions")
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

// CheckTOTP verifies a code (RFC 6238, 30 s steps, ±1 step); a first good
// code completes enrollment. Each code is used once: its step is inserted
// under a primary key, so of two requests racing with one code the
// database lets one through (the other fails as already used), and a step
// older than the last one used is refused too.
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
	used := errcode.New(errcode.Unauthenticated, "This code was already used; wait for the next one")
	step := at.Unix() / 30
	for _, s := range []int64{step, step - 1, step + 1} {
		want, err := totp.GenerateCodeCustom(key.Secret(), time.Unix(s*30, 0), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || want != strings.TrimSpace(code) {
			continue
		}
		if s <= last {
			return used
		}
		_, err = tx.ExecContext(ctx, `insert into totp_used_steps (tenant_id, user_id, step) values ($1, $2, $3)`, tx.TenantID, u.ID, s)
		if err = store.Err(err, "record TOTP step"); errcode.Is(err, errcode.AlreadyExists) {
			return used
		} else if err != nil {
			return err
		}
		// Steps older than the window can never match again: forget them.
		if _, err := tx.ExecContext(ctx, `delete from totp_used_steps where tenant_id = $1 and user_id = $2 and step < $3`, tx.TenantID, u.ID, s-2); err != nil {
			return store.Err(err, "forget old TOTP steps")
		}
		_, err = tx.ExecContext(ctx, `update users set mfa_last_step = $1, mfa_enrolled_at = coalesce(mfa_enrolled_at, $2) where tenant_id = $3 and id = $4 and mfa_last_step < $1`,
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

// MFAEnrolled says whether the user has finished enrolling a TOTP
// authenticator.
func MFAEnrolled(ctx context.Context, tx *store.Tx, userID int64) (bool, error) {
	var enrolled *string
	err := tx.QueryRowContext(ctx, `select mfa_enrolled_at from users where tenant_id = $1 and id = $2`, tx.TenantID, userID).Scan(&enrolled)
	return enrolled != nil, store.Err(err, "read MFA enrollment")
}
