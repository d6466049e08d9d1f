package hr_test

import (
	"context"
	"sync"
	"testing"

	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// Imports of one tenant that overlap (two people uploading, a retry while
// the first still runs, dry runs beside a real one) each run whole, one
// after the other: none fails on the other's rows (PostgreSQL deadlocked
// clearing tables the other was writing, or refused an employee the other
// had just inserted as already existing), and the tenant ends with the
// files' data once.
func TestOverlappingImportsOfOneTenant(t *testing.T) {
	dir := t.TempDir()
	if err := hr.Generate(dir, 3000, 7); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		tn := storetest.Tenant(t, db, "overlap")
		const imports = 12
		var wg sync.WaitGroup
		errs := make([]error, imports)
		for i := range imports {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%4 == 3 {
					_, errs[i] = hr.DryRun(ctx, db, tn.ID, dir)
					return
				}
				errs[i] = db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("import %d: %v", i, err)
			}
		}
		var employees, shifts, weeks int
		err := db.ReadTenant(ctx, tn.ID, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `select (select count(*) from employees where tenant_id = $1), (select count(*) from shifts where tenant_id = $1),
				(select count(*) from shift_totals where tenant_id = $1 and grain = 'week')`, tn.ID).Scan(&employees, &shifts, &weeks)
		})
		if err != nil {
			t.Fatal(err)
		}
		if employees != 20 || shifts != 3000 || weeks == 0 {
			t.Errorf("after the imports: %d employees, %d shifts, %d week rows; want the files' 20 and 3000 once", employees, shifts, weeks)
		}
	})
}
