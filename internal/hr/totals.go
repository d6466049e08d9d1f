package hr

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/store"
)

// The import keeps the rollups (migrations 0020, 0024 and 0026) in step
// with the shifts it writes: each valid shift is added to its employee's
// week and month rows in shift_totals and to the tenant's day row of its
// start hour in tenant_shift_starts (whose week and month rows, and the
// day, week and month rows of tenant_shift_totals, are summed from those
// when written), in memory while the file is read — cheaper than a
// GROUP BY over the written shifts, which would sort them all again — and
// the rows go to the database in runs. A run keeps back the rows of the
// periods still open (the week and month of the latest day read, and the
// tenant's rows, summed from its days only at the end), so that in a file
// in day order no period's rows are written twice. Input need not be in
// that order, so a run may still hold a key an earlier run wrote: SQLite
// adds it to that row (an upsert); PostgreSQL copies the rows straight
// into the new table (COPY cannot merge) and, only for a table that got
// some period in two runs, sums the table's rows again at the end.

// totalsFlushAt bounds the rows held in memory (about 60 bytes each): a
// tenant's whole history of weeks would not fit in the import's budget.
// (A variable so that a test can make runs merge.)
var totalsFlushAt = 1 << 16

// Grains of a rollup row, in the order of their names: the order rows are
// written in, the tables' key order.
const (
	grainDay int8 = iota
	grainMonth
	grainWeek
)

var grainNames = [...]any{"day", "month", "week"} // boxed: values of rows

// periodStart is the first day of the week (its Monday) or month holding
// day (days since 1970-01-01; a day's own period is itself).
func periodStart(grain int8, day int32) int32 {
	switch grain {
	case grainWeek:
		// day 0 was a Thursday: (day+3) mod 7 is days since Monday (days
		// before 1970 are negative, and Go's % keeps their sign)
		return day - ((day+3)%7+7)%7
	case grainMonth:
		return day - int32(time.Unix(int64(day)*86400, 0).UTC().Day()-1)
	}
	return day
}

// totalKey is one rollup row with its texts interned: hashing four small
// numbers per shift instead of five strings is a tenth of a million-shift
// import. employee is the index of "" for the tenant's rows, start (a
// start hour, "HH") that of "" for rows of every hour.
type totalKey struct {
	grain            int8
	day              int32 // the period's first day (days since 1970-01-01)
	employee, pos    int32 // indexes into shiftTotals.names
	location, status int32
	start            int32
}

type totalSum struct {
	hours  float64
	shifts int64
}

// rollup is one rollup table's writer.
type rollup struct {
	table string   // the table (PostgreSQL: the staged one)
	cols  []string // its columns after tenant_id
	key   string   // its key columns, tenant_id first
	b     *batch
}

// Rollup tables, as indexes of shiftTotals.repeats.
const (
	ofEmployees = iota
	ofTenant
	ofStarts
)

// writtenPeriod is a period some run wrote rows of, in one rollup table.
type writtenPeriod struct {
	table int8
	grain int8
	day   int32
}

// The sums are kept in slices, found through one map: a place per key,
// and a hint of the place a shift's rows were last time (an employee's
// week and month rows, the tenant's day row of the same texts), checked
// against the key, so that most shifts touch no map at all. Three lookups
// in a map of 65,536 scattered entries a shift were a third of a
// million-shift import's reading.
type shiftTotals struct {
	imp   *importer
	index map[totalKey]int32 // a key's place in keys and sums
	keys  []totalKey
	sums  []totalSum
	// by interned text (an employee id's): the places of that employee's
	// last week and month rows
	hints []totalHints
	// the places of the tenant's day rows, by a hash of their texts
	dayHints [256]int32
	ids      map[string]int32 // text → index into names
	names    []string
	boxed    []any // names as the values of rows: boxed once, not once a row
	all      int32 // the index of "": the tenant's rows, rows of every start hour
	// the last texts interned, by column: a column often repeats the row above
	lastTexts [5]struct {
		s  string
		id int32
	}
	// the last date read, its day and the starts of its periods
	date             string
	day, week, month int32
	// the interned texts that are shift positions and locations, for the
	// vocabulary: noted once a row written rather than once a shift
	positions, locations []bool
	employees, tenant    *rollup
	starts               *rollup // the tenant's rows by start hour
	lastDay              int32   // the latest day read: its week and month are open
	written              map[writtenPeriod]bool
	repeats              [3]bool // a table (ofEmployees…) got a period's rows in two runs
}

