package ask

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Subtotals of shifts come from the smallest source that holds the
// question: the import keeps shift_totals (hours and shift counts per
// employee, shift position, location and status, per ISO week and per
// month), tenant_shift_totals (the same for the whole tenant, per day,
// week and month) and tenant_shift_starts (the tenant's, also by start
// hour), so a period is read as its whole months, then whole
// weeks, then days from there, and only what is left from shifts. Each
// piece is grouped exactly as the shifts would be and the pieces are summed
// by the same outer query, so the answer is the same;
// TestRollupsAnswerAsFacts proves it for every question of the test sets on
// both databases.

// totalsColumns are the shift columns shift_totals keeps (date aside): a
// condition or group on any other (start time, break, a single shift's id)
// must read the shifts.
var totalsColumns = map[string]bool{"tenant_id": true, "employee_id": true, "position": true, "location": true, "status": true, "hours": true}

var reFactColumn = regexp.MustCompile(`\bf\.(\w+)`)

// subtotals is the inner query of byDay: sel grouped by groups over the
// fact rows that meet conds, with the measure as v — from shifts, or as a
// union of pieces of the period from shift_totals and shifts.
func (b *builder) subtotals(sel, groups, conds []string) string {
	facts := func(conds []string) string { return piece(sel, b.measureExpr(), b.entity(), conds, groups) }
	lo, hi := b.period()
	rest := b.withoutPeriod(conds)
	// The tenant's rows serve a question of everyone that names no
	// employee (no scope, no person's attribute, no grouping by person);
	// every other reads the employees' rows.
	everyone := b.scope.All && !usesEmployee(append(append(slices.Clone(sel), groups...), rest...))
	grains := b.totalsGrains(sel, groups, rest, everyone)
	if len(grains) == 0 {
		return facts(conds)
	}
	totalsCol := "f.hours" // the rollup column summed
	if b.ms.Agg == "count" {
		totalsCol = "f.shifts"
	}
	// Pieces of a union make PostgreSQL start parallel workers, which cost
	// more than the few thousand rollup rows they would share: on the
	// 2-core machine a 15 ms read took 200–300 ms with them; and JIT.
	b.setup = b.d.FewRows()
	table := "shift_totals"
	if everyone {
		table = "tenant_shift_totals"
	}
	rsel, rgroups := sel, groups
	if startHours(append(slices.Clone(sel), groups...)) {
		// by start hour: the rollup's hour, of which the outer query takes
		// the same first two characters as of a shift's start time
		table = "tenant_shift_starts"
		rsel, rgroups = toStartHour(sel), toStartHour(groups)
	}
	var parts []string
	for _, p := range cover(lo, hi, grains) {
		if p.grain == "" {
			parts = append(parts, facts(append(slices.Clone(rest), b.rangeConds("f.date", p.lo, p.hi)...)))
			continue
		}
		where := append(slices.Clone(rest), b.periodConds(table, p)...)
		where = append(where, "f.grain = '"+p.grain+"'")
		if table == "shift_totals" && slices.Contains(rgroups, "f.employee_id") {
			// grouped by person, a period's rollup rows are about one a
			// group already (a row per position, location and status),
			// and the outer query sums them again: grouping them here
			// cost SQLite a temporary B-tree and PostgreSQL a hash for no
			// fewer rows (the department total of a month at 10,000
			// employees took 25–32 ms where the same rows summed once
			// take 9). Without the grouping SQLite also flattens the piece
			// into the outer query.
			parts = append(parts, piece(rsel, totalsCol, table, where, nil))
			continue
		}
		parts = append(parts, piece(rsel, "sum("+totalsCol+")", table, where, rgroups))
	}
	return strings.Join(parts, " union all ")
}

// maxListed is how many periods a rollup piece names one by one at most.
const maxListed = 128

