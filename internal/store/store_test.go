package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
)

func twoTenants(t *testing.T, db *store.DB) (tenant.Tenant, tenant.Tenant) {
	t.Helper()
	a, b := storetest.Tenant(t, db, "tenant-a"), storetest.Tenant(t, db, "tenant-b")
	for _, tn := range []tenant.Tenant{a, b} {
		storetest.Employees(t, db, tn.ID, tn.Slug) // its last name is the slug: rows tell whose they are
		storetest.User(t, db, tn.ID, "Admin@"+tn.Slug+".example", "admin", "")
	}
	return a, b
}

func TestTenantsAndUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		a, b := twoTenants(t, db)
		if err := db.Global(ctx, func(tx *store.Tx) error { _, err := tenant.Create(ctx, tx, "tenant-a", ""); return err }); !errcode.Is(err, errcode.AlreadyExists) {
			t.Fatalf("duplicate tenant: got %v, want already_exists", err)
		}
		for _, bad := range []string{"Acme", "a_b", "-a", "a-", "a--b", "x", ""} {
			if err := tenant.ValidateSlug(bad); err == nil {
				t.Errorf("slug %q accepted", bad)
			}
		}
		// Emails are unique per tenant, compared case-insensitively; the same email in another tenant is fine.
		err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			_, err := identity.Add(ctx, tx, identity.User{Email: "admin@TENANT-A.example", Role: identity.HR})
			return err
		})
		if !errcode.Is(err, errcode.AlreadyExists) {
			t.Fatalf("case-insensitive duplicate email: got %v", err)
		}
		err = db.InTenant(ctx, b.ID, func(tx *store.Tx) error {
			_, err := identity.Add(ctx, tx, identity.User{Email: "admin@tenant-a.example", Role: identity.HR})
			return err
		})
		if err != nil {
			t.Fatalf("same email in another tenant: %v", err)
		}
		// Managers and employees need an existing employee of their own tenant.
		err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			_, err := identity.Add(ctx, tx, identity.User{Email: "m@a.example", Role: identity.Manager})
			return err
		})
		if !errcode.Is(err, errcode.Invalid) {
			t.Fatalf("manager without employee: %v", err)
		}
		err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			_, err := identity.Add(ctx, tx, identity.User{Email: "m@a.example", Role: identity.Manager, EmployeeID: "E404"})
			return err
		})
		if !errcode.Is(err, errcode.NotFound) {
			t.Fatalf("manager with unknown employee: %v", err)
		}
		var users []identity.User
		db.ReadTenant(ctx, a.ID, func(tx *store.Tx) error { users, err = identity.List(ctx, tx); return err })
		if len(users) != 1 || users[0].Email != "Admin@tenant-a.example" {
			t.Fatalf("tenant A users = %+v", users)
		}
		// The last admin stays; with another admin, removal works in any case.
		remove := func(email string) error {
			return db.InTenant(ctx, a.ID, func(tx *store.Tx) error { _, err := identity.Remove(ctx, tx, email); return err })
		}
		if err := remove("ADMIN@tenant-a.example"); !errcode.Is(err, errcode.Conflict) {
			t.Fatalf("removing the last admin: %v", err)
		}
		db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
			_, err := identity.Add(ctx, tx, identity.User{Email: "second@tenant-a.example", Role: identity.Admin})
			return err
		})
		if err := remove("ADMIN@tenant-a.example"); err != nil {
			t.Fatal(err)
		}
		if err := remove("admin@tenant-a.example"); !errcode.Is(err, errcode.NotFound) {
			t.Fatalf("second remove: %v", err)
		}
	})
}

