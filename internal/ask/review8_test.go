package ask_test

import (
	"context"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestTenthRound: the readings of the tenth round (outside sets 54–58 and
// what was found while fixing them), on both databases.
func TestTenthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// a list of groups when no word names people (it listed
			// everyone, with their location)
			{"acme-retail", "admin", "list the locations", "select count(distinct e.location) from employees e where " + active, ""},
			{"acme-retail", "admin", "list the departments except Retail", "select count(distinct e.department) from employees e where e.department <> 'Retail' and " + active, ""},
			{"acme-retail", "admin", "show all distinct positions", "select count(distinct e.position) from employees e where " + active, ""},
			// people named: still people, showing the column
			{"acme-retail", "admin", "list the locations of part-time staff", "select count(*) from employees e where e.contract_type = 'part_time' and " + active, ""},
			// a condition on a person's number names the part of each group
			// (it gave how the over-60s split across the departments)
			{"acme-retail", "admin", "share of employees older than 60 by department", "select count(distinct e.department) from employees e where " + active, ""},
			// "for every" of two positions is a staffing ratio (it counted the
			// waiters whose manager is a line cook: none); "per principal"
			// stays the principals' own people
			{"bistro-group", "admin", "How many waiters do we have for every line cook?", "",
				"select round(1.0 * sum(case when e.position = 'Waiter' then 1 else 0 end) / sum(case when e.position = 'Line Cook' then 1 else 0 end), 2) from employees e where " + active},
			{"maple-district", "admin", "Number of teachers per principal",
				"select count(distinct m.employee_id) from employees m join employees e on e.tenant_id = m.tenant_id and e.manager_id = m.employee_id where m.position = 'Principal' and e.position = 'Teacher' and " + active, ""},
			// anyone counted per holder of a position: their people, as "per
			// manager" reads (it counted the Restaurant Manager: 1)
			{"bistro-group", "admin", "how many employees per Restaurant Manager", "",
				"select count(*) from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Restaurant Manager' and " + active},
			// the turnover rate: leavers of the period per 100 of its average
			// headcount (the mean of its first and last days')
			{"acme-retail", "admin", "what was our turnover rate this year", "", turnoverRate("", "2026-01-01", "2026-11-25")},
			{"acme-retail", "manager:E0002", "what is the turnover rate of my team this year", "",
				turnoverRate("e.employee_id in ("+teamIn("E0002")+")", "2026-01-01", "2026-11-25")},
			{"acme-retail", "admin", "attrition rate in 2025 by department", "select count(distinct e.department) from employees e where e.tenant_id = {t} and e.hire_date <= '2025-12-31'", ""},
			{"acme-retail", "admin", "turnover rate of Logistics in 2025", "", turnoverRate("e.department = 'Logistics'", "2025-01-01", "2025-12-31")},
			// "which principal's direct reports": the principals, each by
			// their people (it ranked the people); "the principal's
			// teachers" are the teachers they manage (it read principals or
			// teachers)
			{"maple-district", "admin", "Which principal's direct reports have the highest average hourly wage?", "",
				"select max(a) from (select round(cast(avg(e.hourly_wage) as numeric), 2) a from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Principal' and " + active + " group by m.employee_id) t"},
			{"maple-district", "admin", "which principal's teachers are the oldest on average", "",
				"select max(a) from (select round(cast(avg(" + ageYears(d) + ") as numeric), 2) a from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Principal' and e.position = 'Teacher' and " + active + " group by m.employee_id) t"},
			{"maple-district", "admin", "how many of the principal's teachers are part-time", "",
				"select count(*) from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Principal' and e.position = 'Teacher' and e.contract_type = 'part_time' and " + active},
			// "<name>'s <position>": above them when one (it looked for a
			// Nathan Legrand who is a principal: none), below when many
			{"maple-district", "admin", "Who is Nathan Legrand's principal?",
				"select count(*) from employees e where e.tenant_id = {t} and e.employee_id = (select manager_id from employees where tenant_id = {t} and first_name = 'Nathan' and last_name = 'Legrand')", ""},
			{"maple-district", "admin", "list Lucie Moreau's teachers",
				"select count(*) from employees e where e.position = 'Teacher' and e.manager_id = (select employee_id from employees where tenant_id = {t} and first_name = 'Lucie' and last_name = 'Moreau') and " + active, ""},
			// a stay is the tenure (it was an absence's average length)
			{"maple-district", "admin", "How long was Adam Durand with us?", "",
				"select round(cast(" + yearsBetween(d, "e.hire_date", "e.end_date") + " as numeric), 2) from employees e where e.tenant_id = {t} and e.first_name = 'Adam' and e.last_name = 'Durand'"},
			// the asker's own tenure (a manager got the team's average)
			{"acme-retail", "manager:E0002", "what is my tenure", "",
				"select round(cast(" + yearsBetween(d, "e.hire_date", typedDate(d, "2026-11-25")) + " as numeric), 2) from employees e where e.tenant_id = {t} and e.employee_id = 'E0002'"},
			// two values compared with no measure: how many of each (it
			// refused "vs", or listed everyone of both)
			{"bistro-group", "admin", "ft vs pt dishwashers", "select count(distinct e.contract_type) from employees e where e.position = 'Dishwasher' and e.contract_type in ('full_time', 'part_time') and " + active, ""},
			{"bistro-group", "admin", "full-time vs part-time employees", "select 2", ""},
			// "by my teachers": whose hours (it refused "by")
			{"maple-district", "manager:E0069", "hrs worked by my teachers last wk", "",
				"select sum(f.hours) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and e.position = 'Teacher' and f.status = 'worked' and f.date between '2026-11-16' and '2026-11-22' and e.employee_id in (" + teamIn("E0069") + ")"},
			// the review of this round: a name's singular position is their
			// manager only when the manager holds it
			// groups listed only when one is asked and no one is named
			{"acme-retail", "admin", "list the departments of Nora David and Elise Francois", "select 2", ""},
			// the asker's own contracted hours and years of service (a
			// manager got the team's sum and average)
			{"maple-district", "manager:E0069", "my weekly hours", "", "select e.weekly_hours from employees e where e.tenant_id = {t} and e.employee_id = 'E0069'"},
			{"acme-retail", "manager:E0002", "my years of service", "",
				"select round(cast(" + yearsBetween(d, "e.hire_date", typedDate(d, "2026-11-25")) + " as numeric), 2) from employees e where e.tenant_id = {t} and e.employee_id = 'E0002'"},
			// ties at the limit are of the values themselves, not of their
			// rounding (seven were kept whose averages agree to two decimals)
			{"acme-retail", "admin", "top 5 employees by average shift length last quarter", "select 5", ""},
			// a share of each group, ranked by the share (the first group by
			// name was given: Customer Service 3.7)
			{"acme-retail", "admin", "which department has the highest share of employees older than 60", "",
				"select max(p) from (select round(100.0 * sum(case when " + ageOver(d, 60) + " then 1 else 0 end) / count(*), 2) p from employees e where " + active + " group by e.department) t"},
			{"acme-retail", "admin", "which department has the lowest share of women", "",
				"select min(p) from (select round(100.0 * sum(case when e.gender = 'female' then 1 else 0 end) / count(*), 2) p from employees e where " + active + " group by e.department) t"},
			// said after the grouping, the condition is the whole: how the
			// over-60s split (it gave each department's own share)
			{"acme-retail", "admin", "share of employees by department among those older than 60",
				"select count(distinct e.department) from employees e where " + active + " and " + ageOver(d, 60), ""},
			// "how many line cooks does the chef have": the line cooks a chef
			// manages (line cooks or chefs were counted: 15)
			{"bistro-group", "admin", "how many line cooks does the chef have", "",
				"select count(*) from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Chef' and e.position = 'Line Cook' and " + active},
			// the second review: a clause after the grouping still names the
			// part ("who are older than 50"); "by my positions" is no asker's
			// own record
			{"acme-retail", "admin", "share of employees by department who are older than 50", "select count(distinct e.department) from employees e where " + active, ""},
			// "staff per store manager" without "how many": her people (each
			// holder was counted as 1)
			{"acme-retail", "admin", "staff per store manager", "",
				"select count(*) from employees e join employees m on m.tenant_id = e.tenant_id and m.employee_id = e.manager_id where m.position = 'Store Manager' and " + active},
			// "how long were the line cooks with us": their average tenure (an
			// absence's average length was given)
			{"bistro-group", "admin", "how long were the line cooks with us", "",
				"select round(cast(avg(" + yearsBetween(d, "e.hire_date", typedDate(d, "2026-11-25")) + ") as numeric), 2) from employees e where e.position = 'Line Cook' and " + active},
			// "Hugo Martin's store manager" is a position, not his store (every
			// manager in his city was listed)
			{"acme-retail", "admin", "who is Hugo Martin's store manager", "select 1", ""},
			// birthdays and work anniversaries in a period (refused): the day
			// of the year, in any year; a period across the new year wraps
			{"maple-district", "admin", "whose birthday is next week?",
				"select count(*) from employees e where " + monthDay(d, "e.birth_date") + " between '11-30' and '12-06' and " + active, ""},
			{"maple-district", "admin", "whose birthday is between December 28 and January 3",
				"select count(*) from employees e where (" + monthDay(d, "e.birth_date") + " >= '12-28' or " + monthDay(d, "e.birth_date") + " <= '01-03') and " + active, ""},
			{"acme-retail", "admin", "how many work anniversaries this month", "",
				"select count(*) from employees e where " + monthDay(d, "e.hire_date") + " between '11-01' and '11-25' and e.hire_date < '2026-11-01' and " + active},
		}
	}, []string{
		"whose birthday is it",
		"how many employees have my weekly hours",
		"headcount by my positions",
		"list the teacher's principal",
		"what is the hourly wage of Nathan Legrand's principal",
		"turnover rate next month",
		"turnover rate of current employees in 2025",
		"turnover rate by employee this year",
		"turnover rate of Paul Dupont in 2025",
		"turnover rate of employees who worked overtime this year",
		"On how many days last week did I work more than 9 hours?",
		// a turnover rate needs its period, and is one period's
		"what is our turnover rate",
		"turnover rate per month this year",
		"departments with a turnover rate above 5% this year",
		// the size of a headcount's change: the month-end series starts a
		// month late (it answered the series)
		"How much has the Retail headcount changed this year?",
		"what was the change in headcount this year",
	})
}

