package ask_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestHeadcountSeries: "headcount per month in 2025" is the headcount on
// the last day of each whole month (it was the people employed today,
// grouped by the month they were hired). Every row is checked against SQL
// over the reference copy of the tenant, in the asker's scope.
func TestHeadcountSeries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ref := f.refs["acme-retail"]
		for _, c := range []struct {
			as, q, who string
			days       []string // the last day of each bucket, in order
		}{
			{"admin", "headcount per month in 2025", "1=1", monthEnds(2025, 1, 12)},
			{"admin", "What was our headcount at the end of each month in 2025?", "1=1", monthEnds(2025, 1, 12)},
			{"manager:E0105", "my team's headcount at the end of each of the last 3 months", "e.employee_id in (" + teamOf("E0105") + ")", monthEnds(2026, 8, 10)},
			{"admin", "number of cashiers per week last month", "e.position = 'Cashier'", []string{"2026-10-11", "2026-10-18", "2026-10-25"}},
		} {
			a, err := f.ask(t, "acme-retail", c.as, c.q)
			if err != nil {
				t.Fatalf("%s %q: %v", c.as, c.q, err)
			}
			var want, got []string
			for _, day := range c.days {
				var n int
				if err := ref.DB.QueryRow(fmt.Sprintf("select count(*) from employees e where %s and e.hire_date <= '%s' and (e.end_date is null or e.end_date = '' or e.end_date >= '%[2]s')", c.who, day)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				want = append(want, fmt.Sprint(n))
			}
			for _, r := range a.Rows {
				got = append(got, fmt.Sprint(r[len(r)-1]))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s %q: got %v (rows %v), want %v on %v", c.as, c.q, got, a.Rows, want, c.days)
			}
		}
		// in order, with no period, or kept by a condition: not a series
		for _, q := range []string{"headcount per month", "which month had the highest headcount in 2025"} {
			if a, err := f.ask(t, "acme-retail", "admin", q); err == nil {
				t.Errorf("%q answered %v, want a refusal", q, a.Rows)
			}
		}
	})
}

// monthEnds are the last days of months from to to of year y.
func monthEnds(y, from, to int) []string {
	var out []string
	for m := from; m <= to; m++ {
		out = append(out, time.Date(y, time.Month(m+1), 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	}
	return out
}

// TestShiftList: "what's my shift tomorrow" lists the shifts themselves
// (it answered their number), in the asker's scope, checked against SQL
// over the reference copy of the tenant.
func TestShiftList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ref := f.refs["acme-retail"]
		for _, c := range []struct{ as, q, where string }{
			{"employee:E0170", "What's my shift tomorrow?", "s.employee_id = 'E0170' and s.date = '2026-11-26'"},
			{"employee:E0170", "what shifts do I have next week", "s.employee_id = 'E0170' and s.date between '2026-11-30' and '2026-12-06'"},
			{"manager:E0105", "what are the shifts of my team tomorrow", "s.employee_id in (" + teamOf("E0105") + ") and s.date = '2026-11-26'"},
			{"admin", "which shifts did cashiers in Lyon work yesterday", "s.position = 'Cashier' and s.location = 'Lyon' and s.status = 'worked' and s.date = '2026-11-24'"},
		} {
			a, err := f.ask(t, "acme-retail", c.as, c.q)
			if err != nil {
				t.Fatalf("%s %q: %v", c.as, c.q, err)
			}
			rows, err := ref.DB.Query("select s.date, s.start_time, s.employee_id from shifts s where " + c.where + " order by 1, 2, 3")
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var day, start, id string
				if err := rows.Scan(&day, &start, &id); err != nil {
					t.Fatal(err)
				}
				want = append(want, day+" "+start+" "+id)
			}
			rows.Close()
			var got []string
			for _, r := range a.Rows {
				got = append(got, fmt.Sprintf("%v %v %v", r[0], r[1], r[8]))
			}
			sort.Strings(got)
			if len(want) == 0 || strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s %q: got %v, want %v", c.as, c.q, got, want)
			}
		}
		// a count is still a count; someone else's shifts are no one's to see
		if a, err := f.ask(t, "acme-retail", "employee:E0170", "how many shifts do I have next week"); err != nil || a.Query.Kind != "number" {
			t.Errorf("a count of shifts: %v, %v", err, a)
		}
		if a, err := f.ask(t, "acme-retail", "employee:E0170", "what are Arthur Petit's shifts next week"); err == nil {
			t.Errorf("an employee saw another's shifts: %v", a.Rows)
		}
	})
}
