package hr_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/demo"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
)

// TestShiftTotalsMatchShifts: after an import, every week and month row of
// shift_totals and every day, week and month row of tenant_shift_totals and
// tenant_shift_starts is the sum of exactly the shifts it stands for, on both
// databases, also when the shifts come in no order and the import writes
// its rows in many runs that must merge.
func TestShiftTotalsMatchShifts(t *testing.T) {
	dir, err := demo.Extract("acme-retail", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// Shuffled, every period's rows come in many runs; in day order, only
	// the periods a run's end cuts do (PostgreSQL sums only those).
	orders := map[string]func(body []string){
		"shuffled": func(body []string) {
			rand.New(rand.NewSource(1)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		},
		"by-day": func(body []string) {
			slices.SortStableFunc(body, func(a, b string) int { return strings.Compare(strings.Split(a, ",")[2], strings.Split(b, ",")[2]) })
		},
	}
	dirs := map[string]string{}
	for order, arrange := range orders {
		dirs[order] = t.TempDir()
		for _, f := range []string{"employees.csv", "absences.csv", "shifts.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if f == "shifts.csv" {
				lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
				arrange(lines[1:])
				b = []byte(strings.Join(lines, "\n") + "\n")
			}
			os.WriteFile(filepath.Join(dirs[order], f), b, 0o644)
		}
	}
	// Runs of 1,000 rows: every table gets some period in two runs, and
	// merges. Runs of 5,000 rows of the file in day order: the employees'
	// rows of a week or month still open are kept back, and shift_totals
	// went in as written, unmerged (seen by instrumenting the import, not
	// asserted here); the tenant's tables (this tenant has many day rows
	// by start hour) still merge. What is asserted either way: every row's
	// sums, and no key twice (on PostgreSQL a key written twice also fails
	// the primary key built before the swap).
	for _, run := range []struct {
		rows   int
		orders []string
	}{{1000, []string{"shuffled", "by-day"}}, {5000, []string{"by-day"}}} {
		restore := hr.SetTotalsFlushAt(run.rows)
		storetest.Each(t, func(t *testing.T, d store.Dialect) {
			for _, order := range run.orders {
				t.Run(fmt.Sprintf("%s/runs-of-%d", order, run.rows), func(t *testing.T) { checkShiftTotals(t, d, dirs[order]) })
			}
		})
		restore()
	}
}

// checkShiftTotals imports dir and compares every rollup row with the sums
// of the shifts written; a key may not be written twice.
func checkShiftTotals(t *testing.T, d store.Dialect, dir string) {
	db := storetest.Open(t, d)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "tt")
	if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err }); err != nil {
		t.Fatal(err)
	}
	type sum struct {
		hours  float64
		shifts int64
	}
	want, got, rowCount := map[string]sum{}, map[string]sum{}, 0
	dateText := "date"
	if d == store.Postgres {
		dateText = "to_char(date, 'YYYY-MM-DD')"
	}
	err := db.ReadTenant(ctx, tn.ID, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, "select "+dateText+", employee_id, start_time, position, location, status, hours from shifts where tenant_id = $1", tn.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var date, emp, start, pos, loc, status string
			var h float64
			if err := rows.Scan(&date, &emp, &start, &pos, &loc, &status, &h); err != nil {
				return err
			}
			day, _ := time.Parse(time.DateOnly, date)
			monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)).Format(time.DateOnly)
			for _, k := range []string{"week " + monday, "month " + date[:8] + "01", "day " + date} {
				// the employee's row, the tenant's and the tenant's of the start hour
				for _, who := range []string{emp, "", "@" + start[:2]} {
					if who == emp && strings.HasPrefix(k, "day") {
						continue // days are the tenant's only
					}
					k := k + fmt.Sprint(" ", who, " ", pos, " ", loc, " ", status)
					s := want[k]
					want[k] = sum{s.hours + h, s.shifts + 1}
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, "select grain, "+dateText+", employee_id, position, location, status, hours, shifts from shift_totals where tenant_id = $1"+
			" union all select grain, "+dateText+", '', position, location, status, hours, shifts from tenant_shift_totals where tenant_id = $1"+
			" union all select grain, "+dateText+", '@' || start_hour, position, location, status, hours, shifts from tenant_shift_starts where tenant_id = $1", tn.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var grain, date, emp, pos, loc, status string
			var s sum
			if err := rows.Scan(&grain, &date, &emp, &pos, &loc, &status, &s.hours, &s.shifts); err != nil {
				return err
			}
			got[fmt.Sprint(grain, " ", date, " ", emp, " ", pos, " ", loc, " ", status)] = s
			rowCount++
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || rowCount != len(want) || len(want) < 2000 {
		t.Fatalf("%d rollup rows of %d keys, want %d", rowCount, len(got), len(want))
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g.shifts != w.shifts || math.Abs(g.hours-w.hours) > 1e-6 {
			t.Fatalf("%s: got %+v, want %+v", k, g, w)
		}
	}
}

// TestShiftTotalsStayInTheirTenant: a tenant's transaction sees only its
// own rollup rows (row-level security on PostgreSQL, the tenant predicate
// everywhere), and a second tenant's import leaves the first's unchanged.
func TestShiftTotalsStayInTheirTenant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		ctx := context.Background()
		valid := copyValid(t, nil)
		var ids []int64
		for _, slug := range []string{"ta", "tb"} {
			tn := storetest.Tenant(t, db, slug)
			if err := db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, valid, nil); return err }); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tn.ID)
		}
		if d != store.Postgres {
			return
		}
		// no tenant predicate at all: row-level security alone keeps b's rows out
		db.ReadTenant(ctx, ids[0], func(tx *store.Tx) error {
			for _, table := range []string{"shift_totals", "tenant_shift_totals", "tenant_shift_starts"} {
				var n, other int
				if err := tx.QueryRowContext(ctx, "select count(*), count(*) filter (where tenant_id <> $1) from "+table, ids[0]).Scan(&n, &other); err != nil {
					t.Fatal(err)
				}
				if n == 0 || other != 0 {
					t.Errorf("tenant a sees %d rows of %s, %d of another tenant", n, table, other)
				}
			}
			return nil
		})
		for _, insert := range []string{
			"insert into shift_totals values ($1, 'week', '2026-01-05', 'E1', 'P', 'L', 'worked', 1, 1)",
			"insert into tenant_shift_totals values ($1, 'day', '2026-01-05', 'P', 'L', 'worked', 1, 1)",
			"insert into tenant_shift_starts values ($1, 'day', '2026-01-05', '08', 'P', 'L', 'worked', 1, 1)",
		} {
			err := db.InTenant(ctx, ids[0], func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, insert, ids[1])
				return err
			})
			if err == nil {
				t.Errorf("tenant a wrote a rollup row of tenant b: %s", insert)
			}
		}
	})
}