type totalHints struct{ week, month int32 }

func (imp *importer) newShiftTotals() (*shiftTotals, error) {
	t := &shiftTotals{imp: imp, index: map[totalKey]int32{}, ids: map[string]int32{},
		lastDay: math.MinInt32, day: math.MinInt32, written: map[writtenPeriod]bool{}}
	t.all = t.id("") // no employee_id is empty
	for i := range t.lastTexts {
		t.lastTexts[i].id = t.all
	}
	for i, r := range []**rollup{&t.employees, &t.tenant, &t.starts} {
		var err error
		if *r, err = imp.newRollup(rollupTables[i].name, rollupTables[i].cols); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// rollupTables are the rollups' tables and their columns after tenant_id:
// the employees', the tenant's and the tenant's by start hour.
var rollupTables = [3]struct {
	name string
	cols []string
}{
	{"shift_totals", []string{"grain", "date", "employee_id", "position", "location", "status", "hours", "shifts"}},
	{"tenant_shift_totals", []string{"grain", "date", "position", "location", "status", "hours", "shifts"}},
	{"tenant_shift_starts", []string{"grain", "date", "start_hour", "position", "location", "status", "hours", "shifts"}},
}

func (imp *importer) newRollup(table string, cols []string) (*rollup, error) {
	key := "tenant_id, " + strings.Join(cols[:len(cols)-2], ", ")
	r := &rollup{table: table, cols: cols, key: key}
	if imp.tx.Dialect.Copies() {
		// copied straight into the new table, which has no key yet
		r.table = imp.tx.StagedHR(table)
		r.b = imp.newBatchCols(r.table, cols)
		r.b.direct = true
	} else {
		r.b = imp.newBatchCols(table, cols)
		r.b.merge = "(" + key + ") do update set hours = " + table + ".hours + excluded.hours, shifts = " + table + ".shifts + excluded.shifts"
	}
	return r, nil
}

func (t *shiftTotals) id(s string) int32 {
	i, ok := t.ids[s]
	if !ok {
		i = int32(len(t.names))
		t.names = append(t.names, s)
		t.boxed = append(t.boxed, s)
		t.ids[s] = i
		t.hints = append(t.hints, totalHints{})
	}
	return i
}

// text interns the text of column c, which often repeats the row above.
func (t *shiftTotals) text(c int, s string) int32 {
	l := &t.lastTexts[c]
	if l.s != s {
		l.s, l.id = s, t.id(s)
	}
	return l.id
}

// place is the place of key k, made if new; hint is where k was last
// found, checked before the map.
func (t *shiftTotals) place(k totalKey, hint *int32) int32 {
	if i := *hint; int(i) < len(t.keys) && t.keys[i] == k {
		return i
	}
	i, ok := t.index[k]
	if !ok {
		i = int32(len(t.keys))
		t.keys = append(t.keys, k)
		t.sums = append(t.sums, totalSum{})
		t.index[k] = i
	}
	*hint = i
	return i
}

func (t *shiftTotals) addTo(k totalKey, hint *int32, hours float64, shifts int64) {
	i := t.place(k, hint) // first: it may grow t.sums
	s := &t.sums[i]
	s.hours += hours
	s.shifts += shifts
}

// add counts one valid shift (vals in shiftsSpec order).
func (t *shiftTotals) add(vals []any) error {
	if d := vals[2].(string); d != t.date {
		n, _ := dayNumber(d) // validated
		t.date, t.day = d, int32(n)
		t.week, t.month = periodStart(grainWeek, t.day), periodStart(grainMonth, t.day)
		t.lastDay = max(t.lastDay, t.day)
	}
	// lastTexts' columns: employee, position, location, status, start hour
	emp, pos, loc, st := t.text(0, vals[1].(string)), t.text(1, vals[7].(string)), t.text(2, vals[8].(string)), t.text(3, vals[9].(string))
	hour := t.text(4, vals[3].(string)[:2]) // validated HH:MM
	hours := vals[6].(float64)
	// the tenant's rows are summed from its day rows by start hour when
	// written: three rows a shift here, not eight
	h := &t.hints[emp]
	t.addTo(totalKey{grainWeek, t.week, emp, pos, loc, st, t.all}, &h.week, hours, 1)
	t.addTo(totalKey{grainMonth, t.month, emp, pos, loc, st, t.all}, &h.month, hours, 1)
	t.addTo(totalKey{grainDay, t.day, t.all, pos, loc, st, hour}, &t.dayHints[uint32(pos*7+loc*31+st*131+hour*521)%uint32(len(t.dayHints))], hours, 1)
	if len(t.keys) >= totalsFlushAt {
		return t.write(false)
	}
	return nil
}

// open says which rows a run that is not the last keeps back, and so does
// not write yet: an employee's rows of the latest week and month, which
// later days of a file in day order still add to, and the tenant's day
// rows, whose weeks and months (which cut across each other) are summed
// from them when they are written. Each kind is kept only while what is
// kept stays within half the budget (a file in no order, a tenant of many
// places and start hours); what is written anyway may have its periods
// merge. days says whether the tenant's day rows are kept.
func (t *shiftTotals) open() (keep func(totalKey) bool, days bool) {
	week, month := periodStart(grainWeek, t.lastDay), periodStart(grainMonth, t.lastDay)
	current := func(k totalKey) bool {
		return k.grain == grainWeek && k.day >= week || k.grain == grainMonth && k.day >= month
	}
	employees, tenantDays := 0, 0
	for _, k := range t.keys {
		switch {
		case k.grain == grainDay:
			tenantDays++
		case current(k):
			employees++
		}
	}
	budget := totalsFlushAt / 2
	keepEmployees := employees <= budget
	if !keepEmployees {
		employees = 0
	}
	days = employees+tenantDays <= budget
	return func(k totalKey) bool {
		if k.employee == t.all {
			return days && k.grain == grainDay
		}
		return keepEmployees && current(k)
	}, days
}

// tenantPeriods adds the tenant's week and month rows by start hour, and
// its day, week and month rows of every hour, of the day rows by start
// hour held.
func (t *shiftTotals) tenantPeriods() {
	var hint int32
	for i := range len(t.keys) { // not the rows added here
		k, s := t.keys[i], t.sums[i]
		if k.grain != grainDay {
			continue
		}
		week, month := k, k
		week.grain, week.day = grainWeek, periodStart(grainWeek, k.day)
		month.grain, month.day = grainMonth, periodStart(grainMonth, k.day)
		day, anyWeek, anyMonth := k, week, month
		day.start, anyWeek.start, anyMonth.start = t.all, t.all, t.all
		for _, p := range [...]totalKey{week, month, day, anyWeek, anyMonth} {
			t.addTo(p, &hint, s.hours, s.shifts)
		}
	}
}

// write sends the rows held so far in key order (appends to the clustered
// index rather than scattered inserts) and forgets them, except, before
// the last run, those of open periods.
func (t *shiftTotals) write(last bool) error {
	keep, days := func(totalKey) bool { return false }, false
	if !last {
		keep, days = t.open()
	}
	if !days {
		t.tenantPeriods()
	}
	var places, kept []int32
	for i, k := range t.keys {
		if keep(k) {
			kept = append(kept, int32(i))
		} else {
			places = append(places, int32(i))
		}
	}
	// texts compare by their rank among the interned names, which is the
	// order SQLite compares them in (bytes): key order without comparing
	// strings a million times
	byName := make([]int32, len(t.names))
	for i := range byName {
		byName[i] = int32(i)
	}
	slices.SortFunc(byName, func(a, b int32) int { return cmp.Compare(t.names[a], t.names[b]) })
	rank := make([]int32, len(t.names))
	for r, i := range byName {
		rank[i] = int32(r)
	}
	slices.SortFunc(places, func(i, j int32) int {
		a, b := &t.keys[i], &t.keys[j]
		if a.grain != b.grain {
			return cmp.Compare(a.grain, b.grain)
		}
		if a.day != b.day {
			return cmp.Compare(a.day, b.day)
		}
		for _, p := range [...][2]int32{{a.employee, b.employee}, {a.start, b.start}, {a.pos, b.pos}, {a.location, b.location}, {a.status, b.status}} {
			if p[0] != p[1] {
				return cmp.Compare(rank[p[0]], rank[p[1]])
			}
		}
		return 0
	})
	for len(t.positions) < len(t.names) {
		t.positions, t.locations = append(t.positions, false), append(t.locations, false)
	}
	name := func(i int32) any { return t.boxed[i] }
	// keys come in runs of one day: its text is made once a run
	dateOf, date := int32(math.MinInt32), any(nil)
	runs := map[writtenPeriod]bool{} // the periods of this run
	var lastOf [3]writtenPeriod      // by table: the period of its last row
	row := make([]any, 0, 8)
	for _, i := range places {
		k, s := t.keys[i], t.sums[i]
		t.positions[k.pos], t.locations[k.location] = true, true
		if k.day != dateOf {
			dateOf, date = k.day, time.Unix(int64(k.day)*86400, 0).UTC().Format(time.DateOnly)
		}
		// a batch copies the values it is given: one row's slice serves all
		var err error
		table := int8(ofTenant)
		switch row = append(row[:0], grainNames[k.grain], date); {
		case k.employee != t.all:
			table = ofEmployees
			err = t.employees.b.add(append(row, name(k.employee), name(k.pos), name(k.location), name(k.status), s.hours, s.shifts))
		case k.start != t.all:
			table = ofStarts
			err = t.starts.b.add(append(row, name(k.start), name(k.pos), name(k.location), name(k.status), s.hours, s.shifts))
		default:
			err = t.tenant.b.add(append(row, name(k.pos), name(k.location), name(k.status), s.hours, s.shifts))
		}
		if err != nil {
			return err
		}
		if p := (writtenPeriod{table, k.grain, k.day}); p != lastOf[table] {
			lastOf[table] = p
			if !runs[p] {
				runs[p] = true
				t.repeats[table] = t.repeats[table] || t.written[p]
			}
		}
	}
	for p := range runs {
		t.written[p] = true
	}
	// what is kept moves to the front; the places (and the hints to them)
	// of every other key are forgotten
	clear(t.index)
	for n, i := range kept {
		t.keys[n], t.sums[n] = t.keys[i], t.sums[i]
		t.index[t.keys[n]] = int32(n)
	}
	t.keys, t.sums = t.keys[:len(kept)], t.sums[:len(kept)]
	return nil
}

// flush writes what is left and waits for the writers.
func (t *shiftTotals) flush() error {
	if err := t.write(true); err != nil {
		return err
	}
	// the sums again of tables whose periods repeat are the import's last
	// GROUP BYs: none when nothing repeats
	if set := t.imp.tx.Dialect.GroupBySorting(); set != "" && slices.Contains(t.repeats[:], true) {
		if _, err := t.imp.tx.ExecContext(t.imp.ctx, set); err != nil {
			return store.Err(err, "sum the rollups")
		}
	}
	for i, r := range []*rollup{t.employees, t.tenant, t.starts} {
		if err := r.flush(t.imp, t.repeats[i]); err != nil {
			return err
		}
	}
	t.learn()
	return nil
}

// flush waits for the rollup's writer. On PostgreSQL, when some period's
// rows came in two runs (repeats), the new table holds a key more than
// once: its rows are then summed again, in key order (the heap is not
// clustered, and a period's rows written in hash order were one random
// page read each, which made a rollup slower to read than the shifts it
// sums). A repeat missed here would not go unseen: the key built on the
// table before it is swapped in would refuse the import.
func (r *rollup) flush(imp *importer, repeats bool) error {
	if err := r.b.flush(); err != nil {
		return err
	}
	if !repeats || !imp.tx.Dialect.Copies() {
		return nil
	}
	runs := r.table + "_runs"
	for _, q := range []string{
		"create temp table " + runs + " on commit drop as select * from " + r.table,
		"truncate " + r.table,
		"insert into " + r.table + " (" + r.key + ", hours, shifts) select " + r.key + ", sum(hours), sum(shifts) from " + runs + " group by " + r.key + " order by " + r.key,
	} {
		if _, err := imp.tx.ExecContext(imp.ctx, q); err != nil {
			return store.Err(err, "sum "+r.table)
		}
	}
	return nil
}

// learn adds the shifts' positions and locations to the vocabulary.
func (t *shiftTotals) learn() {
	for i, ok := range t.positions {
		if ok {
			t.imp.learn("shift_position", t.names[i])
		}
	}
	for i, ok := range t.locations {
		if ok {
			t.imp.learn("shift_location", t.names[i])
		}
	}
}
