package hr

import (
	"context"

	"github.com/scry-dev/scry/internal/store"
)

// Person is an employee's id and email.
type Person struct{ EmployeeID, Email string }

// SampleTeam picks a manager and one of their reports to show what a
// scoped asker sees (the demo's users): the manager with the largest team
// below the top of the tree, and an active employee of that team who
// manages nobody.
func SampleTeam(ctx context.Context, tx *store.Tx) (manager, report Person, err error) {
	err = tx.QueryRowContext(ctx, `select m.employee_id, m.email from employees m join employees e
		on e.tenant_id = m.tenant_id and e.manager_id = m.employee_id
		where m.tenant_id = $1 and m.manager_id is not null
		group by m.employee_id, m.email order by count(*) desc, m.employee_id limit 1`, tx.TenantID).Scan(&manager.EmployeeID, &manager.Email)
	if err != nil {
		return manager, report, store.Err(err, "pick a sample manager")
	}
	err = tx.QueryRowContext(ctx, `select e.employee_id, e.email from employees e where e.tenant_id = $1 and e.manager_id = $2
		and e.end_date is null and not exists (select 1 from employees r where r.tenant_id = e.tenant_id and r.manager_id = e.employee_id)
		order by e.employee_id limit 1`, tx.TenantID, manager.EmployeeID).Scan(&report.EmployeeID, &report.Email)
	return manager, report, store.Err(err, "pick a sample report")
}