// periodConds are the conditions of a rollup piece on its rows' dates:
// the starts of the span's periods one by one, where the span is closed
// and they are few, else its range. A rollup row's date is its period's
// start, so both hold the same rows; but shift_totals is keyed by period
// and then employee, and a list lets a scoped question seek each of its
// people in each period where a range reads every employee's rows (in
// sqlite3, a team's 7 weeks of a quarter at 10,000 employees: 37 → 12 ms;
// with the range beside the list SQLite chose the range). Where the
// dialect seeks listed dates faster (SQLite; not PostgreSQL).
func (b *builder) periodConds(table string, p span) []string {
	if !b.d.SeeksListedDates() || table != "shift_totals" || p.lo == "" || p.hi == "" || (p.grain != "week" && p.grain != "month") {
		return b.rangeConds("f.date", p.lo, p.hi)
	}
	var days []string
	for d := day0(p.lo); !d.After(day0(p.hi)); d = periodNext(p.grain, d) {
		if len(days) == maxListed {
			return b.rangeConds("f.date", p.lo, p.hi)
		}
		days = append(days, d.Format(time.DateOnly))
	}
	for i, d := range days { // arguments only once the list is kept
		days[i] = b.date(d)
	}
	return []string{"f.date in (" + strings.Join(days, ", ") + ")"}
}

// piece is one part of subtotals: cols and the measure as v, from table
// (as f) where conds, grouped by groups (none for a total).
func piece(cols []string, measure, table string, conds, groups []string) string {
	q := "select " + strings.Join(append(slices.Clone(cols), measure+" as v"), ", ") + " from " + table + " f where " + strings.Join(conds, " and ")
	if len(groups) > 0 {
		q += " group by " + strings.Join(groups, ", ")
	}
	return q
}

// startTime is how byDay groups by start hour: by the shift's start time,
// whose hour the outer query cuts.
const startTime = "f.start_time"

// isStartTime reports whether s is the start time, as a group or a column.
func isStartTime(s string) bool { return s == startTime || strings.HasPrefix(s, startTime+" as ") }

// startHours reports whether sql groups by the shifts' start times.
func startHours(sql []string) bool { return slices.ContainsFunc(sql, isStartTime) }

// toStartHour is sql with the start time as tenant_shift_starts' hour.
func toStartHour(sql []string) []string {
	out := slices.Clone(sql)
	for i, s := range out {
		if isStartTime(s) {
			out[i] = "f.start_hour" + strings.TrimPrefix(s, startTime)
		}
	}
	return out
}

// usesEmployee reports whether any of the SQL names a shift's employee.
func usesEmployee(sql []string) bool {
	for _, s := range sql {
		for _, m := range reFactColumn.FindAllStringSubmatch(s, -1) {
			if m[1] == "employee_id" {
				return true
			}
		}
	}
	return false
}

// withoutPeriod is conds without those of the question's period, which
// each piece of subtotals sets to its own part of it.
func (b *builder) withoutPeriod(conds []string) []string {
	lo, hi := b.period()
	ranged := b.rangeConds("f.date", lo, hi)
	var rest []string
	for _, c := range conds {
		if !slices.Contains(ranged, c) {
			rest = append(rest, c)
		}
	}
	return rest
}

// peopleSource is the FROM clause and conditions of a list of people: with
// a sum or count of shifts, each person's subtotals (as in byDay) joined to
// employees when the rollups can give them, else shifts joined to employees.
func (b *builder) peopleSource(conds []string) (string, []string) {
	if b.noPeopleTotals || b.q.Measure == "" || b.q.PerPersonWeek || b.q.Distinct != "" || b.ms.Derived != "" || (b.ms.Agg != "sum" && b.ms.Agg != "count") {
		return b.from(), conds
	}
	var facts, people []string
	for _, c := range conds {
		if reEmployeeRef.MatchString(c) {
			people = append(people, c)
		} else {
			facts = append(facts, c)
		}
	}
	key := []string{"f.tenant_id", "f.employee_id"}
	if len(b.totalsGrains(key, key, b.withoutPeriod(facts), false)) == 0 {
		return b.from(), conds
	}
	from := "(" + b.subtotals([]string{"f.tenant_id as tenant_id", "f.employee_id as employee_id"}, key, facts) +
		") f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id"
	b.totalOf = "sum(f.v)" // the outer query's measure: after the subtotals, which sum the shifts
	return from, append([]string{"f.tenant_id = " + b.arg(b.tenant)}, people...)
}

// otherFactColumn reports whether sql uses a fact column that a person's
// subtotals lack.
func otherFactColumn(sql string) bool {
	for _, m := range reFactColumn.FindAllStringSubmatch(sql, -1) {
		if m[1] != "tenant_id" && m[1] != "employee_id" && m[1] != "v" {
			return true
		}
	}
	return false
}

