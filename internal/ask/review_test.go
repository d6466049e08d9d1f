package ask_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestSecondReview holds the confident wrong answers a review of the
// 2026-12-03 readings reproduced (each checked against the CSV files), and
// the readings that now answer them or refuse.
func TestSecondReview(t *testing.T) {
	f := shared(t)
	for _, c := range []struct {
		tenant, as, q string
		want          float64
	}{
		{"acme-retail", "admin", "how many hires in 2025 on part-time contracts", 9},                             // "2025 on" is not "since 2025"
		{"acme-retail", "admin", "hours worked in March 2026 on weekends", 1396.44},                              // not since March
		{"acme-retail", "admin", "how many people are off sick rn", 5},                                           // "rn" is today
		{"acme-retail", "admin", "what is the ratio of part-time to full-time employees in Paris and Lyon", 0.3}, // the pair around "to"
		{"acme-retail", "admin", "ratio of female to male cashiers in Lyon and Paris", 1.67},
		{"acme-retail", "admin", "ratio of sick days to vacation days in Paris and Lyon", 0.28},
		{"acme-retail", "admin", "how many new hires who started this year took sick leave", 9}, // "started" of people is a hire
	} {
		ans, err := f.ask(t, c.tenant, c.as, c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
			continue
		}
		if len(ans.Rows) != 1 || len(ans.Rows[0]) != 1 || math.Abs(ask.Number(ans.Rows[0][0])-c.want) > 0.005 {
			t.Errorf("%q answered %v, want %v", c.q, ans.Rows, c.want)
		}
	}
	for _, c := range []struct {
		tenant, as, q string
		rows          int
	}{
		{"acme-retail", "admin", "list the store managers", 1},                            // not every manager
		{"maple-district", "admin", "how many hours did Lambert work in 2026", 2},         // one who left is a namesake too
		{"acme-retail", "admin", "which employees have time off scheduled next week", 30}, // away, not on shift
		{"acme-retail", "admin", "which department hired the fewest people this year", 3}, // three hired none
		{"acme-retail", "admin", "which month had the fewest hires this year", 3},         // April, June and October
		{"acme-retail", "admin", "top 2 employees by vacation days this year", 6},         // six tie at 35
	} {
		ans, err := f.ask(t, c.tenant, c.as, c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
		} else if len(ans.Rows) != c.rows {
			t.Errorf("%q answered %d rows, want %d", c.q, len(ans.Rows), c.rows)
		}
	}
	for _, c := range []struct{ tenant, as, q string }{
		{"acme-retail", "admin", "how many sick days did employees who started in 2025 take"}, // hires, not absences that started
		{"acme-retail", "admin", "headcount month over month this year"},
		{"acme-retail", "admin", "what is the gender ratio in Paris and Lyon"},
		{"acme-retail", "admin", "ratio of employees to managers"},
		{"acme-retail", "admin", "Who was off sick for more than 10 days in a row in 2026?"},
		{"acme-retail", "admin", "Compare planned and worked hours for this week."},
		{"acme-retail", "admin", "What's the average of the departments' average hourly wages?"},
		{"acme-retail", "admin", "what about their hourly wages?"},
		{"acme-retail", "employee:E0010", "how many vacation days do I have remaining this year"},
		{"maple-district", "admin", "who teaches at Oak High School"}, // not the Teaching Assistants
		// a second review, of the readings after the first
		{"acme-retail", "admin", "how many sick days fell on a Monday this year"}, // days of absences that started on a Monday
		{"maple-district", "admin", "how many days did I teach last month"},       // a count of people
	} {
		if ans, err := f.ask(t, c.tenant, c.as, c.q); err == nil {
			t.Errorf("%s %q answered %v, want a refusal", c.as, c.q, ans.Rows)
		}
	}
}