// TestPostgresRowLevelSecurity checks isolation as the application role.
func TestPostgresRowLevelSecurity(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	a, b := twoTenants(t, db)
	tables := []string{"users", "employees", "shifts", "absences", "hr_vocabulary", "sessions", "api_tokens", "ask_history", "workforce", "work_teams", "team_members", "app_clients", "login_failures", "signing_keys", "videos", "analyses", "label_jobs", "label_items", "label_tasks"}
	count := func(tenantID int64, table string) int {
		var n int
		err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, "select count(*) from "+table).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tbl := range tables {
		if n := count(0, tbl); n != 0 {
			t.Errorf("no tenant set: %s shows %d rows, want 0", tbl, n)
		}
	}
	if n := count(a.ID, "employees"); n != 1 {
		t.Errorf("tenant A sees %d employees, want 1", n)
	}
	var last string
	db.ReadTenant(ctx, a.ID, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, "select string_agg(last_name, ',') from employees").Scan(&last)
	})
	if last != "tenant-a" {
		t.Errorf("tenant A sees rows of %q", last)
	}
	// Writing a row of B while A is set fails; so does updating B's rows.
	err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `insert into hr_vocabulary (tenant_id, field, value) values ($1, 'x', 'y')`, b.ID)
		return err
	})
	if err == nil {
		t.Error("insert of tenant B's row while A is set succeeded")
	}
	var updated int64
	err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `update employees set last_name = 'hacked' where tenant_id = $1`, b.ID)
		if err != nil {
			return err
		}
		updated, _ = res.RowsAffected()
		return nil
	})
	if err != nil || updated != 0 {
		t.Errorf("update of B's rows under A: err %v, %d rows", err, updated)
	}
	err = db.InTenant(ctx, a.ID, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `update employees set tenant_id = $1`, b.ID)
		return err
	})
	if err == nil {
		t.Error("moving A's rows to B succeeded")
	}
	// Every table with tenant_id has RLS enabled and forced; the app role owns nothing and bypasses nothing.
	db.ReadTenant(ctx, a.ID, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `select c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_has_role(current_user, c.relowner, 'USAGE')
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = current_schema() and c.relkind = 'r'
			  and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := 0
		for rows.Next() {
			var name string
			var rls, force, owner bool
			rows.Scan(&name, &rls, &force, &owner)
			seen++
			if !rls || !force {
				t.Errorf("table %s: relrowsecurity=%v relforcerowsecurity=%v", name, rls, force)
			}
			if owner {
				t.Errorf("the application role owns %s", name)
			}
		}
		if seen < len(tables) {
			t.Errorf("found %d tenant tables, want at least %d", seen, len(tables))
		}
		var super, bypass bool
		tx.QueryRowContext(ctx, `select rolsuper, rolbypassrls from pg_roles where rolname = current_user`).Scan(&super, &bypass)
		if super || bypass {
			t.Errorf("application role: superuser=%v bypassrls=%v", super, bypass)
		}
		return nil
	})
}

// TestPostgresRefusesOwnerAsApp: connecting the application as the owner
// (which row security would not bind) is refused at start.
func TestPostgresRefusesOwnerAsApp(t *testing.T) {
	_, owner := storetest.PostgresURLs(t)
	_, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir(), DatabaseURL: owner})
	if !errcode.Is(err, errcode.Invalid) {
		t.Fatalf("owner as app role: got %v, want a refusal", err)
	}
}

func TestMigrationsRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		cfg := storetest.Config(t, d)
		ctx := context.Background()
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		db, err = store.Open(ctx, cfg) // a second start applies nothing again
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		applied, err := db.MigrateReport(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("re-migrate applied %v, err %v", applied, err)
		}
		url := cfg.MigrateURL
		driver := "pgx"
		if d == store.SQLite {
			driver, url = "sqlite", cfg.DataDir+"/scry.db"
		}
		raw, _ := sql.Open(driver, url)
		defer raw.Close()
		var n int
		if err := raw.QueryRow(`select count(*) from schema_migrations`).Scan(&n); err != nil || n < 1 {
			t.Fatalf("schema_migrations: %d rows, %v", n, err)
		}
	})
}

// TestPostgresAppCannotUpdateTenants: tenants has no row-level security, so
// the application role must not be able to rewrite any tenant row; an HR
// import still bumps its own tenant's hr_version (through an owner
// function), and only its own.
func TestPostgresAppCannotUpdateTenants(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	a, b := twoTenants(t, db)
	for _, q := range []string{`update tenants set name = 'renamed' where id = $1`, `update tenants set hr_version = 99 where id = $1`, `update tenants set slug = 'x' where id = $1`} {
		for _, run := range []func(func(*store.Tx) error) error{
			func(fn func(*store.Tx) error) error { return db.InTenant(ctx, a.ID, fn) },
			func(fn func(*store.Tx) error) error { return db.Global(ctx, fn) },
		} {
			err := run(func(tx *store.Tx) error { _, err := tx.ExecContext(ctx, q, b.ID); return err })
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("%s as the application role: %v", q, err)
			}
		}
	}
	version := func(id int64) (v int) {
		db.ReadGlobal(ctx, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `select hr_version from tenants where id = $1`, id).Scan(&v)
		})
		return v
	}
	if err := db.InTenant(ctx, a.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, "../hr/testdata/valid", nil); return err }); err != nil {
		t.Fatal(err)
	}
	if va, vb := version(a.ID), version(b.ID); va != 1 || vb != 0 {
		t.Fatalf("hr_version after importing into A: A %d, B %d", va, vb)
	}
}

// A data folder whose name holds '#', '?' or '%' keeps its database inside
// it: before, SQLite read what followed a '#' as a URI fragment and opened
// a file named by the path before it, which two such folders then shared.
func TestSQLiteDataFolderOfAnyName(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	for _, name := range []string{"a#1", "a#2", "b?x=1", "c%20d"} {
		dir := filepath.Join(parent, name)
		db, err := store.Open(ctx, store.Config{DataDir: dir})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		err = db.Global(ctx, func(tx *store.Tx) error { _, err := tenant.Create(ctx, tx, "same", ""); return err })
		db.Close()
		if err != nil {
			t.Errorf("%s: a tenant of its own: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "scry.db")); err != nil {
			t.Errorf("%s: no database in the folder: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 4 {
		t.Errorf("%d entries beside the four folders", len(entries)-4)
	}
}

// A data folder with a '#' in its name whose database earlier versions
// kept outside it (at the path before the '#') is not started on a new,
// empty database: scry refuses and says where the database is and how to
// move it. Once moved, it opens with its data.
func TestSQLiteDatabaseLeftOutsideItsFolder(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "site#1")
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Global(ctx, func(tx *store.Tx) error { _, err := tenant.Create(ctx, tx, "kept", ""); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// where an earlier version would have put it
	legacy := filepath.Join(parent, "site")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Rename(filepath.Join(dir, "scry.db")+suffix, legacy+suffix)
	}
	_, err = store.Open(ctx, store.Config{DataDir: dir})
	if !errcode.Is(err, errcode.Invalid) || !strings.Contains(errcode.From(err).Message, "mv '"+legacy+"'") {
		t.Fatalf("opening beside a database left outside the folder: %v", err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Rename(legacy+suffix, filepath.Join(dir, "scry.db")+suffix)
	}
	db, err = store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Global(ctx, func(tx *store.Tx) error { _, err := tenant.Create(ctx, tx, "kept", ""); return err }); !errcode.Is(err, errcode.AlreadyExists) {
		t.Errorf("the moved database's tenant: %v, want it already there", err)
	}
}

// Opened with only the application role's URL on PostgreSQL, scry cannot
// migrate (that role may not create tables): it says to give the owner's
// URL, as invalid input, not as an internal error — on a new schema and
// on one already migrated.
func TestMigrationsNeedTheOwnersURL(t *testing.T) {
	ctx := context.Background()
	app, owner := storetest.PostgresURLs(t)
	for _, migrated := range []bool{false, true} {
		if migrated {
			db, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), DatabaseURL: app, MigrateURL: owner})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		db, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), DatabaseURL: app})
		if err == nil {
			db.Close()
			t.Fatalf("migrated=%v: opened with the application role alone", migrated)
		}
		e := errcode.From(err)
		if e.Code != errcode.Invalid || !strings.Contains(e.Message, "SCRY_MIGRATE_DATABASE_URL") {
			t.Errorf("migrated=%v: %v (%s: %q), want invalid naming SCRY_MIGRATE_DATABASE_URL", migrated, err, e.Code, e.Message)
		}
	}
}
