package ask

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
)

// This file says answers in words for pages. The JSON keeps its codes and
// snake_case names (they are a contract); a person reads these instead.

// Headline says a refusal's code as the first line a person reads.
func Headline(code errcode.Code) string {
	switch code {
	case errcode.NotUnderstood:
		return "I didn't understand all of that question"
	case errcode.ForbiddenTopic:
		return "That is a topic I don't answer questions about"
	case errcode.PromptInjection:
		return "That reads as an instruction to me, not a question about your data"
	case errcode.PermissionDenied:
		return "That is outside what you may see"
	case errcode.Timeout:
		return "That question took too long and was stopped"
	case errcode.RateLimited:
		return "Too many questions at once"
	case errcode.Invalid:
		return "That question cannot be asked this way"
	case errcode.Unavailable:
		return "The language model did not answer"
	}
	return "I could not answer that"
}

// OutcomeWords says a history entry's outcome ("ok" or a refusal's code) in
// a few words; "" for ok.
func OutcomeWords(outcome string) string {
	switch errcode.Code(outcome) {
	case "ok", "":
		return ""
	case errcode.NotUnderstood:
		return "not understood"
	case errcode.ForbiddenTopic:
		return "topic refused"
	case errcode.PromptInjection:
		return "refused"
	case errcode.PermissionDenied:
		return "not allowed"
	case errcode.Timeout:
		return "too slow"
	}
	return "not answered"
}

// aggTitles are the prefixes of several-aggregate columns ("avg_hourly_wage").
var aggTitles = map[string]string{"avg": "Average", "min": "Lowest", "max": "Highest", "sum": "Total", "median": "Median"}

// specialTitles are names whose words are not their spelling.
var specialTitles = map[string]string{
	"employee_id": "Employee ID", "percent": "Share", "trend": "Period", "week": "Week of",
	"weekday": "Weekday", "hour": "Start hour", "start_time": "Start time", "name": "Name", "absence_type": "Absence type",
}

