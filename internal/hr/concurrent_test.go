package hr_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
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

// A long holder of what the swap must lock keeps an import of tenant a
// from swapping its partitions in: a question of tenant b left open (a
// report, a dump) on the shared parent, or a VACUUM of tenant a's old
// partition. The import keeps trying without making anyone wait, so tenant
// c's questions go on answering meanwhile, and gives up after its wait with
// Unavailable, a message that says nothing was imported, and tenant a's
// data as it was. Once the holder is gone the same import passes.
func TestSwapGivesUpOnALongHolder(t *testing.T) {
	dir := t.TempDir()
	if err := hr.Generate(dir, 2000, 5); err != nil {
		t.Fatal(err)
	}
	cfg := storetest.Config(t, store.Postgres)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner, err := sql.Open("pgx", cfg.MigrateURL) // the same schema, as its owner
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	var tenants []int64
	for _, slug := range []string{"la", "lb", "lc"} {
		tn := storetest.Tenant(t, db, slug)
		if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err }); err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, tn.ID)
	}
	defer hr.SetSwapWait(4 * time.Second)()
	for _, holder := range []struct {
		name string
		hold func(holding chan<- struct{}, release <-chan struct{}) error
	}{
		{"a question of another tenant", func(holding chan<- struct{}, release <-chan struct{}) error {
			return db.ReadTenant(ctx, tenants[1], func(tx *store.Tx) error {
				var n int
				if err := tx.QueryRowContext(ctx, "select count(*) from shifts").Scan(&n); err != nil {
					return err
				}
				close(holding)
				<-release
				return nil
			})
		}},
		{"a vacuum of the tenant's old partition", func(holding chan<- struct{}, release <-chan struct{}) error {
			tx, err := owner.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("lock table shifts_%d in share update exclusive mode", tenants[0])); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		}},
	} {
		t.Run(holder.name, func(t *testing.T) {
			holding, release, released := make(chan struct{}), make(chan struct{}), make(chan error, 1)
			go func() { released <- holder.hold(holding, release) }()
			select {
			case <-holding:
			case err := <-released:
				t.Fatalf("the holder: %v", err)
			}
			done := make(chan error, 1)
			go func() {
				done <- db.InTenant(ctx, tenants[0], func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
			}()
			var slowest time.Duration
			questions := 0
			var err error
		wait:
			for {
				select {
				case err = <-done:
					break wait
				default:
				}
				start := time.Now()
				var n int
				if qerr := db.ReadTenant(ctx, tenants[2], func(tx *store.Tx) error {
					return tx.QueryRowContext(ctx, "select count(*) from shifts").Scan(&n)
				}); qerr != nil || n != 2000 {
					t.Fatalf("tenant c's question during the swap: %d shifts, %v", n, qerr)
				}
				slowest = max(slowest, time.Since(start))
				questions++
			}
			close(release)
			if rerr := <-released; rerr != nil {
				t.Fatal(rerr)
			}
			if !errcode.Is(err, errcode.Unavailable) || !strings.Contains(errcode.From(err).Message, "nothing was imported") {
				t.Fatalf("import beside the holder: %v, want Unavailable saying nothing was imported", err)
			}
			// questions waited for the 100 ms attempts at most, never for the holder
			if questions < 10 || slowest > time.Second {
				t.Errorf("%d questions of tenant c during the swap, the slowest %v", questions, slowest)
			}
			var shifts int
			if err := db.ReadTenant(ctx, tenants[0], func(tx *store.Tx) error {
				return tx.QueryRowContext(ctx, "select count(*) from shifts").Scan(&shifts)
			}); err != nil || shifts != 2000 {
				t.Errorf("tenant a after the refused swap: %d shifts (%v), want its 2000", shifts, err)
			}
			if err := db.InTenant(ctx, tenants[0], func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err }); err != nil {
				t.Errorf("the same import once the holder is gone: %v", err)
			}
		})
	}
}
