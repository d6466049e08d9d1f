package audit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/testwait"
)

func headCount(t *testing.T, dataDir string) int {
	t.Helper()
	heads, err := filepath.Glob(filepath.Join(dataDir, "audit", "heads", "*.note"))
	if err != nil {
		t.Fatal(err)
	}
	return len(heads)
}

// TestOutcomeColumn: a failed act is recorded with what became of it —
// refused, denied, timeout or error — not "ok" and not one word for all.
func TestOutcomeColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db, log, _ := setup(t, d, 0)
		ctx := context.Background()
		for _, c := range []struct {
			err  error
			want string
		}{
			{nil, "ok"},
			{errcode.New(errcode.Invalid, "bad"), "refused"},
			{errcode.New(errcode.PermissionDenied, "no"), "denied"},
			{errcode.New(errcode.Timeout, "slow"), "timeout"},
			{errcode.Stopped(context.Canceled), "canceled"},
			{errors.New("disk on fire"), "error"},
		} {
			rec := audit.Record{Tenant: "acme", Actor: "cli:test", Action: "test", Target: c.want}
			log.Record(ctx, db, 0, rec, func(*store.Tx) error { return c.err })
		}
		// an act whose caller has already gone (its context canceled before
		// the change could begin) is still recorded, as canceled
		gone, cancel := context.WithCancel(ctx)
		cancel()
		err := log.Record(gone, db, 0, audit.Record{Tenant: "acme", Actor: "cli:test", Action: "test", Target: "canceled"},
			func(*store.Tx) error { t.Error("a change ran after its caller left"); return nil })
		if !errcode.Is(err, errcode.Canceled) {
			t.Errorf("an act of a canceled caller failed with %v, want canceled", err)
		}
		recs, err := audit.List(ctx, db, "acme", 0)
		if err != nil || len(recs) != 7 {
			t.Fatalf("%v %d records", err, len(recs))
		}
		for _, r := range recs {
			if r.Outcome != r.Target {
				t.Errorf("act ending %s recorded as %q", r.Target, r.Outcome)
			}
		}
	})
}

// TestHeadsArePruned: however many heads are signed, the folder keeps the
// newest KeepNewestHeads and the first past each power of two, and the log
// still verifies (and still catches a truncation past a kept head).
func TestHeadsArePruned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db, log, cfg := setup(t, d, 200)
		// kept: 137…200, and of 1…136 the first at or past each power of
		// two: 1, 2, 4, 8, 16, 32, 64, 128
		if n := headCount(t, cfg.DataDir); n != audit.KeepNewestHeads+8 {
			t.Fatalf("%d head files after 200 heads, want %d", n, audit.KeepNewestHeads+8)
		}
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "audit", "heads", "000000000128.note")); err != nil {
			t.Fatalf("the head at 128 was pruned: %v", err)
		}
		rep, err := log.Verify(context.Background(), db)
		if err != nil || rep.Records != 200 || rep.NewestHead != 200 {
			t.Fatalf("verify after pruning: %+v %v", rep, err)
		}
	})
}

// TestBurstSharesHeads: a burst of acts anyone can cause (failed sign-ins)
// publishes with PublishSoon: a few head files, not one per act, and the
// newest head soon covers them all.
func TestBurstSharesHeads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db, log, cfg := setup(t, d, 0)
		ctx := context.Background()
		start := time.Now()
		for i := range 100 {
			err := db.Global(ctx, func(tx *store.Tx) error {
				return audit.Append(ctx, tx, audit.Record{Tenant: "acme", Actor: "anonymous", Action: "session.signin", Target: fmt.Sprint(i), Outcome: "refused"})
			})
			if err != nil {
				t.Fatal(err)
			}
			log.PublishSoon(db)
		}
		took := time.Since(start)
		testwait.Eventually(t, time.Minute, func() error {
			rep, err := log.Verify(ctx, db)
			if err == nil && rep.NewestHead != 100 {
				err = fmt.Errorf("newest head covers %d of 100", rep.NewestHead)
			}
			return err
		})
		// at most one head per PublishEvery of the burst, and the last one
		if most := int(took/audit.PublishEvery) + 2; headCount(t, cfg.DataDir) > most {
			t.Fatalf("%d head files for 100 acts in %s (at most %d)", headCount(t, cfg.DataDir), took, most)
		}
	})
}

