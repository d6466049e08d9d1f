package ask

import (
	"fmt"
	"strings"
)

// Describe says a filter in words, for "How I read this" and chart titles:
// "hire date before 2020-01-01", "first name starts with J", "hourly wage
// above the average hourly wage".
func (f Filter) Describe() string {
	field := strings.ReplaceAll(f.Field, "_", " ")
	switch {
	case f.Field == "any":
		parts := make([]string, len(f.Any))
		for i, a := range f.Any {
			parts[i] = a.Describe()
		}
		return "(" + strings.Join(parts, " or ") + ")"
	case f.Field == "weekday":
		days := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
		var ds []string
		for _, v := range f.Values {
			if n := atoi(v); n >= 0 && n < 7 {
				ds = append(ds, days[n])
			}
		}
		return notIf(f.Negate, "on ") + strings.Join(ds, " or ")
	case (f.Field == "start_time" || f.Field == "end_time") && f.endCase() == endMidnight:
		return notIf(f.Negate, "") + "ends after midnight (the next day, 00:00 included)"
	case (f.Field == "start_time" || f.Field == "end_time") && f.endCase() == endNightAfter:
		return notIf(f.Negate, "") + "ends the next day, after " + f.Values[0]
	case f.Field == "start_time" || f.Field == "end_time":
		return notIf(f.Negate, "") + map[string]string{"start_time": "starts ", "end_time": "ends "}[f.Field] +
			map[string]string{"<": "before", "<=": "at or before", ">": "after", ">=": "at or after"}[f.Op] + " " + f.Values[0]
	case f.Field == "shift_hours":
		return notIf(f.Negate, "") + "shifts " + map[string]string{"<": "shorter than", "<=": "at most", ">": "longer than", ">=": "at least"}[f.Op] + " " + f.Values[0] + " paid hours (breaks out)"
	case f.Field == "shift_break" && f.Op == "=" && f.Values[0] == "0":
		return notIf(f.Negate, "") + "shifts with no break"
	case f.Field == "shift_break":
		return notIf(f.Negate, "") + "shifts with a break " + map[string]string{"<": "shorter than", "<=": "of at most", ">": "longer than", ">=": "of at least", "=": "of"}[f.Op] + " " + f.Values[0] + " minutes"
	case f.Field == "status" && f.Op == "":
		return notIf(f.Negate, "") + "only " + valuesWords(f.Values) + " shifts"
	case f.Op == "me" && f.Field == "employee_id":
		return map[bool]string{true: "not you", false: "is you"}[f.Negate]
	case f.Op == "me":
		return notIf(f.Negate, "") + "reports to you directly"
	case f.Ref != nil && f.Op == "" && f.Field == "employee_id" && f.Ref.Field == "manager_id" && len(f.Ref.Filters) == 1 && f.Ref.Filters[0].Op == "me":
		return notIf(f.Negate, "") + "is your manager"
	case f.Op == "set" && f.Field == "manager_id":
		return map[bool]string{false: "has a manager", true: "has no manager"}[f.Negate]
	case f.Op == "set":
		return field + map[bool]string{false: " is known", true: " is unknown"}[f.Negate]
	case f.Op == "starts" || f.Op == "ends" || f.Op == "contains":
		verb := map[string]string{"starts": "starts with", "ends": "ends with", "contains": "contains"}[f.Op]
		if f.Negate {
			verb = "does not " + strings.TrimSuffix(strings.TrimSuffix(verb, " with"), "s") + map[bool]string{true: " with", false: ""}[f.Op != "contains"]
		}
		return field + " " + verb + " " + strings.ToUpper(strings.Join(f.Values, " or "))
	case f.Field == "reports" && f.Op == ">=" && len(f.Values) == 1 && f.Values[0] == "1":
		return map[bool]string{false: "manages someone", true: "manages no one"}[f.Negate]
	case f.Op == "during" && f.Values[0] == "to date":
		return notIf(f.Negate, "") + field + " up to today"
	case f.Op == "during" && strings.HasSuffix(f.Values[0], "school year"):
		return notIf(f.Negate, "") + field + " within " + f.Values[0] + " (1 September to 31 August)" // where it starts is a convention
	case f.Op == "during":
		return notIf(f.Negate, "") + field + " within " + strings.TrimPrefix(f.Values[0], "year ")
	case f.Op == "yearly":
		what := map[bool]string{true: "birthday", false: "work anniversary"}[f.Field == "birth_date"]
		return notIf(f.Negate, "") + what + " within " + (&TimeRange{Expr: f.Values[0]}).Words()
	case f.Op == "under":
		return notIf(f.Negate, "") + "below " + f.Ref.describeWho() + " in the reporting tree, at any depth"
	case f.Ref != nil && f.Ref.Of == "manager" && f.Op == "":
		return field + map[bool]string{false: " is the same as their manager's", true: " differs from their manager's"}[f.Negate]
	case f.Ref != nil && f.Op == "" && f.Field == "manager_id" && f.Ref.Field == "employee_id":
		return map[bool]string{false: "reports to ", true: "does not report to "}[f.Negate] + f.Ref.describeWho()
	case f.Ref != nil && f.Op == "":
		return notIf(f.Negate, "") + field + " is the " + strings.ReplaceAll(f.Ref.Field, "_", " ") + " of " + f.Ref.describeWho()
	case f.Ref != nil:
		return notIf(f.Negate, "") + field + " " + opWords(f.Op, f.Field) + " " + f.Ref.describe()
	case f.Op != "":
		return notIf(f.Negate, "") + field + " " + opWords(f.Op, f.Field) + " " + ValueWords(f.Values[0])
	case f.Field == "manager_id":
		return notIf(f.Negate, "") + "reports to " + strings.Join(f.Values, " or ")
	}
	verb := " is "
	if f.Negate {
		verb = " is not "
	}
	return field + verb + valuesWords(f.Values)
}