// totalsGrains lists the grains of the rollups that can give this
// question's subtotals, coarsest first; none when it needs single shifts.
// Days and start hours are the tenant's only (everyone: the question names
// no employee).
func (b *builder) totalsGrains(sel, groups, conds []string, everyone bool) []string {
	if !b.rollups || b.entity() != "shifts" {
		return nil
	}
	if m := b.measureExpr(); m != "count(*)" && m != "sum(f.hours)" {
		return nil
	}
	if anyFilter(b.q.conditions(), func(f Filter) bool { return f.Field == "shift_hours" || f.Field == "shift_break" }) {
		return nil // one shift's length or break: the rollups hold only sums of them
	}
	for _, part := range [][]string{sel, groups, conds} {
		for _, s := range part {
			if s == "f.date as dt" || s == "f.date" {
				continue // the day the subtotal belongs to: the period's first day there
			}
			if everyone && isStartTime(s) {
				continue // tenant_shift_starts
			}
			for _, m := range reFactColumn.FindAllStringSubmatch(s, -1) {
				if !totalsColumns[m[1]] {
					return nil // a weekday, a start hour, …
				}
			}
		}
	}
	grains := []string{"month", "week"}
	if everyone {
		grains = append(grains, "day")
	}
	drop := func(gs ...string) {
		grains = slices.DeleteFunc(grains, func(s string) bool { return slices.Contains(gs, s) })
	}
	for _, dn := range b.q.Dimensions {
		if !b.dateGrain(dn) {
			continue
		}
		g := b.model.Dimensions[dn].Time
		if dn == "trend" {
			g = b.trendGrain()
		}
		switch g {
		case "week":
			drop("month")
		case "month", "quarter", "year":
			drop("week") // weeks straddle months: only whole months add up to these
		case "day", "weekday":
			drop("month", "week")
		default:
			return nil
		}
	}
	return grains
}

// span is a piece of a period read from one source: grain "" is shifts.
type span struct{ grain, lo, hi string } // inclusive days, "" = open

// cover splits [lo, hi] into the whole periods of grains[0] it holds and
// covers what is left on either side with the finer grains, down to days.
func cover(lo, hi string, grains []string) []span {
	if len(grains) == 0 {
		return []span{{"", lo, hi}}
	}
	g, finer := grains[0], grains[1:]
	from, to := lo, hi // the whole periods inside
	if lo != "" {
		d := day0(lo)
		if start := periodStart(g, d); !start.Equal(d) {
			from = periodNext(g, start).Format(time.DateOnly)
		}
	}
	if hi != "" {
		d := day0(hi)
		if next := periodNext(g, periodStart(g, d)); !next.Equal(d.AddDate(0, 0, 1)) {
			to = periodStart(g, d).AddDate(0, 0, -1).Format(time.DateOnly)
		}
	}
	if from != "" && to != "" && from > to {
		return cover(lo, hi, finer)
	}
	var out []span
	if lo != "" && from > lo {
		out = append(out, cover(lo, day0(from).AddDate(0, 0, -1).Format(time.DateOnly), finer)...)
	}
	out = append(out, span{g, from, to})
	if hi != "" && to < hi {
		out = append(out, cover(day0(to).AddDate(0, 0, 1).Format(time.DateOnly), hi, finer)...)
	}
	return out
}

func day0(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s) // resolved ranges are ISO days
	return t
}

// periodStart is d's day, the Monday of its ISO week or the first of its month.
func periodStart(g string, d time.Time) time.Time {
	switch g {
	case "day":
		return d
	case "week":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// periodNext is the start of the period after the one starting at start.
func periodNext(g string, start time.Time) time.Time {
	switch g {
	case "day":
		return start.AddDate(0, 0, 1)
	case "week":
		return start.AddDate(0, 0, 7)
	}
	return start.AddDate(0, 1, 0)
}

// anyFilter reports whether some filter of fs, or of their alternatives,
// is one that ok accepts.
func anyFilter(fs []Filter, ok func(Filter) bool) bool {
	for _, f := range fs {
		if ok(f) || anyFilter(f.Any, ok) {
			return true
		}
	}
	return false
}
