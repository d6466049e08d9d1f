package ask

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
)

// MaxLimit bounds how many rows a question may ask for.
const MaxLimit = 1000

var kinds = map[string]bool{"number": true, "groups": true, "people": true, "shifts": true}
var filterFields = map[string]bool{"department": true, "position": true, "location": true, "contract_type": true,
	"gender": true, "name": true, "absence_type": true, "status": true, "age": true, "weekday": true,
	"start_time": true, "end_time": true, "shift_hours": true, "shift_break": true}

// reClock is a shift's time of day as the data writes it; 24:00 is the end
// of the day ("ended after midnight" is end_time > 24:00: the next day).
var reClock = regexp.MustCompile(`^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$`)
var relations = map[string]bool{"": true, "department_managers": true, "managers": true}

// ScopeOf is the scope of a user's role (CONVENTIONS.md): admin and hr see
// the whole tenant, a manager their subtree, an employee themselves.
func ScopeOf(u identity.User) (Scope, error) {
	switch u.Role {
	case identity.Admin, identity.HR:
		return Scope{All: true, EmployeeID: u.EmployeeID}, nil
	case identity.Manager:
		if u.EmployeeID != "" {
			return Scope{Subtree: true, EmployeeID: u.EmployeeID}, nil
		}
	case identity.Employee:
		if u.EmployeeID != "" {
			return Scope{EmployeeID: u.EmployeeID}, nil
		}
	}
	return Scope{}, errcode.New(errcode.PermissionDenied, "Your role does not allow asking questions about workforce data")
}

