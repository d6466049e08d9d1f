package audit_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// setup writes n audited acts and returns the store, the log and the config.
func setup(t *testing.T, d store.Dialect, n int) (*store.DB, *audit.Log, store.Config) {
	t.Helper()
	cfg := storetest.Config(t, d)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, err := audit.Open(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		rec := audit.Record{Tenant: "acme", Actor: "cli:test", Action: "user.add", Target: fmt.Sprintf("u%d@acme.example", i),
			Details: map[string]any{"role": "admin", "i": i}}
		if err := log.Record(ctx, db, 0, rec, nil); err != nil {
			t.Fatal(err)
		}
	}
	return db, log, cfg
}

// owner runs raw SQL as the table owner (an attacker with database access;
// on PostgreSQL the application role cannot change audit rows at all).
func owner(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, stmt string, args ...any) {
	t.Helper()
	driver, url := "pgx", cfg.MigrateURL
	if d == store.SQLite {
		driver, url = "sqlite", filepath.Join(cfg.DataDir, "scry.db")
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(stmt, args...); err != nil {
		t.Fatalf("tamper %q: %v", stmt, err)
	}
}

func storedIndex(n int64) int64 { return tlog.StoredHashIndex(0, n) }

// rewrite recomputes every stored hash from the records, as an attacker
// covering their tracks would, and removes the heads the log no longer reaches.
func rewrite(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config) {
	t.Helper()
	recs, err := audit.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	owner(t, db, d, cfg, `delete from audit_hashes`)
	var mem []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	for _, r := range recs {
		hs, err := tlog.StoredHashes(r.Seq, audit.LeafOf(r), reader)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hs {
			owner(t, db, d, cfg, `insert into audit_hashes (idx, hash) values ($1, $2)`, storedIndex(r.Seq)+int64(i), h[:])
		}
		mem = append(mem, hs...)
	}
	heads, _ := filepath.Glob(filepath.Join(cfg.DataDir, "audit", "heads", "*.note"))
	for _, h := range heads {
		var n int64
		fmt.Sscanf(filepath.Base(h), "%d.note", &n)
		if n > int64(len(recs)) {
			os.Remove(h)
		}
	}
}

func wantTampered(t *testing.T, log *audit.Log, db *store.DB, where string) {
	t.Helper()
	_, err := log.Verify(context.Background(), db)
	if !errcode.Is(err, errcode.Tampered) || errcode.ExitStatus(err) != 2 {
		t.Fatalf("verify after tampering: %v, want audit_tampered (exit 2)", err)
	}
	if !strings.Contains(err.Error(), where) {
		t.Fatalf("verify said %q, want it to name %q", err, where)
	}
}

func TestUntouchedLogVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db, log, _ := setup(t, d, 13)
		rep, err := log.Verify(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Records != 13 || rep.NewestHead != 13 || rep.Heads != 13 {
			t.Fatalf("report %+v", rep)
		}
		recs, _ := audit.List(context.Background(), db, "acme", 0)
		if len(recs) != 13 || recs[3].Target != "u3@acme.example" || recs[3].Outcome != "ok" {
			t.Fatalf("list: %d records, %+v", len(recs), recs[3])
		}
	})
}

func TestTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, dir string)
		where  string
	}{
		{"one byte of a record", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `update audit_records set target = 'u5@acme.examplf' where seq = 5`)
		}, "record 5"},
		{"one byte of the details", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `update audit_records set details = replace(details, 'admin', 'adnin') where seq = 2`)
		}, "record 2"},
		{"a stored hash", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `update audit_hashes set hash = $1 where idx = 7`, make([]byte, 32))
		}, "hash 7"},
		{"a deleted record", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `delete from audit_records where seq = 4`)
		}, "record 4 is missing"},
		{"two swapped records", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `update audit_records set target = case seq when 3 then 'u6@acme.example' else 'u3@acme.example' end where seq in (3, 6)`)
		}, "record 3"},
		{"a truncated log", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, _ string) {
			owner(t, db, d, cfg, `delete from audit_records where seq >= 9`)
			owner(t, db, d, cfg, `delete from audit_hashes where idx >= 16`)
		}, "truncated"},
		{"a replaced signed head", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, dir string) {
			heads, _ := filepath.Glob(filepath.Join(dir, "audit", "heads", "*.note"))
			sort.Strings(heads)
			b, _ := os.ReadFile(heads[len(heads)-1])
			lines := strings.Split(string(b), "\n")
			lines[2] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" // another tree hash under the old signature
			os.WriteFile(heads[len(heads)-1], []byte(strings.Join(lines, "\n")), 0o644)
		}, "signed head"},
		{"a head signed by another key", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, dir string) {
			other := t.TempDir()
			odb, _ := store.Open(context.Background(), store.Config{DataDir: other})
			defer odb.Close()
			ol, _ := audit.Open(other)
			ol.Record(context.Background(), odb, 0, audit.Record{Tenant: "x", Actor: "x", Action: "x", Target: "x"}, nil)
			forged, _ := filepath.Glob(filepath.Join(other, "audit", "heads", "*.note"))
			b, _ := os.ReadFile(forged[0])
			os.WriteFile(filepath.Join(dir, "audit", "heads", "000000000001.note"), b, 0o644)
		}, "000000000001.note"},
		{"a rewritten log with recomputed hashes", func(t *testing.T, db *store.DB, d store.Dialect, cfg store.Config, dir string) {
			// the attacker rewrites a record and every hash consistently; only the signed heads can tell
			owner(t, db, d, cfg, `delete from audit_records where seq >= 10`)
			owner(t, db, d, cfg, `delete from audit_hashes where idx >= `+fmt.Sprint(storedIndex(10)))
			owner(t, db, d, cfg, `update audit_records set actor = 'cli:mallory' where seq = 1`)
			rewrite(t, db, d, cfg)
		}, "not a prefix"},
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				db, log, cfg := setup(t, d, 12)
				if _, err := log.Verify(context.Background(), db); err != nil {
					t.Fatalf("before tampering: %v", err)
				}
				tc.tamper(t, db, d, cfg, cfg.DataDir)
				wantTampered(t, log, db, tc.where)
			})
		}
	})
}