// TestThirdRound holds the confident wrong answers the held-out sets 19
// to 21 and the work on them found (each checked against the CSV files).
func TestThirdRound(t *testing.T) {
	f := shared(t)
	for _, c := range []struct {
		tenant, as, q string
		want          []float64 // the last column of each row, in order
	}{
		// the principals themselves were counted, one each
		{"maple-district", "admin", "how many direct reports does each principal have", []float64{34, 26, 19}},
		{"maple-district", "admin", "Span of control: how many direct reports does each manager have?", []float64{34, 26, 19, 3}},
		{"maple-district", "admin", "Span of control for each principal", []float64{34, 26, 19}},
		// one average over (person, week) pairs, not a row per person
		{"acme-retail", "admin", "Average hours worked per employee per week in Customer Service last month", []float64{29.93}},
		// "worked by employees of the Kitchen": who worked them, not a row each
		{"bistro-group", "admin", "Find the average break length in minutes of the shifts worked by employees of the Kitchen department.", []float64{39.8}},
		// a review of those readings: "how much time" of absences is days,
		// "how many times did … work" shifts, minutes of break their sum
		{"acme-retail", "employee:E0170", "how much time was I off sick this year", []float64{19}},
		{"acme-retail", "employee:E0170", "how much time off did I take this year", []float64{19}},
		{"acme-retail", "employee:E0170", "how many times did I work last week", []float64{4}},
		{"acme-retail", "admin", "how many times did cashiers work last week", []float64{107}},
		{"acme-retail", "admin", "how many minutes of break did cashiers take last week", []float64{6420}},
		{"acme-retail", "employee:E0170", "how much time did I spend on breaks last week", []float64{240}},
		{"acme-retail", "admin", "what is the total duration of shifts last week", []float64{6635.03}},
		{"acme-retail", "admin", "how many employees were born before Jan '90", []float64{139}}, // not 2090
		// one shift's length (it was people by their average absence duration)
		{"bistro-group", "admin", "Count of shifts with a duration over 8h in the previous week", []float64{37}},
		{"bistro-group", "admin", "Last week, how many worked shifts lasted more than eight hours?", []float64{37}},
		// planned hours, with the verb's "worked" dropped (it kept no shift)
		{"acme-retail", "admin", "who worked the fewest hours next week", []float64{0, 0, 0, 0}},
	} {
		ans, err := f.ask(t, c.tenant, c.as, c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
			continue
		}
		ok := len(ans.Rows) == len(c.want)
		for i := 0; ok && i < len(c.want); i++ {
			r := ans.Rows[i]
			ok = math.Abs(ask.Number(r[len(r)-1])-c.want[i]) < 0.005
		}
		if !ok {
			t.Errorf("%q answered %v, want %v", c.q, ans.Rows, c.want)
		}
	}
	// "which … had shifts" lists the people, not the number of shifts
	for _, q := range []string{"Which Customer Service staff have a shift on 26/11/2026?", "which drivers had shifts last week"} {
		if ans, err := f.ask(t, "acme-retail", "admin", q); err != nil || len(ans.Columns) < 2 || ans.Columns[1].Name != "name" {
			t.Errorf("%q: %v, columns %v: want a list of people", q, err, ans.Columns)
		}
	}
	for _, q := range []string{
		"How many?",                                            // was the headcount
		"hours on 03/04/2026",                                  // either number may be the day
		"how many breaks were taken last week",                 // was the average break
		"who took the fewest breaks last week",                 // ranked by average minutes
		"who worked the fewest shifts next week",               // everyone tied at 0
		"which cashiers had a shift and an absence last week",  // the absence was dropped
		"how many last week?",                                  // was the headcount
		"compare hours worked by staff hired in 2025 and 2026", // read as two periods
	} {
		if ans, err := f.ask(t, "acme-retail", "admin", q); err == nil {
			t.Errorf("%q answered %v, want a refusal", q, ans.Rows)
		}
	}
	for _, q := range []string{
		"who worked the fewest hours in Springfield last week", // the people's own place was checked for zeros
		"morning shifts last week",                             // "morning" was taken for a greeting
	} {
		if ans, err := f.ask(t, "maple-district", "admin", q); err == nil {
			t.Errorf("%q answered %v, want a refusal", q, ans.Rows)
		}
	}
	if ans, err := f.ask(t, "acme-retail", "admin", "average hours per employee per week for each employee"); err != nil || len(ans.Rows) < 2 {
		t.Errorf("\"for each employee\" is a row each: %v, %v", err, ans)
	}
}

