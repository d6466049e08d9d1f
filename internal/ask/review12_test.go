package ask_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestPeriodsApartAsAskedAlone: two periods that do not follow each other
// ("October 2026 vs October 2025", "headcount today vs a year ago") are
// answered with each period's rows as that period asked alone gives
// them (an absence in each period it overlaps, a headcount on each day),
// and nothing from the time between them; on both databases, as an admin
// and as a manager.
func TestPeriodsApartAsAskedAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		for _, c := range []struct {
			as, both, first, second string
			labels                  [2]string
		}{
			{"admin", "hours worked by department, Oct 2026 vs Oct 2025", "hours worked by department in October 2025", "hours worked by department in October 2026", [2]string{"2025-10", "2026-10"}},
			{"admin", "how did shifts in q3 compare with q3 last year", "shifts in Q3 2025", "shifts in Q3 2026", [2]string{"2025-Q3", "2026-Q3"}},
			{"admin", "hours worked last month vs same month last year", "hours worked in October 2025", "hours worked last month", [2]string{"2025-10", "2026-10"}},
			{"admin", "sick days per location, Sep 2026 vs Sep 2025", "sick days per location in September 2025", "sick days per location in September 2026", [2]string{"2025-09", "2026-09"}},
			{"manager:E0002", "my team's hours last week vs the same week last year", "my team's hours between 2025-11-17 and 2025-11-23", "my team's hours last week", [2]string{"2025-11-17", "2026-11-16"}},
			{"admin", "what percent of absences were vacation by department, Aug 2026 vs Aug 2025", "what percent of absences were vacation by department in August 2025", "what percent of absences were vacation by department in August 2026", [2]string{"2025-08", "2026-08"}},
			{"admin", "headcount by department today vs a year ago", "headcount by department on 2025-11-25", "headcount by department today", [2]string{"2025-11-25", "2026-11-25"}},
			{"manager:E0002", "how many people do i have compared to a year ago", "how many people do i have on 2025-11-25", "how many people do i have", [2]string{"2025-11-25", "2026-11-25"}},
			{"admin", "hires Oct 2026 vs Oct 2025", "how many hires in October 2025", "how many hires in October 2026", [2]string{"2025-10", "2026-10"}},
		} {
			both, err := f.ask(t, "acme-retail", c.as, c.both)
			if err != nil {
				t.Fatalf("%q: %v", c.both, err)
			}
			if both.Chart == nil || both.Chart.Type == ask.ChartLine {
				t.Errorf("%q: chart %+v, want no line across the gap", c.both, both.Chart)
			}
			if !strings.Contains(both.Explain.Range, " and ") {
				t.Errorf("%q: dates %q do not name both periods", c.both, both.Explain.Range)
			}
			got := map[string]float64{} // the period is the first column
			for _, r := range both.Rows {
				label := fmt.Sprint(r[0])
				if label != c.labels[0] && label != c.labels[1] {
					t.Errorf("%q: row %v is of neither period", c.both, r)
				}
				got[fmt.Sprint(r[1:len(r)-1])+label] = ask.Number(r[len(r)-1])
			}
			n := 0
			for i, q := range []string{c.first, c.second} {
				alone, err := f.ask(t, "acme-retail", c.as, q)
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				for _, r := range alone.Rows {
					key := fmt.Sprint(r[:len(r)-1]) + c.labels[i]
					if v, ok := got[key]; !ok || v != ask.Number(r[len(r)-1]) {
						t.Errorf("%q: %s = %v, %q alone gives %v", c.both, key, v, q, r)
					}
					n++
				}
			}
			if n != len(both.Rows) || n < 2 {
				t.Errorf("%q: %d rows, the periods alone %d", c.both, len(both.Rows), n)
			}
		}
		for _, q := range []string{
			"top 3 departments by hours worked, Oct 2026 vs Oct 2025", // a limit of both at once
			"share of hours by department, Oct 2026 vs Oct 2025",      // a share of which whole
			"headcount Oct 2026 vs Oct 2025",                          // people are counted on a day
			"hours worked in 2024 vs this year",                       // 2024 is before the data
			"hours worked next month vs the same month last year",     // planned against worked
			"hours worked a year ago",                                 // a day, or a year?
			// (the second review's: each was answered, and wrongly)
			"headcount per month today vs a year ago",           // it grouped by hire month
			"how many people joined a year ago",                 // one day's hires: 0
			"average tenure a year ago",                         // measured today
			"hours worked last year vs same period last year",   // 2024 is before the data (its row went missing)
			"how many people were employed from 2020 until now", // at any time since, not hired since
		} {
			if a, err := f.ask(t, "acme-retail", "admin", q); !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: %v %v, want not_understood", q, err, a.Rows)
			}
		}
		// "from X till today" is since X (it was X alone: 0 hours); a
		// whole year against the same period is answered (it crashed)
		for q, same := range map[string]string{
			"hours worked from 1 march till today":          "hours worked since 1 march",
			"hours worked in 2026 vs same period last year": "hours worked per year, 2025 vs 2026",
		} {
			a, err := f.ask(t, "acme-retail", "admin", q)
			b, err2 := f.ask(t, "acme-retail", "admin", same)
			if err != nil || err2 != nil || len(a.Rows) == 0 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
				t.Errorf("%q: %v %v, %q: %v %v", q, err, a.Rows, same, err2, b.Rows)
			}
		}
	})
}

