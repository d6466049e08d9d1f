package identity

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// Door is an entrance to a tenant. People of the organisation and members
// of its workforce never share one: each door finds only its own accounts,
// so a worker cannot reach a session past the portal's MFA and lockout.
type Door int

const (
	AppDoor    Door = iota // the main sign-in: every role but worker
	PortalDoor             // the review portal: workers only
)

// Session stages: a main sign-in's session is StageApp at once; a portal
// session passes its steps ("password", "mfa_enroll", "mfa") and is
// StagePortal only after the last. Each door accepts only its own stage.
const (
	StageApp    = "full"
	StagePortal = "portal"
)

// DefaultMaxFailures is the main sign-in's lockout threshold; a workforce's
// user pool sets its own.
const DefaultMaxFailures = 5

// Attempt is one sign-in by password.
type Attempt struct {
	Door        Door
	Email       string
	Password    string
	Remote      string // the client address (a lockout key)
	MaxFailures int
}

// Account is what a door learns from a right password.
type Account struct {
	User
	MustChangePassword bool
	MFAEnrolled        bool
}

// ErrWrongDoor is the cause (for the audit log, never the client) of a
// workforce account refused at the main sign-in.
var ErrWrongDoor = errors.New("a workforce account at the main sign-in")

// errBadSignIn says nothing about which part was wrong.
var errBadSignIn = errcode.New(errcode.Unauthenticated, "The tenant, email or password is not right")

// passwordChecks counts the password hashes checked against real accounts
// (not the stand-in work of SpendPasswordTime): tests read it to prove
// that the lockout bounds them under concurrency.
var passwordChecks atomic.Int64

// SignIn checks a password under the lockout. The attempt is counted for
// the account and the client address before the hash is checked, in its
// own short transaction, so that however many attempts run at once at most
// MaxFailures checks happen before the delay applies; the hash is checked
// outside any transaction (on SQLite the single writer is never held for
// it). A right password clears the counts and, in one transaction, opens
// a session at the stage that stage gives for the account (its error
// refuses the sign-in) and appends the record ok gives, if any. It returns
// the session's cookie value and the delay this attempt started, if any,
// for the audit log.
func SignIn(ctx context.Context, db *store.DB, tenantID int64, a Attempt, stage func(Account) (string, error), ok func(Account) audit.Record) (string, time.Duration, error) {
	email := strings.ToLower(strings.TrimSpace(a.Email))
	var acct account
	check := func() error {
		var hash *string
		var err error
		acct, hash, err = lookup(ctx, db, tenantID, a.Door, email)
		if errors.Is(err, ErrWrongDoor) {
			SpendPasswordTime(a.Password)
			return errcode.Wrap(errcode.Unauthenticated, ErrWrongDoor, "%s", errBadSignIn.Message)
		}
		if err := checkSignIn(err, hash, a.Password); err != nil {
			return err
		}
		if acct.Status == "invited" && acct.inviteExpired {
			return errcode.New(errcode.Unauthenticated, "Your invitation has expired; ask for a new one")
		}
		return nil
	}
	var value string
	started, err := Guarded(ctx, db, tenantID, a.MaxFailures, LockoutKeys("acct:"+email, a.Remote), check, func(tx *store.Tx) error {
		st, err := stage(acct.Account)
		if err != nil {
			return err
		}
		if value, err = NewStagedSession(ctx, tx, acct.ID, st); err != nil {
			return err
		}
		if ok == nil {
			return nil
		}
		return audit.Append(ctx, tx, ok(acct.Account))
	})
	return value, started, err
}

// LockoutKeys are the counters an attempt is charged to: the account (or
// other subject) and the client address.
func LockoutKeys(subject, remote string) []string { return []string{subject, "ip:" + remote} }

// Guarded runs check — a password or a code — under the lockout of keys:
// the attempt is counted first (a refusal while a delay is in force is
// rate_limited and checks nothing: it says the same whether or not the
// account exists, so there is no timing to hide, and a locked-out guesser
// gets no hashing done at our expense), then check runs outside any
// transaction, then then runs in a transaction that also clears the
// counts. When check or then fails, the attempt stays counted. It returns
// the delay this attempt started, if any.
func Guarded(ctx context.Context, db *store.DB, tenantID int64, maxFailures int, keys []string, check func() error, then func(*store.Tx) error) (time.Duration, error) {
	started, err := claim(ctx, db, tenantID, maxFailures, keys)
	if err != nil {
		return 0, err
	}
	if check != nil {
		if err := check(); err != nil {
			return started, err
		}
	}
	return started, db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		if err := then(tx); err != nil {
			return err
		}
		return clearFailures(ctx, tx, keys...)
	})
}

