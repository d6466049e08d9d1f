package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// ExecEach runs its statement once per group of values inside the caller's
// transaction: rows land when it commits, none when it rolls back, the
// tenant's policies hold on PostgreSQL, a value the driver would have to
// convert is refused before any statement runs, and once the transaction
// has ended nothing runs outside it.
func TestExecEach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		a, b := twoTenants(t, db)
		insert := "insert into hr_vocabulary (tenant_id, field, value) values ($1, $2, $3), ($4, $5, $6)"
		rows := func(tenantID int64) []any {
			var args []any
			for _, v := range []string{"Berlin", "Lyon", "Oslo", "Porto"} {
				args = append(args, tenantID, "shift_location", v)
			}
			return args
		}
		values := func(tenantID int64) string {
			var got []string
			err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
				r, err := tx.QueryContext(ctx, "select value from hr_vocabulary where tenant_id = $1 and field = 'shift_location' order by value", tenantID)
				if err != nil {
					return err
				}
				defer r.Close()
				for r.Next() {
					var v string
					if err := r.Scan(&v); err != nil {
						return err
					}
					got = append(got, v)
				}
				return r.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return strings.Join(got, ",")
		}

		// a failure after it rolls its rows back with the transaction
		boom := errors.New("boom")
		err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			if err := tx.ExecEach(ctx, insert, rows(a.ID), 6); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || values(a.ID) != "" {
			t.Fatalf("rolled back: err %v, rows %q", err, values(a.ID))
		}
		// twice in one transaction: the statement prepared once serves both
		err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			args := rows(a.ID)
			if err := tx.ExecEach(ctx, insert, args[:6], 6); err != nil {
				return err
			}
			return tx.ExecEach(ctx, insert, args[6:], 6)
		})
		if err != nil || values(a.ID) != "Berlin,Lyon,Oslo,Porto" {
			t.Fatalf("committed: err %v, rows %q", err, values(a.ID))
		}
		// values that do not make whole statements, or that the driver
		// would convert, are refused and write nothing
		for name, args := range map[string][]any{
			"short": rows(b.ID)[:5],
			"int":   {b.ID, "shift_location", "Rome", b.ID, "shift_location", 7},
		} {
			err := db.InTenant(ctx, b.ID, func(tx *store.Tx) error { return tx.ExecEach(ctx, insert, args, 6) })
			if err == nil || values(b.ID) != "" {
				t.Errorf("%s: err %v, rows %q", name, err, values(b.ID))
			}
		}
		if err := db.ReadTenant(ctx, b.ID, func(tx *store.Tx) error { return tx.ExecEach(ctx, insert, rows(b.ID), 6) }); err == nil {
			t.Error("a read-only transaction ran ExecEach")
		}
		// a writer still at work when its transaction ends (the import's
		// goroutines) is refused, not autocommitted on the connection
		var kept *store.Tx
		db.InTenant(ctx, b.ID, func(tx *store.Tx) error { kept = tx; return boom })
		if err := kept.ExecEach(ctx, insert, rows(b.ID), 6); !errors.Is(err, sql.ErrTxDone) || values(b.ID) != "" {
			t.Errorf("after its transaction: err %v, rows %q", err, values(b.ID))
		}
		// a statement that fails may end the transaction (SQLite's INSERT
		// OR ROLLBACK rolls it back): nothing more runs, on its own
		orRollback := d.InsertAllOrNothing() + "hr_vocabulary (tenant_id, field, value) values ($1, $2, $3), ($4, $5, $6)"
		err = db.InTenant(ctx, b.ID, func(tx *store.Tx) error {
			dup := []any{b.ID, "shift_location", "Rome", b.ID, "shift_location", "Rome"}
			if err := tx.ExecEach(ctx, orRollback, dup, 6); err == nil {
				t.Error("a duplicate row was inserted")
			}
			return tx.ExecEach(ctx, orRollback, rows(b.ID), 6)
		})
		if err == nil || values(b.ID) != "" {
			t.Errorf("after a failed statement: err %v, rows %q", err, values(b.ID))
		}
		if d == store.Postgres {
			// another tenant's rows are refused by the row-level security policy
			err := db.InTenant(ctx, b.ID, func(tx *store.Tx) error { return tx.ExecEach(ctx, insert, rows(a.ID), 6) })
			if err == nil {
				t.Error("tenant B wrote tenant A's rows through ExecEach")
			}
		}
	})
}