// valuesWords says alternatives: "sick leave or vacation".
func valuesWords(vs []string) string {
	words := make([]string, len(vs))
	for i, v := range vs {
		words[i] = ValueWords(v)
	}
	return strings.Join(words, " or ")
}

func notIf(neg bool, s string) string {
	if neg {
		return "not " + s
	}
	return s
}

// opWords says a comparison: dates come before or after, numbers are above
// or below.
func opWords(op, field string) string {
	if attributes[field].typ == "date" {
		return map[string]string{"<": "before", "<=": "on or before", ">": "after", ">=": "on or after", "=": "on"}[op]
	}
	return map[string]string{"<": "below", "<=": "at most", ">": "above", ">=": "at least", "=": "equal to"}[op]
}

func (r *Ref) describe() string {
	field := strings.ReplaceAll(r.Field, "_", " ")
	if r.Of == "manager" {
		return "their manager's"
	}
	agg := map[string]string{"avg": "the average", "min": "the lowest", "max": "the highest", "sum": "the total", "median": "the median"}[r.Agg]
	s := agg + " " + field
	if len(r.Filters) > 0 {
		s += " of " + r.describeWho()
	}
	return s
}

func (r *Ref) describeWho() string {
	var parts []string
	for _, f := range r.Filters {
		parts = append(parts, f.Describe())
	}
	if len(parts) == 0 {
		return "everyone"
	}
	return "people whose " + strings.Join(parts, " and ")
}

// absenceBucket is the one time grain (a period grain, or "trend") an
// absence is counted in every bucket of, the compiler's and "How I read
// this"'s reading alike: "" with none or when absences are counted where
// they start ("how many vacations began"), "several" with two grains.
func (q *Query) absenceBucket() string {
	if q.Starts {
		return ""
	}
	grain := ""
	for _, d := range q.Dimensions {
		switch {
		case !periodGrain(d) && d != "trend":
		case grain != "" && grain != d:
			return "several"
		default:
			grain = d
		}
	}
	return grain
}

