package identity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

const testPassword = "violet-harbour-lantern-42"

// waitUntil polls cond until it holds or timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newTenant makes a tenant holding the given users, each with testPassword.
func newTenant(t *testing.T, db *store.DB, slug string, users ...User) int64 {
	t.Helper()
	ctx := context.Background()
	tn := storetest.Tenant(t, db, slug)
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		for _, u := range users {
			u, err := Add(ctx, tx, u)
			if err != nil {
				return err
			}
			if err := ChangePassword(ctx, tx, u, testPassword, 12, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

func signIn(db *store.DB, tenantID int64, door Door, email, password, remote string, maxFailures int) (time.Duration, error) {
	_, started, err := SignIn(context.Background(), db, tenantID, Attempt{Door: door, Email: email, Password: password, Remote: remote, MaxFailures: maxFailures},
		func(Account) (string, error) { return StageApp, nil }, nil)
	return started, err
}

// TestParallelLockout: however many wrong passwords arrive at once, at most
// max_failures of them are checked before the delay applies, and no count
// is lost.
func TestParallelLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		const maxFailures = 3
		for _, n := range []int{30, 100} {
			email := fmt.Sprintf("target%d@acme.example", n)
			id := newTenant(t, db, fmt.Sprintf("acme%d", n), User{Email: email, Role: Admin})
			before := passwordChecks.Load()
			start := make(chan struct{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			outcomes := map[errcode.Code]int{}
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := signIn(db, id, AppDoor, email, "not the password at all", "198.51.100.7", maxFailures)
					mu.Lock()
					outcomes[errcode.From(err).Code]++
					mu.Unlock()
				}()
			}
			t0 := time.Now()
			close(start)
			wg.Wait()
			checks := passwordChecks.Load() - before
			t.Logf("%s, %d concurrent wrong passwords, max_failures %d: %d password checks, outcomes %v, %s",
				d, n, maxFailures, checks, outcomes, time.Since(t0).Round(time.Millisecond))
			if checks > maxFailures || checks < 1 {
				t.Errorf("%d concurrent attempts: %d password checks, want 1..%d", n, checks, maxFailures)
			}
			if outcomes[errcode.Unauthenticated] != int(checks) || outcomes[errcode.RateLimited] != n-int(checks) {
				t.Errorf("outcomes %v for %d checks", outcomes, checks)
			}
			// Every checked attempt is counted (no update lost).
			var failures int
			db.ReadTenant(context.Background(), id, func(tx *store.Tx) error {
				return tx.QueryRow(`select failures from login_failures where tenant_id = $1 and key = $2`, id, "acct:"+email).Scan(&failures)
			})
			if failures != int(checks) {
				t.Errorf("%d failures recorded for %d checks", failures, checks)
			}
		}
	})
}

// TestSignInHoldsNoTransaction: while a password is being hashed, the
// database's writer is free (on SQLite every tenant shares it).
func TestSignInHoldsNoTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		id := newTenant(t, db, "acme", User{Email: "admin@acme.example", Role: Admin})
		other := newTenant(t, db, "other")
		// Take every hashing slot: the sign-in stops inside its hash.
		for range hashSlots {
			hashing <- struct{}{}
		}
		released := false
		release := func() {
			if !released {
				released = true
				for range hashSlots {
					<-hashing
				}
			}
		}
		defer release()
		before := passwordChecks.Load()
		done := make(chan error, 1)
		go func() {
			_, err := signIn(db, id, AppDoor, "admin@acme.example", "a wrong password!", "198.51.100.8", 5)
			done <- err
		}()
		waitUntil(t, 30*time.Second, "the sign-in to reach its hash", func() bool { return passwordChecks.Load() > before })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := db.InTenant(ctx, other, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `insert into login_failures (tenant_id, key, failures, locked_until) values ($1, 'probe', 0, '')`, other)
			return err
		})
		if err != nil {
			t.Fatalf("another tenant's write while a password is hashed: %v", err)
		}
		release()
		if err := <-done; !errcode.Is(err, errcode.Unauthenticated) {
			t.Fatalf("wrong password: %v", err)
		}
	})
}

// TestDoors: a workforce account is refused at the main sign-in exactly
// like a wrong password (and counted), and the portal finds workers only.
func TestDoors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		id := newTenant(t, db, "acme", User{Email: "admin@acme.example", Role: Admin}, User{Email: "worker@acme.example", Role: Worker})
		_, wrong := signIn(db, id, AppDoor, "admin@acme.example", "not the password at all", "198.51.100.9", 5)
		_, door := signIn(db, id, AppDoor, "worker@acme.example", testPassword, "198.51.100.9", 5)
		if !errors.Is(door, ErrWrongDoor) || errcode.From(door).Message != errcode.From(wrong).Message || errcode.From(door).Code != errcode.From(wrong).Code {
			t.Fatalf("worker at the main door: %v (a wrong password: %v)", door, wrong)
		}
		if _, err := signIn(db, id, PortalDoor, "admin@acme.example", testPassword, "198.51.100.9", 5); !errcode.Is(err, errcode.Unauthenticated) {
			t.Fatalf("admin at the portal door: %v", err)
		}
		if _, err := signIn(db, id, PortalDoor, "worker@acme.example", testPassword, "198.51.100.9", 5); err != nil {
			t.Fatalf("worker at the portal door: %v", err)
		}
		if _, err := signIn(db, id, AppDoor, "admin@acme.example", testPassword, "198.51.100.9", 5); err != nil {
			t.Fatalf("admin at the main door: %v", err)
		}
		// Nor does a workforce account get an API token, another door.
		err := db.InTenant(context.Background(), id, func(tx *store.Tx) error {
			_, err := CreateToken(context.Background(), tx, "worker@acme.example", "x", 0)
			return err
		})
		if !errcode.Is(err, errcode.Invalid) {
			t.Fatalf("API token for a worker: %v", err)
		}
	})
}

