// Package tenant holds tenants: the organisations that share one scry
// installation and never see each other's data.
package tenant

import (
	"context"
	"regexp"
	"time"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
)

// Tenant is one organisation.
type Tenant struct {
	ID        int64     `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateSlug checks that slug is lowercase letters, digits and single
// dashes between them, 2 to 63 characters.
func ValidateSlug(slug string) error {
	if len(slug) < 2 || len(slug) > 63 || !slugRE.MatchString(slug) {
		return errcode.New(errcode.Invalid, "Tenant slug %q is not valid: use 2–63 lowercase letters, digits and dashes (e.g. acme-retail)", slug)
	}
	return nil
}

// Create inserts a tenant inside tx.
func Create(ctx context.Context, tx *store.Tx, slug, name string) (Tenant, error) {
	if err := ValidateSlug(slug); err != nil {
		return Tenant{}, err
	}
	if name == "" {
		name = slug
	}
	t := Tenant{Slug: slug, Name: name, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	err := tx.QueryRowContext(ctx, `insert into tenants (slug, name, created_at) values ($1, $2, $3) returning id`,
		slug, name, t.CreatedAt.Format(time.RFC3339)).Scan(&t.ID)
	if err = store.Err(err, "create tenant"); errcode.Is(err, errcode.AlreadyExists) {
		return t, errcode.New(errcode.AlreadyExists, "Tenant %q already exists", slug)
	}
	return t, err
}

// Get finds a tenant by slug.
func Get(ctx context.Context, db *store.DB, slug string) (Tenant, error) {
	var t Tenant
	var created string
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `select id, slug, name, created_at from tenants where slug = $1`, slug).
			Scan(&t.ID, &t.Slug, &t.Name, &created)
	})
	if err = store.Err(err, "get tenant"); errcode.Is(err, errcode.NotFound) {
		return t, errcode.New(errcode.NotFound, "No tenant %q; `scry tenant list` shows the tenants", slug)
	}
	t.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return t, err
}

// SlugOf is the slug of tx's tenant.
func SlugOf(ctx context.Context, tx *store.Tx) (string, error) {
	var slug string
	err := tx.QueryRowContext(ctx, `select slug from tenants where id = $1`, tx.TenantID).Scan(&slug)
	return slug, store.Err(err, "read the tenant's slug")
}

// List returns every tenant ordered by slug.
func List(ctx context.Context, db *store.DB) ([]Tenant, error) {
	out := []Tenant{}
	err := db.ReadGlobal(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `select id, slug, name, created_at from tenants order by slug`)
		if err != nil {
			return store.Err(err, "list tenants")
		}
		defer rows.Close()
		for rows.Next() {
			var t Tenant
			var created string
			if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &created); err != nil {
				return store.Err(err, "scan tenant")
			}
			t.CreatedAt, _ = time.Parse(time.RFC3339, created)
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// Size counts what a tenant holds.
type Size struct {
	Users, Employees, Shifts, Absences int64
}

// New creates a tenant for actor, recorded as "tenant.create".
func New(ctx context.Context, db *store.DB, log *audit.Log, actor, slug, name string) (Tenant, error) {
	var t Tenant
	by := audit.Actor{DB: db, Log: log, Tenant: slug, Name: actor}
	err := by.Do(ctx, "tenant.create", slug, nil, func(tx *store.Tx) error {
		var err error
		t, err = Create(ctx, tx, slug, name)
		return err
	})
	return t, err
}

// SizeOf counts a tenant's users and HR rows.
func SizeOf(ctx context.Context, db *store.DB, tenantID int64) (Size, error) {
	return store.Read(ctx, db, tenantID, func(tx *store.Tx) (Size, error) { return sizeOf(ctx, tx) })
}

func sizeOf(ctx context.Context, tx *store.Tx) (Size, error) {
	var s Size
	for _, c := range []struct {
		table string
		n     *int64
	}{{"users", &s.Users}, {"employees", &s.Employees}, {"shifts", &s.Shifts}, {"absences", &s.Absences}} {
		if err := tx.QueryRowContext(ctx, "select count(*) from "+c.table+" where tenant_id = $1", tx.TenantID).Scan(c.n); err != nil {
			return s, store.Err(err, "count "+c.table)
		}
	}
	return s, nil
}