// TestVerifyNeverCreatesKeys: with the verifier key gone, verification says
// audit_tampered and leaves the folder as it found it.
func TestVerifyNeverCreatesKeys(t *testing.T) {
	_, _, cfg := setup(t, store.SQLite, 3)
	vk := filepath.Join(cfg.DataDir, "audit", "verifier.key")
	if err := os.Remove(vk); err != nil {
		t.Fatal(err)
	}
	_, err := audit.OpenVerifier(objstore.NewFolder(cfg.DataDir), "")
	if !errcode.Is(err, errcode.Tampered) {
		t.Fatalf("verify without a verifier key: %v, want audit_tampered", err)
	}
	if _, serr := os.Stat(vk); !errors.Is(serr, os.ErrNotExist) {
		t.Fatalf("verification created %s", vk)
	}
	_, err = audit.OpenVerifier(objstore.NewFolder(cfg.DataDir), filepath.Join(t.TempDir(), "missing.key"))
	if !errcode.Is(err, errcode.Tampered) {
		t.Fatalf("verify with a missing --audit-key: %v, want audit_tampered", err)
	}
}

// TestKeyOutsideDataFolder: with the signing key outside the data folder,
// one who can write the data folder and the database can rewrite history
// and sign it with a key of their own — and verification with the real key
// says so. With the key inside the folder the same forgery passes: the
// limit the README states.
func TestKeyOutsideDataFolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		for _, outside := range []bool{true, false} {
			cfg := storetest.Config(t, d)
			db, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			keyFile := ""
			if outside {
				keyFile = filepath.Join(t.TempDir(), "audit.key")
			}
			log, err := audit.OpenKey(objstore.NewFolder(cfg.DataDir), cfg.DataDir, keyFile)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 6 {
				if err := log.Record(ctx, db, 0, audit.Record{Tenant: "acme", Actor: "cli:test", Action: "user.add", Target: fmt.Sprint(i)}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := os.Stat(filepath.Join(cfg.DataDir, "audit", "signing.key")); outside && err == nil {
				t.Fatal("a signing key was written in the data folder although --audit-key was given")
			}
			// The forger: rewrites record 1 and every hash, removes the heads
			// and keys in the folder, and signs a new head with a new key.
			owner(t, db, d, cfg, `update audit_records set actor = 'cli:mallory' where seq = 1`)
			rewrite(t, db, d, cfg)
			for _, name := range []string{"heads", "signing.key", "verifier.key"} {
				os.RemoveAll(filepath.Join(cfg.DataDir, "audit", name))
			}
			forger, err := audit.Open(cfg.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			if err := forger.Publish(ctx, db); err != nil {
				t.Fatal(err)
			}
			verifier, err := audit.OpenVerifier(objstore.NewFolder(cfg.DataDir), keyFile)
			if err != nil {
				t.Fatal(err)
			}
			_, err = verifier.Verify(ctx, db)
			if outside && !errcode.Is(err, errcode.Tampered) {
				t.Fatalf("a history re-signed with another key verified against --audit-key: %v", err)
			}
			if !outside && err != nil {
				t.Fatalf("expected the documented limit (a key in the data folder can be replaced), got %v", err)
			}
		}
	})
}

// TestFlushSignsWaitingHead: a head PublishSoon keeps waiting is signed at
// once by Flush (a server stopping leaves no unsigned tail).
func TestFlushSignsWaitingHead(t *testing.T) {
	db, log, _ := setup(t, store.SQLite, 1) // its Publish starts the interval
	ctx := context.Background()
	log.PublishSoon(db) // within PublishEvery of the last head: waits
	if err := db.Global(ctx, func(tx *store.Tx) error {
		return audit.Append(ctx, tx, audit.Record{Tenant: "acme", Actor: "anonymous", Action: "session.signin", Target: "x", Outcome: "refused"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := log.Flush(ctx, db); err != nil {
		t.Fatal(err)
	}
	rep, err := log.Verify(ctx, db)
	if err != nil || rep.UnsignedTail != 0 || rep.NewestHead != 2 {
		t.Fatalf("after Flush: %+v %v", rep, err)
	}
}
