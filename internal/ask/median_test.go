package ask_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestMedianAnswers: "the median wage" is the middle of the values an
// average would take (the mean of the two middle ones for an even count),
// by group and within a manager's scope, on both databases; a median of
// totals per person is refused, not answered as something else.
func TestMedianAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ctx := context.Background()
		middle := func(v []float64) float64 {
			slices.Sort(v)
			if n := len(v); n%2 == 1 {
				return v[n/2]
			}
			return (v[len(v)/2-1] + v[len(v)/2]) / 2
		}
		column := func(q string, args ...any) map[string][]float64 {
			out := map[string][]float64{}
			err := f.db.ReadTenant(ctx, f.tenants["acme-retail"], func(tx *store.Tx) error {
				r, err := tx.QueryContext(ctx, q, args...)
				if err != nil {
					return err
				}
				defer r.Close()
				for r.Next() {
					var g string
					var v float64
					if err := r.Scan(&g, &v); err != nil {
						return err
					}
					out[g] = append(out[g], v)
				}
				return r.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		answer := func(as, q string) *ask.Answer {
			a, err := f.ask(t, "acme-retail", as, q)
			if err != nil {
				t.Fatalf("%s %q: %v", as, q, err)
			}
			return a
		}
		// by department, over the people employed today
		wages := column("select department, hourly_wage from employees where hire_date <= $1 and (end_date is null or end_date >= $1)", now.Format("2006-01-02"))
		a := answer("admin", "median hourly wage by department")
		if len(a.Rows) != len(wages) {
			t.Fatalf("median hourly wage by department: %d rows, want %d", len(a.Rows), len(wages))
		}
		even := false
		for _, r := range a.Rows {
			v := wages[fmt.Sprint(r[0])]
			even = even || len(v)%2 == 0
			if want := math.Round(middle(v)*100) / 100; ask.Number(r[1]) != want {
				t.Errorf("median hourly wage of %v: got %v, want %v", r[0], r[1], want)
			}
		}
		if !even {
			t.Error("no department has an even count: the mean of two middle values is not tested")
		}
		// one shift's length, last month
		lengths := column("select 'all', hours from shifts where status = 'worked' and date between '2026-10-01' and '2026-10-31'")
		if got, want := ask.Number(answer("admin", "median shift length last month").Rows[0][0]), middle(lengths["all"]); got != want {
			t.Errorf("median shift length last month: got %v, want %v", got, want)
		}
		// a manager's team: the middle of the ages the same manager is shown
		var ages []float64
		for _, r := range answer("manager:E0105", "ages of my team").Rows {
			ages = append(ages, ask.Number(r[len(r)-1]))
		}
		if len(ages) < 3 {
			t.Fatalf("manager:E0105 sees %d ages", len(ages))
		}
		if got, want := ask.Number(answer("manager:E0105", "median age of my team").Rows[0][0]), middle(ages); got != want {
			t.Errorf("manager's median age: got %v, want %v (of %v)", got, want, ages)
		}
		for _, q := range []string{"median hours worked per employee last month", "median number of shifts", "median weekly hours per person last month"} {
			if _, err := f.ask(t, "acme-retail", "admin", q); err == nil {
				t.Errorf("%q answered; a median of totals per person is not read", q)
			}
		}
	})
}
