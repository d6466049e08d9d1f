package ask

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
)

// Scope is what the asker may see, decided from their role by code — never
// by the question or the language model.
type Scope struct {
	All        bool   // admin and hr: every employee of the tenant
	EmployeeID string // the asker's own employee record ("" if none)
	Subtree    bool   // manager: themselves and everyone below them
}

// Describe says the scope in words.
func (s Scope) Describe() string {
	switch {
	case s.All:
		return "every employee of this tenant"
	case s.Subtree:
		return "employee " + s.EmployeeID + " and everyone below them in the manager tree"
	}
	return "only employee " + s.EmployeeID
}

// Column is one column of an answer.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // string, number, date
}

// compiled is SQL ready to run, with its parameters and answer columns.
type compiled struct {
	SQL     string
	Args    []any
	Columns []Column
	// Setup runs before SQL in the same transaction ("" for none)
	Setup string
}

var reParam = regexp.MustCompile(`\$(\d+)`)

// withoutUnusedArgs drops the arguments the SQL does not name and numbers
// the others again in order. The builder registers a question's period
// before it knows how the period is read, and a period read wholly from
// rollup rows named one by one leaves those arguments unused, which
// PostgreSQL refuses ("could not determine data type of parameter"). The
// compiler writes no literal with a $ in it: every value is an argument.
func (c compiled) withoutUnusedArgs() compiled {
	used := make([]bool, len(c.Args)+1)
	for _, m := range reParam.FindAllStringSubmatch(c.SQL, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n <= len(c.Args) {
			used[n] = true
		}
	}
	renum := make([]int, len(c.Args)+1)
	var args []any
	for n := 1; n <= len(c.Args); n++ {
		if used[n] {
			args = append(args, c.Args[n-1])
			renum[n] = len(args)
		}
	}
	if len(args) == len(c.Args) {
		return c
	}
	c.SQL = reParam.ReplaceAllStringFunc(c.SQL, func(p string) string {
		n, err := strconv.Atoi(p[1:])
		if err != nil || n > len(c.Args) {
			return p
		}
		return "$" + strconv.Itoa(renum[n])
	})
	c.Args = args
	return c
}

type builder struct {
	d     store.Dialect
	args  []any
	model *semantic.Model
	q     *Query
	ms    semantic.Measure
	now   string
	scope Scope
	// tenant is the asker's tenant: computed values bind to it rather than
	// to the outer row, so the database computes them once, not per row
	tenant int64
	// rollups: whole weeks and months of shifts may be read from
	// shift_totals (off only to compare with the answers of the facts)
	rollups bool
	setup   string // compiled.Setup
	// totalOf, when set, is the measure over a person's subtotals (a list
	// of people read from the rollups); noPeopleTotals turns that off
	totalOf        string
	noPeopleTotals bool
	// buckets, when set, is the time grain absences are grouped at, each
	// in every bucket it overlaps (the join k of absenceBuckets)
	buckets string
}