// TestSchoolYear: a school year runs from 1 September to 31 August; each
// way of naming one answers as its dates written out do, and what has no
// reading yet (a grouping by school year, two school years compared, a
// year that names two) is refused, never read as a calendar year.
func TestSchoolYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "maple-district")
		// "per school year to date" is per school, this year so far
		a, err := f.ask(t, "maple-district", "admin", "hours per school year to date")
		b, err2 := f.ask(t, "maple-district", "admin", "hours per school this year")
		if err != nil || err2 != nil || len(a.Rows) < 2 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
			t.Errorf("per school year to date: %v %v, per school this year: %v %v", err, a.Rows, err2, b.Rows)
		}
		for q, same := range map[string]string{
			"How many new hires have we had so far this school year?":       "how many hires between 2026-09-01 and 2026-11-25",
			"sick days by school since the start of the academic year":      "sick days by school between 2026-09-01 and 2026-11-25",
			"hours worked per school during the last school year":           "hours worked per school between 2025-09-01 and 2026-08-31",
			"absence days by type in the 2025-26 school year":               "absence days by type between 2025-09-01 and 2026-08-31",
			"how many people left in school year 2025/2026":                 "how many leavers between 2025-09-01 and 2026-08-31",
			"headcount at the start of the school year":                     "headcount on 2026-09-01",
			"planned hours for the rest of the school year":                 "planned hours between 2026-11-25 and 2027-08-31",
			"worked hours by month this academic year":                      "worked hours by month between 2026-09-01 and 2026-11-25",
			"How many people left during the school year so far, by school": "how many leavers by school between 2026-09-01 and 2026-11-25",
			// (the review's: each was answered for another period)
			"hours worked from the start of last school year": "hours worked between 2025-09-01 and 2026-11-25",
			"hours worked from the end of last school year":   "hours worked between 2026-09-01 and 2026-11-25", // after it
			"how many shifts are left this school year":       "how many shifts between 2026-11-25 and 2027-08-31",
			// a period restated right after it, or right before it
			"hours by school for this school year so far, so from 1 September until today":                  "hours by school between 2026-09-01 and 2026-11-25",
			"How many leavers did each school have in the last school year, September 2025 to August 2026?": "how many leavers by school between 2025-09-01 and 2026-08-31",
		} {
			a, err := f.ask(t, "maple-district", "admin", q)
			b, err2 := f.ask(t, "maple-district", "admin", same)
			if err != nil || err2 != nil || len(a.Rows) == 0 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
				t.Errorf("%q: %v %v, %q: %v %v", q, err, a.Rows, same, err2, b.Rows)
			}
			if err == nil && (!strings.Contains(a.Explain.Range, "school year") || !strings.Contains(a.Chart.Title, "-")) && !strings.Contains(q, " from ") && !strings.Contains(q, "2025 to") { // (its months name the dates)
				t.Errorf("%q: dates %q, title %q: the school year and its dates are not said", q, a.Explain.Range, a.Chart.Title)
			}
		}
		for _, q := range []string{
			"hires per school year",                            // no grouping by school year yet
			"hours this school year vs last school year",       // two school years compared
			"hours this school year vs same time last year",    // nor against the same days
			"hires in the 2025-27 school year",                 // not two years that follow
			"hires in school year 2025",                        // 2024-25 or 2025-26?
			"how many absences at the end of this school year", // after the data
			// (the review's: the comparison or a second period was dropped)
			"headcount now compared to last school year",
			"hours worked compared to last year",
			"sick days this month compared to last school year",
			"sick days this month since June 3",
			"hours worked last school year, that is September 2026", // a restatement that names other days
		} {
			if a, err := f.ask(t, "maple-district", "admin", q); !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: %v %v, want not_understood", q, err, a.Rows)
			}
		}
	})
}