// lockStamp is fixed-width so that stamps compare as strings in SQL.
const lockStamp = "2006-01-02T15:04:05.000000000Z"

// claim counts one attempt for each key, atomically: a conditional upsert
// takes the row (a row lock on PostgreSQL, the single writer on SQLite)
// and increments it only when no delay is in force, and the delay the new
// count earns is set before the transaction ends, so a concurrent attempt
// sees it. Keys are taken in sorted order so that two claims never wait
// for each other's rows in a cycle.
func claim(ctx context.Context, db *store.DB, tenantID int64, maxFailures int, keys []string) (time.Duration, error) {
	keys = slices.Sorted(slices.Values(keys))
	refuse := func(wait time.Duration) error {
		return errcode.New(errcode.RateLimited, "Too many failed sign-ins; try again in %s", FormatWait(max(wait, time.Second)))
	}
	// A guesser who is locked out is refused from a read, without taking
	// the writer (on SQLite every tenant's); the upsert below decides.
	if wait, err := lockedFor(ctx, db, tenantID, keys); err != nil {
		return 0, err
	} else if wait > 0 {
		return 0, refuse(wait)
	}
	var started time.Duration
	locked := errors.New("locked")
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		now := time.Now().UTC()
		for _, k := range keys {
			var n int
			err := tx.QueryRowContext(ctx, `insert into login_failures (tenant_id, key, failures, locked_until) values ($1, $2, 1, $3)
				on conflict (tenant_id, key) do update set failures = login_failures.failures + 1
				where login_failures.locked_until <= $3 returning failures`, tx.TenantID, k, now.Format(lockStamp)).Scan(&n)
			if errors.Is(err, sql.ErrNoRows) {
				return locked // a delay is in force: count nothing (the transaction rolls back)
			}
			if err != nil {
				return store.Err(err, "count sign-in attempt")
			}
			if d := lockDelay(n, maxFailures); d > 0 {
				if _, err := tx.ExecContext(ctx, `update login_failures set locked_until = $1 where tenant_id = $2 and key = $3`,
					now.Add(d).Format(lockStamp), tx.TenantID, k); err != nil {
					return store.Err(err, "start sign-in delay")
				}
				started = max(started, d)
			}
		}
		return nil
	})
	if errors.Is(err, locked) {
		wait, err := lockedFor(ctx, db, tenantID, keys)
		if err != nil {
			return 0, err
		}
		return 0, refuse(wait)
	}
	return started, err
}

// lockedFor says how long the longest delay among keys still runs.
func lockedFor(ctx context.Context, db *store.DB, tenantID int64, keys []string) (time.Duration, error) {
	var wait time.Duration
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		for _, k := range keys {
			var until string
			err := tx.QueryRowContext(ctx, `select locked_until from login_failures where tenant_id = $1 and key = $2`, tx.TenantID, k).Scan(&until)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return store.Err(err, "read sign-in delay")
			}
			if t, _ := time.Parse(time.RFC3339Nano, until); time.Until(t) > wait {
				wait = time.Until(t)
			}
		}
		return nil
	})
	return wait, err
}

// clearFailures forgets the counts of keys after a success.
func clearFailures(ctx context.Context, tx *store.Tx, keys ...string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `delete from login_failures where tenant_id = $1 and key = $2`, tx.TenantID, k); err != nil {
			return store.Err(err, "clear sign-in failures")
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

// account is an Account with what the check needs besides the hash.
type account struct {
	Account
	inviteExpired bool
}

// lookup reads the account a door may sign in, in a read transaction (on
// SQLite the read pool: a sign-in never waits for the writer to look). At
// the main door a workforce account is ErrWrongDoor.
func lookup(ctx context.Context, db *store.DB, tenantID int64, door Door, email string) (account, *string, error) {
	var a account
	var hash, expires, enrolled *string
	var must int
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		a.User, err = scanUserWith(tx.QueryRowContext(ctx, `select `+userCols+`, password_hash, invite_expires_at, must_change_password, mfa_enrolled_at
			from users where tenant_id = $1 and email_lower = $2`, tx.TenantID, email), &hash, &expires, &must, &enrolled)
		return err
	})
	if err != nil {
		return a, nil, err
	}
	switch {
	case door == AppDoor && a.Role == Worker:
		return a, nil, ErrWrongDoor
	case door == AppDoor && a.Status != "active",
		door == PortalDoor && (a.Role != Worker || (a.Status != "active" && a.Status != "invited")):
		return a, nil, sql.ErrNoRows // not an account of this door: the same as none
	}
	a.MustChangePassword, a.MFAEnrolled = must == 1, enrolled != nil
	if expires != nil {
		t, _ := time.Parse(time.RFC3339, *expires)
		a.inviteExpired = time.Now().After(t)
	}
	return a, hash, nil
}