// Title says a column or field name as a heading: a measure's label is its
// title ("hours_worked" is "Hours worked", "days" is "Absence days"), other
// names are spelled out ("hire_date" is "Hire date").
func Title(m *semantic.Model, name string) string {
	if t, ok := specialTitles[name]; ok {
		return t
	}
	if m != nil {
		for _, k := range semantic.SortedKeys(m.Measures) {
			if ms := m.Measures[k]; ms.Label == name && ms.Title != "" {
				return shortTitle(ms.Title)
			}
		}
	}
	if pre, rest, ok := strings.Cut(name, "_"); ok && aggTitles[pre] != "" {
		return aggTitles[pre] + " " + strings.ToLower(Title(m, rest))
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// shortTitle drops an explanation in brackets from a measure's title but
// keeps a one-word unit: "Labor cost (hours worked × hourly wage)" is
// "Labor cost", "Tenure (years)" stays.
func shortTitle(t string) string {
	if i := strings.Index(t, " ("); i > 0 && strings.Contains(t[i+2:], " ") {
		return t[:i]
	}
	return t
}

// hyphenated values are written with a hyphen in English.
var hyphenated = map[string]string{"non_binary": "non-binary", "full_time": "full-time", "part_time": "part-time"}

// ValueWords says a stored value: "non_binary" is "non-binary",
// "sick_leave" is "sick leave"; a date is "21 Apr 2018".
func ValueWords(s string) string {
	if h, ok := hyphenated[s]; ok {
		return h
	}
	if t, err := time.Parse(day, s); err == nil {
		return t.Format("2 Jan 2006")
	}
	if !strings.Contains(s, " ") {
		return strings.ReplaceAll(s, "_", " ")
	}
	return s // a name or a department as the tenant wrote it
}

// SpanWords says a date range, as short as it stays clear: "1 – 31 Oct
// 2026", "1 Aug – 31 Oct 2026", "1 Dec 2025 – 31 Jan 2026".
func SpanWords(from, to string) string {
	f, err1 := time.Parse(day, from)
	t, err2 := time.Parse(day, to)
	switch {
	case err1 != nil && err2 != nil:
		return ""
	case err1 != nil:
		return "up to " + t.Format("2 Jan 2006")
	case err2 != nil:
		return "from " + f.Format("2 Jan 2006") + " on"
	case f.Equal(t):
		return f.Format("2 Jan 2006")
	case f.Year() == t.Year() && f.Month() == t.Month():
		return f.Format("2") + " – " + t.Format("2 Jan 2006")
	case f.Year() == t.Year():
		return f.Format("2 Jan") + " – " + t.Format("2 Jan 2006")
	}
	return f.Format("2 Jan 2006") + " – " + t.Format("2 Jan 2006")
}

// Words says a resolved time range as a sentence part: "the last 3 months:
// 1 Aug – 31 Oct 2026", "October 2026", "all data up to today".
func (tr *TimeRange) Words() string {
	if tr == nil {
		return "all data up to today"
	}
	span := SpanWords(tr.From, tr.To)
	if tr.apart != nil {
		span = SpanWords(tr.apart[0][0], tr.apart[0][1]) + " and " + SpanWords(tr.apart[1][0], tr.apart[1][1])
	}
	e := tr.Expr
	if span == "" || strings.HasPrefix(e, "on ") || strings.HasPrefix(e, "since ") || strings.HasPrefix(e, "between ") {
		// the expression is its dates: say them once, in words
		if span == "" {
			return e
		}
		return span
	}
	name := humanRange(tr)
	if reRelN.MatchString(e) || reNextN.MatchString(e) {
		name = "the " + name // "the last 3 months", but "last month"
	}
	return name + ": " + span
}

// ListWords joins items as a sentence does: "a", "a and b", "a, b and c".
func ListWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// GroupWords says what an answer is grouped by: "week and position".
func GroupWords(dims []string) string {
	words := make([]string, len(dims))
	for i, d := range dims {
		words[i] = strings.ToLower(Title(nil, d))
		if d == "week" || d == "hour" {
			words[i] = d
		}
	}
	return ListWords(words)
}

// FilterWords says every filter of a query as one sentence part.
func (q *Query) FilterWords() string {
	parts := make([]string, len(q.Filters))
	for i, f := range q.Filters {
		parts[i] = f.Describe()
	}
	return ListWords(parts)
}

// Format is how a column's numbers are written: decimals and a unit.
type Format struct {
	Decimals int
	Unit     string // " h", "%", " min" or ""
}

// FormatOf is the format of column i of an answer: hours with one decimal
// and "h", shares as percentages, money with two decimals, counts whole.
func FormatOf(m *semantic.Model, cols []Column, i int) Format {
	name := cols[i].Name
	if name == "percent" {
		return Format{Decimals: 1, Unit: "%"}
	}
	measure := ""
	if m != nil {
		for _, k := range semantic.SortedKeys(m.Measures) {
			if ms := m.Measures[k]; ms.Label == name || strings.HasSuffix(name, "_"+ms.Label) {
				measure = k
				break
			}
		}
	}
	switch {
	case strings.Contains(name, "hours"):
		return Format{Decimals: 1, Unit: " h"}
	case strings.Contains(name, "minutes"):
		return Format{Decimals: 1, Unit: " min"}
	case measure == "hourly_wage" || measure == "labor_cost" || name == "hourly_wage" || measure == "agreement":
		return Format{Decimals: 2}
	case measure == "turnover_rate":
		return Format{Decimals: 2, Unit: "%"} // a rate, not a count (the page showed 7 for 7.46)
	case measure == "age" || measure == "tenure" || measure == "absence_duration" || name == "age":
		return Format{Decimals: 1}
	case measure != "":
		if ms := m.Measures[measure]; ms.Agg == "count" || ms.Agg == "count_distinct" || ms.Agg == "sum" && ms.Column == "days" {
			return Format{}
		}
	}
	return Format{Decimals: -1} // as precise as the value is (at most two decimals)
}

// Number writes v for the printer's language: "1,268.9 h" in English,
// "1.268,9 h" in German.
func (f Format) Number(p *message.Printer, v float64) string {
	d := f.Decimals
	if d < 0 {
		d = 0
		if v != math.Trunc(v) {
			d = 2
		}
	}
	return p.Sprint(number.Decimal(v, number.MinFractionDigits(d), number.MaxFractionDigits(d))) + f.Unit
}

// Additive says whether groups of the answer's measure add up to a whole,
// so that small groups may be drawn summed as "Other" (an average of
// averages would be wrong).
func Additive(m *semantic.Model, q *Query) bool {
	if q == nil || m == nil || q.Measure == "" || len(q.Aggs) > 0 || q.PerPersonWeek || q.PerHead || q.PerPerson || q.Share || q.Distinct != "" || q.CountOf != nil || q.ShareOf != nil || len(q.ShareWhere) > 0 {
		return false
	}
	ms := m.Measures[q.Measure]
	return ms.Agg == "count" || ms.Agg == "sum"
}

// ScopeWords says whose data an asker sees, by name: "every employee of
// this tenant", "Nora David (E0002) and everyone below them in the
// reporting tree".
func (e *Engine) ScopeWords(ctx context.Context, who Asker) (string, error) {
	scope, err := ScopeOf(who.User)
	if err != nil || scope.All {
		return "every employee of this organisation", nil
	}
	var first, last string
	err = e.DB.ReadTenant(ctx, who.TenantID, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `select first_name, last_name from employees where tenant_id = $1 and employee_id = $2`, who.TenantID, scope.EmployeeID).Scan(&first, &last)
	})
	name := strings.TrimSpace(first + " " + last)
	if err != nil || name == "" {
		name = "your own record"
	} else {
		name = fmt.Sprintf("%s (%s)", name, scope.EmployeeID)
	}
	if scope.Subtree {
		return name + " and everyone below them in the reporting tree", nil
	}
	return "only " + name, nil
}

