// Package storetest gives each test a fresh store on SQLite and, when a
// PostgreSQL server answers, on PostgreSQL too — one suite, both dialects.
// On PostgreSQL it sets up the owner role (runs migrations) and the
// application role (no ownership, no BYPASSRLS) itself, and gives every test
// its own schema.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/scry-dev/scry/internal/store"
)

// AdminURL is the superuser connection used only to create roles, the test
// database and schemas ($SCRY_TEST_POSTGRES_URL).
func AdminURL() string {
	if u := os.Getenv("SCRY_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=3"
}

const testDB = "scry_test"

var (
	setupOnce sync.Once
	setupErr  error
)

// setupPostgres creates the roles and the test database once per process.
func setupPostgres() error {
	setupOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", AdminURL())
		if err != nil {
			setupErr = err
			return
		}
		defer admin.Close()
		if err := admin.PingContext(ctx); err != nil {
			setupErr = err
			return
		}
		conn, err := admin.Conn(ctx)
		if err != nil {
			setupErr = err
			return
		}
		defer conn.Close()
		// Several test binaries run at once: serialise the role setup.
		if _, err := conn.ExecContext(ctx, `select pg_advisory_lock(7319100)`); err != nil {
			setupErr = err
			return
		}
		defer conn.ExecContext(context.Background(), `select pg_advisory_unlock(7319100)`)
		for _, stmt := range []string{
			`do $$ begin if not exists (select from pg_roles where rolname = 'scry_owner') then create role scry_owner login nosuperuser nobypassrls; end if; end $$`,
			`do $$ begin if not exists (select from pg_roles where rolname = 'scry_app') then create role scry_app login nosuperuser nobypassrls nocreatedb nocreaterole; end if; end $$`,
		} {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				setupErr = fmt.Errorf("create roles: %w", err)
				return
			}
		}
		var n int
		if err := conn.QueryRowContext(ctx, `select count(*) from pg_database where datname = $1`, testDB).Scan(&n); err != nil {
			setupErr = fmt.Errorf("look for the test database: %w", err)
			return
		}
		if n == 0 {
			if _, err := conn.ExecContext(ctx, `create database `+testDB+` owner scry_owner`); err != nil && !strings.Contains(err.Error(), "already exists") {
				setupErr = fmt.Errorf("create database: %w", err)
			}
		}
	})
	return setupErr
}

func withDB(url, db string) string {
	// replace the path of the URL with the test database
	i := strings.Index(url, "://")
	rest := url[i+3:]
	slash := strings.Index(rest, "/")
	q := ""
	if k := strings.Index(rest, "?"); k >= 0 {
		q = rest[k:]
		if slash > k {
			slash = -1
		}
		rest = rest[:k]
	}
	if slash >= 0 {
		rest = rest[:slash]
	}
	return url[:i+3] + rest + "/" + db + q
}

func withUser(url, user string) string {
	i := strings.Index(url, "://")
	rest := url[i+3:]
	if at := strings.Index(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	return url[:i+3] + user + "@" + rest
}

func addParam(url, kv string) string {
	if strings.Contains(url, "?") {
		return url + "&" + kv
	}
	return url + "?" + kv
}

// PostgresURLs returns (app URL, owner URL) for a new schema of its own,
// dropped when the test ends. It skips the test when PostgreSQL does not
// answer, saying so.
func PostgresURLs(t testing.TB) (string, string) {
	t.Helper()
	if err := setupPostgres(); err != nil {
		t.Skipf("PostgreSQL half skipped: no PostgreSQL answers at %s (%v)", AdminURL(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	base := withDB(AdminURL(), testDB)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `create schema `+schema+` authorization scry_owner`); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `drop schema `+schema+` cascade`); err != nil {
			t.Logf("drop test schema %s: %v", schema, err)
		}
		admin.Close()
	})
	app := addParam(withUser(base, "scry_app"), "search_path="+schema)
	owner := addParam(withUser(base, "scry_owner"), "search_path="+schema)
	return app, owner
}

// Config returns a store configuration for dialect in a fresh place.
func Config(t testing.TB, d store.Dialect) store.Config {
	t.Helper()
	cfg := store.Config{DataDir: t.TempDir()}
	if d == store.Postgres {
		cfg.DatabaseURL, cfg.MigrateURL = PostgresURLs(t)
	}
	return cfg
}

// Open opens a fresh, migrated store of dialect.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), Config(t, d))
	if err != nil {
		t.Fatalf("open %s store: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn once per dialect as subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}