// turnoverRate is the SQL of the turnover rate of the people where cond
// holds between lo and hi: leavers per 100 of the mean of the headcounts on
// both days.
func turnoverRate(cond, lo, hi string) string {
	if cond == "" {
		cond = "1 = 1"
	}
	on := func(d string) string {
		return "sum(case when e.hire_date <= '" + d + "' and (e.end_date is null or e.end_date >= '" + d + "') then 1 else 0 end)"
	}
	return "select round(100.0 * sum(case when e.end_date between '" + lo + "' and '" + hi + "' then 1 else 0 end) / ((" + on(lo) + " + " + on(hi) + ") / 2.0), 2) from employees e where e.tenant_id = {t} and " + cond
}

// typedDate is a date literal of dialect d.
func typedDate(d store.Dialect, v string) string {
	if d == store.Postgres {
		return "date '" + v + "'"
	}
	return "'" + v + "'"
}

// TestPossessivePositionAbove: "<name>'s <position>" is their manager only
// when the manager holds that position (it gave the manager whatever it
// held: a principal for "Nathan Legrand's superintendent").
func TestPossessivePositionAbove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "maple-district")
		for q, want := range map[string]string{"who is Nathan Legrand's principal": "E0069", "who is Nathan Legrand's superintendent": "", "who is Lucie Moreau's principal": "",
			"who is Adam Durand's teacher": ""} {
			a, err := f.ask(t, "maple-district", "admin", q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if got := len(a.Rows); want == "" && got != 0 || want != "" && (got != 1 || a.Rows[0][0] != want) {
				t.Errorf("%q: %v, want %q", q, a.Rows, want)
			}
		}
	})
}

