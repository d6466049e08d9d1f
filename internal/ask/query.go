// Package ask turns a plain-language question into a structured query,
// validates it against the asker's scope, compiles it to SQL with tenant and
// scope predicates added by code, runs it read-only and picks a chart.
package ask

// Query is the structured query both engines produce; its JSON form is what
// the "query" field of an answer shows and what a language model is asked to
// write. It never holds SQL or permissions.
type Query struct {
	// Kind of answer: "number" (one value), "groups" (a table grouped by
	// dimensions) or "people" (a list of employees).
	Kind    string `json:"kind"`
	Measure string `json:"measure,omitempty"` // a measure of the semantic model
	// Dimensions to group by: semantic dimensions (department, position,
	// location, contract_type, gender, manager, employee, absence_type,
	// status) or time grains (day, week, month, quarter, year, weekday, hour).
	Dimensions []string   `json:"dimensions,omitempty"`
	Filters    []Filter   `json:"filters,omitempty"`
	Time       *TimeRange `json:"time,omitempty"`
	// Having keeps only groups (or people) whose measure meets the condition.
	Having *Condition `json:"having,omitempty"`
	// ShareOf makes a number answer the percentage of people whose measure
	// meets the condition ("what share of teachers worked more than 50 hours").
	ShareOf *Condition `json:"share_of,omitempty"`
	// ShareWhere makes a number answer the percentage of the measure that
	// matches these filters, out of the whole that Filters select
	// ("what percentage of employees are part-time").
	ShareWhere []Filter `json:"share_where,omitempty"`
	// RatioTo, with ShareWhere, makes the answer the measure where
	// ShareWhere holds divided by the measure where RatioTo holds ("the
	// ratio of part-time to full-time employees"), not a percentage.
	RatioTo []Filter `json:"ratio_to,omitempty"`
	// Share adds each group's percentage of the total.
	Share bool `json:"share,omitempty"`
	// ShareWithin, with Share and two groupings, takes each row's
	// percentage of its own group on this dimension instead ("the gender
	// split per department": each department's genders add up to 100).
	ShareWithin string `json:"share_within,omitempty"`
	// PerHead divides each group's measure by its headcount: the people of
	// the group employed on the period's last day (today for a period that
	// runs on or is still to come): "sick days per head by department
	// this year", "average hours worked per person by store last month".
	PerHead bool `json:"per_head,omitempty"`
	// Rise keeps the groups whose total in the first of two periods is
	// above (">") or below ("<") their total in the second, showing both:
	// "which teachers worked more hours in October than in September"
	// (Time is "A vs B").
	Rise string `json:"rise,omitempty"`
	// Also is a second measure answered beside Measure, each as it is
	// asked alone: "headcount and average wage per location", "hours and
	// shifts by location last month" (a total or a row per group).
	Also string `json:"also,omitempty"`
	// PerPerson averages the measure over the people who have any of it in
	// the period: each group's total divided by its people with at least
	// one ("average hours worked per person by store last month", as
	// PerPersonWeek averages over the people who worked each week).
	PerPerson bool `json:"per_person,omitempty"`
	// PerPersonWeek averages each person's weekly total instead of summing.
	PerPersonWeek bool   `json:"per_person_week,omitempty"`
	Order         string `json:"order,omitempty"` // "desc" or "asc" by the measure
	Limit         int    `json:"limit,omitempty"`
	// Offset skips that many of the first in Order: "the second highest
	// paid" is limit 1, offset 1.
	Offset int `json:"offset,omitempty"`
	// Relation lists related people instead of the matched ones:
	// "department_managers" = the department managers of the matched people.
	Relation string `json:"relation,omitempty"`
	// Without lists the people who have none of the measure's facts (with
	// the fact filters, in the period): "who had no sick leave this year".
	Without bool `json:"without,omitempty"`
	// Starts counts absences in the period they start in, not all that
	// overlap it: "how many vacations began in 2025".
	Starts bool `json:"starts,omitempty"`
	// Self restricts the question to the asker's own record ("I", "me").
	Self bool `json:"self,omitempty"`
	// Current keeps the people employed on the reference day, whatever the
	// period of their facts: "which current employees took fewer than 10
	// vacation days this year", "hired in 2025 and still employed".
	Current bool `json:"current,omitempty"`
	// Aggs computes these aggregates of the measure instead of its own
	// ("min", "max", "avg", "sum"): "the average and maximum wage".
	Aggs []string `json:"aggs,omitempty"`
	// Columns are the attributes a list of people shows besides the person
	// (first_name, hire_date, hourly_wage, …): "the names and hire dates".
	Columns []string `json:"columns,omitempty"`
	// Sort orders a list of people by attributes ("by age, ascending").
	Sort []SortKey `json:"sort,omitempty"`
	// RankWithin ranks people within each value of this dimension, with
	// Order and Limit: "the highest paid in each department".
	RankWithin string `json:"rank_within,omitempty"`
	// CountOf makes a number answer the count of people whose measure meets
	// the condition ("how many employees logged over 45 hours").
	CountOf *Condition `json:"count_of,omitempty"`
	// HavingOf is the measure Having applies to when it is not the answer's
	// own: "total salary for departments with at least two employees" is
	// "headcount".
	HavingOf string `json:"having_of,omitempty"`
	// Distinct makes a number answer the count of different values of this
	// dimension among the people matched ("how many different positions").
	Distinct string `json:"distinct,omitempty"`
	// Everyone says the question names the whole organisation ("in the
	// whole company", "company-wide"): an asker who sees less is refused,
	// not answered for their own team as if it were the company.
	Everyone bool `json:"everyone,omitempty"`
	// Whole gives a tenure in completed years, as an age is ("how many full
	// years have I worked here": 3, not 3.14).
	Whole bool `json:"whole,omitempty"`
	// Chart is the chart the asker named ("as a pie chart"): drawn when it
	// suits the answer's shape, else the one that suits, with a note saying
	// why (a trend is not a pie).
	Chart ChartKind `json:"chart,omitempty"`
	// aside are the sentences of the question that held no word scry
	// reads, set aside (the answer names them)
	aside []string
	// exact, set by the engine while it looks for ties at a limit, makes a
	// ranked group answer carry its value unrounded as a last column, so
	// that only values truly equal tie ("top 5 by average shift length"
	// kept seven whose averages agree to two decimals)
	exact bool
	// perHeadParts, set by compilePerHead on its two parts, makes them
	// agree on whom each group holds: the total groups and keeps shifts
	// by the employee's own location and position (not the shift's, or
	// hours worked remotely fell out of every location; a place of shifts
	// only is refused in decide), and the headcount
	// counts those employed on its day even of people named by their hire
	// ("per head for people hired in 2025" counted the hires who had left)
	perHeadParts bool
}

