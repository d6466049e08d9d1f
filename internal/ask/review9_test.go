package ask_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestChartAsked: a chart named in the question ("as a pie chart", "plot
// …", "graph of …") is drawn when it suits the answer, and otherwise the
// answer keeps the chart that suits and says why (these words were
// refused: "did not understand 'chart'"). The words never change what is
// computed: the same question without them gives the same rows.
func TestChartAsked(t *testing.T) {
	f := load(t, store.SQLite, "acme-retail", "bistro-group")
	cases := []struct {
		tenant, q, plain string
		chart            ask.ChartKind
		note             bool
	}{
		{"acme-retail", "Headcount by contract type as a pie chart", "Headcount by contract type", ask.ChartPie, false},
		{"acme-retail", "pie chart of absences by type this year", "absences by type this year", ask.ChartPie, false},
		{"acme-retail", "graph of sick days per month over the last 12 months", "sick days per month over the last 12 months", ask.ChartLine, false},
		{"acme-retail", "Plot the number of shifts worked per week in Lyon over the last 8 weeks", "the number of shifts worked per week in Lyon over the last 8 weeks", ask.ChartLine, false},
		{"acme-retail", "hours worked per week this quarter as a bar chart", "hours worked per week this quarter", ask.ChartBar, false},
		{"acme-retail", "show the headcount per department in a table", "headcount per department", ask.ChartTable, false},
		{"acme-retail", "can you chart hours worked by location last month", "hours worked by location last month", ask.ChartBar, false},
		{"acme-retail", "heatmap of shifts by weekday and start hour", "shifts by weekday and start hour", ask.ChartHeatmap, false},
		// a chart that does not suit: the one that does, and a note
		{"acme-retail", "hours worked per month this year as a pie chart", "hours worked per month this year", ask.ChartLine, true},
		{"acme-retail", "average hourly wage by department as a pie chart", "average hourly wage by department", ask.ChartBar, true},
		{"acme-retail", "list the cashiers as a line chart", "list the cashiers", ask.ChartTable, true},
		// the top N of groups are not a whole: no pie of them (it drew
		// three slices as if they were all)
		{"acme-retail", "top 3 locations by hours worked last month as a pie chart", "top 3 locations by hours worked last month", ask.ChartBar, true},
		// "line" is a chart's only before a chart's noun
		{"bistro-group", "how many line cooks are there, as a bar chart", "how many line cooks are there", ask.ChartNumber, true},
	}
	for _, c := range cases {
		a, err := f.ask(t, c.tenant, "admin", c.q)
		if err != nil {
			t.Errorf("%q: %v", c.q, err)
			continue
		}
		b, err := f.ask(t, c.tenant, "admin", c.plain)
		if err != nil {
			t.Errorf("%q: %v", c.plain, err)
			continue
		}
		if a.Chart == nil || a.Chart.Type != c.chart {
			t.Errorf("%q: chart %+v, want %s", c.q, a.Chart, c.chart)
		}
		if got := len(a.Notes) > len(b.Notes) && strings.Contains(strings.Join(a.Notes, " "), "You asked for a"); got != c.note {
			t.Errorf("%q: notes %q", c.q, a.Notes)
		}
		if len(a.Rows) == 0 || len(a.Rows) != len(b.Rows) || ask.Number(a.Rows[0][len(a.Rows[0])-1]) != ask.Number(b.Rows[0][len(b.Rows[0])-1]) {
			t.Errorf("%q changed the answer: %v, without the chart's words %v", c.q, a.Rows, b.Rows)
		}
	}
	// a follow-up that names only a chart redraws the answer before
	who, _ := ask.AskerFor(f.tenants["acme-retail"], "admin")
	first, err := f.ask(t, "acme-retail", "admin", "absences by type this year")
	if err != nil {
		t.Fatal(err)
	}
	for follow, want := range map[string]ask.ChartKind{"as a pie chart": ask.ChartPie, "show that as a bar chart": ask.ChartBar, "now as a pie chart": ask.ChartPie,
		"and in a table": ask.ChartTable, "plot it": first.Chart.Type} {
		a, err := f.eng.AskAfter(context.Background(), who, follow, now, first.Query)
		if err != nil {
			t.Errorf("%q after %q: %v", follow, first.Question, err)
			continue
		}
		if a.Chart.Type != want || len(a.Rows) != len(first.Rows) {
			t.Errorf("%q: chart %s, %d rows (want %s, %d)", follow, a.Chart.Type, len(a.Rows), want, len(first.Rows))
		}
		// the chart asked for is that answer's, not the next one's (a
		// follow-up by month said "You asked for a pie chart")
		next, err := f.eng.AskAfter(context.Background(), who, "by month instead", now, a.Query)
		if err != nil || next.Query.Chart != "" || strings.Contains(strings.Join(next.Notes, " "), "You asked for") {
			t.Errorf("%q then \"by month instead\": %v, chart %q, notes %q", follow, err, next.Query.Chart, next.Notes)
		}
	}
	// a chart the model does not know is refused, whichever engine wrote it
	q := *first.Query
	q.Chart = "radar"
	if err := ask.Validate(&q, f.eng.Model, "admin", ask.Scope{All: true}); !errcode.Is(err, errcode.NotUnderstood) {
		t.Errorf("a radar chart: %v", err)
	}
}

// TestEleventhRound: the confident wrong answers of the eleventh round
// (outside sets 62–66), right or refused now, on both databases.
func TestEleventhRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		worked := func(from, to string) string {
			return "f.tenant_id = {t} and f.status = 'worked' and f.date between '" + from + "' and '" + to + "'"
		}
		return []roundCase{
			// the hours beyond the contract are the overtime (it gave 1, the
			// people with some)
			{"maple-district", "employee:E0081", "How many hours did I work beyond my contract last week?", "",
				"select sum(f.hours) - max(e.weekly_hours) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where e.employee_id = 'E0081' and " + worked("2026-11-16", "2026-11-22")},
			// "on the schedule" that day: the people scheduled (it counted
			// every dishwasher of the team)
			{"bistro-group", "manager:E0002", "How many dishwashers are on the schedule this Saturday?", "",
				"select count(distinct e.employee_id) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.date = '2026-11-28' and e.position = 'Dishwasher' and e.employee_id in (" + teamIn("E0002") + ")"},
			// "each of my stores": a row per store and week (it dropped the
			// stores)
			{"acme-retail", "manager:E0002", "Show me the hours each of my stores worked per week over the last 4 weeks",
				"select 4 * count(distinct e.location) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where " + worked("2026-10-26", "2026-11-22") + " and e.employee_id in (" + teamIn("E0002") + ")", ""},
			// people named by when their shifts start: the people (it gave the
			// number of shifts)
			{"maple-district", "admin", "teachers starting before 7:30 on Monday",
				"select count(distinct e.employee_id) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.date = '2026-11-30' and f.start_time < '07:30' and e.position = 'Teacher'", ""},
			// planned hours of a month named without its year, in November:
			// the coming December (last December's were 0: none is planned
			// once a shift is over)
			{"maple-district", "employee:E0010", "How many hours am I scheduled from Dec 1 to Dec 11?", "",
				"select sum(f.hours) from shifts f where f.tenant_id = {t} and f.employee_id = 'E0010' and f.status = 'planned' and f.date between '2026-12-01' and '2026-12-11'"},
			// a labour cost to come is of the shifts planned (it said 0)
			{"acme-retail", "admin", "How much will we spend on staff next week?", "",
				"select round(cast(sum(f.hours * e.hourly_wage) as numeric), 2) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.status = 'planned' and f.date between '2026-11-30' and '2026-12-06'"},
			// capitals for emphasis are still function words ("ALL", "WHO");
			// only "IT" and "US" are names in capitals
			{"acme-retail", "admin", "How many hours did ALL cashiers work last week?", "",
				"select round(cast(sum(f.hours) as numeric), 2) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where e.position = 'Cashier' and " + worked("2026-11-16", "2026-11-22")},
			{"acme-retail", "admin", "How many employees are there IN Lyon?", "", "select count(*) from employees e where e.location = 'Lyon' and " + active},
			// a department named in capitals is still found; its part of
			// another name is not taken for it
			{"acme-retail", "admin", "headcount of the Logistics department", "", "select count(*) from employees e where e.department = 'Logistics' and " + active},
		}
	}, []string{
		"headcount of the IT department",                                    // 7: the number of departments
		"headcount of the Sales department",                                 // the sales associates, by department
		"How much overtime pay did the warehouse operators get in October?", // the overtime hours
		"What did sick leave cost us in wages this year?",                   // the cost of those people's worked hours
		"What will our headcount be at the end of 2027?",                    // today's staff, carried forward
		"How many people will be working on New Year's Eve 2027?",           // 0
		"sick days in January 2027",
		"planned hours last week", // 0: a shift that is over is never planned
		// the review of this round: a cost of what has no price (the whole
		// labour cost, or the breaks' average, was given); the hours of
		// people picked by their overtime (their overtime was given)
		"How much did we spend on overtime last month?",
		"How much did we spend on hiring this year?",
		"How much did we spend on breaks last month?",
		"How many hours did the people who worked beyond their contract last week work in total?",
	})
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "maple-district")
		// an employee sees one record: a ranking of people is refused, not
		// answered with the asker first of one
		if a, err := f.ask(t, "maple-district", "employee:E0062", "Which teacher of my school has the most sick days this year?"); !errcode.Is(err, errcode.PermissionDenied) {
			t.Errorf("an employee's ranking of teachers: %v %v", a.Rows, err)
		}
		// money spent on people is their labour cost (it gave their number)
		a, err := f.ask(t, "maple-district", "admin", "How much did we spend on teaching assistants last month?")
		var want float64
		q := "select sum(f.hours * e.hourly_wage) from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = $1 and f.status = 'worked' and f.date between '2026-10-01' and '2026-10-31' and e.position = 'Teaching Assistant'"
		if qerr := f.db.ReadTenant(context.Background(), f.tenants["maple-district"], func(tx *store.Tx) error { return tx.QueryRowContext(context.Background(), q, tx.TenantID).Scan(&want) }); qerr != nil {
			t.Fatal(qerr)
		}
		if err != nil || len(a.Rows) != 1 || math.Abs(ask.Number(a.Rows[0][0])-want) > 0.01 {
			t.Errorf("spent on teaching assistants: %v %v, want %.2f", a.Rows, err, want)
		}
	})
}