// TestTOTPUsedOnce: one code sent by 8 sessions at the same moment is
// accepted once, on both databases, three trials each.
func TestTOTPUsedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		id := newTenant(t, db, "acme", User{Email: "worker@acme.example", Role: Worker})
		var u User
		var secret string
		db.InTenant(ctx, id, func(tx *store.Tx) error {
			var err error
			if u, err = ByEmail(ctx, tx, "worker@acme.example"); err != nil {
				return err
			}
			key, err := BeginTOTP(ctx, tx, u, "test")
			secret = key.Secret()
			return err
		})
		for trial := range 3 {
			at := time.Now().Add(time.Duration(trial) * 2 * time.Minute)
			code, _ := totp.GenerateCode(secret, at)
			start := make(chan struct{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			accepted, used := 0, 0
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					err := db.InTenant(ctx, id, func(tx *store.Tx) error { return CheckTOTP(ctx, tx, u, code, at) })
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						accepted++
					case errcode.Is(err, errcode.Unauthenticated):
						used++
					default:
						t.Errorf("trial %d: %v", trial, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			if accepted != 1 || used != 7 {
				t.Fatalf("trial %d: one code accepted %d times (%d refused)", trial, accepted, used)
			}
		}
	})
}

// TestSetPasswordEndsSessions: a new password set by `scry user passwd`
// ends every session the user had; a weak one is refused.
func TestSetPasswordEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		id := newTenant(t, db, "acme", User{Email: "admin@acme.example", Role: Admin, Name: "Ada Admin"})
		var sessions int
		err := db.InTenant(ctx, id, func(tx *store.Tx) error {
			u, _ := ByEmail(ctx, tx, "admin@acme.example")
			NewSession(ctx, tx, u.ID)
			NewSession(ctx, tx, u.ID)
			for _, weak := range []string{"password1234", "aaaaaaaaaaaa", "            ", "ada-is-the-best-1"} {
				if err := SetPassword(ctx, tx, "admin@acme.example", weak); !errcode.Is(err, errcode.Invalid) {
					t.Errorf("weak password %q: %v", weak, err)
				}
			}
			if err := SetPassword(ctx, tx, "admin@acme.example", "correct horse battery staple"); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `select count(*) from sessions where tenant_id = $1`, id).Scan(&sessions)
		})
		if err != nil || sessions != 0 {
			t.Fatalf("after a new password: %v, %d sessions left", err, sessions)
		}
	})
}

// TestIdleClockWhilePolling: a client polling every 10 s keeps its session
// whatever the idle limit, and once it stops the session ends after the
// idle limit and within a minute of it; the clock is written at most once
// a minute.
func TestIdleClockWhilePolling(t *testing.T) {
	for _, idle := range []time.Duration{time.Minute, 2 * time.Minute, 30 * time.Minute} {
		p := SessionPolicy{Idle: idle, Absolute: 12 * time.Hour}
		t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		seen, writes := t0, 0
		last := t0
		for at := t0.Add(10 * time.Second); at.Before(t0.Add(3 * idle)); at = at.Add(10 * time.Second) {
			expired, touch := sessionClock(t0, seen, at, p)
			if expired {
				t.Fatalf("idle %s: a client polling every 10 s was signed out after %s", idle, at.Sub(t0))
			}
			if touch {
				seen = at
				writes++
			}
			last = at
		}
		if polls := int(3 * idle / (10 * time.Second)); idle >= 10*time.Minute && writes > polls/6+1 {
			t.Errorf("idle %s: %d clock writes for %d polls", idle, writes, polls)
		}
		end := last
		for expired := false; !expired; {
			end = end.Add(time.Second)
			expired, _ = sessionClock(t0, seen, end, p)
		}
		if gap := end.Sub(last); gap <= idle || gap > idle+time.Minute {
			t.Errorf("idle %s: the session ended %s after its last use", idle, gap)
		}
	}
}

// TestCredentialErrors: only a missing credential asks to sign in again; a
// database that failed the lookup answers its own code (a busy database
// must not sign a user out).
func TestCredentialErrors(t *testing.T) {
	if err := credentialErr(sql.ErrNoRows, "read session"); !errcode.Is(err, errcode.Unauthenticated) {
		t.Fatalf("no such session: %v, want unauthenticated", err)
	}
	if err := credentialErr(context.DeadlineExceeded, "read session"); errcode.Is(err, errcode.Unauthenticated) || err == nil {
		t.Fatalf("a lookup that timed out: %v, want its own code", err)
	}
	if err := credentialErr(errors.New("disk I/O error"), "read token"); errcode.Is(err, errcode.Unauthenticated) || err == nil {
		t.Fatalf("a broken lookup: %v, want internal", err)
	}
}
