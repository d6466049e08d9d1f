package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/tenant"
)

type seededUser struct {
	Tenant     string `json:"tenant"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	EmployeeID string `json:"employee_id,omitempty"`
}

// demoSeed creates the demo tenants (skipping those that exist), imports
// their data and adds an admin, an hr user, a manager and an employee each.
func demoSeed(ctx context.Context, c *call) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	var users []seededUser
	for _, d := range demo.Tenants {
		t, err := tenant.Get(ctx, db, d.Slug)
		if errcode.Is(err, errcode.NotFound) {
			err = c.record(ctx, db, tenant.Tenant{Slug: d.Slug}, "tenant.create", d.Slug, nil, func(tx *store.Tx) error {
				t, err = tenant.Create(ctx, tx, d.Slug, d.Name)
				return err
			})
			if err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		dir, err := demo.Extract(d.Slug, "")
		if err != nil {
			return err
		}
		err = c.record(ctx, db, t, "hr.import", "demo:"+d.Slug, nil, func(tx *store.Tx) error {
			_, err := hr.Import(ctx, tx, dir, nil)
			return err
		})
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		var mgr, emp string
		err = db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error {
			// The manager with the largest team below the top of the tree, and
			// an active employee of that team who manages nobody.
			if err := tx.QueryRowContext(ctx, `select m.employee_id from employees m join employees e
				on e.tenant_id = m.tenant_id and e.manager_id = m.employee_id
				where m.tenant_id = $1 and m.manager_id is not null
				group by m.employee_id order by count(*) desc, m.employee_id limit 1`, t.ID).Scan(&mgr); err != nil {
				return store.Err(err, "pick demo manager")
			}
			return tx.QueryRowContext(ctx, `select e.employee_id from employees e where e.tenant_id = $1 and e.manager_id = $2
				and e.end_date is null and not exists (select 1 from employees r where r.tenant_id = e.tenant_id and r.manager_id = e.employee_id)
				order by e.employee_id limit 1`, t.ID, mgr).Scan(&emp)
		})
		if err != nil {
			return store.Err(err, "pick demo employee")
		}
		var mgrEmail, empEmail string
		db.ReadTenant(ctx, t.ID, func(tx *store.Tx) error {
			tx.QueryRowContext(ctx, `select email from employees where tenant_id = $1 and employee_id = $2`, t.ID, mgr).Scan(&mgrEmail)
			return tx.QueryRowContext(ctx, `select email from employees where tenant_id = $1 and employee_id = $2`, t.ID, emp).Scan(&empEmail)
		})
		for _, u := range []identity.User{
			{Email: "admin@" + d.Domain, Role: identity.Admin},
			{Email: "hr@" + d.Domain, Role: identity.HR},
			{Email: mgrEmail, Role: identity.Manager, EmployeeID: mgr},
			{Email: empEmail, Role: identity.Employee, EmployeeID: emp},
		} {
			err := c.record(ctx, db, t, "user.add", u.Email, map[string]any{"role": u.Role}, func(tx *store.Tx) error {
				if _, err := identity.Add(ctx, tx, u); err != nil {
					return err
				}
				return identity.SetPassword(ctx, tx, u.Email, demo.Password)
			})
			if err != nil && !errcode.Is(err, errcode.AlreadyExists) {
				return err
			}
			users = append(users, seededUser{d.Slug, u.Email, string(u.Role), u.EmployeeID})
		}
	}
	return c.out(map[string]any{"users": users, "now": demo.Now, "password": demo.Password}, func(w io.Writer) {
		fmt.Fprintf(w, "Seeded %d demo tenants (data as of %s) with these users, each with the password %q (demo only):\n", len(demo.Tenants), demo.Now, demo.Password)
		for _, u := range users {
			fmt.Fprintf(w, "  %-15s %-9s %s %s\n", u.Tenant, u.Role, u.Email, u.EmployeeID)
		}
		self := "scry"
		if strings.HasPrefix(os.Args[0], "./") {
			self = os.Args[0] // as it was run, e.g. ./scry after make demo
		}
		fmt.Fprintf(w, "\nTry:\n")
		for _, q := range []struct{ as, q string }{
			{users[0].Email, "How many employees do we have?"},
			{users[0].Email, "Give me the worked hours per week per position for the last 3 months"},
			{users[2].Email, "How many hours did my team work over the past 7 weeks?"},
			{users[0].Email, "Give me the gender parity"},
		} {
			fmt.Fprintf(w, "  %s ask --tenant %s --as %s --now %s %q\n", self, users[0].Tenant, q.as, demo.Now, q.q)
		}
	})
}