// arg adds a parameter, reusing one of the same value: an expression built
// and then set aside would otherwise leave a parameter no statement uses,
// whose type PostgreSQL cannot determine.
func (b *builder) arg(v any) string {
	for i, a := range b.args {
		if a == v {
			return fmt.Sprintf("$%d", i+1)
		}
	}
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

// date is a date parameter; PostgreSQL compares dates, SQLite ISO text.
func (b *builder) date(v string) string { return b.d.DateParam(b.arg(v)) }

// timeExpr renders a date column at a grain as text (weeks by their Monday).
func (b *builder) timeExpr(grain, col string) string { return b.d.Grain(grain, col) }

func (b *builder) ageExpr() string { return b.ageOf("e") }

// ageOf is the completed years of alias's person on the reference day.
func (b *builder) ageOf(alias string) string {
	return b.d.Age(b.arg(b.now), alias+".birth_date")
}

// tenureExpr is the years since hire on the reference day (fractional, or
// completed with Whole).
func (b *builder) tenureExpr() string { return b.tenureOf("e") }

// A person who has left served until their last day, not until today
// ("the average tenure of people who left this year").
func (b *builder) tenureOf(alias string) string {
	now := b.date(b.now)
	until := "(case when " + alias + ".end_date < " + now + " then " + alias + ".end_date else " + now + " end)"
	if b.q.Whole {
		return b.d.Age(until, alias+".hire_date")
	}
	return b.d.Years(until, alias+".hire_date")
}

// attrExpr is the SQL of a person's attribute for the employee row alias.
func (b *builder) attrExpr(name, alias string) string {
	switch name {
	case "name":
		return alias + ".first_name || ' ' || " + alias + ".last_name"
	case "age":
		return b.ageOf(alias)
	case "age_at_hire":
		return b.d.Age(alias+".hire_date", alias+".birth_date")
	case "tenure":
		return b.tenureOf(alias)
	case "manager":
		return "(select m.first_name || ' ' || m.last_name from employees m where m.tenant_id = " + alias + ".tenant_id and m.employee_id = " + alias + ".manager_id" +
			b.visibleAs("m") + ")"
	case "reports":
		// a report who has left reports to no one: the count is of people
		// employed today, as a headcount is
		now := b.date(b.now)
		return "(select count(*) from employees r2 where r2.tenant_id = " + alias + ".tenant_id and r2.manager_id = " + alias + ".employee_id" +
			" and r2.hire_date <= " + now + " and (r2.end_date is null or r2.end_date >= " + now + ")" + b.visibleAs("r2") + ")"
	}
	return alias + "." + name
}

// visibleAs restricts a correlated lookup to the asker's scope.
func (b *builder) visibleAs(alias string) string {
	if b.scope.All {
		return ""
	}
	return " and " + strings.Join(b.scopeCond(alias), " and ")
}

const nameExpr = "e.first_name || ' ' || e.last_name"

// entity of the query's measure; people lists without a measure are over
// employees.
func (b *builder) entity() string {
	if b.q.Measure == "" {
		return "employees"
	}
	return b.ms.Entity
}

// dateCol is the column a fact's time range and time grains apply to.
func (b *builder) dateCol() string {
	switch b.entity() {
	case "tasks":
		// the day a task was handed in, from its fixed-width UTC stamp
		return b.d.DayOfStamp("f.finished_at")
	case "shifts":
		return "f.date"
	case "absences":
		return "f.start_date"
	}
	switch b.ms.Event {
	case "hired":
		return "e.hire_date"
	case "left":
		return "e.end_date"
	}
	return "e.hire_date"
}

// trendGrain is the grain a trend is shown at: days, weeks or months by
// the length of the period.
func (b *builder) trendGrain() string { return trendGrainOf(b.q.Time) }

// trendGrainOf is the grain of a trend over the resolved period tr: by
// day up to a month, by week up to a quarter, by month beyond
// (CONVENTIONS.md).
func trendGrainOf(tr *TimeRange) string {
	switch n := tr.days(); {
	case n > 0 && n <= 31:
		return "day"
	case n > 0 && n <= 92:
		return "week"
	}
	return "month"
}

// dimExpr returns the SQL of a dimension and its answer column.
func (b *builder) dimExpr(name string) (string, Column, error) {
	if name == "trend" {
		name = b.trendGrain()
	}
	d, ok := b.model.Dimensions[name]
	if !ok {
		return "", Column{}, errcode.New(errcode.NotUnderstood, "scry cannot group by %q", name)
	}
	ent := b.entity()
	if d.Time != "" {
		if d.Time == "clock" {
			if ent != "shifts" {
				return "", Column{}, errcode.New(errcode.NotUnderstood, "Only shifts have a start time; ask about shifts or hours worked by start time")
			}
			// not the bare column, which the rollups read as the start hour
			return "substr(f.start_time, 1, 5)", Column{Name: "start_time", Type: "string"}, nil
		}
		if d.Time == "hour" {
			if ent != "shifts" {
				return "", Column{}, errcode.New(errcode.NotUnderstood, "Only shifts have an hour; ask about shifts or hours worked by hour")
			}
			return "substr(f.start_time, 1, 2)", Column{Name: "hour", Type: "string"}, nil
		}
		typ := "string"
		if d.Time == "weekday" {
			typ = "number"
		}
		if b.buckets != "" && d.Time == b.buckets {
			return b.timeExpr(d.Time, "k.d"), Column{Name: d.Time, Type: typ}, nil
		}
		return b.timeExpr(d.Time, b.dateCol()), Column{Name: d.Time, Type: typ}, nil
	}
	switch {
	case d.From == "employees" && name == "manager":
		// A manager outside the asker's scope is not named.
		visible := ""
		if !b.scope.All {
			visible = " and " + strings.Join(b.scopeCond("m"), " and ")
		}
		return "coalesce((select m.first_name || ' ' || m.last_name from employees m where m.tenant_id = e.tenant_id and m.employee_id = e.manager_id" + visible + "), " +
			b.arg("(outside your scope)") + ")", Column{Name: "manager", Type: "string"}, nil
	case d.From == "employees" && name == "employee":
		return nameExpr, Column{Name: "employee", Type: "string"}, nil
	case d.From == "employees":
		if ent == "shifts" && d.ShiftsColumn != "" && !b.q.perHeadParts {
			return "f." + d.ShiftsColumn, Column{Name: name, Type: "string"}, nil
		}
		return "e." + d.Column, Column{Name: name, Type: "string"}, nil
	case d.From == ent && strings.Contains(d.Column, "."):
		return d.Column, Column{Name: name, Type: "string"}, nil // a joined table's column (tasks)
	case d.From == ent:
		return "f." + d.Column, Column{Name: name, Type: "string"}, nil
	}
	return "", Column{}, errcode.New(errcode.NotUnderstood, "%s cannot be grouped by %s", b.ms.Title, strings.ReplaceAll(name, "_", " "))
}

// measureExpr is the aggregate of the measure.
func (b *builder) measureExpr() string { return b.measureAgg("") }

// measureAgg is the measure under aggregate agg ("" = the measure's own).
func (b *builder) measureAgg(agg string) string {
	if b.totalOf != "" && agg == "" {
		return b.totalOf
	}
	if b.q.Distinct != "" {
		if expr, _, err := b.dimExpr(b.q.Distinct); err == nil {
			return "count(distinct " + expr + ")"
		}
	}
	ms := b.ms
	if agg != "" {
		ms.Agg = agg
	}
	if ms.Derived == "turnover_rate" {
		// leavers of the period per 100 of its average headcount, the mean
		// of the headcounts on its first and last days (timeConds keeps
		// everyone: the period is in these sums)
		lo, hi := b.period()
		hi = min(hi, b.now) // a headcount still to come is not known
		on := func(d string) string {
			return "sum(case when e.hire_date <= " + b.date(d) + " and (e.end_date is null or e.end_date >= " + b.date(d) + ") then 1 else 0 end)"
		}
		left := "sum(case when e.end_date >= " + b.date(lo) + " and e.end_date <= " + b.date(hi) + " then 1 else 0 end)"
		return "round(100.0 * " + left + " / nullif((" + on(lo) + " + " + on(hi) + ") / 2.0, 0), 2)"
	}
	if ms.Derived == "labor_cost" {
		if ms.Agg != "sum" {
			return ms.Agg + "(f.hours * e.hourly_wage)"
		}
		// summed in exact integers (hundredths of an hour × cents) and rounded
		// to the cent the same way on both databases: floating point would
		// round some half cents differently on each
		cents := "sum(cast(round(f.hours * 100) as bigint) * cast(round(e.hourly_wage * 100) as bigint))"
		return b.d.Cents(cents)
	}
	// a person's weekly rate (CONVENTIONS: the mean over the weeks they
	// worked of their weekly total), for lists, shares and counts of people
	if b.q.PerPersonWeek && ms.Entity == "shifts" && (b.q.Kind == "people" || b.q.ShareOf != nil || b.q.CountOf != nil) {
		return "(1.0 * sum(f." + ms.Column + ") / count(distinct " + b.timeExpr("week", "f.date") + "))"
	}
	col := ""
	switch {
	case ms.Column == "age":
		col = b.ageExpr()
	case ms.Column == "tenure":
		col = b.tenureExpr()
	case ms.Column == "age_at_hire":
		col = b.attrExpr("age_at_hire", "e")
	case ms.Entity == "employees":
		col = "e." + ms.Column
	default:
		col = "f." + ms.Column
	}
	if ms.Scale != 0 {
		col = fmt.Sprintf("(%s * %g)", col, ms.Scale)
	}
	switch ms.Agg {
	case "count":
		return "count(*)"
	case "count_distinct":
		return "count(distinct " + col + ")"
	case "avg":
		return "avg(" + col + ")"
	case "median":
		return b.d.Median(col)
	}
	return ms.Agg + "(" + col + ")"
}

// from is the FROM clause with the employee join every fact needs for
// scope and employee attributes.
func (b *builder) from() string {
	switch ent := b.entity(); ent {
	case "shifts", "absences":
		from := ent + " f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id"
		if b.buckets != "" && ent == "absences" {
			from += " join (" + b.absenceBuckets() + ") k on k.absence_id = f.absence_id"
		}
		return from
	case "tasks":
		return "label_tasks f join label_jobs j on j.tenant_id = f.tenant_id and j.id = f.job_id join users u on u.tenant_id = f.tenant_id and u.id = f.worker_id"
	}
	return "employees e"
}

// absenceBuckets has a row for each absence and each bucket of the grain
// it overlaps within the period, with the absence's first day there (d):
// an absence falls in a period if it overlaps it (CONVENTIONS), so a sick
// leave from 31 August to 9 September counts in August and in September.
// Its days are walked one by one, which absences (days, not years) allow.
func (b *builder) absenceBuckets() string {
	lo, hi := b.period()
	seed := "select a.absence_id, a.start_date as d, a.end_date as last from absences a where a.tenant_id = " + b.arg(b.tenant)
	in := ""
	if lo != "" {
		seed += " and a.end_date >= " + b.date(lo)
		in += " and d >= " + b.date(lo)
	}
	if hi != "" {
		seed += " and a.start_date <= " + b.date(hi)
		in += " and d <= " + b.date(hi)
	}
	return "with recursive ad(absence_id, d, last) as (" + seed + " union all select absence_id, " + b.d.NextDay("d") + ", last from ad where d < last) " +
		"select absence_id, min(d) as d from ad where 1 = 1" + in + " group by absence_id, " + b.timeExpr(b.buckets, "d")
}

// overlapGrain is the one time grain a grouping of absences is at, ""
// for none or several (then each absence is in the bucket it starts in).
func (b *builder) overlapGrain() string {
	if b.entity() != "absences" {
		return ""
	}
	switch g := b.q.absenceBucket(); g {
	case "trend":
		return b.trendGrain()
	case "", "several":
		return ""
	default:
		return g
	}
}

// where holds every predicate: tenant and scope first (added here, by code,
// whatever the query says), then the query's own.
func (b *builder) where(tenantID int64) ([]string, error) {
	t := b.arg(tenantID)
	// Facts carry tenant_id and employee_id themselves (the join to
	// employees matches both), so tenant and scope bind on the fact row and
	// the join can be dropped when no employee attribute is used.
	who := "e"
	if b.entity() != "employees" {
		who = "f"
	}
	conds := []string{who + ".tenant_id = " + t}
	if b.entity() == "tasks" {
		// Labeling activity is not about employees: no employee scope or
		// employee filter applies (Validate lets only admins and HR ask).
		if len(b.q.Filters) > 0 || b.q.Self || !b.scope.All {
			return nil, errcode.New(errcode.NotUnderstood, "Labeling activity can be grouped by reviewer, team, labeling job and time, not filtered by employee attributes")
		}
		conds = append(conds, b.timeConds()...)
		if b.ms.Status != "" {
			conds = append(conds, "f.status = "+b.arg(b.ms.Status))
		}
		return conds, nil
	}
	conds = append(conds, b.scopeCond(who)...)
	if grouped(b.q.Dimensions, "manager") {
		// by manager: the people someone manages (who manages no one's top
		// was a group of its own, named "(outside your scope)", and could
		// rank first)
		conds = append(conds, "e.manager_id is not null")
	}
	if b.q.Self {
		if b.scope.EmployeeID == "" {
			return nil, errcode.New(errcode.PermissionDenied, "Your user is not linked to an employee record, so scry cannot tell which data is yours")
		}
		conds = append(conds, who+".employee_id = "+b.arg(b.scope.EmployeeID))
	}
	for _, f := range b.q.Filters {
		c, err := b.filterCond(f)
		if err != nil {
			return nil, err
		}
		if c != "" {
			conds = append(conds, c)
		}
	}
	conds = append(conds, b.timeConds()...)
	if b.q.Current {
		now := b.date(b.now)
		conds = append(conds, "e.hire_date <= "+now, "(e.end_date is null or e.end_date >= "+now+")")
	}
	// a measure's own status (overtime is of worked shifts) gives way to one
	// the question names: "who is scheduled for more than their contracted
	// hours next week" is overtime of planned shifts
	if b.ms.Status != "" && b.entity() == "shifts" && !b.statusNamed() {
		conds = append(conds, "f.status = "+b.arg(b.ms.Status))
	}
	return conds, nil
}

// statusNamed: the question keeps shifts of a status it names.
func (b *builder) statusNamed() bool {
	for _, f := range b.q.Filters {
		if f.Field == "status" && !f.Negate {
			return true
		}
	}
	return false
}

// scopeCond restricts alias's employee to the asker's scope.
func (b *builder) scopeCond(alias string) []string {
	switch {
	case b.scope.All:
		return nil
	case b.scope.Subtree:
		return []string{alias + ".employee_id in (select id from scope)"}
	}
	return []string{alias + ".employee_id = " + b.arg(b.scope.EmployeeID)}
}

// scopeCTE is the manager's subtree, computed by the database.
func (b *builder) scopeCTE(tenantID int64) string {
	if b.scope.All || !b.scope.Subtree {
		return ""
	}
	t, me := b.arg(tenantID), b.arg(b.scope.EmployeeID)
	return "with recursive scope(id) as (select employee_id from employees where tenant_id = " + t + " and employee_id = " + me +
		// cross join keeps the walk going from each found id to its reports
		// by the manager index; the planner's other order scans employees once per level
		" union select c.employee_id from scope s cross join employees c where c.tenant_id = " + t + " and c.manager_id = s.id) "
}

func (b *builder) in(col string, f Filter) string {
	ps := make([]string, len(f.Values))
	for i, v := range f.Values {
		ps[i] = b.arg(v)
	}
	op := " in ("
	if f.Negate {
		op = " not in ("
	}
	return col + op + strings.Join(ps, ", ") + ")"
}

// A condition on a shift's own place or position reads the shift's, as a
// grouping by them does: "hours worked in Paris" is the Paris row of "hours
// worked by location", and hours worked at a "Remote" location (a shift's
// place, never an employee's) are found at all.
// filterConds is the SQL of each filter, for the part of a share or a
// ratio's sides.
func (b *builder) filterConds(fs []Filter) ([]string, error) {
	var out []string
	for _, f := range fs {
		c, err := b.filterCond(f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (b *builder) filterCond(f Filter) (string, error) {
	if d, ok := b.model.Dimensions[f.Field]; ok && d.ShiftsColumn != "" && b.entity() == "shifts" && f.Ref == nil && f.Op == "" && !b.q.perHeadParts {
		f.Field = d.ShiftsColumn
		return b.filterOn(f, "f")
	}
	return b.filterOn(f, "e")
}

// filterOn is the condition of f on the employee row alias (facts for
// absence type and status).
func (b *builder) filterOn(f Filter, alias string) (string, error) {
	if f.Field == "any" {
		var alts []string
		for _, a := range f.Any {
			c, err := b.filterOn(a, alias)
			if err != nil {
				return "", err
			}
			alts = append(alts, c)
		}
		return "(" + strings.Join(alts, " or ") + ")", nil
	}
	if f.Ref != nil && f.Ref.Of == "manager" {
		// each person against their own manager, who must be one the asker
		// may see: the negation stays inside, so a person with no manager,
		// or one outside the scope, is in neither answer. An employee sees
		// no manager: every answer would be none, so it is refused
		if !b.scope.All && !b.scope.Subtree {
			return "", errcode.New(errcode.NotUnderstood, "scry compares people with their managers for HR, admins and managers, who see the managers compared; you see only your own record")
		}
		conds := []string{"m.tenant_id = " + b.arg(b.tenant), "m.employee_id = " + alias + ".manager_id"}
		if !b.scope.All {
			conds = append(conds, b.scopeCond("m")...)
		}
		op, field := f.Op, f.Field
		if op == "" {
			op = "="
		}
		// older or longer serving by the day, not by completed years (two
		// people of 48 may be born months apart)
		if field == "age" || field == "tenure" {
			field = map[string]string{"age": "birth_date", "tenure": "hire_date"}[field]
			op = map[string]string{">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "="}[op]
		}
		c := b.attrExpr(field, alias) + " " + op + " " + b.attrExpr(field, "m")
		if f.Negate {
			c = "not (" + c + ")"
		}
		return "exists (select 1 from employees m where " + strings.Join(append(conds, c), " and ") + ")", nil
	}
	if at, ok := attributes[f.Field]; ok {
		c := b.attrCond(f, at, alias)
		if f.Negate && (f.Op != "" || f.Ref != nil) {
			c = "not (" + c + ")"
		}
		return c, nil
	}
	ent := b.entity()
	switch f.Field {
	case "absence_type":
		if ent == "absences" {
			return b.in("f.type", f), nil
		}
		// "employees on sick leave today": people with such an absence in the period
		lo, hi := b.period()
		ex := "exists (select 1 from absences a where a.tenant_id = " + alias + ".tenant_id and a.employee_id = " + alias + ".employee_id and " + b.in("a.type", f)
		switch {
		case lo != "" && b.q.Starts:
			ex += " and a.start_date >= " + b.date(lo) // "whose vacation began this month"
		case lo != "":
			ex += " and a.end_date >= " + b.date(lo)
		}
		if hi != "" {
			ex += " and a.start_date <= " + b.date(hi)
		}
		return ex + ")", nil
	case "status":
		switch ent {
		case "shifts":
			return b.in("f.status", f), nil
		case "employees":
			// "what percentage of employees worked last week": people with
			// such a shift in the period
			lo, hi := b.period()
			ex := "exists (select 1 from shifts s where s.tenant_id = " + alias + ".tenant_id and s.employee_id = " + alias + ".employee_id and " + b.in("s.status", f)
			for _, c := range b.rangeConds("s.date", lo, hi) {
				ex += " and " + c
			}
			return ex + ")", nil
		}
		return "", nil
	case "shift_hours":
		// one shift's own length, in the hours it counts (breaks out)
		if ent != "shifts" {
			return "", errcode.New(errcode.NotUnderstood, "Only shifts have a length in hours")
		}
		return "f.hours " + f.Op + " " + b.arg(atof(f.Values[0])), nil
	case "shift_break":
		// one shift's own break, in minutes
		if ent != "shifts" {
			return "", errcode.New(errcode.NotUnderstood, "Only shifts have breaks")
		}
		return "f.break_minutes " + f.Op + " " + b.arg(atof(f.Values[0])), nil
	case "start_time", "end_time":
		// a shift's time of day, as HH:MM text (validated), compared as text;
		// a shift that ends before it starts ends the next day, so it ends
		// after any time of the day it started and before none
		if ent != "shifts" {
			return "", errcode.New(errcode.NotUnderstood, "Only shifts have start and end times")
		}
		var c string
		if f.Values[0] != "24:00" {
			c = "f." + f.Field + " " + f.Op + " " + b.arg(f.Values[0])
		}
		switch f.endCase() {
		case endMidnight:
			c = "f.end_time < f.start_time" // the next day: a shift ending at 00:00 ran to midnight
		case endNightAfter:
			c = "(" + c + " and f.end_time < f.start_time)" // "ending after 1am": in the night after
		case endBeforeSmallHours:
			c = "(" + c + " or f.end_time >= f.start_time)" // "ended before 1am": the same day, or early in the night
		case endAfter:
			c = "(" + c + " or f.end_time < f.start_time)"
		case endBefore:
			c = "(" + c + " and f.end_time >= f.start_time)"
		}
		if f.Negate {
			c = "not " + c
		}
		return c, nil
	case "weekday":
		if ent != "shifts" && ent != "absences" {
			return "", errcode.New(errcode.NotUnderstood, "Only shifts and absences fall on days of the week")
		}
		days := make([]string, len(f.Values))
		for i, v := range f.Values {
			n, _ := strconv.Atoi(v)
			days[i] = strconv.Itoa(n) // validated 0–6: written into the SQL as numbers, not parameters
		}
		op := " in ("
		if f.Negate {
			op = " not in ("
		}
		return b.timeExpr("weekday", b.dateCol()) + op + strings.Join(days, ", ") + ")", nil
	}
	return "", errcode.New(errcode.NotUnderstood, "scry cannot filter by %q", f.Field)
}

// attrCond compares a person's attribute: with values, a computed value,
// a pattern of letters, or "has one".
func (b *builder) attrCond(f Filter, at attribute, alias string) string {
	col := b.attrExpr(f.Field, alias)
	text := at.typ == "string" && f.Field != "gender" && f.Field != "contract_type"
	switch {
	case f.Op == "under":
		// everyone below the people of the reference, at any depth (the
		// database walks the manager tree, within the tenant)
		t := b.arg(b.tenant)
		return alias + ".employee_id in (with recursive below(id) as (select c.employee_id from employees c where c.tenant_id = " + t +
			" and c.manager_id in (" + b.refSQL(f.Ref) + ") union select c.employee_id from below s cross join employees c where c.tenant_id = " + t +
			" and c.manager_id = s.id) select id from below)"
	case f.Op == "during":
		// a period of the question's own day ("this year"), resolved as its
		// time range is (Validate has checked that it resolves)
		now, _ := time.Parse(day, b.now)
		from, to, _ := resolveExpr(f.Values[0], now)
		var bounds []string // "to date" has no first day, "upcoming" no last
		if from != "" {
			bounds = append(bounds, col+" >= "+b.typed("date", from))
		}
		if to != "" {
			bounds = append(bounds, col+" <= "+b.typed("date", to))
		}
		return "(" + strings.Join(bounds, " and ") + ")"
	case f.Op == "yearly":
		// the date's day of the year falls in the period, in any year
		// ("whose birthday is next week", "work anniversaries this month")
		now, _ := time.Parse(day, b.now)
		from, to, _ := resolveExpr(f.Values[0], now)
		lo, err1 := time.Parse(day, from)
		hi, err2 := time.Parse(day, to)
		if err1 != nil || err2 != nil || hi.Sub(lo) >= 365*24*time.Hour {
			return "(" + col + " is not null)" // a year or more, or open: every day of the year
		}
		md := b.d.MonthDay(col)
		join := " and "
		if from[5:] > to[5:] {
			join = " or " // across the new year: late December or early January
		}
		cond := "(" + md + " >= " + b.arg(from[5:]) + join + md + " <= " + b.arg(to[5:]) + ")"
		if f.Field == "hire_date" {
			// an anniversary is a year on at least: hired before the period
			cond = "(" + cond + " and " + col + " < " + b.typed("date", from) + ")"
		}
		return cond
	case f.Op == "me":
		return col + " = " + b.arg(b.scope.EmployeeID) // the asker's direct reports, or the asker (Validate: the asker is an employee)
	case f.Op == "set":
		return col + " is not null"
	case f.Op == "starts" || f.Op == "ends" || f.Op == "contains":
		var alts []string
		for _, v := range f.Values {
			v = strings.NewReplacer("%", "", "_", "", "\\", "").Replace(strings.ToLower(v))
			switch f.Op {
			case "starts":
				v += "%"
			case "ends":
				v = "%" + v
			default:
				v = "%" + v + "%"
			}
			alts = append(alts, "lower("+col+") like "+b.arg(v))
		}
		return "(" + strings.Join(alts, " or ") + ")"
	case f.Ref != nil && f.Op == "":
		return col + " in (" + b.refSQL(f.Ref) + ")"
	case f.Ref != nil:
		return col + " " + f.Op + " (" + b.refSQL(f.Ref) + ")"
	case f.Op != "":
		return col + " " + f.Op + " " + b.typed(at.typ, f.Values[0])
	case text:
		lf := f
		lf.Values = make([]string, len(f.Values))
		for i, v := range f.Values {
			lf.Values[i] = strings.ToLower(v)
		}
		return b.in("lower("+col+")", lf)
	}
	return b.in(col, f)
}

// typed is a parameter of the attribute's type.
func (b *builder) typed(typ, v string) string {
	switch typ {
	case "number":
		n, _ := strconv.ParseFloat(v, 64)
		return b.arg(n)
	case "date":
		return b.date(v)
	}
	return b.arg(v)
}

// compileApart answers two periods that do not follow each other
// ("hours by department, October 2026 vs October 2025", "headcount today vs
// a year ago") with each period's answer as that period asked alone gives
// it, labelled with the period, in one statement: the time between them is
// never read, and an absence counts in each period it overlaps, as it does
// asked alone. Only answers whose rows stand alone can be put side by side
// so; a rank, a limit or a share of the whole would need both periods at
// once.
func compileApart(q *Query, m *semantic.Model, d store.Dialect, tenantID int64, scope Scope, now string, rowCap int, rollups bool) (compiled, error) {
	unit := versusUnit(q.Time.Expr)
	if q.Kind != "groups" || !grouped(q.Dimensions, unit) || q.Order != "" || q.Limit > 0 || q.Offset > 0 || q.Share || q.RankWithin != "" ||
		q.Having != nil && q.Having.Ref != nil || q.Measure == "headcount" && unit != "day" {
		return compiled{}, notUnderstoodf("scry compares two periods that do not follow each other (%s) as each one's totals, side by side; for a ranking, a limit or a share of both ask about each period on its own", humanRange(q.Time))
	}
	var out compiled
	var parts []string
	for i, p := range q.Time.apart {
		one := *q
		one.Dimensions = slices.DeleteFunc(slices.Clone(q.Dimensions), func(d string) bool { return d == unit })
		if len(one.Dimensions) == 0 {
			one.Kind = "number"
		}
		one.Time = &TimeRange{Expr: "between " + p[0] + " and " + p[1], From: p[0], To: p[1]}
		if p[0] == p[1] {
			one.Time.Expr = "on " + p[0]
		}
		c, err := compile(&one, m, d, tenantID, scope, now, rowCap, rollups)
		if err != nil {
			return compiled{}, err
		}
		t, _ := time.Parse(day, p[0])
		// the label is the code's own text ("2026-10", "2026-Q3"), no
		// value of the question's
		parts = append(parts, fmt.Sprintf("select '%s' as period, p%d.* from (%s) p%d", periodLabel(unit, t), i+1, out.part(c), i+1))
		out.Columns = append([]Column{{Name: unit, Type: "string"}}, c.Columns...)
	}
	// each group's periods together, in time order
	var order []string
	for i := 2; i <= len(q.Dimensions); i++ {
		order = append(order, strconv.Itoa(i))
	}
	out.SQL = strings.Join(parts, " union all ") + " order by " + strings.Join(append(order, "1"), ", ")
	return out, nil
}

// compileRise keeps the groups whose total in the first period named is
// above (Rise ">") or below ("<") their total in the second ("which
// teachers worked more hours in October than in September"): each
// period's totals as that period asked alone gives them, side by side, a
// group with none in one period at 0 there, the largest change first.
func compileRise(q *Query, m *semantic.Model, d store.Dialect, tenantID int64, scope Scope, now string, rowCap int, rollups bool) (compiled, error) {
	today, err := time.Parse(day, now)
	if err != nil {
		return compiled{}, err
	}
	var out compiled
	var parts [2]string
	for i, expr := range strings.SplitN(q.Time.Expr, " vs ", 2) {
		from, to, err := resolveExpr(expr, today)
		if err != nil {
			return compiled{}, err
		}
		one := *q
		one.Rise, one.Order, one.Limit, one.Offset, one.exact = "", "", 0, 0, false
		one.Time = &TimeRange{Expr: expr, From: from, To: to}
		c, err := compile(&one, m, d, tenantID, scope, now, rowCap, rollups)
		if err != nil {
			return compiled{}, err
		}
		parts[i] = out.part(c)
		if i == 0 {
			out.Columns = slices.Clone(c.Columns[:len(c.Columns)-1])
		}
		t, _ := time.Parse(day, from)
		// the label is the code's own text ("2026-10"), no value of the question's
		out.Columns = append(out.Columns, Column{Name: periodLabel(versusUnit(q.Time.Expr), t), Type: "number"})
	}
	var cols []string
	for i := range q.Dimensions {
		cols = append(cols, "d"+strconv.Itoa(i))
	}
	g := strings.Join(cols, ", ")
	dir := map[string]string{">": "desc", "<": "asc"}[q.Rise]
	// the change itself beside the totals ("the biggest increase" asks
	// for it), in the totals' cents
	out.Columns = append(out.Columns, Column{Name: "change", Type: "number"})
	out.SQL = "select " + g + ", sum(a) as a, sum(b) as b, round(" + d.Numeric("sum(a) - sum(b)") + ", 2) as c from (select " + g + ", v as a, 0 as b from (" + parts[0] + ") x union all select " + g + ", 0 as a, v as b from (" + parts[1] + ") y) u" +
		" group by " + g + " having sum(a) " + q.Rise + " sum(b) order by sum(a) - sum(b) " + dir + ", " + g + " limit " + strconv.Itoa(rowCap+1)
	return out, nil
}

// compileBeside answers a second measure beside the first ("headcount and
// average wage per location"): each compiled as if asked alone, joined on
// the groups; a group one of them has no row for is empty there. The
// rows follow the groups' order for periods, else the first measure's,
// largest first.
func compileBeside(q *Query, m *semantic.Model, d store.Dialect, tenantID int64, scope Scope, now string, rowCap int, rollups bool) (compiled, error) {
	var out compiled
	var parts [2]string
	for i, measure := range []string{q.Measure, q.Also} {
		one := *q
		one.Measure, one.Also = measure, ""
		if i == 1 {
			one.Aggs = nil // ("the number of employees and their average weekly hours": the average is the first's)
		}
		c, err := compile(&one, m, d, tenantID, scope, now, rowCap, rollups)
		if err != nil {
			return compiled{}, err
		}
		parts[i] = out.part(c)
		if i == 0 {
			out.Columns = slices.Clone(c.Columns)
		} else {
			out.Columns = append(out.Columns, c.Columns[len(c.Columns)-1])
		}
	}
	var cols []string
	for i := range q.Dimensions {
		cols = append(cols, "d"+strconv.Itoa(i))
	}
	g, lead, group, order := strings.Join(cols, ", "), "", "", ""
	if len(cols) > 0 {
		lead, group = g+", ", " group by "+g
		order = " order by sum(ha) = 0, sum(a) desc, " + g
		if slices.ContainsFunc(q.Dimensions, func(dim string) bool { return m.Dimensions[dim].Time != "" }) {
			order = " order by " + g
		}
		order += " limit " + strconv.Itoa(rowCap+1)
	}
	// (0 and a flag, not NULL, in the other part's column: a NULL literal
	// in a union has no type PostgreSQL can match with a number)
	out.SQL = "select " + lead + "case when sum(ha) > 0 then sum(a) end as a, case when sum(hb) > 0 then sum(b) end as b from (" +
		"select " + lead + "v as a, 0 as b, 1 as ha, 0 as hb from (" + parts[0] + ") x union all select " + lead + "0 as a, v as b, 0 as ha, 1 as hb from (" + parts[1] + ") y) u" +
		group + order
	return out, nil
}

// part takes c into a statement out is made of: its arguments after out's
// own, its placeholders renumbered; it returns c's SQL so numbered.
func (out *compiled) part(c compiled) string {
	c = c.withoutUnusedArgs()
	shift := len(out.Args)
	out.Args = append(out.Args, c.Args...)
	if c.Setup != "" {
		out.Setup = c.Setup
	}
	return reParam.ReplaceAllStringFunc(c.SQL, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		return "$" + strconv.Itoa(n+shift)
	})
}

// headDay is the day a total per head counts its heads on: the period's
// last, or today for a period that runs on, is open or still to come.
func headDay(q *Query, now string) string {
	if q.Time != nil && q.Time.To != "" && q.Time.To < now {
		return q.Time.To
	}
	return now
}

// compilePerHead divides each group's total by its headcount on headDay
// ("sick days per head by department this year"): the total as asked
// alone, and the headcount of the same people as asked alone, joined on
// the groups; a group with no one employed that day has no row (nothing
// to divide by), one with no facts has 0.
func compilePerHead(q *Query, m *semantic.Model, d store.Dialect, tenantID int64, scope Scope, now string, rowCap int, rollups bool) (compiled, error) {
	total := *q
	total.PerHead, total.PerPerson, total.Order, total.Limit, total.Offset, total.exact = false, false, "", 0, 0, false
	total.perHeadParts = q.PerHead
	on := headDay(q, now)
	heads := Query{Kind: q.Kind, Measure: "headcount", Dimensions: q.Dimensions, Everyone: q.Everyone, perHeadParts: true,
		Filters: slices.DeleteFunc(slices.Clone(q.Filters), factFilter), Time: &TimeRange{Expr: "on " + on, From: on, To: on}}
	if q.PerPerson {
		// the people with any of the measure: its count of people over 0
		heads = total
		heads.CountOf = &Condition{Op: ">", Value: 0}
	}
	var parts [2]string
	var out compiled
	for i, one := range []*Query{&total, &heads} {
		c, err := compile(one, m, d, tenantID, scope, now, rowCap, rollups)
		if err != nil {
			return compiled{}, err
		}
		parts[i] = out.part(c)
		if i == 1 {
			out.Columns = slices.Clone(c.Columns)
		}
	}
	label := m.Measures[q.Measure].Label + map[bool]string{true: "_per_person", false: "_per_head"}[q.PerPerson]
	out.Columns[len(out.Columns)-1] = Column{Name: label, Type: "number"}
	ratio := "coalesce(t.v, 0) * 1.0 / h.v"
	if len(q.Dimensions) == 0 {
		out.SQL = "select round(" + d.Numeric("coalesce((select t.v from ("+parts[0]+") t), 0) * 1.0 / nullif((select h.v from ("+parts[1]+") h), 0)") + ", 2) as v"
		return out, nil
	}
	var cols, on2, order []string
	for i := range q.Dimensions {
		col := "d" + strconv.Itoa(i)
		cols = append(cols, "h."+col)
		on2 = append(on2, "(t."+col+" = h."+col+" or t."+col+" is null and h."+col+" is null)")
		order = append(order, strconv.Itoa(i+1))
	}
	dir := "desc"
	if q.Order == "asc" {
		dir = "asc"
	}
	out.SQL = "select " + strings.Join(cols, ", ") + ", round(" + d.Numeric(ratio) + ", 2) as v from (" + parts[1] + ") h left join (" + parts[0] + ") t on " +
		strings.Join(on2, " and ") + " where h.v > 0 order by " + strconv.Itoa(len(cols)+1) + " " + dir + ", " + strings.Join(order, ", ")
	if q.Limit > 0 {
		out.SQL += " limit " + strconv.Itoa(q.Limit) + " offset " + strconv.Itoa(q.Offset)
	} else {
		out.SQL += " limit " + strconv.Itoa(rowCap+1)
	}
	return out, nil
}

// refSQL computes a value from the people the asker may see (current
// employees): "the average wage", "Clara's department".
func (b *builder) refSQL(r *Ref) string {
	col := b.attrExpr(r.Field, "r")
	sel := col
	if r.Agg != "" {
		sel = r.Agg + "(" + col + ")"
	}
	conds := []string{"r.tenant_id = " + b.arg(b.tenant)}
	if !b.scope.All {
		conds = append(conds, b.scopeCond("r")...)
	}
	d := b.date(b.now)
	conds = append(conds, "r.hire_date <= "+d, "(r.end_date is null or r.end_date >= "+d+")")
	for _, f := range r.Filters {
		c, err := b.filterOn(f, "r")
		if err == nil && c != "" {
			conds = append(conds, c)
		}
	}
	return "select " + sel + " from employees r where " + strings.Join(conds, " and ")
}

// period is the resolved time range, or the default when none was asked.
func (b *builder) period() (string, string) {
	if b.q.Time != nil {
		return b.q.Time.From, b.q.Time.To
	}
	return "", b.now
}

// rangeConds keeps col within [lo, hi] ("" leaves that side open).
func (b *builder) rangeConds(col, lo, hi string) []string {
	var out []string
	if lo != "" {
		out = append(out, col+" >= "+b.date(lo))
	}
	if hi != "" {
		out = append(out, col+" <= "+b.date(hi))
	}
	return out
}

func (b *builder) timeConds() []string {
	lo, hi := b.period()
	var out []string
	rng := func(col string) { out = append(out, b.rangeConds(col, lo, hi)...) }
	switch b.entity() {
	case "tasks":
		rng(b.dateCol())
	case "shifts":
		rng("f.date")
		if b.q.Time == nil && b.ms.Status == "" {
			out = append(out, "f.status = "+b.arg("worked")) // no range: planned future shifts excluded
		}
	case "absences":
		// an absence falls in a period if it overlaps it; grouped by time, in
		// every bucket it overlaps within the period (absenceBuckets), or,
		// where that cannot be (two grains, a starting absence), in the one
		// it starts in, so it must start in the period too (else "per month
		// over the last 6 months" grows a seventh, earlier month)
		if lo != "" && b.q.Starts {
			out = append(out, "f.start_date >= "+b.date(lo))
		} else if lo != "" {
			out = append(out, "f.end_date >= "+b.date(lo))
			for _, d := range b.q.Dimensions {
				if g := b.model.Dimensions[d].Time; b.buckets == "" && g != "" && g != "weekday" && g != "hour" && g != "clock" {
					out = append(out, "f.start_date >= "+b.date(lo))
					break
				}
			}
		}
		if hi != "" {
			out = append(out, "f.start_date <= "+b.date(hi))
		}
	default:
		switch {
		case b.ms.Derived == "turnover_rate":
			// the measure's sums hold the period
		case b.ms.Event == "hired":
			rng("e.hire_date")
		case b.ms.Event == "left":
			rng("e.end_date")
		case b.q.Kind == "people" && b.q.Measure == "" && hasFilter(b.q, "absence_type"), hasFilter(b.q, "status"),
			b.q.Measure == "headcount" && b.q.Time != nil && hasFilter(b.q, "absence_type"):
			// people defined by their absences or shifts: the fact carries
			// the period ("the average age of people who worked in Lyon last
			// month", "how many employees had both sick leave and training
			// this year" count those who left during it)
		case b.q.Measure != "headcount" && !b.q.Current && (b.q.Self || slices.ContainsFunc(b.q.Filters, func(f Filter) bool { return f.Field == "name" && !f.Negate })):
			// a person named ("Anna Roux's tenure", "show Anna Roux") or the
			// asker ("how long did I work here") is that person, here today
			// or gone; only a count asks who is here
		case hasEvent(b.q) && !b.q.perHeadParts:
			// people named by their hire or leave ("the average age of
			// those who left this year"): whether they are here today is
			// not asked
		default:
			// people are counted on a day: today, or the end of the range
			on := b.now
			if hi != "" && hi < on {
				on = hi
			}
			d := b.date(on)
			out = append(out, "e.hire_date <= "+d, "(e.end_date is null or e.end_date >= "+d+")")
		}
	}
	return out
}

// hasEvent: q names people by when they were hired or left: a "during"
// filter on their dates, any bound on the day they left ("which teachers
// left between September 2025 and August 2026" are gone today), or a hire
// date between two days ("hired between March and June", as "hired this
// year", counts those who left since). A hire date bounded on one side
// only ("hired before 2020") stays a condition on today's staff.
func hasEvent(q *Query) bool {
	from, to := false, false
	for _, f := range q.Filters {
		if f.Negate || f.Field != "hire_date" && f.Field != "end_date" {
			continue
		}
		switch {
		case f.Op == "during", f.Field == "end_date" && f.Op != "":
			return true
		case f.Op == ">=", f.Op == ">":
			from = true
		case f.Op == "<=", f.Op == "<":
			to = true
		}
	}
	return from && to
}

func hasFilter(q *Query, field string) bool {
	for _, f := range q.Filters {
		if f.Field == field {
			return true
		}
	}
	return false
}

var ops = map[string]bool{">": true, ">=": true, "<": true, "<=": true, "=": true}

// compile turns a validated query into SQL for the dialect.
// With rollups, subtotals of shifts come from shift_totals where they can.
func compile(q *Query, m *semantic.Model, d store.Dialect, tenantID int64, scope Scope, now string, rowCap int, rollups bool) (compiled, error) {
	if q.Having != nil && q.Having.Ref != nil && !q.Having.resolved {
		return compiled{}, errcode.New(errcode.NotUnderstood, "A comparison with someone's total is computed when the question is asked")
	}
	if q.Rise != "" {
		return compileRise(q, m, d, tenantID, scope, now, rowCap, rollups)
	}
	if q.Also != "" {
		return compileBeside(q, m, d, tenantID, scope, now, rowCap, rollups)
	}
	if q.Time != nil && q.Time.apart != nil {
		return compileApart(q, m, d, tenantID, scope, now, rowCap, rollups)
	}
	if q.PerHead || q.PerPerson {
		return compilePerHead(q, m, d, tenantID, scope, now, rowCap, rollups)
	}
	b := &builder{d: d, model: m, q: q, now: now, scope: scope, tenant: tenantID, rollups: rollups}
	if q.Measure != "" {
		b.ms = m.Measures[q.Measure]
	}
	cte := b.scopeCTE(tenantID)
	label := b.ms.Label
	switch {
	case weeklyAgainstContract(b.ms) && q.Relation == "" && !q.Without:
		return b.overtime(cte, tenantID, rowCap)
	case q.Relation != "":
		return b.relation(cte, tenantID, rowCap)
	case q.Kind == "shifts":
		return b.shiftList(cte, tenantID, rowCap)
	case q.Kind == "people", q.Without:
		return b.people(cte, tenantID, label, rowCap)
	case q.ShareOf != nil:
		conds, err := b.where(tenantID)
		if err != nil {
			return compiled{}, err
		}
		x := b.arg(q.ShareOf.Value)
		sql := cte + "select round(100.0 * sum(case when v " + q.ShareOf.Op + " " + x + " then 1 else 0 end) / count(*), 2) from (select e.employee_id, " +
			b.measureExpr() + " as v from " + b.from() + " where " + strings.Join(conds, " and ") + " group by e.employee_id) t"
		return compiled{SQL: sql, Args: b.args, Columns: []Column{{Name: "percent_of_people", Type: "number"}}}, nil
	}
	// an absence grouped by one grain of time is in every bucket it
	// overlaps, as asked of each bucket alone: a share by month too
	b.buckets = b.overlapGrain()
	if len(q.ShareWhere) > 0 {
		conds, err := b.where(tenantID)
		if err != nil {
			return compiled{}, err
		}
		part, err := b.filterConds(q.ShareWhere)
		if err != nil {
			return compiled{}, err
		}
		value := "1"
		if b.ms.Agg == "sum" {
			value = "f." + b.ms.Column
		}
		// by group: the part's share of each group's own total ("what % of
		// each department is part-time")
		var sel, groups []string
		var cols []Column
		for i, dn := range q.Dimensions {
			expr, col, err := b.dimExpr(dn)
			if err != nil {
				return compiled{}, err
			}
			sel, groups, cols = append(sel, expr+" as d"+strconv.Itoa(i)), append(groups, "d"+strconv.Itoa(i)), append(cols, col)
		}
		num := "coalesce(sum(case when " + strings.Join(part, " and ") + " then " + value + " else 0 end), 0)"
		den, times, label := "sum("+value+")", "100.0 * ", "percent"
		if len(q.RatioTo) > 0 {
			to, err := b.filterConds(q.RatioTo)
			if err != nil {
				return compiled{}, err
			}
			den, times, label = "sum(case when "+strings.Join(to, " and ")+" then "+value+" else 0 end)", "1.0 * ", "ratio"
		}
		share := "round(" + d.Numeric(times+num+" / nullif("+den+", 0)") + ", 2)"
		sql := cte + "select " + strings.Join(append(sel, share), ", ") + " from " + b.from() + " where " + strings.Join(conds, " and ")
		if len(groups) > 0 {
			sql += " group by " + strings.Join(groups, ", ")
			var having []string
			if len(q.RatioTo) > 0 {
				having = append(having, den+" <> 0") // a ratio to nothing is no number
			}
			if q.Having != nil {
				// "departments where the share of part-time staff is above 20"
				having = append(having, share+" "+q.Having.Op+" "+b.arg(q.Having.Value))
			}
			if len(having) > 0 {
				sql += " having " + strings.Join(having, " and ")
			}
			if q.Order != "" {
				// "which department has the highest share of women": ranked
				// by the share (the first group by name was given)
				sql += " order by " + times + num + " / nullif(" + den + ", 0) " + q.Order + ", " + strings.Join(groups, ", ") + limitClause(q, rowCap)
			} else {
				sql += " order by " + strings.Join(groups, ", ")
			}
		} else if q.Having != nil {
			return compiled{}, errcode.New(errcode.NotUnderstood, "scry compares a share with a number for each group (\"departments where the share of part-time staff is above 20\"), not for one total")
		}
		return compiled{SQL: sql, Args: b.args, Columns: append(cols, Column{Name: label, Type: "number"})}, nil
	}
	if q.CountOf != nil {
		return b.countOf(cte, tenantID, rowCap)
	}
	if b.rollup() {
		return b.byDay(cte, tenantID, rowCap)
	}
	var sel, groups []string
	var cols []Column
	var timeCols []string
	for i, dn := range q.Dimensions {
		expr, col, err := b.dimExpr(dn)
		if err != nil {
			return compiled{}, err
		}
		alias := fmt.Sprintf("d%d", i)
		sel = append(sel, expr+" as "+alias)
		groups = append(groups, alias)
		if dn == "employee" {
			groups = append(groups, "e.employee_id")
		}
		cols = append(cols, col)
		if m.Dimensions[dn].Time != "" || dn == "trend" {
			timeCols = append(timeCols, alias)
		}
	}
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	meas := ""
	if len(q.Aggs) > 0 {
		meas = b.measureAgg(q.Aggs[0])
	} else {
		meas = b.measureExpr()
	}
	if q.Kind == "number" && b.ms.Agg != "avg" && b.ms.Derived != "turnover_rate" && len(q.Aggs) == 0 { // a rate of no one is none, not 0
		meas = "coalesce(" + meas + ", 0)"
	}
	from := b.from()
	if q.PerPersonWeek {
		inner := append(append([]string{}, sel...), "e.employee_id as pid", b.timeExpr("week", b.dateCol())+" as wk", meas+" as v")
		innerGroups := append(append([]string{}, groups...), "pid", "wk")
		from = "(" + "select " + strings.Join(inner, ", ") + " from " + from + " where " + strings.Join(conds, " and ") +
			" group by " + strings.Join(innerGroups, ", ") + ") t"
		conds = nil
		for i := range sel {
			sel[i] = fmt.Sprintf("d%d", i)
		}
		// outside the subquery only its columns exist: group by the aliases
		// (pid stands for an employee dimension's id)
		var outer []string
		for _, g := range groups {
			if g == "e.employee_id" {
				g = "pid"
			}
			outer = append(outer, g)
		}
		groups = outer
		meas = "avg(v)"
		label = "average_weekly_" + label
	}
	sel = append(sel, "round("+d.Numeric(meas)+", 2) as v")
	// the unrounded value after the columns: the engine cuts at the limit
	// by it and drops it
	exact := q.exact && len(groups) > 0 && len(timeCols) == 0 && len(q.Aggs) <= 1 && !q.Share
	if exact {
		sel = append(sel, d.Numeric(meas)+" as vexact")
	}
	if q.Distinct != "" {
		label = "different_" + q.Distinct
	}
	for i, agg := range q.Aggs {
		if i > 0 {
			sel = append(sel, "round("+d.Numeric(b.measureAgg(agg))+", 2) as v"+strconv.Itoa(i+1))
		}
		cols = append(cols, Column{Name: aggLabel(agg, label), Type: "number"})
	}
	if len(q.Aggs) == 0 {
		cols = append(cols, Column{Name: label, Type: "number"})
	}
	if exact {
		cols = append(cols, Column{Name: "vexact", Type: "exact"})
	}
	if q.Share {
		over := ""
		if q.ShareWithin != "" {
			expr, _, err := b.dimExpr(q.ShareWithin)
			if err != nil {
				return compiled{}, err
			}
			over = "partition by " + expr
		}
		sel = append(sel, "round("+d.Numeric("100.0 * "+meas+" / sum("+meas+") over ("+over+")")+", 2) as share")
		name := "percent"
		if q.ShareWithin != "" {
			name = "percent_of_" + q.ShareWithin // what each row is a share of, said in the table too
		}
		cols = append(cols, Column{Name: name, Type: "number"})
	}
	sql := cte + "select " + strings.Join(sel, ", ") + " from " + from
	if len(conds) > 0 {
		sql += " where " + strings.Join(conds, " and ")
	}
	if len(groups) > 0 {
		sql += " group by " + strings.Join(groups, ", ")
	}
	if q.Having != nil {
		hv := meas
		if q.HavingOf == "headcount" {
			hv = "count(distinct e.employee_id)"
		}
		sql += " having " + hv + " " + q.Having.Op + " " + b.arg(q.Having.Value)
	}
	if len(groups) > 0 {
		var order []string
		ranked := "v"
		if exact {
			ranked = "vexact"
		}
		nulls := ""
		if b.ms.Derived == "turnover_rate" {
			nulls = " nulls last" // a group with no one employed has no rate; each database puts it elsewhere
		}
		// each group's split together, its largest part first
		if i := slices.Index(q.Dimensions, q.ShareWithin); i >= 0 && q.Order == "" && len(timeCols) == 0 {
			order = append(order, fmt.Sprintf("d%d", i))
		}
		switch {
		case q.Order != "":
			order = append(order, ranked+" "+q.Order+nulls)
		case len(timeCols) > 0:
			order = append(order, timeCols...)
		default:
			order = append(order, ranked+" desc"+nulls)
		}
		order = append(order, groups...) // ties in a stable order on both databases
		sql += " order by " + strings.Join(order, ", ")
		sql += limitClause(q, rowCap)
	}
	return compiled{SQL: b.dropUnusedJoin(sql), Args: b.args, Columns: cols}, nil
}

// overtime sums each person's hours beyond their contracted weekly hours,
// week by week (a week with fewer hours than the contract is no negative
// overtime), then by the question's groups or people.
// weeklyAgainstContract: overtime or undertime, a person's hours against
// their contracted weekly hours, week by week.
func weeklyAgainstContract(ms semantic.Measure) bool {
	return ms.Derived == "overtime" || ms.Derived == "undertime"
}

func (b *builder) overtime(cte string, tenantID int64, rowCap int) (compiled, error) {
	q := b.q
	if len(q.Aggs) > 0 || q.CountOf != nil && len(q.Dimensions) > 0 || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.Share || q.PerPersonWeek || q.RankWithin != "" {
		return compiled{}, errcode.New(errcode.NotUnderstood, "Overtime can be totalled, grouped, counted or listed by person, not combined with shares, ranks or other aggregates")
	}
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	week := b.timeExpr("week", "f.date")
	over := "sum(f.hours) - max(e.weekly_hours)"
	if b.ms.Derived == "undertime" {
		over = "max(e.weekly_hours) - sum(f.hours)" // of the weeks they worked
	}
	if q.CountOf != nil {
		// "how many people worked overtime last week": the people whose
		// weeks' overtime adds up to more than the condition
		sql := cte + "select count(*) as v from (select pid from (select e.employee_id as pid, " + over + " as ot from " + b.from() +
			" where " + strings.Join(conds, " and ") + " group by e.employee_id, " + week + ") t group by pid having sum(case when ot > 0 then ot else 0 end) " +
			q.CountOf.Op + " " + b.arg(q.CountOf.Value) + ") u"
		return compiled{SQL: sql, Args: b.args, Columns: []Column{{Name: "people", Type: "number"}}}, nil
	}
	var inner, outer, groups, innerGroups []string
	var cols []Column
	dims := q.Dimensions
	if q.Kind == "people" {
		dims = []string{"employee"}
	}
	for i, dn := range dims {
		alias := fmt.Sprintf("d%d", i)
		if b.dateGrain(dn) {
			// a week's overtime belongs to the period its Monday falls in
			g := b.model.Dimensions[dn].Time
			if dn == "trend" {
				g = "month"
			}
			inner = append(inner, b.timeExpr(g, "min(f.date)")+" as "+alias)
			cols = append(cols, Column{Name: g, Type: "string"})
		} else {
			expr, col, err := b.dimExpr(dn)
			if err != nil {
				return compiled{}, err
			}
			inner = append(inner, expr+" as "+alias)
			innerGroups = append(innerGroups, expr)
			cols = append(cols, col)
		}
		outer = append(outer, alias)
		groups = append(groups, alias)
	}
	sql := cte + "select " + strings.Join(append(append([]string{}, outer...), "round("+b.d.Numeric("sum(case when ot > 0 then ot else 0 end)")+", 2) as v"), ", ") +
		" from (select " + strings.Join(append(inner, over+" as ot"), ", ") + " from " + b.from() + " where " + strings.Join(conds, " and ") +
		" group by " + strings.Join(append(innerGroups, "e.employee_id", week), ", ") + ") t"
	if len(groups) > 0 {
		sql += " group by " + strings.Join(groups, ", ")
	}
	if q.Having != nil {
		sql += " having sum(case when ot > 0 then ot else 0 end) " + q.Having.Op + " " + b.arg(q.Having.Value)
	}
	if len(groups) > 0 {
		sql += b.groupOrder(groups) + limitClause(q, rowCap)
	}
	return compiled{SQL: sql, Args: b.args, Columns: append(cols, Column{Name: b.ms.Label, Type: "number"})}, nil
}

func aggLabel(agg, label string) string {
	if agg != "avg" {
		label = strings.TrimPrefix(label, "average_") // the longest absence's days, not its "maximum average"
	}
	switch agg {
	case "avg":
		return "average_" + label
	case "min":
		return "minimum_" + label
	case "max":
		return "maximum_" + label
	case "sum":
		return "total_" + label
	case "median":
		return "median_" + label
	}
	return label
}

// countOf counts the people whose measure meets a condition ("how many
// employees worked more than 40 hours"), overall or per group.
func (b *builder) countOf(cte string, tenantID int64, rowCap int) (compiled, error) {
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	var inner, outer, groups []string
	var cols []Column
	for i, dn := range b.q.Dimensions {
		expr, col, err := b.dimExpr(dn)
		if err != nil {
			return compiled{}, err
		}
		alias := fmt.Sprintf("d%d", i)
		inner = append(inner, expr+" as "+alias)
		outer = append(outer, alias)
		groups = append(groups, expr)
		cols = append(cols, col)
	}
	meas := b.measureExpr()
	c := b.q.CountOf
	sql := cte + "select " + strings.Join(append(append([]string{}, outer...), "count(*) as v"), ", ") + " from (select " +
		strings.Join(append(inner, "e.employee_id as pid"), ", ") + " from " + b.from() + " where " + strings.Join(conds, " and ") +
		" group by " + strings.Join(append(groups, "e.employee_id"), ", ") + " having " + meas + " " + c.Op + " " + b.arg(c.Value) + ") t"
	if len(outer) > 0 {
		sql += " group by " + strings.Join(outer, ", ") + b.groupOrder(outer) + limitClause(b.q, rowCap)
	}
	cols = append(cols, Column{Name: "people", Type: "number"})
	return compiled{SQL: sql, Args: b.args, Columns: cols}, nil
}

// groupOrder orders groups by the value asked ("fewest first"), in time
// order by a grain of time, else largest first; the groups break ties.
func (b *builder) groupOrder(groups []string) string {
	var order []string
	switch {
	case b.q.Order != "":
		order = append(order, "v "+b.q.Order)
	case !b.hasDateGrain():
		order = append(order, "v desc")
	}
	return " order by " + strings.Join(append(order, groups...), ", ")
}

// dateGrain reports whether dimension d is computed from the fact's date.
func (b *builder) dateGrain(d string) bool {
	g := b.model.Dimensions[d].Time
	return d == "trend" || (g != "" && g != "hour" && g != "clock")
}

// rollup reports whether q sums or counts a fact grouped by a grain of its
// date or by employee attributes. Such questions are answered in two steps:
// subtotals per day and per employee from the fact table alone, then the
// date functions and the join to employees on those subtotals — on SQLite
// this avoids a date function and an index probe for every single row.
func (b *builder) rollup() bool {
	q := b.q
	if q.PerPersonWeek || len(q.Aggs) > 0 || b.ms.Derived != "" || q.HavingOf != "" || q.ShareWithin != "" || b.entity() == "employees" || b.entity() == "tasks" || (b.ms.Agg != "sum" && b.ms.Agg != "count") {
		return false
	}
	if b.overlapGrain() != "" {
		return false // an absence's days fall in several buckets, not its start's
	}
	if q.Kind == "number" {
		// a total takes the two steps only for its whole weeks and months
		// to come from shift_totals
		return b.rollups && b.entity() == "shifts" && len(q.Dimensions) == 0 && q.Distinct == "" && !q.Share && q.Having == nil
	}
	return q.Kind == "groups" && len(q.Dimensions) > 0
}

func (b *builder) byDay(cte string, tenantID int64, rowCap int) (compiled, error) {
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	var innerConds, outerConds []string
	for _, c := range conds {
		if reEmployeeRef.MatchString(c) {
			outerConds = append(outerConds, c)
		} else {
			innerConds = append(innerConds, c)
		}
	}
	dateCol := b.dateCol()
	var innerSel, innerGroups, sel, groups []string
	var cols []Column
	needEmployee := len(outerConds) > 0
	for _, dn := range b.q.Dimensions {
		if expr, _, err := b.dimExpr(dn); err == nil && !b.dateGrain(dn) && reEmployeeRef.MatchString(expr) {
			needEmployee = true
		}
	}
	if b.hasDateGrain() {
		innerSel, innerGroups = append(innerSel, dateCol+" as dt"), append(innerGroups, dateCol)
	}
	if needEmployee {
		innerSel, innerGroups = append(innerSel, "f.employee_id as emp"), append(innerGroups, "f.employee_id")
	}
	for i, dn := range b.q.Dimensions {
		expr, col, err := b.dimExpr(dn)
		if err != nil {
			return compiled{}, err
		}
		alias := fmt.Sprintf("d%d", i)
		switch {
		case b.dateGrain(dn):
			sel = append(sel, strings.ReplaceAll(expr, dateCol, "t.dt")+" as "+alias)
		case reEmployeeRef.MatchString(expr):
			sel = append(sel, expr+" as "+alias)
			if dn == "employee" {
				groups = append(groups, "e.employee_id")
			}
		case dn == "hour":
			// group by the raw start time, which follows the day in the key
			// (so SQLite need not sort), and cut the hour from the subtotals
			raw := fmt.Sprintf("r%d", i) // not the outer alias: GROUP BY would take the inner column
			innerSel, innerGroups = append(innerSel, startTime+" as "+raw), append(innerGroups, startTime)
			sel = append(sel, "substr(t."+raw+", 1, 2) as "+alias)
		default:
			innerSel = append(innerSel, expr+" as "+alias)
			innerGroups = append(innerGroups, expr)
			sel = append(sel, "t."+alias+" as "+alias)
		}
		groups = append(groups, alias)
		cols = append(cols, col)
	}
	inner := b.subtotals(innerSel, innerGroups, innerConds)
	meas := "sum(t.v)"
	if len(groups) == 0 {
		meas = "coalesce(sum(t.v), 0)" // a total of nothing is 0, as from the shifts
	}
	sel = append(sel, "round("+b.d.Numeric(meas)+", 2) as v")
	cols = append(cols, Column{Name: b.ms.Label, Type: "number"})
	if b.q.Share {
		sel = append(sel, "round("+b.d.Numeric("100.0 * "+meas+" / sum("+meas+") over ()")+", 2) as share")
		cols = append(cols, Column{Name: "percent", Type: "number"})
	}
	from := "(" + inner + ") t"
	if needEmployee {
		from += " join employees e on e.tenant_id = " + b.arg(tenantID) + " and e.employee_id = t.emp"
	}
	sql := cte + "select " + strings.Join(sel, ", ") + " from " + from
	if len(outerConds) > 0 {
		sql += " where " + strings.Join(outerConds, " and ")
	}
	if len(groups) == 0 {
		return compiled{SQL: sql, Args: b.args, Columns: cols, Setup: b.setup}, nil
	}
	sql += " group by " + strings.Join(groups, ", ")
	if b.q.Having != nil {
		sql += " having " + meas + " " + b.q.Having.Op + " " + b.arg(b.q.Having.Value)
	}
	sql += b.groupOrder(groups) + limitClause(b.q, rowCap)
	return compiled{SQL: sql, Args: b.args, Columns: cols, Setup: b.setup}, nil
}

func (b *builder) hasDateGrain() bool {
	for _, d := range b.q.Dimensions {
		if b.dateGrain(d) {
			return true
		}
	}
	return false
}

var reEmployeeRef = regexp.MustCompile(`\be\.`)

// dropUnusedJoin removes the join to employees from a fact query that uses
// no employee attribute: on large tenants the join costs as much as the scan.
func (b *builder) dropUnusedJoin(sql string) string {
	ent := b.entity()
	if ent == "employees" {
		return sql
	}
	join := ent + " f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id"
	if rest := strings.Replace(sql, join, "", 1); !reEmployeeRef.MatchString(rest) {
		return strings.Replace(sql, join, ent+" f", 1)
	}
	return sql
}

// limitClause is the SQL that keeps q's rows: its limit, after its offset.
func limitClause(q *Query, rowCap int) string {
	if q.Offset > 0 {
		return fmt.Sprintf(" limit %d offset %d", limitOf(q, rowCap), q.Offset)
	}
	return fmt.Sprintf(" limit %d", limitOf(q, rowCap))
}

func limitOf(q *Query, rowCap int) int {
	if q.Limit > 0 && q.Limit <= rowCap {
		return q.Limit
	}
	return rowCap + 1 // one more than shown tells that the cap cut
}

// without lists active employees in scope who have none of the facts the
// rest of the query describes.
func (b *builder) without(cte string, tenantID int64, rowCap int) (compiled, error) {
	t := b.arg(tenantID)
	outer := append([]string{"e.tenant_id = " + t}, b.scopeCond("e")...)
	inner := []string{"f.tenant_id = e.tenant_id", "f.employee_id = e.employee_id"}
	for _, f := range b.q.Filters {
		// the people listed are described by their own attributes ("who in
		// Paris did not work last month")
		c, err := b.filterOn(f, "e")
		if err != nil {
			return compiled{}, err
		}
		if _, onEmployee := attributes[f.Field]; onEmployee || f.Field == "any" {
			outer = append(outer, c)
		} else if c != "" {
			inner = append(inner, c)
		}
	}
	inner = append(inner, b.timeConds()...)
	if b.ms.Status != "" && b.entity() == "shifts" {
		inner = append(inner, "f.status = "+b.arg(b.ms.Status))
	}
	d := b.date(b.now)
	outer = append(outer, "e.hire_date <= "+d, "(e.end_date is null or e.end_date >= "+d+")",
		"not exists (select 1 from "+b.entity()+" f where "+strings.Join(inner, " and ")+")")
	where := " from employees e where " + strings.Join(outer, " and ")
	if b.q.Kind == "number" {
		// "how many employees have never been off sick"
		return compiled{SQL: cte + "select count(*) as v" + where, Args: b.args, Columns: []Column{{Name: "people", Type: "number"}}}, nil
	}
	sql := cte + "select e.employee_id, " + nameExpr + " as name, e.department, e.position" + where + " order by name" + limitClause(b.q, rowCap)
	return compiled{SQL: sql, Args: b.args,
		Columns: personColumns()}, nil
}

// personColumns are the columns that show a person.
func personColumns() []Column {
	return []Column{{"employee_id", "string"}, {"name", "string"}, {"department", "string"}, {"position", "string"}}
}

// people lists employees: id, name, department, position, the columns
// asked for and the measure, sorted as asked.
func (b *builder) people(cte string, tenantID int64, label string, rowCap int) (compiled, error) {
	if b.q.Without {
		return b.without(cte, tenantID, rowCap)
	}
	argsBefore := len(b.args)
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	from, conds := b.peopleSource(conds)
	// the rollups give a person's total only: anything else of a single
	// shift the list shows or ranks by (a shift's position) reads shifts
	redo := func(sql string) (compiled, bool) {
		if b.totalOf == "" || !otherFactColumn(strings.Replace(sql, from, "", 1)) {
			return compiled{}, false
		}
		b.args, b.setup, b.noPeopleTotals, b.totalOf = b.args[:argsBefore], "", true, ""
		c, err := b.people(cte, tenantID, label, rowCap)
		if err != nil {
			panic(err) // the same query compiled once already
		}
		return c, true
	}
	cols := personColumns()
	if b.q.PerPersonWeek {
		label = "average_weekly_" + label
	}
	sel := []string{"e.employee_id as c0", nameExpr + " as c1", "e.department as c2", "e.position as c3"}
	// group by every column of the person, so that any expression over them
	// may be shown or sorted on (PostgreSQL requires it)
	group := []string{"e.tenant_id", "e.employee_id", "e.first_name", "e.last_name", "e.email", "e.gender", "e.birth_date", "e.hire_date",
		"e.end_date", "e.department", "e.position", "e.contract_type", "e.weekly_hours", "e.manager_id", "e.location", "e.hourly_wage"}
	shown := map[string]bool{"employee_id": true, "name": true, "department": true, "position": true}
	// a list sorted by an attribute shows it ("staff by hire date, newest
	// first" with no hire dates would leave the order unexplained)
	showing := slices.Clone(b.q.Columns)
	for _, k := range b.q.Sort {
		showing = append(showing, k.Field)
	}
	for _, c := range showing {
		if shown[c] || c == "first_name" || c == "last_name" {
			continue // the person's name is always shown
		}
		shown[c] = true
		expr := b.attrExpr(c, "e")
		alias := fmt.Sprintf("c%d", len(sel))
		sel = append(sel, expr+" as "+alias)
		cols = append(cols, Column{Name: c, Type: attributes[c].typ})
	}
	var order, rankBy []string
	if b.q.Measure != "" {
		meas := b.measureExpr()
		sel = append(sel, "round("+b.d.Numeric(meas)+", 2) as v")
		cols = append(cols, Column{label, "number"})
		if b.q.Order != "" {
			order = append(order, "v "+b.q.Order)
			rankBy = append(rankBy, meas+" "+b.q.Order)
			// whole years tie: the oldest is the one born first
			switch b.q.Measure {
			case "age":
				order = append(order, "e.birth_date "+map[string]string{"desc": "asc", "asc": "desc"}[b.q.Order])
				rankBy = append(rankBy, order[len(order)-1])
			case "tenure":
				order = append(order, "e.hire_date "+map[string]string{"desc": "asc", "asc": "desc"}[b.q.Order])
				rankBy = append(rankBy, order[len(order)-1])
			}
		}
	}
	for _, k := range b.q.Sort {
		dir := " asc"
		if k.Desc {
			dir = " desc"
		}
		order = append(order, b.attrExpr(k.Field, "e")+dir)
		rankBy = append(rankBy, b.attrExpr(k.Field, "e")+dir)
	}
	order = append(order, "c1", "c0")
	having := ""
	if b.q.Measure != "" && b.q.Having != nil {
		having = " having " + b.measureExpr() + " " + b.q.Having.Op + " " + b.arg(b.q.Having.Value)
	}
	sqlBody := "select " + strings.Join(sel, ", ") + " from " + from + " where " + strings.Join(conds, " and ") +
		" group by " + strings.Join(dedupe(group), ", ") + having
	// "the highest paid in each department", "who had the most sick
	// leaves": ties share a rank, so every one at the cut is listed
	if top := b.q.Limit > 0 && b.q.Offset == 0 && len(rankBy) > 0; b.q.RankWithin != "" || top {
		partition, groupBy := "", group
		if b.q.RankWithin != "" {
			dexpr, _, err := b.dimExpr(b.q.RankWithin)
			if err != nil {
				return compiled{}, err
			}
			partition, groupBy = "partition by "+dexpr+" ", append(group, dexpr)
		}
		byRank := strings.Join(rankBy, ", ")
		if byRank == "" {
			return compiled{}, errcode.New(errcode.NotUnderstood, "Say what to rank people by within each %s", b.q.RankWithin)
		}
		sel = append(sel, "rank() over ("+partition+"order by "+byRank+") as rk")
		sqlBody = "select " + strings.Join(sel, ", ") + " from " + from + " where " + strings.Join(conds, " and ") +
			" group by " + strings.Join(dedupe(groupBy), ", ") + having
		var outer []string
		for i := range cols {
			if i < len(sel)-1 {
				name := strings.Fields(sel[i])
				outer = append(outer, name[len(name)-1])
			}
		}
		by := strings.Join(outer[:2], ", ")
		if b.q.RankWithin == "" {
			by = "rk, c1, c0" // the order of the ranking
		}
		sql := cte + "select " + strings.Join(outer, ", ") + " from (" + sqlBody + ") t where rk <= " + b.arg(limitOf(b.q, rowCap)) +
			" order by " + by + fmt.Sprintf(" limit %d", rowCap+1)
		if c, ok := redo(sql); ok {
			return c, nil
		}
		return compiled{SQL: sql, Args: b.args, Columns: cols, Setup: b.setup}, nil
	}
	sql := cte + sqlBody + " order by " + strings.Join(order, ", ") + limitClause(b.q, rowCap)
	if c, ok := redo(sql); ok {
		return c, nil
	}
	return compiled{SQL: sql, Args: b.args, Columns: cols, Setup: b.setup}, nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// relation lists the (department) managers of the people the rest of the
// query matches; scope applies to both the managers and their reports.
func (b *builder) relation(cte string, tenantID int64, rowCap int) (compiled, error) {
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	t := b.arg(tenantID)
	inner := "select 1 from " + b.from() + " where " + strings.Join(conds, " and ") + " and e.manager_id = m.employee_id"
	if b.q.Relation == "department_managers" {
		inner += " and e.department = m.department"
	}
	outer := []string{"m.tenant_id = " + t, "exists (" + inner + ")"}
	outer = append(outer, b.scopeCond("m")...)
	// the managers' own attributes asked for ("department managers and
	// their hire dates"; they were dropped unsaid)
	sel, cols := "", personColumns()
	for _, c := range b.q.Columns {
		if attributes[c].typ == "" || slices.ContainsFunc(cols, func(k Column) bool { return k.Name == c }) || c == "first_name" || c == "last_name" || c == "manager" {
			continue
		}
		sel += ", " + b.attrExpr(c, "m") + " as c" + strconv.Itoa(len(cols))
		cols = append(cols, Column{Name: c, Type: attributes[c].typ})
	}
	sql := cte + "select m.employee_id, m.first_name || ' ' || m.last_name as name, m.department, m.position" + sel + " from employees m where " +
		strings.Join(outer, " and ") + " order by name" + limitClause(b.q, rowCap)
	return compiled{SQL: sql, Args: b.args, Columns: cols}, nil
}

// smallHours: an end "after 1am" is in the night after the shift began, not
// any time of day past 01:00.
const smallHours = "06:00"

// endCase sorts a time-of-day filter by how it meets a shift that ends
// the next day (one whose end is before its start); the SQL (filterOn) and
// the words (Describe) both follow it.
type endCase int

const (
	anyStart            endCase = iota // a start: compared as it is
	endMidnight                        // "after midnight": ends the next day, 00:00 included
	endNightAfter                      // "after 1am": in the night after
	endBeforeSmallHours                // "before 1am": the same day, or early in the night
	endAfter                           // "after 5pm": or the next day
	endBefore                          // "before 5pm": and the same day
)

func (f Filter) endCase() endCase {
	switch {
	case f.Field != "end_time":
		return anyStart
	case f.Values[0] == "24:00":
		return endMidnight
	case f.Values[0] < smallHours && f.Op[0] == '>':
		return endNightAfter
	case f.Values[0] < smallHours:
		return endBeforeSmallHours
	case f.Op[0] == '>':
		return endAfter
	}
	return endBefore
}

// shiftList lists the shifts themselves ("what's my shift tomorrow"), in
// the order they happen, with whose they are: the question's period and
// filters, the asker's tenant and scope, as any question.
func (b *builder) shiftList(cte string, tenantID int64, rowCap int) (compiled, error) {
	conds, err := b.where(tenantID)
	if err != nil {
		return compiled{}, err
	}
	sql := cte + "select f.date, f.start_time, f.end_time, f.hours, " + nameExpr + " as name, f.position, f.location, f.status, e.employee_id from " + b.from() +
		" where " + strings.Join(conds, " and ") + " order by f.date, f.start_time, name, f.shift_id" + limitClause(b.q, rowCap)
	return compiled{SQL: sql, Args: b.args, Columns: []Column{{"date", "string"}, {"start_time", "string"}, {"end_time", "string"}, {"hours", "number"},
		{"name", "string"}, {"position", "string"}, {"location", "string"}, {"status", "string"}, {"employee_id", "string"}}}, nil
}