// Notes says the parts of a reading that filters and groups do not:
// aggregates, columns, order, ranks, counts of people.
func (q *Query) Notes() []string {
	var out []string
	if len(q.Aggs) > 0 {
		words := make([]string, len(q.Aggs))
		for i, a := range q.Aggs {
			words[i] = strings.ToLower(aggTitles[a])
		}
		out = append(out, "the "+ListWords(words))
	}
	if q.Starts {
		out = append(out, "only absences that start in the period")
	}
	if q.Current {
		out = append(out, "only people employed today")
	}
	if q.Distinct != "" {
		out = append(out, "counting different "+strings.ReplaceAll(q.Distinct, "_", " ")+" values")
	}
	if q.CountOf != nil {
		out = append(out, fmt.Sprintf("counting people whose %s is %s %s", strings.ReplaceAll(q.Measure, "_", " "), opWords(q.CountOf.Op, ""), trimFloat(q.CountOf.Value)))
	}
	if q.Having != nil {
		what := q.Measure
		if q.HavingOf != "" {
			what = q.HavingOf
		}
		if len(q.ShareWhere) > 0 {
			what = "share, in percent," // the share is what is compared, not the count
		}
		than := trimFloat(q.Having.Value)
		if q.Having.Ref != nil {
			than = "the total of " + q.Having.Ref.describeWho() + " (" + than + ")"
		}
		out = append(out, fmt.Sprintf("keeping those whose %s is %s %s", strings.ReplaceAll(what, "_", " "), opWords(q.Having.Op, ""), than))
	}
	if q.Without {
		noun := "shifts"
		if strings.HasPrefix(q.Measure, "absence") {
			noun = "absences"
		}
		out = append(out, "the people employed today who have no such "+noun+" in the period")
	}
	if strings.HasPrefix(q.Measure, "absence") {
		for _, d := range q.Dimensions {
			if periodGrain(d) || d == "trend" {
				if d == "trend" {
					d = "period"
				}
				if g := q.absenceBucket(); g == "" || g == "several" {
					out = append(out, "each absence in the "+d+" it started")
				} else {
					out = append(out, "each absence in every "+d+" it overlaps")
				}
				break
			}
		}
	}
	if q.PerPersonWeek {
		out = append(out, "each person's average per week they worked")
	}
	if q.PerPerson {
		out = append(out, "per person: each total divided by the number of its people who have any of it in the period")
	}
	if q.Also != "" {
		also := map[string]string{"headcount": "the number of employees"}[q.Also]
		if also == "" {
			also = "the " + strings.ReplaceAll(q.Also, "_", " ")
		}
		out = append(out, "beside it, "+also+", as asked alone, in a column of its own")
	}
	if q.Rise != "" {
		out = append(out, "kept the groups whose total in the first period named is "+map[string]string{">": "above", "<": "below"}[q.Rise]+" their total in the second, both shown (none in a period counts as 0), the largest change first")
	}
	if q.PerHead {
		out = append(out, "per head: each total divided by the number of its people employed on the period's last day, or today if that is sooner (a note gives the day)")
	}
	if q.Whole {
		out = append(out, "tenure in completed years")
	}
	if len(q.ShareWhere) > 0 {
		parts := make([]string, len(q.ShareWhere))
		for i, f := range q.ShareWhere {
			parts[i] = f.Describe()
		}
		whole := "of the whole"
		if len(q.Dimensions) > 0 {
			whole = "of each group's whole"
		}
		out = append(out, "the share where "+ListWords(parts)+", "+whole)
	}
	if q.ShareWithin != "" {
		out = append(out, "each row's share of its "+GroupWords([]string{q.ShareWithin})+"'s total")
	}
	if len(q.Columns) > 0 {
		out = append(out, "showing "+strings.ReplaceAll(strings.Join(q.Columns, ", "), "_", " "))
	}
	for _, k := range q.Sort {
		out = append(out, "sorted by "+strings.ReplaceAll(k.Field, "_", " ")+map[bool]string{true: ", descending", false: ""}[k.Desc])
	}
	if q.RankWithin != "" {
		out = append(out, "ranked within each "+strings.ReplaceAll(q.RankWithin, "_", " "))
	}
	switch {
	case q.Limit == 1 && q.Offset > 0 && q.Offset+1 < len(ordinalNames):
		out = append(out, "only the "+ordinalNames[q.Offset+1]+" "+map[string]string{"asc": "lowest", "desc": "highest"}[q.Order])
	case q.Limit == 1:
		out = append(out, "only the "+map[string]string{"asc": "lowest", "desc": "highest"}[q.Order])
	case q.Limit > 0:
		out = append(out, fmt.Sprintf("the %d %s", q.Limit, map[string]string{"asc": "lowest", "desc": "highest"}[q.Order]))
	}
	return out
}