// TestIDCollisionsAreSettled: when the import's id set keeps so few bits of
// each id that thousands of different ids collide, a valid file still
// imports exactly as with the full bits, and a reused id is still reported
// with the line that used it first.
func TestIDCollisionsAreSettled(t *testing.T) {
	dir, err := demo.Extract("acme-retail", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	importInto := func(slug, dir string) (int64, error) {
		var tn tenant.Tenant
		db.Global(ctx, func(tx *store.Tx) error { var err error; tn, err = tenant.Create(ctx, tx, slug, ""); return err })
		return tn.ID, db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
	}
	whole, err := importInto("whole", dir)
	if err != nil {
		t.Fatal(err)
	}
	restore := hr.SetFingerprintMask(1<<20 - 1) // thousands of the 86k ids collide
	defer restore()
	few, err := importInto("few", dir)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := snapshot(t, db, whole), snapshot(t, db, few); a != b {
		t.Fatalf("with colliding ids %s, with whole ids %s", b, a)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "shifts.csv"))
	lines := strings.Split(string(b), "\n")
	id := strings.Split(lines[10], ",")[0] // line 11 of the file
	lines[5000] = id + lines[5000][strings.Index(lines[5000], ","):]
	os.WriteFile(filepath.Join(dir, "shifts.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	_, err = importInto("dup", dir)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("shifts.csv:5001:1: shift_id = %q: expected a unique id (already used on line 11)", id)) {
		t.Fatalf("got %v, want the reuse of %s on line 5001", err, id)
	}
}

// TestManyReusedIDsAreReadAgainRarely: a shifts file whose second half
// repeats its first (every id reused) reports every reuse with the line
// that used the id first, and once the first reuse is known the rows are
// held by id alone, so the file is read again once per maxSuspectIDs
// suspects rather than once per maxSuspects.
func TestManyReusedIDsAreReadAgainRarely(t *testing.T) {
	dir, err := demo.Extract("acme-retail", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "shifts.csv"))
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	const reused = 3000
	lines = append(lines, lines[1:1+reused]...) // line 2 again as line len+1, …
	// the last reuse also names no known employee: it is reported as a
	// reuse, once, as when it is the first problem of a file
	last := strings.Split(lines[len(lines)-1], ",")
	last[1] = "NOBODY"
	lines[len(lines)-1] = strings.Join(last, ",")
	os.WriteFile(filepath.Join(dir, "shifts.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	defer hr.SetMaxSuspects(10, 1000)()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	tn := storetest.Tenant(t, db, "dups")
	before := hr.Rereads()
	err = db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err })
	var probs hr.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("got %v, want the reused ids listed", err)
	}
	firstCopy := len(lines) - reused + 1 // the line of the first repeated row
	for i := 0; i < reused; i++ {
		line, first := firstCopy+i, 2+i
		id := strings.Split(lines[line-1], ",")[0]
		if !slices.ContainsFunc(probs, func(p hr.Problem) bool {
			return p.Line == line && p.Value == id && strings.Contains(p.Expected, fmt.Sprintf("already used on line %d", first))
		}) {
			t.Fatalf("line %d reuses %s from line %d: not reported (%d problems)", line, id, first, len(probs))
		}
	}
	if len(probs) != reused {
		t.Errorf("%d problems, want %d (one a reused id)", len(probs), reused)
	}
	// at most 10 rows held with values before the first settle, then 1000
	// ids at a time: 1 + 3000/1000 reads, where 10 at a time would be 300
	if n := hr.Rereads() - before; n > 5 {
		t.Errorf("shifts.csv read again %d times", n)
	}
}
