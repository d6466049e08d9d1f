package hr

import (
	"sort"
	"time"
)

// The import keeps the shift_totals rollup (see migration 0020) in step
// with the shifts it writes: each valid shift is added to its week's and
// its month's row in memory, and the rows go to the database in sorted
// runs, merged with what an earlier run wrote for the same key (input need
// not be sorted by day). Summing in Go while the file is read is cheaper
// than a GROUP BY over the written shifts, which would sort them all again.

// totalsFlushAt bounds the rows held in memory (about 150 bytes each): a
// tenant's whole history of weeks would not fit in the import's budget.
// (A variable so that a test can make runs merge.)
var totalsFlushAt = 1 << 16

type totalKey struct {
	grain, date, employee, position, location, status string
}

type totalSum struct {
	hours  float64
	shifts int64
}

type shiftTotals struct {
	imp    *importer
	sums   map[totalKey]*totalSum
	monday map[int]string // day number → its week's Monday, formatted once
	b      *batch
}

func (imp *importer) newShiftTotals() *shiftTotals {
	b := imp.newBatchCols("shift_totals", []string{"grain", "date", "employee_id", "position", "location", "status", "hours", "shifts"})
	b.dates = []int{1}
	b.merge = "(tenant_id, grain, date, employee_id, position, location, status) do update set hours = shift_totals.hours + excluded.hours, shifts = shift_totals.shifts + excluded.shifts"
	return &shiftTotals{imp: imp, sums: map[totalKey]*totalSum{}, monday: map[int]string{}, b: b}
}

// add counts one valid shift (vals in shiftsSpec order).
func (t *shiftTotals) add(vals []any) error {
	date := vals[2].(string)
	day, _ := dayNumber(date) // validated
	week, ok := t.monday[day]
	if !ok {
		// day 0 (1970-01-01) was a Thursday: (day+3) % 7 is days since Monday
		week = time.Unix(int64(day-(day+3)%7)*86400, 0).UTC().Format(time.DateOnly)
		t.monday[day] = week
	}
	emp, pos, loc, status := vals[1].(string), vals[7].(string), vals[8].(string), vals[9].(string)
	hours := vals[6].(float64)
	for _, k := range [2]totalKey{
		{"week", week, emp, pos, loc, status},
		{"month", date[:8] + "01", emp, pos, loc, status},
	} {
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
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.grain != b.grain {
			return a.grain < b.grain
		}
		if a.date != b.date {
			return a.date < b.date
		}
		if a.employee != b.employee {
			return a.employee < b.employee
		}
		if a.position != b.position {
			return a.position < b.position
		}
		if a.location != b.location {
			return a.location < b.location
		}
		return a.status < b.status
	})
	for _, k := range keys {
		s := t.sums[k]
		if err := t.b.add([]any{k.grain, k.date, k.employee, k.position, k.location, k.status, s.hours, s.shifts}); err != nil {
			return err
		}
	}
	clear(t.sums)
	return nil
}

// flush writes what is left and waits for the writer.
func (t *shiftTotals) flush() error {
	if err := t.write(); err != nil {
		return err
	}
	return t.b.flush()
}