// SortKey orders people by an attribute.
type SortKey struct {
	Field string `json:"field"`
	Desc  bool   `json:"desc,omitempty"`
}

// Ref is a value computed from other people: Agg of Field over the
// employees (in the asker's scope) that match Filters. "the average wage"
// is {avg, hourly_wage}; "every engineer's age" is {max, age, position =
// engineer}; "Clara's department" is {"", department, first_name = Clara}
// (a set of values).
type Ref struct {
	Agg     string   `json:"agg,omitempty"`
	Field   string   `json:"field"`
	Filters []Filter `json:"filters,omitempty"`
	// Of "manager": the value of each person's own manager ("earns more
	// than their manager"), compared person by person; no Agg, no Filters.
	Of string `json:"of,omitempty"`
}

// reportsTo keeps the people whose manager is one of those f keeps.
func reportsTo(f Filter) Filter {
	return Filter{Field: "manager_id", Ref: &Ref{Field: "employee_id", Filters: []Filter{f}}}
}

// Filter keeps rows whose field is one of Values (or none of them, with
// Negate).
type Filter struct {
	Field  string   `json:"field"`
	Values []string `json:"values,omitempty"`
	Negate bool     `json:"negate,omitempty"`
	// Op compares the field with Values[0] (or with Ref): >, >=, <, <=;
	// on names "starts", "ends", "contains"; "set" means the field has a
	// value; empty means "is one of Values" (or of Ref's values).
	Op string `json:"op,omitempty"`
	// Ref is a computed value to compare with, instead of Values.
	Ref *Ref `json:"ref,omitempty"`
	// Any holds alternatives (Field "any"): a row passes if one of them does.
	Any []Filter `json:"any,omitempty"`
}

// TimeRange is a relative expression kept as written in canonical form
// ("last 3 months", "this year", "month 10", "since 2026-06-03") and resolved
// against the reference date at run time; From and To (inclusive,
// YYYY-MM-DD, To empty = open) are filled in when it is resolved.
type TimeRange struct {
	Expr string `json:"expr"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// apart holds the two periods of "A vs B" when one does not follow
	// the other: From and To then span the gap between them, which no
	// answer may read (compileApart asks each period alone)
	apart [][2]string
	// sides are the two periods of any "A vs B", apart or not: each is
	// checked against the data's edges as if asked alone
	sides [][2]string
	// restated are periods named right after Expr that restate it ("the
	// last school year, from September 2025 to the end of August 2026");
	// Resolve refuses the question unless each names the same days
	restated []string
}

// Condition compares a measure with a number, or (Having only) with the
// same measure's total for the people Ref's filters name: "more hours
// than Lea David" (scry computes that total first, in the asker's scope,
// and compares with it).
type Condition struct {
	Op    string  `json:"op"` // >, >=, <, <=, =
	Value float64 `json:"value"`
	Ref   *Ref    `json:"ref,omitempty"`
	// resolved: Value holds Ref's total, computed for this answer (a
	// condition sent back by a client is computed again)
	resolved bool
}

// conditions are every filter of q: on the rows, on the part of a share
// or the two sides of a ratio, and on the person a kept total is compared
// with. The checks of scope,
// names and wages walk them all.
func (q *Query) conditions() []Filter {
	fs := append(append(append([]Filter{}, q.Filters...), q.ShareWhere...), q.RatioTo...)
	if q.Having != nil && q.Having.Ref != nil {
		fs = append(fs, q.Having.Ref.Filters...)
	}
	return fs
}
