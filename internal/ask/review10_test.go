package ask_test

import (
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestFourteenthRound holds the confident wrong answers of held-out sets
// 75–78 (an operations manager, an absence analyst, a people-operations
// lead, a SQL-minded analyst), each now right or refused.
func TestFourteenthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		left := "e.tenant_id = {t} and e.end_date between '2026-01-01' and '2026-11-25'"
		return []roundCase{
			// people named by the day they left are gone today (0 rows)
			{"maple-district", "admin", "Which teachers left between 1 September 2025 and 31 August 2026?",
				"select count(*) from employees e where e.tenant_id = {t} and e.position = 'Teacher' and e.end_date between '2025-09-01' and '2026-08-31'", ""},
			// hired between two days, as "hired this year": those who left since too
			{"acme-retail", "admin", "list employees hired between 2026-03-01 and 2026-06-30",
				"select count(*) from employees e where e.tenant_id = {t} and e.hire_date between '2026-03-01' and '2026-06-30'", ""},
			// "did anyone leave" is leaving (the vacations were listed)
			{"acme-retail", "admin", "Did anyone leave this month? If so who?",
				"select count(*) from employees e where e.tenant_id = {t} and e.end_date between '2026-11-01' and '2026-11-25'", ""},
			// completed years (a headcount, 1, was given)
			{"acme-retail", "employee:E0040", "How many full years have I worked here?", "",
				"select " + d.Age("'2026-11-25'", "e.hire_date") + " from employees e where e.tenant_id = {t} and e.employee_id = 'E0040'"},
			{"acme-retail", "admin", "For the people who left this year, how many full years had they been with us on average?", "",
				"select round(cast(avg(" + d.Age("e.end_date", "e.hire_date") + ") as numeric), 2) from employees e where " + left},
			// their tenure (one row a leaver was listed)
			{"acme-retail", "admin", "For the people who left this year, how long had they been with us on average (in years) when they left?", "",
				"select round(cast(avg(" + d.Years("e.end_date", "e.hire_date") + ") as numeric), 2) from employees e where " + left},
			// each shift's break, not the people whose breaks add up to more
			{"bistro-group", "manager:E0031", "How many of my team's shifts last month had more than 45 minutes break?", "",
				"select count(*) from shifts f where f.tenant_id = {t} and f.status = 'worked' and f.break_minutes > 45 and f.date between '2026-10-01' and '2026-10-31' and f.employee_id in (" + teamIn("E0031") + ")"},
			// people who worked, with no period, in all the data (today's staff were counted)
			{"acme-retail", "admin", "how many employees worked", "",
				"select count(distinct f.employee_id) from shifts f where f.tenant_id = {t} and f.status = 'worked' and f.date <= '2026-11-25'"},
			// a spreadsheet's words
			{"bistro-group", "admin", "waiters with count(shifts) >= 17 this month",
				"select count(*) from (select f.employee_id from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and e.position = 'Waiter' and f.date between '2026-11-01' and '2026-11-25' and " + active + " group by f.employee_id having count(*) >= 17) x", ""},
			{"bistro-group", "admin", "headcount group by department, contract_type",
				"select count(*) from (select distinct e.department, e.contract_type from employees e where " + active + ") x", ""},
			// "vs last" is the same kind of period before
			{"bistro-group", "admin", "hrs by site this month vs last",
				"select 2 * count(distinct f.location) from shifts f where f.tenant_id = {t} and f.status = 'worked' and f.date between '2026-10-01' and '2026-11-25'", ""},
		}
	}, []string{
		// takings: the position "Sales Associate" was counted
		"sales per store last month",
		// each leave's own length (people with 10 sick days in all were counted)
		"count of sick leaves where days >= 10 this year",
		// two facts of one day (people with both in the year were counted)
		"How many staff were on sick leave on a day they also have a worked shift?",
		// "+ end_date" was a name ending in "date"
		"who left this yr? names + end_date",
		// "full years" of hours
		"hours worked in full years",
		// the review: shifts of people picked by their totals (0, the shifts
		// longer than 20 hours, were counted; before, the people)
		"how many shifts did people who worked more than 20 hours last week work",
		// the review: an SQL aggregate it does not read (shifts per person)
		"count(distinct employee_id) from shifts last month",
	})
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail", "bistro-group", "maple-district")
		// each school's own share of remote shifts (how the remote shifts
		// split across the schools was given)
		a, err := f.ask(t, "maple-district", "admin", "% of worked shifts that were remote, by school, this year")
		if err != nil {
			t.Fatal(err)
		}
		ref := f.refs["maple-district"]
		want := column(t, ref, "select round(100.0 * sum(case when s.location = 'Remote' then 1 else 0 end) / count(*), 2) from shifts s join employees e using (employee_id) where s.status = 'worked' and s.date between '2026-01-01' and '2026-11-25' and e.department = 'Birch Middle School'")
		found := false
		for _, r := range a.Rows {
			if r[0] == "Birch Middle School" {
				found = true
				if got := ask.Number(r[len(r)-1]); got != ask.Number(want[0]) {
					t.Errorf("Birch's remote share: %v, want %s", got, want[0])
				}
			}
		}
		if !found {
			t.Errorf("no row of Birch Middle School: %v", a.Rows)
		}
		// an id after "with" is a condition, not a column to show (the
		// number was left unread)
		if a, err := f.ask(t, "acme-retail", "admin", "What is the name and hourly wage for employee with id E0002?"); err != nil || len(a.Rows) != 1 {
			t.Errorf("employee with id E0002: %v %v", a, err)
		}
		// the review: "aren't rostered" is having no shift (an empty list
		// of people whose shifts were of another status was given)
		if a, err := f.ask(t, "maple-district", "manager:E0039", "which of my teachers arent rostered next tuesday"); err == nil {
			t.Errorf("not rostered: %v, want a refusal", a.Rows)
		}
		// the review: "sales" after "in" is the people of sales
		if a, err := f.ask(t, "acme-retail", "admin", "how many people work in sales"); err != nil || len(a.Rows) != 1 {
			t.Errorf("people in sales: %v %v", a, err)
		}
		// the review: a first name the asker may see beside a last name of
		// the tenant is refused as a name, whether the pair is a person or
		// not (Emma alone is someone E0039 sees)
		for _, n := range []string{"Jules Dubois", "Emma Dubois", "Manon Dubois"} {
			if _, err := f.ask(t, "maple-district", "manager:E0039", "what is "+n+"'s hourly wage"); !errcode.Is(err, errcode.PermissionDenied) {
				t.Errorf("%s: %v, want permission_denied", n, err)
			}
		}
		// the words scry cannot read name no tenant's person
		if _, err := f.ask(t, "acme-retail", "employee:E0040", "what does nora david make an hr"); !errcode.Is(err, errcode.PermissionDenied) || strings.Contains(strings.ToLower(errcode.From(err).Message), "nora") {
			t.Errorf("a name outside the scope: %v, want permission_denied without the name", err)
		}
	})
}
