package hr

import (
	"cmp"
	"slices"
	"time"

	"github.com/scry-dev/scry/internal/store"
)

// The import keeps the shift_totals rollup (see migration 0020) in step
// with the shifts it writes: each valid shift is added to its week's and
// its month's rows — its employee's and the tenant-wide one (employee_id
// '') — in memory while the file is read — cheaper than a GROUP
// BY over the written shifts, which would sort them all again — and the
// rows go to the database in runs. Input need not be sorted by day, so a
// run may hold a key an earlier run wrote: SQLite adds it to that row
// (an upsert); PostgreSQL copies every run into a temporary table and sums
// them into shift_totals in one statement at the end, since COPY, its
// fast path, cannot merge.

// totalsFlushAt bounds the rows held in memory (about 60 bytes each): a
// tenant's whole history of weeks would not fit in the import's budget.
// (A variable so that a test can make runs merge.)
var totalsFlushAt = 1 << 16

// totalKey is one row of shift_totals with its texts interned: hashing
// four small numbers per shift instead of five strings is a tenth of a
// million-shift import.
type totalKey struct {
	month            bool  // the month's row, else the week's
	day              int32 // the period's first day (days since 1970-01-01)
	employee, pos    int32 // indexes into shiftTotals.names
	location, status int32
}

type totalSum struct {
	hours  float64
	shifts int64
}

type shiftTotals struct {
	imp   *importer
	sums  map[totalKey]*totalSum
	ids   map[string]int32 // text → index into names
	names []string
	// the interned texts that are shift positions and locations, for the
	// vocabulary: noted once a row written rather than once a shift
	positions, locations map[int32]bool
	b                    *batch
}

const totalsRuns = "shift_totals_runs"

var totalsCols = []string{"grain", "date", "employee_id", "position", "location", "status", "hours", "shifts"}

func (imp *importer) newShiftTotals() (*shiftTotals, error) {
	var b *batch
	if imp.tx.Dialect == store.Postgres {
		// without the primary key, so that runs may repeat a key
		if _, err := imp.tx.ExecContext(imp.ctx, "create temp table "+totalsRuns+" (like shift_totals) on commit drop"); err != nil {
			return nil, store.Err(err, "create "+totalsRuns)
		}
		b = imp.newBatchCols(totalsRuns, totalsCols)
	} else {
		b = imp.newBatchCols("shift_totals", totalsCols)
		b.merge = "(tenant_id, grain, date, employee_id, position, location, status) do update set hours = shift_totals.hours + excluded.hours, shifts = shift_totals.shifts + excluded.shifts"
	}
	b.dates = []int{1}
	return &shiftTotals{imp: imp, sums: map[totalKey]*totalSum{}, ids: map[string]int32{},
		positions: map[int32]bool{}, locations: map[int32]bool{}, b: b}, nil
}

func (t *shiftTotals) id(s string) int32 {
	i, ok := t.ids[s]
	if !ok {
		i = int32(len(t.names))
		t.names = append(t.names, s)
		t.ids[s] = i
	}
	return i
}

// add counts one valid shift (vals in shiftsSpec order).
func (t *shiftTotals) add(vals []any) error {
	date := vals[2].(string)
	day, _ := dayNumber(date) // validated
	first, _ := dayNumber(date[:8] + "01")
	k := totalKey{
		// day 0 (1970-01-01) was a Thursday: (day+3) % 7 is days since Monday
		day:      int32(day - (day+3)%7),
		employee: t.id(vals[1].(string)), pos: t.id(vals[7].(string)),
		location: t.id(vals[8].(string)), status: t.id(vals[9].(string)),
	}
	hours := vals[6].(float64)
	all := t.id("") // the tenant-wide row: no employee_id is empty
	for _, k := range [4]totalKey{k, {true, int32(first), k.employee, k.pos, k.location, k.status},
		{false, k.day, all, k.pos, k.location, k.status}, {true, int32(first), all, k.pos, k.location, k.status}} {
		s := t.sums[k]
		if s == nil {
			s = &totalSum{}
			t.sums[k] = s
		}
		s.hours += hours
		s.shifts++
	}
	if len(t.sums) >= totalsFlushAt {
		return t.write()
	}
	return nil
}

// write sends the rows held so far in key order (appends to the clustered
// index rather than scattered inserts) and forgets them.
func (t *shiftTotals) write() error {
	keys := make([]totalKey, 0, len(t.sums))
	for k := range t.sums {
		keys = append(keys, k)
	}
	name := func(i int32) string { return t.names[i] }
	slices.SortFunc(keys, func(a, b totalKey) int {
		if a.month != b.month {
			return cmp.Compare(grainOf(a), grainOf(b))
		}
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(name(a.employee), name(b.employee)),
			cmp.Compare(name(a.pos), name(b.pos)), cmp.Compare(name(a.location), name(b.location)), cmp.Compare(name(a.status), name(b.status)))
	})
	for _, k := range keys {
		t.positions[k.pos], t.locations[k.location] = true, true
		s := t.sums[k]
		date := time.Unix(int64(k.day)*86400, 0).UTC().Format(time.DateOnly)
		if err := t.b.add([]any{grainOf(k), date, name(k.employee), name(k.pos), name(k.location), name(k.status), s.hours, s.shifts}); err != nil {
			return err
		}
	}
	clear(t.sums)
	return nil
}

func grainOf(k totalKey) string {
	if k.month {
		return "month"
	}
	return "week"
}

// flush writes what is left and waits for the writer; on PostgreSQL it
// then sums the runs into shift_totals (row-level security checks them
// there like any insert) in key order: the heap is not clustered, and a
// period's rows written in hash order were one random page read each, which
// made a rollup slower to read than the shifts it sums.
func (t *shiftTotals) flush() error {
	if err := t.write(); err != nil {
		return err
	}
	if err := t.b.flush(); err != nil {
		return err
	}
	t.learn()
	if t.imp.tx.Dialect != store.Postgres {
		return nil
	}
	_, err := t.imp.tx.ExecContext(t.imp.ctx, `insert into shift_totals (tenant_id, grain, date, employee_id, position, location, status, hours, shifts)
		select tenant_id, grain, date, employee_id, position, location, status, sum(hours), sum(shifts) from `+totalsRuns+`
		group by tenant_id, grain, date, employee_id, position, location, status
		order by tenant_id, grain, date, employee_id, position, location, status`)
	return store.Err(err, "sum shift totals")
}

// learn adds the shifts' positions and locations to the vocabulary.
func (t *shiftTotals) learn() {
	for i := range t.positions {
		t.imp.learn("shift_position", t.names[i])
	}
	for i := range t.locations {
		t.imp.learn("shift_location", t.names[i])
	}
}