// TestShareOfEachGroup: "what % of shifts start before 7am, per location"
// is each location's own share (it gave where the early shifts are: Lyon
// 83.57 % of them).
func TestShareOfEachGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		a, err := f.ask(t, "acme-retail", "admin", "what % of shifts start before 7am, per location?")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range a.Rows {
			if r[0] == "Lyon" && ask.Number(r[len(r)-1]) != 47.94 {
				t.Errorf("Lyon: %v, want 47.94 (its own shifts' share)", r)
			}
		}
		if len(a.Rows) != 4 {
			t.Errorf("%d rows, want 4: %v", len(a.Rows), a.Rows)
		}
	})
}

// TestTurnoverEveryDoor: a follow-up's query passes the same checks as a
// question (by employee gave rates of 200 after "our turnover rate this
// year", which the parser refuses).
func TestTurnoverEveryDoor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		first, err := f.ask(t, "acme-retail", "manager:E0002", "what is our turnover rate this year")
		if err != nil {
			t.Fatal(err)
		}
		who, _ := ask.AskerFor(f.tenants["acme-retail"], "manager:E0002")
		for _, follow := range []string{"by employee", "and for Charlie Michel?", "only sick leave", "and next year?"} {
			if a, err := f.eng.AskAfter(context.Background(), who, follow, now, first.Query); err == nil {
				t.Errorf("%q after a turnover rate answered %v", follow, a.Rows)
			} else if errcode.From(err).Code == errcode.Internal {
				t.Errorf("%q: %v", follow, err)
			}
		}
		// an employee sees one record: refused as a right, not read wrongly
		if _, err := f.ask(t, "acme-retail", "employee:E0045", "turnover rate this year"); !errcode.Is(err, errcode.PermissionDenied) {
			t.Errorf("an employee's turnover rate: %v", err)
		}
	})
}

// TestWholeOrganisation: a question that names the whole organisation is
// refused to an asker who sees less (a manager's "how many employees are
// there in the whole company" gave her team's 94 as the company's).
func TestWholeOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		for _, q := range []string{"how many employees are there in the whole company", "headcount company-wide", "total hours worked company-wide last month"} {
			if a, err := f.ask(t, "acme-retail", "manager:E0002", q); !errcode.Is(err, errcode.PermissionDenied) {
				t.Errorf("manager %q: %v %v, want permission_denied", q, a.Rows, err)
			}
			if _, err := f.ask(t, "acme-retail", "admin", q); err != nil {
				t.Errorf("admin %q: %v", q, err)
			}
		}
	})
}

// monthDay is the SQL of date column col's 'MM-DD' in dialect d.
func monthDay(d store.Dialect, col string) string {
	if d == store.Postgres {
		return "to_char(" + col + ", 'MM-DD')"
	}
	return "strftime('%m-%d', " + col + ")"
}