// TestPerHead: a total per head is each group's total as asked alone over
// its headcount on the period's last day (today for a period that runs
// on); an average per person is over the people who have any of it (who
// worked, who took sick leave), as "how many people worked" counts them; on both
// databases, as an admin and as a manager. What has no such reading is
// refused.
func TestPerHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		for _, c := range []struct{ as, q, total, heads string }{
			{"admin", "sick days per head by department this year", "sick days by department this year", "headcount by department"},
			{"admin", "which department had the most days of absence per head last month", "absence days by department last month", "headcount by department on 2026-10-31"},
			{"admin", "average hours worked per employee by department last month", "hours worked by department last month", "how many people worked last month by department"},
			{"manager:E0002", "sick days per head on my team this year", "sick days on my team this year", "headcount of my team"},
			{"admin", "avg shifts per person in Lyon last month", "shifts in Lyon last month", "how many people worked in Lyon last month"},
			{"admin", "average sick days per employee in 2025", "sick days in 2025", "how many employees took sick leave in 2025"},
		} {
			a, err := f.ask(t, "acme-retail", c.as, c.q)
			if err != nil || len(a.Rows) == 0 {
				t.Fatalf("%q: %v %v", c.q, err, a.Rows)
			}
			tot, err := f.ask(t, "acme-retail", c.as, c.total)
			heads, err2 := f.ask(t, "acme-retail", c.as, c.heads)
			if err != nil || err2 != nil {
				t.Fatalf("%q: %v, %q: %v", c.total, err, c.heads, err2)
			}
			byGroup := func(rows [][]any) map[string]float64 {
				m := map[string]float64{}
				for _, r := range rows {
					m[fmt.Sprint(r[:len(r)-1])] = ask.Number(r[len(r)-1])
				}
				return m
			}
			want, sums, ns := map[string]float64{}, byGroup(tot.Rows), byGroup(heads.Rows)
			for g, n := range ns {
				want[g] = math.Round(sums[g]/n*100) / 100
			}
			got := byGroup(a.Rows)
			if len(a.Rows) > 1 && a.Query.Limit == 0 && len(got) != len(want) {
				t.Errorf("%q: %d groups, %d have a headcount", c.q, len(got), len(want))
			}
			for g, v := range got {
				if math.Abs(v-want[g]) > 0.011 {
					t.Errorf("%q: %s = %v, %q / %q give %v", c.q, g, v, c.total, c.heads, want[g])
				}
			}
			if !strings.Contains(a.Chart.Title, " per ") {
				t.Errorf("%q: title %q does not say per head or per person", c.q, a.Chart.Title)
			}
		}
		for _, q := range []string{
			"wages per head",                        // a wage is a person's own
			"sick days per head by month this year", // one period
			"sick days per head for Nora David",     // one person
			"share of sick days per head by department",
		} {
			if a, err := f.ask(t, "acme-retail", "admin", q); !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: %v %v, want not_understood", q, err, a.Rows)
			}
		}
	})
}

// TestMoreOfTwo: "more" (or "fewer") of two named alternatives, with no
// "than", is both alternatives' totals in that order, as the grouped
// question gives them; with nothing named to compare it is refused.
func TestMoreOfTwo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "bistro-group")
		for q, c := range map[string]struct {
			same  string
			first string
		}{
			"which location had more sick days this year, Bordeaux or Toulouse?": {"sick days by location this year", "Toulouse"},
			"Do women or men take more sick days?":                               {"sick days by gender", "female"},
			"which has fewer staff, Bordeaux or Toulouse":                        {"headcount by location", "Bordeaux"},
			"Bordeaux or Toulouse, which one had more sick days this quarter?":   {"sick days by location this quarter", "Bordeaux"},
		} {
			a, err := f.ask(t, "bistro-group", "admin", q)
			b, err2 := f.ask(t, "bistro-group", "admin", c.same)
			if err != nil || err2 != nil || len(a.Rows) != 2 {
				t.Fatalf("%q: %v %v; %q: %v", q, err, a.Rows, c.same, err2)
			}
			if fmt.Sprint(a.Rows[0][0]) != c.first {
				t.Errorf("%q: first %v, want %s", q, a.Rows[0], c.first)
			}
			for _, r := range a.Rows {
				found := false
				for _, r2 := range b.Rows {
					found = found || fmt.Sprint(r) == fmt.Sprint(r2)
				}
				if !found {
					t.Errorf("%q: row %v is not in %q: %v", q, r, c.same, b.Rows)
				}
			}
		}
		// "how many …, and where are they based": by location (it was
		// dropped unsaid, one number given)
		a, err := f.ask(t, "bistro-group", "admin", "Waiters - how many have we got, and where are they based?")
		b, err2 := f.ask(t, "bistro-group", "admin", "how many waiters by location")
		if err != nil || err2 != nil || len(a.Rows) < 2 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
			t.Errorf("where are they based: %v %v, by location: %v %v", err, a.Rows, err2, b.Rows)
		}
		// "X vs Y, how many in each": "each" is the values named
		a, err = f.ask(t, "bistro-group", "admin", "Receptionists: Bordeaux vs Toulouse, how many in each?")
		b, err2 = f.ask(t, "bistro-group", "admin", "how many receptionists by location")
		if err != nil || err2 != nil || len(a.Rows) != 2 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
			t.Errorf("how many in each: %v %v, by location: %v %v", err, a.Rows, err2, b.Rows)
		}
		for _, q := range []string{"did we have more sick days", "who worked more hours last week"} {
			if a, err := f.ask(t, "bistro-group", "admin", q); !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: %v %v, want not_understood", q, err, a.Rows)
			}
		}
	})
}
