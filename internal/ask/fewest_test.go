package ask_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestFewestCountsGroupsWithNone: "which department had the fewest sick
// days last week" names the departments with none, which a grouped total
// leaves out (it named Customer Service with 2 days while three
// departments had 0). The answer is checked against two other answers:
// the groups that have days, and every group of the people in scope.
func TestFewestCountsGroupsWithNone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ties := 0
		for _, c := range []struct{ as, fewest, totals, groups string }{
			{"admin", "which department had the fewest sick days last week", "sick days by department last week", "headcount by department"},
			{"admin", "bottom 2 locations by sick days yesterday", "sick days by location yesterday", "headcount by location"},
			{"manager:E0105", "which position had the fewest sick days last week", "sick days by position last week", "headcount by position"},
		} {
			who, err := ask.AskerFor(f.tenants["acme-retail"], c.as)
			if err != nil {
				t.Fatal(err)
			}
			ask1 := func(q string) *ask.Answer {
				a, err := f.eng.Ask(context.Background(), who, q, now)
				if err != nil {
					t.Fatalf("%s %q: %v", c.as, q, err)
				}
				return a
			}
			have := map[string]float64{}
			for _, r := range ask1(c.totals).Rows {
				have[fmt.Sprint(r[0])] = ask.Number(r[1])
			}
			var all []string
			for _, r := range ask1(c.groups).Rows {
				all = append(all, fmt.Sprint(r[0]))
			}
			var none []string
			for _, g := range all {
				if _, ok := have[g]; !ok {
					none = append(none, g)
				}
			}
			if len(none) == 0 {
				t.Fatalf("%s %q: every group has some; the case proves little", c.as, c.fewest)
			}
			ties += len(none) - 1
			sort.Strings(none)
			a := ask1(c.fewest)
			var got []string
			for _, r := range a.Rows {
				if ask.Number(r[1]) != 0 {
					t.Errorf("%s %q: %v has %v, while %v have none", c.as, c.fewest, r[0], r[1], none)
				}
				got = append(got, fmt.Sprint(r[0]))
			}
			if strings.Join(got, ",") != strings.Join(none, ",") {
				t.Errorf("%s %q: got %v, want every group with none (tied): %v", c.as, c.fewest, got, none)
			}
			if len(a.Notes) == 0 || !strings.Contains(a.Notes[0], "count as 0") {
				t.Errorf("%s %q: notes %v do not say that groups with none count as 0", c.as, c.fewest, a.Notes)
			}
		}
		if ties == 0 {
			t.Error("no case has two groups with none: ties at the cut are not tested")
		}
		// a period's days with no shift are the fewest: every day of
		// October 2026 without one, against the days that have some
		who, err := ask.AskerFor(f.tenants["acme-retail"], "admin")
		if err != nil {
			t.Fatal(err)
		}
		per, err := f.eng.Ask(context.Background(), who, "shifts per day last month", now)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, r := range per.Rows {
			have[fmt.Sprint(r[0])] = true
		}
		var none []string
		for d := 1; d <= 31; d++ {
			if day := fmt.Sprintf("2026-10-%02d", d); !have[day] {
				none = append(none, day)
			}
		}
		a, err := f.eng.Ask(context.Background(), who, "which day had the fewest shifts last month", now)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range a.Rows {
			got = append(got, fmt.Sprint(r[0]))
		}
		if len(none) == 0 || strings.Join(got, ",") != strings.Join(none, ",") {
			t.Errorf("the fewest shifts by day last month: got %v, want the days with none %v", got, none)
		}
	})
}

// TestFewestCountsPeopleWithNone: "who worked the fewest hours last week"
// ranks, with 0, the people who had none (those "who did not work last
// week" lists, less anyone who joined after the week), which a
// ranking of facts leaves out. Every answer is checked against SQL over
// the reference copy of the tenant's data, ties at the cut included.
func TestFewestCountsPeopleWithNone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ref := f.refs["acme-retail"]
		const worked = "(select sum(s.hours) from shifts s where s.employee_id = e.employee_id and s.status = 'worked' and s.date between '%[1]s' and '%[2]s')"
		const shifts = "(select count(*) from shifts s where s.employee_id = e.employee_id and s.status = 'worked' and s.date between '%[1]s' and '%[2]s')"
		const sick = "(select sum(a.days) from absences a where a.employee_id = e.employee_id and a.type = 'sick_leave' and a.end_date >= '%[1]s' and a.start_date <= '%[2]s')"
		zeros := 0
		for _, c := range []struct {
			as, q, measure, who, from, to string
			limit                         int
		}{
			{"admin", "who worked the fewest hours last week", worked, "1=1", "2026-11-16", "2026-11-22", 1},
			{"admin", "who worked the fewest hours last month", worked, "1=1", "2026-10-01", "2026-10-31", 1},
			{"admin", "bottom 3 employees by shifts last week", shifts, "1=1", "2026-11-16", "2026-11-22", 3},
			{"manager:E0105", "which of my team worked the least hours last week", worked, "e.employee_id in (" + teamOf("E0105") + ")", "2026-11-16", "2026-11-22", 1},
			{"admin", "which cashier had the fewest sick days this year", sick, "e.position = 'Cashier'", "2026-01-01", "2026-11-25", 1},
			{"admin", "bottom 3 employees by sick days this year", sick, "1=1", "2026-01-01", "2026-11-25", 3},
			{"admin", "which employee had the fewest sick days in 2025", sick, "1=1", "2025-01-01", "2025-12-31", 1}, // (2024 is before the data: refused)
		} {
			a, err := f.ask(t, "acme-retail", c.as, c.q)
			if err != nil {
				t.Fatalf("%s %q: %v", c.as, c.q, err)
			}
			// everyone of the question with some in the period, and those
			// employed today who had joined by its end, with 0
			m := fmt.Sprintf(c.measure, c.from, c.to)
			rows, err := ref.DB.Query(fmt.Sprintf(`with cand as (select e.employee_id as id, coalesce(%[1]s, 0) as v from employees e
				where %[2]s and (%[1]s is not null and %[1]s > 0 or e.hire_date <= '%[6]s' and e.hire_date <= '%[5]s' and (e.end_date is null or e.end_date = '' or e.end_date >= '%[5]s')))
				select id, v from cand where v <= (select v from cand order by v limit 1 offset %[4]d - 1) order by id`, m, c.who, c.from, c.limit, now.Format("2006-01-02"), c.to))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var id string
				var v float64
				if err := rows.Scan(&id, &v); err != nil {
					t.Fatal(err)
				}
				want = append(want, fmt.Sprintf("%s=%g", id, v))
				if v == 0 {
					zeros++
				}
			}
			rows.Close()
			var got []string
			for _, r := range a.Rows {
				got = append(got, fmt.Sprintf("%s=%g", r[0], ask.Number(r[len(r)-1])))
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s %q: got %v, want %v", c.as, c.q, got, want)
			}
			if len(want) > 0 && strings.HasSuffix(want[0], "=0") != strings.Contains(strings.Join(a.Notes, " "), "count as 0") {
				t.Errorf("%s %q: notes %v do not match the zeros of %v", c.as, c.q, a.Notes, want)
			}
		}
		if zeros < 2 {
			t.Errorf("%d people with none in all cases: the fill is not tested", zeros)
		}
	})
}

// teamOf is SQL for a manager's subtree, the manager included.
func teamOf(id string) string {
	return "with recursive team(id) as (select '" + id + "' union select e2.employee_id from employees e2 join team on e2.manager_id = team.id) select id from team"
}
