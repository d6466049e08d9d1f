package ask_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestAbsencesFallInEveryBucketTheyOverlap: grouped by a time grain, an
// absence counts (cases and days) in every bucket it overlaps within the
// period, as CONVENTIONS.md says an absence falls in a period it
// overlaps; a sick leave from 31 August to 9 September is in August and
// in September. The answer is checked against the absences' own dates,
// walked here in Go, on both databases, for an admin and a manager.
func TestAbsencesFallInEveryBucketTheyOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail", "maple-district")
		ctx := context.Background()
		type absence struct {
			from, to time.Time
			days     float64
			who      string
		}
		absences := func(slug, where string) []absence {
			var out []absence
			err := f.db.ReadTenant(ctx, f.tenants[slug], func(tx *store.Tx) error {
				r, err := tx.QueryContext(ctx, fmt.Sprintf("select cast(start_date as text), cast(end_date as text), days, employee_id from absences a where tenant_id = %d and %s", f.tenants[slug], where))
				if err != nil {
					return err
				}
				defer r.Close()
				for r.Next() {
					var from, to string
					var a absence
					if err := r.Scan(&from, &to, &a.days, &a.who); err != nil {
						return err
					}
					a.from, _ = time.Parse("2006-01-02", from[:10])
					a.to, _ = time.Parse("2006-01-02", to[:10])
					out = append(out, a)
				}
				return r.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		month := func(d time.Time) string { return d.Format("2006-01") }
		week := func(d time.Time) string { return d.AddDate(0, 0, -(int(d.Weekday())+6)%7).Format("2006-01-02") }
		spans := 0
		for _, c := range []struct {
			slug, as, q, where string
			lo, hi             string
			bucket             func(time.Time) string
			days, people       bool // sum days, or count people, not absences
		}{
			{"maple-district", "manager:E0039", "sick leave cases last 3 months",
				"type = 'sick_leave' and employee_id in (with recursive team(id) as (select 'E0039' union select e2.employee_id from employees e2 join team on e2.tenant_id = a.tenant_id and e2.manager_id = team.id) select id from team)",
				"2026-08-01", "2026-10-31", month, false, false},
			{"acme-retail", "admin", "sick days per month this year", "type = 'sick_leave'", "2026-01-01", "2026-11-25", month, true, false},
			{"acme-retail", "admin", "number of absences per week last month", "1 = 1", "2026-10-01", "2026-10-31", week, false, false},
			// people away in each week: someone with two absences in one week is one
			{"acme-retail", "admin", "how many people were absent per week last month", "1 = 1", "2026-10-01", "2026-10-31", week, false, true},
			{"maple-district", "manager:E0039", "number of staff on sick leave per month this year",
				"type = 'sick_leave' and employee_id in (with recursive team(id) as (select 'E0039' union select e2.employee_id from employees e2 join team on e2.tenant_id = a.tenant_id and e2.manager_id = team.id) select id from team)",
				"2026-01-01", "2026-11-25", month, false, true},
		} {
			lo, _ := time.Parse("2006-01-02", c.lo)
			hi, _ := time.Parse("2006-01-02", c.hi)
			want := map[string]float64{}
			counted := map[string]bool{} // bucket and person, when people are counted
			for _, a := range absences(c.slug, c.where) {
				seen := map[string]bool{}
				for d := a.from; !d.After(a.to); d = d.AddDate(0, 0, 1) {
					if d.Before(lo) || d.After(hi) || seen[c.bucket(d)] {
						continue
					}
					seen[c.bucket(d)] = true
					if c.people && counted[c.bucket(d)+a.who] {
						continue
					}
					counted[c.bucket(d)+a.who] = true
					want[c.bucket(d)] += map[bool]float64{true: a.days, false: 1}[c.days]
				}
				if len(seen) > 1 {
					spans++
				}
			}
			a, err := f.ask(t, c.slug, c.as, c.q)
			if err != nil {
				t.Fatalf("%s %q: %v", c.as, c.q, err)
			}
			got := map[string]float64{}
			for _, r := range a.Rows {
				got[fmt.Sprint(r[0])] = ask.Number(r[1])
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s %q: %s is %v, want %v (got %v)", c.as, c.q, k, got[k], v, got)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok && v != 0 {
					t.Errorf("%s %q: %s = %v, a bucket with no absence", c.as, c.q, k, v)
				}
			}
		}
		if spans == 0 {
			t.Error("no absence spans two buckets: the test proves nothing")
		}
	})
}