// TestFourthRound holds what a review of the shift lists, headcount
// series and side-by-side values reproduced (each checked against the CSV
// files).
func TestFourthRound(t *testing.T) {
	f := shared(t)
	for _, c := range []struct {
		q    string
		want float64
	}{
		{"how many of the night shifts last week were in Lyon", 3},      // the word before "shifts" was dropped
		{"how many of our cashiers' shifts were in Lyon last week", 42}, // 342: every shift in Lyon
		{"how many of our cashiers have shifts tomorrow", 26},           // 183: every shift tomorrow
	} {
		ans, err := f.ask(t, "acme-retail", "admin", c.q)
		if err != nil || len(ans.Rows) != 1 || ask.Number(ans.Rows[0][0]) != c.want {
			t.Errorf("%q: %v, %v, want %v", c.q, err, ans, c.want)
		}
	}
	// "I" in a list of shifts is the asker, a manager too; "when do I work
	// on Friday" is the coming one, not every Friday there has been
	for _, c := range []struct {
		as, q, first string
		rows         int
	}{
		{"manager:E0105", "what shifts do I have next week", "2026-11-30", 5},
		{"employee:E0170", "what shifts do I have to work tomorrow", "2026-11-26", 1},
		{"employee:E0170", "when do I work on Friday", "2026-11-27", -1},
	} {
		ans, err := f.ask(t, "acme-retail", c.as, c.q)
		if err != nil || len(ans.Rows) == 0 || fmt.Sprint(ans.Rows[0][0]) != c.first || c.rows >= 0 && len(ans.Rows) != c.rows {
			t.Errorf("%s %q: %v, %v", c.as, c.q, err, ans)
			continue
		}
		for _, r := range ans.Rows {
			if id := "E" + strings.Split(c.as, ":E")[1]; r[len(r)-1] != id {
				t.Errorf("%s %q lists %v, not the asker's", c.as, c.q, r)
			}
		}
	}
	for _, q := range []string{
		"when is my next shift",                                    // an admin with no record of their own got someone's
		"when does she work next week",                             // whom "she" means is not said
		"how many female cashiers and male stock clerks are there", // each value with its own condition
		"headcount of women and men per month this year",           // added up
		"how has headcount changed",                                // no period: one number
		"average headcount over the last 6 months",                 // a series, no average
		"what was the highest headcount over the last 12 months",   // a series, no maximum
		"span of control by department",                            // plain headcount
		"total break hours last week",                              // minutes
	} {
		if ans, err := f.ask(t, "acme-retail", "admin", q); err == nil {
			t.Errorf("%q answered %v, want a refusal", q, ans.Rows)
		}
	}
}

// TestHoursAreNoClockTime: "more than 38h" is hours, "before 8h00" and
// "after 18h" a time of day (a rule for the second read the first as
// 38:00 and refused it).
func TestHoursAreNoClockTime(t *testing.T) {
	f := shared(t)
	if ans, err := f.ask(t, "bistro-group", "admin", "techs who did more than 38h last wk"); err != nil || ans.Query.Having == nil || ans.Query.Having.Value != 38 {
		t.Errorf("more than 38h: %v, %v", err, ans)
	}
	for _, q := range []string{"How many shifts have started before 8h00 the last week?", "shifts starting after 18h last week"} {
		ans, err := f.ask(t, "acme-retail", "admin", q)
		if err != nil || !strings.Contains(fmt.Sprint(ans.Query.Filters), "start_time") {
			t.Errorf("%q: %v, %v", q, err, ans)
		}
	}
}

// TestFifthRound holds the wrong answers of the twenty-fourth set (each
// checked against the CSV files).
func TestFifthRound(t *testing.T) {
	f := shared(t)
	for _, c := range []struct {
		tenant, as, q string
		want          float64
	}{
		{"bistro-group", "employee:E0015", "how long have i been working here", 14.26},           // was an absence's length
		{"acme-retail", "manager:E0226", "Which of my people worked the least last week?", 6.67}, // was ranked by shifts
		{"acme-retail", "admin", "How many people work here right now?", 216},                    // was the people on shift today
	} {
		ans, err := f.ask(t, c.tenant, c.as, c.q)
		if err != nil || len(ans.Rows) != 1 || math.Abs(ask.Number(ans.Rows[0][len(ans.Rows[0])-1])-c.want) > 0.005 {
			t.Errorf("%s %q: %v, %v, want %v", c.as, c.q, err, ans, c.want)
		}
	}
	// "I have worked" is the asker's own, not "the people I have"
	if ans, err := f.ask(t, "acme-retail", "manager:E0226", "what's the longest shift I've ever worked?"); err != nil || !ans.Query.Self {
		t.Errorf("the longest shift I've worked: %v, %v", err, ans)
	}
}

// TestSixthRound holds the confident wrong answers of the held-out sets
// 25–27 (and what fixing them found), each checked against SQL written
// apart from scry's, on both databases ({t} is the tenant's id).
// roundCase is a question asked in a review round and what its answer must
// hold: its number of rows, or its one value, each as SQL of the tenant {t}.
type roundCase struct {
	tenant, as, q string
	rows, value   string
}

// active is the SQL of "e is employed on 2026-11-25" in the tenant {t}.
const active = "e.tenant_id = {t} and e.hire_date <= '2026-11-25' and (e.end_date is null or e.end_date >= '2026-11-25')"

