package ask_test

import (
	"fmt"
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
		} {
			a, err := f.ask(t, "maple-district", "admin", q)
			b, err2 := f.ask(t, "maple-district", "admin", same)
			if err != nil || err2 != nil || len(a.Rows) == 0 || fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
				t.Errorf("%q: %v %v, %q: %v %v", q, err, a.Rows, same, err2, b.Rows)
			}
			if err == nil && (!strings.Contains(a.Explain.Range, "school year") || !strings.Contains(a.Chart.Title, "-")) {
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
		} {
			if a, err := f.ask(t, "maple-district", "admin", q); !errcode.Is(err, errcode.NotUnderstood) {
				t.Errorf("%q: %v %v, want not_understood", q, err, a.Rows)
			}
		}
	})
}