// TestTwelfthRound: the confident wrong answers of the twelfth round
// (outside sets 67–70) and the readings added with them, on both
// databases.
func TestTwelfthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// "have I done": shifts worked (today's plan was counted too)
			{"bistro-group", "employee:E0047", "How many night shifts have I done this month?", "",
				"select count(*) from shifts f where f.tenant_id = {t} and f.employee_id = 'E0047' and f.status = 'worked' and f.end_time <= f.start_time and f.date between '2026-11-01' and '2026-11-25'"},
			// a table of the team's facts: a row per person (one total)
			{"bistro-group", "manager:E0002", "Table of my team's vacation days in November",
				"select count(distinct a.employee_id) from absences a where a.tenant_id = {t} and a.type = 'vacation' and a.start_date <= '2026-11-30' and a.end_date >= '2026-11-01' and a.employee_id in (" + teamIn("E0002") + ")", ""},
			// people named first and nothing asked of them: listed
			{"acme-retail", "admin", "cashiers in lyon?", "select count(*) from employees e where e.position = 'Cashier' and e.location = 'Lyon' and " + active, ""},
			// chart words are out of the question before it is read
			{"maple-district", "manager:E0039", "Bar chart of my staff by position",
				"select count(distinct e.position) from employees e where e.employee_id in (" + teamIn("E0039") + ") and " + active, ""},
			// the busiest day: by hours, as "the busiest month"
			{"acme-retail", "admin", "the busiest day last week", "select 1", ""},
			// a headcount to come this year is known from leaving dates
			{"acme-retail", "admin", "headcount at the end of this year", "", "select count(*) from employees e where e.tenant_id = {t} and e.hire_date <= '2026-12-31' and (e.end_date is null or e.end_date >= '2026-12-31')"},
		}
	}, []string{
		"How many Saturdays did I work this year?", // 1: the people working on Saturdays
		"how many sundays have the cashiers worked this year",
		"Who had a shift lasting more than 10 hours from clock-in to clock-out last quarter?", // paid hours were compared
		"hours worked in December 2024",                                                       // 0: before the first shift the data holds
		"sick days in 2024",
		// the second review: a rate is not the total (it gave the total by
		// hour of the day); a headcount reaching past what the data knows
		"what does a cashier cost per hour",
		"how much does an hour of a cashier cost",
		"headcount between December 2026 and February 2027",
		"how much did we spend on hiring this year",
	})
	// the second review's right answers, lost and found again: what was
	// spent on people named any way, weekday words before "working"
	checkRound(t, func(d store.Dialect) []roundCase {
		cost := func(where string) string {
			// in cents, as scry sums it (floating point rounds some half cents apart)
			return "select " + d.Cents("sum(cast(round(f.hours * 100) as bigint) * cast(round(e.hourly_wage * 100) as bigint))") + " from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.status = 'worked' and " + where
		}
		return []roundCase{
			{"acme-retail", "admin", "how much did we spend last month", "", cost("f.date between '2026-10-01' and '2026-10-31'")},
			// a month with no year in the future tense: the one to come
			// (last December's actual cost was given)
			{"acme-retail", "admin", "how much will we spend on cashiers in December", "",
				"select " + d.Cents("sum(cast(round(f.hours * 100) as bigint) * cast(round(e.hourly_wage * 100) as bigint))") + " from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.status = 'planned' and e.position = 'Cashier' and f.date between '2026-12-01' and '2026-12-31'"},
			// "under me": the team less the asker (the team was counted)
			{"acme-retail", "manager:E0105", "how many people work under me", "",
				"select count(*) from employees e where e.employee_id in (" + teamIn("E0105") + ") and e.employee_id <> 'E0105' and " + active},
			{"acme-retail", "admin", "how much did we spend on part-timers last month", "", cost("e.contract_type = 'part_time' and f.date between '2026-10-01' and '2026-10-31'")},
			{"acme-retail", "admin", "how much did we spend on Nora David this year", "", cost("e.first_name = 'Nora' and e.last_name = 'David' and f.date between '2026-01-01' and '2026-11-25'")},
			{"bistro-group", "employee:E0047", "how many saturday working hours did I have this year", "",
				"select sum(f.hours) from shifts f where f.tenant_id = {t} and f.employee_id = 'E0047' and f.status = 'worked' and f.date between '2026-01-01' and '2026-11-25' and " + weekdayIs(d, "f.date", 6)},
		}
	}, nil)
}