// Suggestions are questions this asker may ask, built from the tenant's
// own departments: an admin is offered a department's hours, a manager
// their team's. Each is read and checked against the asker's role and
// scope (never run), so a manager is never offered wages or another
// department, and a suggestion is never a refusal.
func (e *Engine) Suggestions(ctx context.Context, who Asker, now time.Time) []string {
	scope, err := ScopeOf(who.User)
	if err != nil {
		return nil
	}
	var out []string
	err = e.DB.ReadTenant(ctx, who.TenantID, func(tx *store.Tx) error {
		parser, _, visible, err := e.reader(ctx, tx, scope, now)
		if err != nil {
			return err
		}
		all := scope.All
		candidates := []string{"How many employees do we have?", "Headcount by department", "Who is working today?"}
		if d := parser.values["department"]; len(d) > 0 && all { // the parser's cached vocabulary
			candidates = append(candidates, "Hours worked per week in "+d[len(d)/2]+" over the last 3 months")
		}
		if !all {
			candidates = append(candidates, "How many hours did my team work over the past 7 weeks?")
		}
		candidates = append(candidates, "Top 5 employees by hours worked last month", "Average hourly wage by position",
			"Sick days by department this year", "Give me the gender parity", "Number of shifts by weekday and start hour")
		for _, q := range candidates {
			if Guard(q) != nil {
				continue
			}
			query, err := parser.Refine(q, nil, visible)
			if err == nil && Validate(query, e.Model, who.User.Role, scope) == nil {
				out = append(out, q)
			}
		}
		return nil
	})
	if err != nil {
		slog.Error("read the ask page's suggestions", "err", err)
	}
	return out
}

// Number is an answer's value as a float: JSON numbers, or PostgreSQL's
// numeric text; anything else is 0.
func Number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	}
	return 0
}