// Validate checks a query from either engine against the model and the
// asker's rights. It denies by default: anything not known is refused.
func Validate(q *Query, m *semantic.Model, role identity.Role, scope Scope) error {
	if q == nil || !kinds[q.Kind] {
		return errcode.New(errcode.NotUnderstood, "The structured query has no valid kind (number, groups, people or shifts)")
	}
	// a list of shifts shows each shift as it is: nothing computed
	if q.Kind == "shifts" && (m.Measures[q.Measure].Entity != "shifts" || m.Measures[q.Measure].Agg != "count" || len(q.Dimensions) > 0 || q.Having != nil ||
		len(q.Aggs) > 0 || q.Share || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.CountOf != nil || q.Relation != "" || q.Without || q.RankWithin != "" || q.Distinct != "" || len(q.Sort) > 0 || q.Offset > 0) {
		return errcode.New(errcode.NotUnderstood, "A list of shifts shows each shift (day, times, hours, position, place); ask for a number or groups to compute anything")
	}
	if q.ShareWithin != "" && (!q.Share || len(q.Dimensions) < 2 || !slices.Contains(q.Dimensions, q.ShareWithin) || q.PerPersonWeek || q.CountOf != nil || len(q.Aggs) > 0) {
		return errcode.New(errcode.NotUnderstood, "A share within a group (share_within) needs the share of two or more groupings, one of them that group")
	}
	if q.Whole && q.Measure != "tenure" && !slices.Contains(q.Columns, "tenure") {
		return errcode.New(errcode.NotUnderstood, "Completed years (whole) are for a tenure only")
	}
	switch q.Chart {
	case "", ChartNumber, ChartBar, ChartLine, ChartPie, ChartHeatmap, ChartTable:
	default:
		return errcode.New(errcode.NotUnderstood, "%q is not a chart scry draws (number, bar, line, pie, heatmap or table)", q.Chart)
	}
	if !scope.All && !scope.Subtree && q.Order != "" && (q.Kind == "people" || slices.Contains(q.Dimensions, "employee") || slices.Contains(q.Dimensions, "manager")) {
		// an employee sees one record: "which teacher of my school has the
		// most sick days" ranked the asker alone, first of one
		return errcode.New(errcode.PermissionDenied, "You may see your own record only, so scry cannot rank people: ask about your own (\"how many sick days did I have this year\")")
	}
	if q.Everyone && !scope.All {
		// "how many employees are there in the whole company", asked by a
		// manager: their team's number would read as the company's
		return errcode.New(errcode.PermissionDenied, "This asks about the whole organisation, and you may see your own team or record only; ask about your team (\"how many people are in my team\")")
	}
	if err := riseShape(q, m); err != nil {
		return err
	}
	if q.Also != "" {
		if err := besideShape(q, m); err != nil {
			return err
		}
		// the second measure is validated as if asked alone: its own
		// permissions (a wage beside a headcount) and shape
		one := *q
		one.Measure, one.Also = q.Also, ""
		if err := Validate(&one, m, role, scope); err != nil {
			return err
		}
	}
	if err := perHeadShape(q, m); err != nil {
		return err
	}
	if err := turnoverShape(q, m, scope); err != nil {
		return err
	}
	if q.Measure != "" {
		ms, ok := m.Measures[q.Measure]
		if !ok {
			return errcode.New(errcode.NotUnderstood, "%q is not a measure scry knows", q.Measure)
		}
		// The labeling workforce's activity: admins and HR only, as whole
		// tables (no people lists, no "my" questions).
		if ms.Entity == "tasks" {
			if role != identity.Admin && role != identity.HR {
				return errcode.New(errcode.PermissionDenied, "Labeling activity is visible only to admins and HR")
			}
			if q.Kind == "people" || q.Relation != "" || q.Without || q.Self || q.PerPersonWeek {
				return errcode.New(errcode.NotUnderstood, "Ask about labeling tasks as numbers or groups, e.g. \"How many tasks did each reviewer finish last week?\"")
			}
		}
		// A list of people shows each one's own value of a person's
		// attribute: an average of it is a number over the group, which a
		// list would silently drop.
		if q.Kind == "people" && ms.Entity == "employees" && len(q.Aggs) > 0 {
			return errcode.New(errcode.NotUnderstood, "A person has one %s; ask for the %s of a group as a number, e.g. \"What is the average %s of part-time employees?\"", strings.ToLower(ms.Title), q.Aggs[0], strings.ToLower(ms.Title))
		}
		// Sensitive fields: hr and admin, or a person's own record.
		if ms.Sensitive && role != identity.Admin && role != identity.HR && !q.Self && role != identity.Employee {
			return errcode.New(errcode.PermissionDenied, "%s is visible only to HR and admins, or to each person for their own record", ms.Title)
		}
	} else if q.Kind != "people" {
		return errcode.New(errcode.NotUnderstood, "A %s answer needs a measure", q.Kind)
	}
	if q.Starts && (q.Time == nil || m.Measures[q.Measure].Entity != "absences" && !hasFilter(q, "absence_type")) {
		return errcode.New(errcode.NotUnderstood, "\"starts\" counts absences in the period they start in: it needs absences and a period")
	}
	if len(q.RatioTo) > 0 && len(q.ShareWhere) == 0 {
		return errcode.New(errcode.NotUnderstood, "A ratio divides the measure where share_where holds by the measure where ratio_to holds: it needs both")
	}
	if len(q.Dimensions) > 3 {
		return errcode.New(errcode.NotUnderstood, "Group by at most three things at once")
	}
	for _, d := range q.Dimensions {
		if _, ok := m.Dimensions[d]; !ok && d != "trend" {
			return errcode.New(errcode.NotUnderstood, "%q is not something scry can group by", d)
		}
	}
	if scope.EmployeeID == "" && reportsToMe(q) {
		return errcode.New(errcode.PermissionDenied, "Your user is not linked to an employee record, so scry cannot tell where you are in the organisation")
	}
	if !scope.All && aboveMe(q) {
		return errcode.New(errcode.PermissionDenied, "Your manager's record is outside what you may see: you see %s", map[bool]string{true: "the people below you", false: "your own record"}[scope.Subtree])
	}
	mayWage := role == identity.Admin || role == identity.HR || q.Self || role == identity.Employee
	for _, f := range q.conditions() {
		if err := validFilter(f, 0); err != nil {
			return err
		}
		if usesSensitive(f) && !mayWage {
			return errcode.New(errcode.PermissionDenied, "Hourly wage is visible only to HR and admins, or to each person for their own record")
		}
	}
	for _, c := range q.Columns {
		if _, ok := attributes[c]; !ok {
			return errcode.New(errcode.NotUnderstood, "%q is not a column of a person", c)
		}
		if attributes[c].sensitive && !mayWage {
			return errcode.New(errcode.PermissionDenied, "Hourly wage is visible only to HR and admins, or to each person for their own record")
		}
	}
	for _, k := range q.Sort {
		if _, ok := attributes[k.Field]; !ok {
			return errcode.New(errcode.NotUnderstood, "scry cannot sort by %q", k.Field)
		}
		if attributes[k.Field].sensitive && !mayWage {
			return errcode.New(errcode.PermissionDenied, "Hourly wage is visible only to HR and admins, or to each person for their own record")
		}
	}
	for _, a := range q.Aggs {
		if !aggNames[a] {
			return errcode.New(errcode.NotUnderstood, "%q is not an aggregate scry knows (avg, min, max, sum)", a)
		}
	}
	if len(q.Aggs) > 4 {
		return errcode.New(errcode.NotUnderstood, "Ask for at most four aggregates at once")
	}
	for _, d := range []string{q.RankWithin, q.Distinct} {
		if d == "" {
			continue
		}
		if dm, ok := m.Dimensions[d]; !ok || dm.From != "employees" {
			return errcode.New(errcode.NotUnderstood, "%q is not a group of people scry knows", d)
		}
	}
	if q.HavingOf != "" && (q.HavingOf != "headcount" || q.Having == nil || q.Kind == "people") {
		return errcode.New(errcode.NotUnderstood, "Groups can be kept by their number of people only")
	}
	if q.CountOf != nil && q.Measure == "" {
		return errcode.New(errcode.NotUnderstood, "A count of people needs a measure to compare")
	}
	for _, c := range []*Condition{q.Having, q.ShareOf, q.CountOf} {
		if c != nil && !ops[c.Op] {
			return errcode.New(errcode.NotUnderstood, "%q is not a comparison scry knows", c.Op)
		}
		if c != nil && c.Ref != nil && c != q.Having {
			return errcode.New(errcode.NotUnderstood, "Only a kept group or person compares with someone else's total")
		}
	}
	if q.Relation != "" && (q.Order != "" || q.Limit > 0 || q.Offset > 0) {
		// "which manager has the most direct reports": the managers listed are
		// not ranked by anything of theirs
		return errcode.New(errcode.NotUnderstood, "scry lists managers, but does not rank them; ask for the number of direct reports per manager")
	}
	if h := q.Having; h != nil && h.Ref != nil {
		// only one named person's total, read like any other name (scope, hidden names)
		if len(h.Ref.Filters) != 1 || h.Ref.Filters[0].Field != "name" || h.Ref.Filters[0].Op != "" || len(h.Ref.Filters[0].Values) != 1 || q.Without {
			return errcode.New(errcode.NotUnderstood, "A list of people compares with one named person's total")
		}
		ms, ok := m.Measures[q.Measure]
		if !ok || ms.Entity == "employees" || ms.Derived != "" || h.Ref.Agg != "" || h.Ref.Field != "" || q.Kind != "people" {
			return errcode.New(errcode.NotUnderstood, "A list of people compares with the total of a measure of shifts or absences for the people named")
		}
	}
	if q.Offset < 0 || q.Offset > MaxLimit || q.Offset > 0 && (q.Limit == 0 || q.Order == "" || q.RankWithin != "") {
		return errcode.New(errcode.NotUnderstood, "An offset skips the first of an ordered, limited list (the second highest: limit 1, offset 1)")
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return errcode.New(errcode.NotUnderstood, "Ask for at most %d rows", MaxLimit)
	}
	if q.Order != "" && q.Order != "asc" && q.Order != "desc" {
		return errcode.New(errcode.NotUnderstood, "Order must be asc or desc")
	}
	if !relations[q.Relation] {
		return errcode.New(errcode.NotUnderstood, "%q is not a relation scry knows", q.Relation)
	}
	if q.Self && scope.EmployeeID == "" {
		return errcode.New(errcode.PermissionDenied, "Your user is not linked to an employee record, so scry cannot tell which data is yours")
	}
	return nil
}