// checkRound asks each case on both databases and checks its answer, and
// that each question of refused (asked as acme-retail's admin) is refused.
func checkRound(t *testing.T, cases func(d store.Dialect) []roundCase, refused []string) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail", "bistro-group", "maple-district")
		ctx := context.Background()
		query := func(slug, q string) float64 {
			var v float64
			q = strings.ReplaceAll(q, "{t}", fmt.Sprint(f.tenants[slug]))
			err := f.db.ReadTenant(ctx, f.tenants[slug], func(tx *store.Tx) error { return tx.QueryRowContext(ctx, q).Scan(&v) })
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return v
		}
		for _, c := range cases(d) {
			a, err := f.ask(t, c.tenant, c.as, c.q)
			if err != nil {
				t.Errorf("%s %q: %v", c.as, c.q, err)
				continue
			}
			if c.rows != "" {
				if want := int(query(c.tenant, c.rows)); len(a.Rows) != want || want == 0 {
					t.Errorf("%s %q: %d rows, want %d: %v", c.as, c.q, len(a.Rows), want, a.Rows)
				}
				continue
			}
			if want := query(c.tenant, c.value); len(a.Rows) != 1 || ask.Number(a.Rows[0][len(a.Rows[0])-1]) != want {
				t.Errorf("%s %q: %v, want %v", c.as, c.q, a.Rows, want)
			}
		}
		for _, q := range refused {
			if a, err := f.ask(t, "acme-retail", "admin", q); err == nil {
				t.Errorf("%q answered %v; it should be refused", q, a.Rows)
			}
		}
	})
}

func TestSixthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// "still with us" of people hired in a period: employed today
			{"acme-retail", "admin", "staff hired in 2026 who are still with us", "select count(*) from employees e where e.hire_date >= '2026-01-01' and " + active, ""},
			// "per week" is the unit of a contract, not a grouping by hire week
			{"acme-retail", "manager:E0226", "Total contracted hours per week by position", "select count(distinct position) from employees e where e.tenant_id = {t} and e.employee_id in (" + teamIn("E0226") + ")", ""},
			// the part of the whole, not the part within itself (100 %)
			{"acme-retail", "admin", "What share of our workforce is on temporary contracts?", "", "select round(100.0 * sum(case when e.contract_type = 'temporary' then 1 else 0 end) / count(*), 2) from employees e where " + active},
			// "at least one sick leave": of everyone, not of those with one
			{"bistro-group", "admin", "What percentage of active staff had at least one sick leave this year?", "",
				"select round(100.0 * sum(case when exists (select 1 from absences a where a.tenant_id = {t} and a.employee_id = e.employee_id and a.type = 'sick_leave' and a.start_date <= '2026-11-25' and a.end_date >= '2026-01-01') then 1 else 0 end) / count(*), 2) from employees e where " + active},
			// was an SQL syntax error: a status named of people
			{"bistro-group", "admin", "What percentage of employees worked last week?", "",
				"select round(100.0 * sum(case when exists (select 1 from shifts s where s.tenant_id = {t} and s.employee_id = e.employee_id and s.status = 'worked' and s.date between '2026-11-16' and '2026-11-22') then 1 else 0 end) / count(*), 2) from employees e where e.tenant_id = {t} and e.hire_date <= '2026-11-22' and (e.end_date is null or e.end_date >= '2026-11-22')"},
			// "current" was dropped: leavers were listed
			{"acme-retail", "admin", "Which current employees have taken fewer than 10 vacation days so far this year?",
				"select count(*) from (select a.employee_id from absences a join employees e on e.employee_id = a.employee_id and e.tenant_id = a.tenant_id where a.type = 'vacation' and a.start_date <= '2026-11-25' and a.end_date >= '2026-01-01' and " + active + " group by a.employee_id having sum(a.days) < 10) t", ""},
			// overtime of planned shifts, not of worked ones (none next week)
			{"bistro-group", "admin", "Who is scheduled for more than their contracted hours next week?",
				"select count(*) from (select s.employee_id from shifts s join employees e on e.employee_id = s.employee_id and e.tenant_id = s.tenant_id where e.tenant_id = {t} and s.status = 'planned' and s.date between '2026-11-30' and '2026-12-06' group by s.employee_id having sum(s.hours) > max(e.weekly_hours)) t", ""},
			// starts are shifts, "early" the time it gives; not "yearly"
			{"maple-district", "manager:E0002", "How many early starts (before 7:30) did my team work last week?", "",
				"select count(*) from shifts s where s.tenant_id = {t} and s.status = 'worked' and s.start_time < '07:30' and s.date between '2026-11-16' and '2026-11-22' and s.employee_id in (" + teamIn("E0002") + ")"},
			// "this year by month" was "per year" of every year
			{"acme-retail", "admin", "new hires this year by month", "select count(distinct substr(cast(hire_date as text), 1, 7)) from employees where tenant_id = {t} and hire_date between '2026-01-01' and '2026-11-25'", ""},
			// a contract, not hours worked, with no period and no verb of work
			{"maple-district", "admin", "List the full names of teaching assistants whose weekly hours are less than 30.", "select count(*) from employees e where e.position = 'Teaching Assistant' and e.weekly_hours < 30 and " + active, ""},
			{"acme-retail", "admin", "What is the average weekly hours for each contract type?", "select count(distinct e.contract_type) from employees e where " + active, ""},
			// both kinds of absence, each its own condition (one for both is either)
			{"bistro-group", "admin", "How many employees had both a sick leave and a vacation in October?", "",
				"select count(*) from employees e where e.tenant_id = {t} and e.hire_date <= '2026-10-31' and (e.end_date is null or e.end_date >= '2026-10-31') and " + hadIn("sick_leave", "2026-10-01", "2026-10-31") + " and " + hadIn("vacation", "2026-10-01", "2026-10-31")},
			{"acme-retail", "admin", "Which employees had both a vacation and a sick leave in November 2026?",
				"select count(*) from employees e where e.tenant_id = {t} and " + hadIn("sick_leave", "2026-11-01", "2026-11-30") + " and " + hadIn("vacation", "2026-11-01", "2026-11-30"), ""},
			// the review of the readings above, and held-out sets 28-29
			{"acme-retail", "admin", "how many saturday shifts are there", "", "select count(*) from shifts where tenant_id = {t} and status = 'worked' and " + weekdayIs(d, "date", 6)},
			{"acme-retail", "admin", "shifts monday to friday", "", "select count(*) from shifts where tenant_id = {t} and status = 'worked' and not " + weekdayIs(d, "date", 6) + " and not " + weekdayIs(d, "date", 0)},
			{"acme-retail", "admin", "how many > 8 hours shifts last week", "", "select count(*) from shifts where tenant_id = {t} and status = 'worked' and hours > 8 and date between '2026-11-16' and '2026-11-22'"},
			{"acme-retail", "admin", "what share of employees have at least one shift next week", "",
				"select round(100.0 * sum(case when exists (select 1 from shifts s where s.tenant_id = {t} and s.employee_id = e.employee_id and s.date between '2026-11-30' and '2026-12-06') then 1 else 0 end) / count(*), 2) from employees e where e.tenant_id = {t} and e.hire_date <= '2026-12-06' and (e.end_date is null or e.end_date >= '2026-12-06')"},
			{"acme-retail", "admin", "Who has been with us longest in each department?", "select count(distinct e.department) from employees e where " + active, ""},
			{"acme-retail", "admin", "what's the percentage of part-timers per store?", "select count(distinct e.location) from employees e where " + active, ""},
			{"acme-retail", "admin", "average tenure of people who left this year", "",
				"select round(avg(" + yearsBetween(d, "hire_date", "end_date") + "), 2) from employees where tenant_id = {t} and end_date between '2026-01-01' and '2026-11-25'"},
			{"maple-district", "admin", "teacher turnover this yr", "", "select count(*) from employees where tenant_id = {t} and position = 'Teacher' and end_date between '2026-01-01' and '2026-11-25'"},
			{"bistro-group", "admin", "headcount on shift this weekend", "", "select count(distinct employee_id) from shifts where tenant_id = {t} and date between '2026-11-28' and '2026-11-29'"},
			// the second review: a day after "have", a share of all hours, a
			// department as the whole, and a rank within a shift's own place
			{"acme-retail", "admin", "how many shifts do we have friday", "", "select count(*) from shifts where tenant_id = {t} and date = '2026-11-27'"},
			{"acme-retail", "admin", "share of hours worked by female cashiers", "",
				"select round(cast(100.0 * sum(case when e.gender = 'female' and e.position = 'Cashier' then s.hours else 0 end) / sum(s.hours) as numeric), 2) from shifts s join employees e on e.tenant_id = s.tenant_id and e.employee_id = s.employee_id where s.tenant_id = {t} and s.status = 'worked' and s.date <= '2026-11-25'"},
			{"acme-retail", "admin", "percentage of Retail staff by location", "select count(distinct e.location) from employees e where e.department = 'Retail' and " + active, ""},
			{"acme-retail", "admin", "who worked the most hours in each location last month", "select count(distinct location) from shifts where tenant_id = {t} and status = 'worked' and date between '2026-10-01' and '2026-10-31'", ""},
			// the next session: "how long" of work is hours, not an absence's
			// length; a person named is that person, here today or gone
			{"bistro-group", "employee:E0046", "how long did I work last month", "", "select sum(hours) from shifts where tenant_id = {t} and employee_id = 'E0046' and status = 'worked' and date between '2026-10-01' and '2026-10-31'"},
			{"acme-retail", "admin", "how long did Anna Roux work here", "", "select round(cast(" + yearsBetween(d, "hire_date", "end_date") + " as numeric), 2) from employees where tenant_id = {t} and first_name = 'Anna' and last_name = 'Roux'"},
			// held-out sets 30-31: overtime listed of those with some, a
			// number before a group's word, the people before the shifts
			// counted, hires of the asker's scope, numbers said in words
			{"bistro-group", "admin", "who did overtime last week", "select count(*) from (select s.employee_id from shifts s join employees e on e.tenant_id = s.tenant_id and e.employee_id = s.employee_id where s.tenant_id = {t} and s.status = 'worked' and s.date between '2026-11-16' and '2026-11-22' group by s.employee_id having sum(s.hours) > max(e.weekly_hours)) t", ""},
			{"acme-retail", "admin", "which 3 stores had the fewest sick days YTD?", "select 3", ""},
			{"bistro-group", "admin", "How many bartender shifts ran past midnight last month?", "", "select count(*) from shifts where tenant_id = {t} and position = 'Bartender' and status = 'worked' and end_time < start_time and date between '2026-10-01' and '2026-10-31'"},
			{"bistro-group", "manager:E0085", "receptionists I've taken on this year", "select count(*) from employees e where e.tenant_id = {t} and e.position = 'Receptionist' and e.hire_date >= '2026-01-01' and e.employee_id in (" + teamIn("E0085") + ")", ""},
			{"acme-retail", "admin", "um how many hours did we work in twenty twenty five", "", "select round(cast(sum(hours) as numeric), 2) from shifts where tenant_id = {t} and status = 'worked' and date between '2025-01-01' and '2025-12-31'"},
			{"bistro-group", "employee:E0046", "did i work on the 14th", "select count(*) from shifts where tenant_id = {t} and employee_id = 'E0046' and status = 'worked' and date = '2026-11-14'", ""},
			// held-out sets 32-33: "of me" is mine; "what hours" the measure, not also a grouping by hour
			{"maple-district", "manager:E0002", "which teachers of me are in part time", "select count(*) from employees e where e.position = 'Teacher' and e.contract_type = 'part_time' and " + active + " and e.employee_id in (" + teamIn("E0002") + ")", ""},
			{"bistro-group", "manager:E0101", "what hours did my technicians in the last week, per person", "select count(distinct s.employee_id) from shifts s join employees e on e.tenant_id = s.tenant_id and e.employee_id = s.employee_id where s.tenant_id = {t} and s.status = 'worked' and s.position = 'Technician' and s.date between '2026-11-16' and '2026-11-22' and s.employee_id in (" + teamIn("E0101") + ")", ""},
			// the review of sets 30-33's readings: facts of people's words
			// are facts; "was I hired" is the asker's; a shift's length
			{"acme-retail", "admin", "total number of staff sick days this year", "", "select sum(days) from absences where tenant_id = {t} and type = 'sick_leave' and end_date >= '2026-01-01' and start_date <= '2026-11-25'"},
			{"bistro-group", "admin", "how many bartender night shifts last month", "", "select count(*) from shifts where tenant_id = {t} and position = 'Bartender' and status = 'worked' and end_time < start_time and date between '2026-10-01' and '2026-10-31'"},
			{"acme-retail", "manager:E0002", "when was I hired", "select 1", ""},
			{"acme-retail", "employee:E0010", "how many shifts did I take on last month", "", "select count(*) from shifts where tenant_id = {t} and employee_id = 'E0010' and status = 'worked' and date between '2026-10-01' and '2026-10-31'"},
			{"acme-retail", "admin", "how long were the shifts worked last week", "", "select round(cast(avg(hours) as numeric), 2) from shifts where tenant_id = {t} and status = 'worked' and date between '2026-11-16' and '2026-11-22'"},
			{"acme-retail", "admin", "how long has Nora David been with us", "", "select round(cast(" + yearsBetween(d, "hire_date", "'2026-11-25'") + " as numeric), 2) from employees where tenant_id = {t} and first_name = 'Nora' and last_name = 'David'"},
			{"acme-retail", "admin", "show the apprentices hired this year", "select count(*) from employees where tenant_id = {t} and contract_type = 'apprentice' and hire_date between '2026-01-01' and '2026-11-25'", ""},
			// the most or fewest people of a fact, by group: people, not facts
			// or everyone employed, and groups with none at 0
			{"acme-retail", "admin", "which department had the most people absent last month", "", "select max(c) from (select e.department, count(distinct a.employee_id) as c from absences a join employees e on e.tenant_id = a.tenant_id and e.employee_id = a.employee_id where a.tenant_id = {t} and a.end_date >= '2026-10-01' and a.start_date <= '2026-10-31' group by e.department) t"},
			{"acme-retail", "admin", "which location had the most people working last week", "", "select max(c) from (select location, count(distinct employee_id) as c from shifts where tenant_id = {t} and status = 'worked' and date between '2026-11-16' and '2026-11-22' group by location) t"},
			{"acme-retail", "admin", "which departments had the fewest people off sick last month",
				"select count(distinct e.department) from employees e where " + active + " and not exists (select 1 from employees e2 join absences a on a.tenant_id = e2.tenant_id and a.employee_id = e2.employee_id where e2.tenant_id = {t} and e2.department = e.department and a.type = 'sick_leave' and a.end_date >= '2026-10-01' and a.start_date <= '2026-10-31' and e2.hire_date <= '2026-10-31' and (e2.end_date is null or e2.end_date >= '2026-10-31'))", ""},
			// held-out set 35: "which <people>" lists them; a person's shifts shown
			{"maple-district", "admin", "Which Birch teachers started before 7:30 yesterday?", "select count(distinct s.employee_id) from shifts s join employees e on e.tenant_id = s.tenant_id and e.employee_id = s.employee_id where s.tenant_id = {t} and e.department = 'Birch Middle School' and s.position = 'Teacher' and s.status = 'worked' and s.start_time < '07:30' and s.date = '2026-11-24'", ""},
			{"maple-district", "manager:E0002", "Show me Sacha Bonnet's shifts this week", "select count(*) from shifts where tenant_id = {t} and employee_id = 'E0003' and date between '2026-11-23' and '2026-11-25'", ""},
			// held-out set 34 (small words): "fewer than" passes people with
			// none; "at least 3 Saturdays" counts shifts; "each kitchen
			// employee" a row each; "how many … in the last 30 days" one
			// number; an average or count of people "who …" is one number
			{"bistro-group", "admin", "How many bartenders worked fewer than 2 shifts last week?", "", "select count(*) from employees e where " + active + " and e.position = 'Bartender' and (select count(*) from shifts s where s.tenant_id = {t} and s.employee_id = e.employee_id and s.status = 'worked' and s.date between '2026-11-16' and '2026-11-22') < 2"},
			{"bistro-group", "admin", "which bartenders worked fewer than 2 shifts last week", "select count(*) from employees e where " + active + " and e.position = 'Bartender' and (select count(*) from shifts s where s.tenant_id = {t} and s.employee_id = e.employee_id and s.status = 'worked' and s.date between '2026-11-16' and '2026-11-22') < 2", ""},
			{"acme-retail", "manager:E0002", "How many of my cashiers worked at least 3 Saturdays last month?", "", "select count(*) from (select s.employee_id from shifts s where s.tenant_id = {t} and s.position = 'Cashier' and s.status = 'worked' and " + weekdayIs(d, "s.date", 6) + " and s.date between '2026-10-01' and '2026-10-31' and s.employee_id in (" + teamIn("E0002") + ") group by s.employee_id having count(*) >= 3) t"},
			{"bistro-group", "admin", "How many hours did each kitchen employee work last month?", "select count(distinct s.employee_id) from shifts s join employees e on e.tenant_id = s.tenant_id and e.employee_id = s.employee_id where s.tenant_id = {t} and e.department = 'Kitchen' and s.status = 'worked' and s.date between '2026-10-01' and '2026-10-31'", ""},
			{"acme-retail", "admin", "How many sick days were taken in the last 30 days?", "", "select sum(days) from absences where tenant_id = {t} and type = 'sick_leave' and end_date >= '2026-10-26' and start_date <= '2026-11-24'"},
			{"maple-district", "admin", "what is the average age of teachers who are part-time", "select 1", ""},
			{"maple-district", "admin", "How many teachers who were hired before 2015 are still with us?", "", "select count(*) from employees e where e.position = 'Teacher' and e.hire_date < '2015-01-01' and " + active},
			{"maple-district", "admin", "Who works at the same school as Nora Thomas?", "select count(*) from employees e where e.department = (select department from employees where tenant_id = {t} and first_name = 'Nora' and last_name = 'Thomas') and not (e.first_name = 'Nora' and e.last_name = 'Thomas') and " + active, ""},
			{"maple-district", "manager:E0002", "Did anyone on my team start before 7:30 last Tuesday?", "select count(distinct s.employee_id) from shifts s where s.tenant_id = {t} and s.status = 'worked' and s.start_time < '07:30' and s.date = '2026-11-24' and s.employee_id in (" + teamIn("E0002") + ")", ""},
			// the second review: "I hired" leaves the asker out of their own hires
			{"acme-retail", "manager:E0002", "how many people did I hire in 2012", "", "select count(*) from employees e where e.tenant_id = {t} and e.employee_id <> 'E0002' and e.hire_date between '2012-01-01' and '2012-12-31' and e.employee_id in (" + teamIn("E0002") + ")"},
			{"acme-retail", "admin", "show Anna Roux", "select count(*) from employees where tenant_id = {t} and first_name = 'Anna' and last_name = 'Roux' and end_date < '2026-11-25'", ""},
		}
	}, []string{"average hourly wage per month", "average age by year", "cost of absences last month", "overtime cost last month",
		"which employees took sick leave only?", "rank departments by size in descending order", "who is on vacation and sick leave today",
		"median and average wage by location", "who's working with Nora David tomorrow", "cashiers working tomorrow and friday",
		"remote teaching hours by location this year", "average wage of cashiers no sorry stock clerks",
		"longest sick leave this year - who and how many days", "how many of our employees live in Lyon",
		"shortest and longest shift last month", "min and max shift length last month",
		"which department has the highest and lowest average wage"})
}

