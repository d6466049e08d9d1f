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
	// Share adds each group's percentage of the total.
	Share bool `json:"share,omitempty"`
	// PerPersonWeek averages each person's weekly total instead of summing.
	PerPersonWeek bool   `json:"per_person_week,omitempty"`
	Order         string `json:"order,omitempty"` // "desc" or "asc" by the measure
	Limit         int    `json:"limit,omitempty"`
	// Relation lists related people instead of the matched ones:
	// "department_managers" = the department managers of the matched people.
	Relation string `json:"relation,omitempty"`
	// Without lists the people who have none of the measure's facts (with
	// the fact filters, in the period): "who had no sick leave this year".
	Without bool `json:"without,omitempty"`
	// Self restricts the question to the asker's own record ("I", "me").
	Self bool `json:"self,omitempty"`
}

// Filter keeps rows whose field is one of Values (or none of them, with
// Negate).
type Filter struct {
	Field  string   `json:"field"`
	Values []string `json:"values"`
	Negate bool     `json:"negate,omitempty"`
	// Op compares a numeric field (age) with Values[0]: >, >=, <, <=;
	// empty means "is one of Values".
	Op string `json:"op,omitempty"`
}

// TimeRange is a relative expression kept as written in canonical form
// ("last 3 months", "this year", "month 10", "since 2026-06-03") and resolved
// against the reference date at run time; From and To (inclusive,
// YYYY-MM-DD, To empty = open) are filled in when it is resolved.
type TimeRange struct {
	Expr string `json:"expr"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Condition compares a measure with a number.
type Condition struct {
	Op    string  `json:"op"` // >, >=, <, <=, =
	Value float64 `json:"value"`
}
