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