// A transaction whose connection is lost ends with an error: ExecEach does
// not hang (sql.Conn.Raw, given driver.ErrBadConn, would wait to close the
// connection until the open transaction ended).
func TestExecEachOnALostConnection(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	admin, err := sql.Open("pgx", storetest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound for a hang, not a wait
	defer cancel()
	a := storetest.Tenant(t, db, "lost")
	insert := "insert into hr_vocabulary (tenant_id, field, value) values ($1, $2, $3)"
	err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		var pid int
		if err := tx.QueryRowContext(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
			return err
		}
		if _, err := admin.ExecContext(ctx, "select pg_terminate_backend($1)", pid); err != nil {
			return err
		}
		first := tx.ExecEach(ctx, insert, []any{a.ID, "shift_location", "Oslo"}, 3)
		second := tx.ExecEach(ctx, insert, []any{a.ID, "shift_location", "Lyon"}, 3)
		if first == nil || second == nil {
			t.Errorf("on a lost connection: %v, %v", first, second)
		}
		return errors.Join(first, second)
	})
	if err == nil || ctx.Err() != nil {
		t.Fatalf("the transaction ended with %v (context: %v)", err, ctx.Err())
	}
}

// ExecEach writes each kind of value as it was given on both databases (on
// SQLite through SQLite's own C API, its texts bound in place): an empty
// text stays empty and not NULL, multi-byte letters (and on SQLite a NUL
// byte) stay in their text, a text longer than any before it fits, and a
// key violation is already_exists, as any statement's.
func TestExecEachValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		tn := storetest.Tenant(t, db, "values")
		long := strings.Repeat("long ", 20000)
		odd := "é ✓"
		if d == store.SQLite {
			odd = "nul\x00é ✓" // PostgreSQL's texts hold no NUL
		}
		insert := "insert into vals (id, n, x, a, b) values (" + d.RowPlaceholders(1, 5) + "), (" + d.RowPlaceholders(6, 5) + ")"
		err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, "create temp table vals (id integer primary key, n real, x bigint, a text, b text)"); err != nil {
				return err
			}
			err := tx.ExecEach(ctx, insert, []any{
				int64(1), 1.5, int64(-7), "", nil, int64(2), -0.25, nil, odd, "b",
				int64(3), 0.0, int64(1 << 40), long, "", int64(4), nil, int64(0), "x", "y",
			}, 10)
			if err != nil {
				return err
			}
			r, err := tx.QueryContext(ctx, "select id, coalesce(n, 99), coalesce(x, 99), coalesce(a, 'NULL'), coalesce(b, 'NULL') from vals order by id")
			if err != nil {
				return err
			}
			var got []string
			for r.Next() {
				var id, x int64
				var n float64
				var a, b string
				if err := r.Scan(&id, &n, &x, &a, &b); err != nil {
					r.Close()
					return err
				}
				got = append(got, fmt.Sprintf("%d|%g|%d|%q|%q", id, n, x, a, b))
			}
			r.Close()
			want := []string{
				`1|1.5|-7|""|"NULL"`,
				fmt.Sprintf(`2|-0.25|99|%q|"b"`, odd),
				fmt.Sprintf(`3|0|1099511627776|%q|""`, long),
				`4|99|0|"x"|"y"`,
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("read back\n%.300q\nwant\n%.300q", got, want)
			}
			return tx.ExecEach(ctx, insert, []any{int64(5), 0.0, int64(0), "", "", int64(1), 0.0, int64(0), "", ""}, 10)
		})
		if code := errcode.From(store.Err(err, "insert")).Code; code != errcode.AlreadyExists {
			t.Errorf("a reused key: %v (%s), want already_exists", err, code)
		}
	})
}

// ExecEach on SQLite's C API behaves as the driver's statement did: a
// statement with a RETURNING clause runs and its rows are dropped, a query
// with no statement in it runs nothing, and a cancelled context stops it
// before it writes a row, failing its transaction, whose rows are gone;
// the connection serves the next one.
func TestExecEachEdges(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "edges")
	count := func(tx *store.Tx) int {
		var n int
		if err := tx.QueryRowContext(ctx, "select count(*) from r").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table r (id integer primary key, a text)"); err != nil {
			return err
		}
		if err := tx.ExecEach(ctx, "insert into r (id, a) values (?, ?) returning id", []any{int64(1), "x", int64(2), "y"}, 2); err != nil {
			t.Errorf("RETURNING: %v", err)
		}
		if err := tx.ExecEach(ctx, "-- nothing", []any{int64(1)}, 1); err != nil {
			t.Errorf("a query of no statement: %v", err)
		}
		if n := count(tx); n != 2 {
			t.Errorf("%d rows, want 2", n)
		}
		stopped, cancel := context.WithCancel(ctx)
		cancel()
		return tx.ExecEach(stopped, "insert into r (id, a) values (?, ?)", []any{int64(3), "z"}, 2)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context: %v", err)
	}
	err = db.InTenant(ctx, tn.ID, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "create temp table if not exists r (id integer primary key, a text)"); err != nil {
			return err
		}
		if n := count(tx); n != 0 {
			t.Errorf("%d rows kept from a transaction that failed", n)
		}
		return tx.ExecEach(ctx, "insert into r (id, a) values (?, ?)", []any{int64(1), "x"}, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
}