var aggNames = map[string]bool{"avg": true, "min": true, "max": true, "sum": true, "median": true}
var attrOps = map[string]bool{"": true, ">": true, ">=": true, "<": true, "<=": true, "=": true, "starts": true, "ends": true, "contains": true, "set": true, "under": true, "during": true, "yearly": true, "me": true}

// validFilter checks a filter and what it nests (alternatives, a computed
// value), denying anything not known.
func validFilter(f Filter, depth int) error {
	if depth > 2 {
		return errcode.New(errcode.NotUnderstood, "Conditions nest too deep")
	}
	if f.Field == "any" {
		if len(f.Any) < 2 || len(f.Any) > 10 || len(f.Values) > 0 || f.Ref != nil {
			return errcode.New(errcode.NotUnderstood, "Alternatives need two to ten conditions")
		}
		for _, a := range f.Any {
			if err := validFilter(a, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	at, isAttr := attributes[f.Field]
	if !filterFields[f.Field] && !isAttr {
		return errcode.New(errcode.NotUnderstood, "The filter on %q is not one scry supports", f.Field)
	}
	if f.Field == "shift_hours" {
		if n, err := strconv.ParseFloat(firstOf(f.Values), 64); !ops[f.Op] || f.Op == "=" || f.Ref != nil || len(f.Values) != 1 || err != nil || n <= 0 || n > 24 {
			return errcode.New(errcode.NotUnderstood, "A shift's length is compared (<, <=, >, >=) with one number of hours, above 0 and at most 24")
		}
		return nil
	}
	if f.Field == "shift_break" {
		if n, err := strconv.ParseFloat(firstOf(f.Values), 64); !ops[f.Op] || f.Ref != nil || len(f.Values) != 1 || err != nil || n < 0 || n > 1440 {
			return errcode.New(errcode.NotUnderstood, "A shift's break is compared (=, <, <=, >, >=) with one number of minutes, from 0 to 1440")
		}
		return nil
	}
	if f.Field == "start_time" || f.Field == "end_time" {
		if !ops[f.Op] || f.Op == "=" && f.Values[0] == "24:00" || f.Ref != nil || len(f.Values) != 1 || !reClock.MatchString(f.Values[0]) ||
			f.Field == "start_time" && f.Values[0] == "24:00" { // a shift starts within its day
			return errcode.New(errcode.NotUnderstood, "A shift's %s is compared (=, <, <=, >, >=) with one time of day, HH:MM", strings.ReplaceAll(f.Field, "_", " "))
		}
		return nil
	}
	if !isAttr {
		if f.Op != "" || f.Ref != nil || len(f.Values) == 0 || len(f.Values) > 50 {
			return errcode.New(errcode.NotUnderstood, "The filter on %q is not one scry supports", f.Field)
		}
		if f.Field == "weekday" {
			for _, v := range f.Values {
				if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 6 {
					return errcode.New(errcode.NotUnderstood, "A day of the week is 0 (Sunday) to 6 (Saturday)")
				}
			}
		}
		return nil
	}
	if !attrOps[f.Op] {
		return errcode.New(errcode.NotUnderstood, "%q is not a comparison scry knows", f.Op)
	}
	if f.Op == "under" && (f.Field != "manager_id" || f.Ref == nil || f.Ref.Agg != "" || f.Ref.Field != "employee_id") {
		return errcode.New(errcode.NotUnderstood, "\"under\" takes the people whose reporting tree is meant")
	}
	switch {
	case f.Op == "under":
		for _, rf := range f.Ref.Filters {
			if err := validFilter(rf, depth+1); err != nil {
				return err
			}
		}
	case f.Op == "during" || f.Op == "yearly":
		if at.typ != "date" || f.Ref != nil || len(f.Values) != 1 {
			return errcode.New(errcode.NotUnderstood, "%q takes a date field and one period", f.Op)
		}
		if _, _, err := resolveExpr(f.Values[0], time.Now()); err != nil {
			return errcode.New(errcode.NotUnderstood, "%q is not a period scry knows", f.Values[0])
		}
	case f.Op == "me":
		if f.Field != "manager_id" && f.Field != "employee_id" || len(f.Values) > 0 || f.Ref != nil {
			return errcode.New(errcode.NotUnderstood, "\"me\" is the asker: the manager_id field (their direct reports) or employee_id (themselves), with no value")
		}
	case f.Op == "set":
		if len(f.Values) > 0 || f.Ref != nil {
			return errcode.New(errcode.NotUnderstood, "\"has a %s\" takes no value", f.Field)
		}
	case f.Ref != nil:
		if len(f.Values) > 0 {
			return errcode.New(errcode.NotUnderstood, "Compare %s with values or with a computed value, not both", f.Field)
		}
		r := f.Ref
		if r.Of != "" {
			if r.Of != "manager" || r.Agg != "" || len(r.Filters) > 0 || r.Field != f.Field || attributes[r.Field].measure == "" && attributes[r.Field].dim == "" && attributes[r.Field].typ != "date" {
				return errcode.New(errcode.NotUnderstood, "A person's %s is compared with their own manager's %s only", f.Field, f.Field)
			}
			break
		}
		if _, ok := attributes[r.Field]; !ok || r.Agg != "" && !aggNames[r.Agg] {
			return errcode.New(errcode.NotUnderstood, "The computed value to compare %s with is not one scry knows", f.Field)
		}
		if (f.Op == "") != (r.Agg == "") {
			return errcode.New(errcode.NotUnderstood, "Compare %s with one computed value, or match it against a set", f.Field)
		}
		for _, rf := range r.Filters {
			if err := validFilter(rf, depth+1); err != nil {
				return err
			}
		}
	default:
		if len(f.Values) == 0 || len(f.Values) > 50 {
			return errcode.New(errcode.NotUnderstood, "The filter on %q needs one to fifty values", f.Field)
		}
		if f.Op == "starts" || f.Op == "ends" || f.Op == "contains" {
			if at.typ != "string" {
				return errcode.New(errcode.NotUnderstood, "Only names and words can start with, end with or contain letters")
			}
			break
		}
		if f.Op != "" {
			if len(f.Values) != 1 {
				return errcode.New(errcode.NotUnderstood, "Compare %s with one value", f.Field)
			}
			switch at.typ {
			case "number":
				if !isNumber(f.Values[0]) {
					return errcode.New(errcode.NotUnderstood, "Compare %s with a number, e.g. older than 50", strings.ReplaceAll(f.Field, "_", " "))
				}
			case "date":
				if _, err := time.Parse(day, f.Values[0]); err != nil {
					return errcode.New(errcode.NotUnderstood, "Compare %s with a date (YYYY-MM-DD)", strings.ReplaceAll(f.Field, "_", " "))
				}
			}
		}
	}
	return nil
}

// usesSensitive: the filter reads a sensitive attribute anywhere in it.
func usesSensitive(f Filter) bool {
	if attributes[f.Field].sensitive || f.Ref != nil && attributes[f.Ref.Field].sensitive {
		return true
	}
	for _, a := range f.Any {
		if usesSensitive(a) {
			return true
		}
	}
	if f.Ref != nil {
		for _, rf := range f.Ref.Filters {
			if usesSensitive(rf) {
				return true
			}
		}
	}
	return false
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// aboveMe: a filter anywhere in q keeps the asker's manager ("my boss"),
// who is above any scope but HR's and admins'.
func aboveMe(q *Query) bool {
	for _, f := range q.conditions() {
		if f.Ref != nil && f.Ref.Field == "manager_id" && reportsToMe(&Query{Filters: f.Ref.Filters}) {
			return true
		}
	}
	return false
}

// reportsToMe: a filter anywhere in q uses the asker ("me").
func reportsToMe(q *Query) bool {
	var walk func(fs []Filter) bool
	walk = func(fs []Filter) bool {
		for _, f := range fs {
			if f.Op == "me" || walk(f.Any) || f.Ref != nil && walk(f.Ref.Filters) {
				return true
			}
		}
		return false
	}
	return walk(q.conditions())
}

// firstOf is the first of vs, or "".
func firstOf(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// turnoverShape: a turnover rate is of a group of people over one period
// that has a headcount. Checked here, where every door's query passes (a
// follow-up's "by employee" gave rates of 200 that the parser refuses).
func turnoverShape(q *Query, m *semantic.Model, scope Scope) error {
	if q.Measure != "turnover_rate" {
		return nil
	}
	facts := func(f Filter) bool { return factFilter(f) || onePerson(f) }
	timeGroup := func(d string) bool { return d == "trend" || m.Dimensions[d].Time != "" }
	switch {
	case !scope.All && !scope.Subtree:
		// an employee sees their own record: one person has no rate (a
		// leaver's own was 200)
		return errcode.New(errcode.PermissionDenied, "A turnover rate is of a group of people; you may see your own record only")
	case q.Current:
		// "of current employees": those here today have not left (it said 0)
		return errcode.New(errcode.NotUnderstood, "scry takes a turnover rate of everyone employed during the period; people still here today have no leavers among them")
	case slices.ContainsFunc(q.Filters, facts) || slices.ContainsFunc(q.ShareWhere, facts) || q.Self || slices.Contains(q.Dimensions, "employee") || q.Kind == "people":
		return errcode.New(errcode.NotUnderstood, "scry gives a turnover rate for a group of people (a department, a position, a place, a contract) or everyone you may see, not for one person or people named by their shifts or absences")
	case q.Time == nil:
		return errcode.New(errcode.NotUnderstood, "scry takes a turnover rate over a period: name it (\"our turnover rate this year\")")
	case slices.ContainsFunc(q.Dimensions, timeGroup):
		return errcode.New(errcode.NotUnderstood, "scry takes a turnover rate over one period (\"turnover rate in 2025\"), not for each month or week of it; ask for each period on its own")
	case len(q.Aggs) > 0 || q.Having != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.CountOf != nil || q.Relation != "" || q.Share || q.PerPersonWeek || q.Without || q.RankWithin != "" || q.Distinct != "":
		return errcode.New(errcode.NotUnderstood, "scry gives a turnover rate for everyone the question names, or for each group (\"turnover rate by department this year\"), not per person, as a share, or compared with a number")
	}
	return nil
}

// factFilter keeps facts, not people: a kind of absence, a shift's status,
// times or length.
func factFilter(f Filter) bool {
	switch f.Field {
	case "absence_type", "status", "start_time", "end_time", "shift_hours", "shift_break", "weekday":
		return true
	}
	return false
}

// onePerson names someone.
func onePerson(f Filter) bool {
	return f.Field == "employee_id" || f.Field == "name" || f.Field == "first_name" || f.Field == "last_name"
}

// perHeadShape: a total per head is a sum or count of shifts or absences,
// of everyone the question names or of each group of people, over one
// period; the headcount of a person, a time bucket or a share has no
// meaning scry gives.
func perHeadShape(q *Query, m *semantic.Model) error {
	if !q.PerHead && !q.PerPerson {
		return nil
	}
	ms := m.Measures[q.Measure]
	switch {
	case q.PerHead && q.PerPerson:
		return errcode.New(errcode.NotUnderstood, "a total is divided by the headcount (per_head) or by the people who have any of it (per_person), not both")
	case !factTotal(ms):
		return errcode.New(errcode.NotUnderstood, "scry divides a total of shifts or absences (hours worked, sick days, shifts, absences) by a headcount, not %s", measureWords(m, q.Measure))
	case q.Kind != "number" && q.Kind != "groups" || q.Self || slices.ContainsFunc(q.Filters, onePerson) || slices.Contains(q.Dimensions, "employee"):
		return errcode.New(errcode.NotUnderstood, "a total per head is of a group of people (a department, a position, a place) or everyone you may see, not of one person")
	case slices.ContainsFunc(q.Dimensions, func(d string) bool { return m.Dimensions[d].Time != "" }) || q.Time != nil && q.Time.apart != nil:
		return errcode.New(errcode.NotUnderstood, "scry takes a total per head over one period (\"sick days per head this year\"), not for each month or week of it; ask for each period on its own")
	case len(q.Aggs) > 0 || q.Having != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.CountOf != nil || q.Relation != "" || q.Share || q.PerPersonWeek ||
		q.Without || q.RankWithin != "" || q.Distinct != "" || slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "any" || f.Ref != nil }):
		return errcode.New(errcode.NotUnderstood, "scry gives a total per head for everyone the question names or for each group (\"sick days per head by department this year\"), not beside a share, a threshold or an average of its own")
	case q.PerHead && slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "end_date" && !f.Negate }):
		// "hours per head last month for people who left this year": the
		// headcount on a day is of those still employed, which leavers
		// mostly are not (it divided four people's hours by one)
		return errcode.New(errcode.NotUnderstood, "a headcount is of the people employed on a day, which people named by their leaving mostly are not; ask for their total, or per person (\"average hours per person …\")")
	}
	return nil
}

// riseShape: a rise compares each group's totals of facts in the two
// periods of "A vs B", one row per group.
func riseShape(q *Query, m *semantic.Model) error {
	if q.Rise == "" {
		return nil
	}
	ms := m.Measures[q.Measure]
	switch {
	case q.Rise != ">" && q.Rise != "<":
		return errcode.New(errcode.NotUnderstood, "rise is \">\" or \"<\"")
	case q.Time == nil || len(strings.SplitN(q.Time.Expr, " vs ", 2)) != 2:
		return errcode.New(errcode.NotUnderstood, "a rise compares two periods, \"A vs B\"")
	case !factTotal(ms):
		return errcode.New(errcode.NotUnderstood, "scry compares the totals of hours, shifts or absences in two periods, not %s", measureWords(m, q.Measure))
	case q.Kind != "groups" || len(q.Dimensions) == 0 || slices.ContainsFunc(q.Dimensions, func(d string) bool { return m.Dimensions[d].Time != "" }):
		return errcode.New(errcode.NotUnderstood, "a rise keeps groups (people, departments…) by their totals in two periods, not periods themselves")
	case q.PerHead || q.PerPerson || q.Share || len(q.Aggs) > 0 || q.Having != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.CountOf != nil ||
		q.Relation != "" || q.RankWithin != "" || q.Distinct != "" || q.PerPersonWeek || q.Without:
		return errcode.New(errcode.NotUnderstood, "scry keeps the groups whose total rose or fell on its own, not beside a share, a threshold or an average")
	}
	return nil
}

// besideShape: a second measure beside the first is a total or a row per
// group of each, side by side, nothing ranked, kept or shared out.
func besideShape(q *Query, m *semantic.Model) error {
	if _, ok := m.Measures[q.Also]; !ok || q.Also == q.Measure || q.Measure == "" {
		return errcode.New(errcode.NotUnderstood, "%q is not a second measure scry knows", q.Also)
	}
	if q.Kind != "number" && q.Kind != "groups" || q.Order != "" || q.Limit > 0 || q.Offset > 0 || q.Rise != "" || q.PerHead || q.PerPerson || q.Share ||
		len(q.Aggs) > 1 || q.Having != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 || q.CountOf != nil || q.Relation != "" || q.RankWithin != "" ||
		q.Distinct != "" || q.PerPersonWeek || q.Without || len(q.RatioTo) > 0 || slices.Contains(q.Dimensions, "trend") || q.Time != nil && q.Time.apart != nil {
		return errcode.New(errcode.NotUnderstood, "scry answers two measures side by side as totals or per group (\"headcount and average wage per location\"), not ranked, kept by a threshold or shared out: ask for each one")
	}
	if (m.Measures[q.Measure].Entity == "employees" || m.Measures[q.Also].Entity == "employees") && slices.ContainsFunc(q.Dimensions, func(d string) bool { return m.Dimensions[d].Time != "" }) {
		// "headcount and hours worked by month": a person's number by a
		// period is of the month each was hired (a headcount's series is
		// taken on each month's last day, asked alone)
		return errcode.New(errcode.NotUnderstood, "scry answers %s and %s side by side over one period, not for each month or week: ask for each one", measureWords(m, q.Measure), measureWords(m, q.Also))
	}
	if a, b := m.Measures[q.Measure].Status, m.Measures[q.Also].Status; a != "" && b != "" && a != b {
		// "worked hours and planned hours": a period to come for one is
		// none for the other (the worked were 0)
		return errcode.New(errcode.NotUnderstood, "scry answers %s and %s side by side only over one kind of shift: ask for each one", measureWords(m, q.Measure), measureWords(m, q.Also))
	}
	if m.Measures[q.Measure].Entity != m.Measures[q.Also].Entity && slices.ContainsFunc(q.Filters, factFilter) {
		// "sick days and hours worked by department": a kind of absence
		// or a shift's status belongs to one of them (the sick leave kept
		// the hours of people who had some)
		return errcode.New(errcode.NotUnderstood, "scry answers %s and %s side by side only when no condition belongs to one of them alone (a kind of absence, a shift's status or time): ask for each one", measureWords(m, q.Measure), measureWords(m, q.Also))
	}
	return nil
}

// factTotal: a measure that is a sum or count of shifts or absences (the
// labour cost too), which a total per head, per person or of two periods
// compared is made of.
func factTotal(ms semantic.Measure) bool {
	return (ms.Entity == "shifts" || ms.Entity == "absences") && (ms.Agg == "sum" || ms.Agg == "count") && (ms.Derived == "" || ms.Derived == "labor_cost")
}