// TestEveryAggregateOfAList: "min/max hourly wage per location" gave the
// maximum alone (the minimum was read as a rank of nothing and dropped).
func TestEveryAggregateOfAList(t *testing.T) {
	f := shared(t)
	for q, want := range map[string]int{"min/max hourly wage per location": 3, "min, max and avg age by department": 4, "min max avg hourly wage": 3} {
		a, err := f.ask(t, "acme-retail", "admin", q)
		if err != nil {
			t.Errorf("%q: %v", q, err)
		} else if len(a.Columns) != want {
			t.Errorf("%q: columns %v, want %d", q, a.Columns, want)
		}
	}
}

// TestShareByGroupKeepsWhole: "share of women by department in Lyon" was
// read as the share of Lyon among women (Logistics 100, others 0): the
// part follows "by" only when its own words do.
func TestShareByGroupKeepsWhole(t *testing.T) {
	f := shared(t)
	ref := f.refs["acme-retail"]
	for _, c := range []struct{ q, sql string }{
		{"share of women by department in Lyon", "select department, round(100.0 * sum(gender = 'female') / count(*), 2) from employees where location = 'Lyon' and {active} group by department"},
		{"percentage of part-timers by location in Retail", "select location, round(100.0 * sum(contract_type = 'part_time') / count(*), 2) from employees where department = 'Retail' and {active} group by location"},
	} {
		a, err := f.ask(t, "acme-retail", "admin", c.q)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		rows, err := ref.DB.Query(strings.ReplaceAll(c.sql, "{active}", "hire_date <= '2026-11-25' and (end_date is null or end_date = '' or end_date >= '2026-11-25')"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{}
		for rows.Next() {
			var g string
			var v float64
			if err := rows.Scan(&g, &v); err != nil {
				t.Fatal(err)
			}
			want[g] = v
		}
		rows.Close()
		got := map[string]float64{}
		for _, r := range a.Rows {
			got[fmt.Sprint(r[0])] = ask.Number(r[len(r)-1])
		}
		if len(want) < 2 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", c.q, got, want)
		}
	}
}

// teamIn is SQL for a manager's subtree in the tenant {t}, the manager
// included.
func teamIn(id string) string {
	return "with recursive team(id) as (select '" + id + "' union select e2.employee_id from employees e2 join team on e2.tenant_id = {t} and e2.manager_id = team.id) select id from team"
}

// hadIn is the SQL of "e had an absence of kind in [from, to]".
func hadIn(kind, from, to string) string {
	return "exists (select 1 from absences a where a.tenant_id = e.tenant_id and a.employee_id = e.employee_id and a.type = '" + kind + "' and a.start_date <= '" + to + "' and a.end_date >= '" + from + "')"
}

// weekdayIs is the SQL of "date column col falls on weekday n" (0 Sunday).
func weekdayIs(d store.Dialect, col string, n int) string {
	if d == store.Postgres {
		return fmt.Sprintf("extract(dow from %s) = %d", col, n)
	}
	return fmt.Sprintf("cast(strftime('%%w', %s) as integer) = %d", col, n)
}

// yearsBetween is the SQL of the years from one date column to another.
func yearsBetween(d store.Dialect, from, to string) string {
	if d == store.Postgres {
		return "(" + to + " - " + from + ") / 365.25"
	}
	return "(julianday(" + to + ") - julianday(" + from + ")) / 365.25"
}
