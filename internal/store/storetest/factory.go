package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

// The factories below make the rows most tests start from. They are test
// support: a test that fails here fails with the row it could not make.
// (User and Employees write their rows directly: storetest sits below the
// identity and hr packages, whose own tests use it.)

// Tenant creates the tenant slug.
func Tenant(t testing.TB, db *store.DB, slug string) tenant.Tenant {
	t.Helper()
	ctx := context.Background()
	var tn tenant.Tenant
	if err := db.Global(ctx, func(tx *store.Tx) error { var err error; tn, err = tenant.Create(ctx, tx, slug, ""); return err }); err != nil {
		t.Fatalf("create tenant %s: %v", slug, err)
	}
	return tn
}

// Actor is name acting in tenant t without an audit log: a use case given
// it makes its change and records nothing, as a test's fixture wants.
func Actor(db *store.DB, t tenant.Tenant, name string) audit.Actor {
	return audit.Actor{DB: db, Log: audit.Unrecorded, TenantID: t.ID, Tenant: t.Slug, Name: name}
}

// Employees creates employee records ids in tenantID, the first the manager
// of the others, with an email <id>@example.test each. They carry no
// shifts or absences: tests of Ask import real HR data instead.
func Employees(t testing.TB, db *store.DB, tenantID int64, ids ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		for i, id := range ids {
			var mgr any
			if i > 0 {
				mgr = ids[0]
			}
			_, err := tx.ExecContext(ctx, `insert into employees (tenant_id, employee_id, first_name, last_name, email, gender, birth_date, hire_date,
				department, position, contract_type, weekly_hours, manager_id, location, hourly_wage)
				values ($1, $2, 'Test', $3, $4, 'female', '1990-01-01', '2020-01-01', 'Operations', 'Clerk', 'full_time', 38, $5, 'Main', 20)`,
				tenantID, id, id, strings.ToLower(id)+"@example.test", mgr)
			if err != nil {
				return fmt.Errorf("employee %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// User creates an active user of tenantID with role (admin, hr, manager,
// employee, worker), linked to employeeID when it is not empty.
func User(t testing.TB, db *store.DB, tenantID int64, email, role, employeeID string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	var emp any
	if employeeID != "" {
		emp = employeeID
	}
	err := db.InTenant(ctx, tenantID, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `insert into users (tenant_id, email, email_lower, name, role, employee_id, status, created_at)
			values ($1, $2, $3, '', $4, $5, 'active', '2026-01-01T00:00:00Z') returning id`,
			tenantID, email, strings.ToLower(email), role, emp).Scan(&id)
	})
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return id
}