// TestThirteenthRound: the confident wrong answers of the thirteenth
// round (outside sets 71–74), right or refused now, on both databases.
func TestThirteenthRound(t *testing.T) {
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// a contract of hours a week is the contracted hours (the hours
			// worked a week were compared; "30 hours or less" was a top 30)
			{"acme-retail", "admin", "Who in Logistics has a contract of at least 30 hours a week and earns at most 14 an hour?",
				"select count(*) from employees e where e.department = 'Logistics' and e.weekly_hours >= 30 and e.hourly_wage <= 14 and " + active, ""},
			// one count of two values joined by "or" (a row of each)
			{"acme-retail", "manager:E0105", "How many of my people are on a temporary or apprentice contract?", "",
				"select count(*) from employees e where e.contract_type in ('temporary', 'apprentice') and e.employee_id in (" + teamIn("E0105") + ") and " + active},
		}
	}, nil)
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail", "bistro-group", "maple-district")
		for _, c := range []struct {
			tenant, as, q string
			code          errcode.Code
		}{
			// the company's total, asked by an employee (their own was given)
			{"acme-retail", "employee:E0118", "What's the company's total wage bill so far this year?", errcode.PermissionDenied},
			// an amount of money, not the hourly rate
			{"bistro-group", "employee:E0046", "How much will my shifts next week pay?", errcode.NotUnderstood},
			// a cost, not the hours (a manager may not see costs)
			{"maple-district", "manager:E0069", "How much did my school spend on staff hours in October?", errcode.PermissionDenied},
			{"maple-district", "manager:E0002", "What will my school's scheduled hours cost next week?", errcode.PermissionDenied},
			// a comparison answered with one of its two numbers
			{"maple-district", "employee:E0010", "How does my pay compare with the average teacher's?", errcode.NotUnderstood},
			// the absences themselves (a person's row was given)
			{"bistro-group", "employee:E0022", "list all my absences this year", errcode.NotUnderstood},
			// a tenure in days (the headcount, 1, was given)
			{"maple-district", "employee:E0064", "How many days have I been employed here?", errcode.NotUnderstood},
			// two conditions on two measures (the threshold was dropped)
			{"bistro-group", "manager:E0031", "Which of my waiters or bartenders worked at least 25 shifts in October and had no sick leave that month?", errcode.NotUnderstood},
		} {
			if a, err := f.ask(t, c.tenant, c.as, c.q); !errcode.Is(err, c.code) {
				t.Errorf("%s %q: %v %v, want %s", c.as, c.q, a.Rows, err, c.code)
			}
		}
		// sentences around the question that hold nothing scry reads are
		// set aside and named; one that holds a value is read with it
		plain, err := f.ask(t, "acme-retail", "admin", "how many people left the company last year?")
		if err != nil {
			t.Fatal(err)
		}
		polite, err := f.ask(t, "acme-retail", "admin", "Sorry to bother you again. How many people left the company last year? Many thanks.")
		if err != nil || len(polite.Rows) != 1 || ask.Number(polite.Rows[0][0]) != ask.Number(plain.Rows[0][0]) || !strings.Contains(strings.Join(polite.Notes, " "), "“Sorry to bother you again”") {
			t.Errorf("a question between courtesies: %v %v %q, want %v", polite, err, polite.Notes, plain.Rows)
		}
		// a sentence that narrows or shapes the answer is never set aside
		for _, q := range []string{"Interns aside. How many employees do we have?", "Rounded up. What is the average hourly wage?"} {
			if a, err := f.ask(t, "acme-retail", "admin", q); err == nil {
				t.Errorf("%q answered %v, setting its first sentence aside", q, a.Rows)
			}
		}
		paris, err := f.ask(t, "acme-retail", "admin", "For the Paris store. How many cashiers are there?")
		if err != nil || len(paris.Rows) != 1 || len(paris.Query.Filters) != 2 {
			t.Errorf("a sentence with a value is read, not set aside: %+v %v", paris, err)
		}
		// the cost of the hours, for whom may see it
		a, err := f.ask(t, "maple-district", "admin", "What will the scheduled hours cost next week?")
		if err != nil || len(a.Rows) != 1 || a.Query.Measure != "labor_cost" {
			t.Errorf("the cost of next week's hours: %v %v", a, err)
		}
	})
}
