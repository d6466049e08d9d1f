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

// Imports of several tenants at once, while 30 readers ask every tenant
// the whole time: on PostgreSQL each import swaps the tenant's partitions
// under every tenant's questions. No import and no question fails (no
// deadlock, no lock timeout), and every read sees one import whole: the
// shifts and the rollups of one file, never a mix or nothing.
func TestImportsOfTenantsBesideQuestions(t *testing.T) {
	small, large := t.TempDir(), t.TempDir()
	if err := hr.Generate(small, 2000, 3); err != nil {
		t.Fatal(err)
	}
	if err := hr.Generate(large, 3000, 4); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		var tenants []int64
		for _, slug := range []string{"one", "two", "three"} {
			tn := storetest.Tenant(t, db, slug)
			if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, small, nil); return err }); err != nil {
				t.Fatal(err)
			}
			tenants = append(tenants, tn.ID)
		}
		stop := make(chan struct{})
		var readers sync.WaitGroup
		var mu sync.Mutex
		reads, seen := 0, map[[3]int]bool{}
		var readErr error
		for i := range 30 {
			readers.Add(1)
			go func() {
				defer readers.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					tenant := tenants[i%len(tenants)]
					var got [3]int
					err := db.ReadTenant(ctx, tenant, func(tx *store.Tx) error {
						return tx.QueryRowContext(ctx, `select (select count(*) from shifts where tenant_id = $1),
							(select coalesce(sum(shifts), 0) from shift_totals where tenant_id = $1 and grain = 'week'),
							(select coalesce(sum(shifts), 0) from tenant_shift_starts where tenant_id = $1 and grain = 'month')`, tenant).Scan(&got[0], &got[1], &got[2])
					})
					mu.Lock()
					reads++
					seen[got] = true
					if err != nil && readErr == nil {
						readErr = err
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
		var imports sync.WaitGroup
		errs := make([]error, 2*len(tenants))
		for i := range errs {
			imports.Add(1)
			go func() {
				defer imports.Done()
				dir := large
				if i >= len(tenants) {
					dir = small
				}
				errs[i] = db.InTenant(ctx, tenants[i%len(tenants)], func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
			}()
		}
		imports.Wait()
		close(stop)
		readers.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("import %d: %v", i, err)
			}
		}
		if readErr != nil {
			t.Errorf("a question during the imports: %v", readErr)
		}
		for got := range seen {
			if got != [3]int{2000, 2000, 2000} && got != [3]int{3000, 3000, 3000} {
				t.Errorf("a read saw %d shifts, %d in week rows and %d in month rows: not one file's whole import", got[0], got[1], got[2])
			}
		}
		if reads < 30 {
			t.Errorf("only %d reads ran beside the imports", reads)
		}
	})
}
