package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scry-dev/scry/internal/errcode"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered, embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations of a dialect in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFS, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// records it in schema_migrations. On PostgreSQL it runs as the owner role
// (MigrateURL) under an advisory lock so that two starting processes do not
// race. It returns the versions applied.
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.MigrateReport(ctx)
	return err
}

// ownerNeeded says what to do when migrations were refused for want of a
// privilege while running as the application role (no separate owner URL;
// 42501 permission denied, or 3F000 when no schema of the search path lets
// it create):
// that role may not create or change tables, by design, and the refusal
// was an internal error that named no fix.
func (db *DB) ownerNeeded(err error) error {
	var pe *pgconn.PgError
	if db.Dialect == Postgres && (db.cfg.MigrateURL == "" || db.cfg.MigrateURL == db.cfg.DatabaseURL) && errors.As(err, &pe) && (pe.Code == "42501" || pe.Code == "3F000") {
		return errcode.Wrap(errcode.Invalid, err,
			"The database URL's role may not create or change scry's tables: give the owner role's URL in SCRY_MIGRATE_DATABASE_URL (--migrate-database-url); see README, PostgreSQL")
	}
	return err
}

// MigrateReport is Migrate that also says which versions it applied.
func (db *DB) MigrateReport(ctx context.Context) ([]Migration, error) {
	conn := db.write
	if db.Dialect == Postgres && db.cfg.MigrateURL != "" && db.cfg.MigrateURL != db.cfg.DatabaseURL {
		owner, err := sql.Open("pgx", db.cfg.MigrateURL)
		if err != nil {
			return nil, errcode.Wrap(errcode.Invalid, err, "The migration database URL is not valid")
		}
		defer owner.Close()
		conn = owner
	}
	if err := db.migrateJobs(ctx, conn); err != nil {
		return nil, db.ownerNeeded(err)
	}
	all, err := Migrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return nil, db.ownerNeeded(Err(err, "create schema_migrations"))
	}
	var applied []Migration
	for _, m := range all {
		done, err := db.applyOne(ctx, conn, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m)
		}
	}
	return applied, nil
}

func (db *DB) applyOne(ctx context.Context, conn *sql.DB, m Migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, Err(err, "begin migration")
	}
	// After Commit this is a no-op (sql.ErrTxDone); before it, the error
	// that made us stop is the one returned.
	defer func() { _ = tx.Rollback() }()
	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `select pg_advisory_xact_lock(7319001)`); err != nil {
			return false, Err(err, "lock migrations")
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `select count(*) from schema_migrations where version = $1`, m.Version).Scan(&n); err != nil {
		return false, Err(err, "read schema_migrations")
	}
	if n > 0 {
		return false, nil
	}
	body := m.SQL
	if db.Dialect == Postgres {
		var schema string
		if err := tx.QueryRowContext(ctx, `select current_schema()`).Scan(&schema); err != nil {
			return false, Err(err, "read current schema")
		}
		body = strings.NewReplacer(
			"{{app_role}}", pgx.Identifier{db.cfg.AppRole}.Sanitize(),
			"{{schema}}", pgx.Identifier{schema}.Sanitize(),
		).Replace(body)
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return false, errcode.Wrap(errcode.Internal, err, "Migration %04d_%s failed", m.Version, m.Name)
	}
	if _, err := tx.ExecContext(ctx, `insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)`,
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return false, Err(err, "record migration")
	}
	return true, Err(tx.Commit(), "commit migration")
}
