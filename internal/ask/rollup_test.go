package ask_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// rollupQuestions reach shift_totals through periods of every shape: whole
// and partial weeks and months, open starts, future plans, every grain.
var rollupQuestions = []string{
	"Hours worked per week per position for the last 3 months", "Hours worked per department last month", "Hours worked per month",
	"Hours worked per week", "Shifts per quarter", "Number of shifts per year by location", "Planned hours per week next month",
	"Planned hours by department next week", "Attendance per month this year", "Hours worked by location this year",
	"Hours worked per quarter in 2025", "Total hours worked per quarter in 2025", "Hours worked by position in the last 10 weeks",
	"Shifts by status", "Hours worked per week since 2026-09-17", "Hours worked by employee last week", "Hours worked per manager this quarter",
	"Shifts per month by position in 2026", "How has attendance changed this year?", "Monthly hours worked by gender this year",
	"Hours worked per week between 2026-03-04 and 2026-05-29", "Share of hours worked by department this year",
	"Departments with more than 500 hours worked last month", "Hours worked per contract type in the last 45 days",
	"Hours worked on Saturdays by location this year", "Number of shifts by weekday and start hour",
	"How many hours were worked last month?", "How many hours did the Retail department work this year?",
	"How many shifts were planned next week?", "How many hours did I work this month?", "Total hours worked in 2025",
	// days: the tenant's day rows, alone or at the edges of weeks and months
	"Hours worked per day last month", "Hours worked by weekday this year", "Shifts per day next week", "How has attendance changed this month?",
	"Hours worked per day by location in the last 10 days", "Hours worked by department per day this week",
	// start hours: tenant_shift_starts, alone and with days, weeks, months
	"Shifts by start hour this year", "Hours worked by start hour last month", "Number of shifts by start hour and location in 2025",
	"Shifts per week by start hour this quarter", "Hours worked per month by start hour", "Shifts by weekday and start hour last week",
	"Planned hours by start hour next week", "Number of shifts by start hour and department this month", "Shifts by start time and status",
}

// TestRollupsAnswerAsFacts: every question of the test sets, asked by the
// case's asker and by a manager of that tenant, gets the same rows from the
// rollups as from the shifts alone, on both databases.
func TestRollupsAnswerAsFacts(t *testing.T) {
	// an outside set's question is asked by its own asker only; the
	// project's own and the rollups' questions by a manager too
	type question struct {
		tenant, as, q string
		outside       bool
	}
	var questions []question
	askers := map[string][]string{}
	for _, name := range append([]string{"testdata/golden.yaml"}, outsideSets(t)...) {
		file, err := ask.LoadEvalFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range file.Cases {
			questions = append(questions, question{c.Tenant, c.As, c.Q, name != "testdata/golden.yaml"})
			if len(askers[c.Tenant]) == 0 && strings.HasPrefix(c.As, "manager:") {
				askers[c.Tenant] = append(askers[c.Tenant], c.As)
			}
		}
	}
	m := semantic.BuiltinHR()
	for _, tn := range []string{"acme-retail", "bistro-group", "maple-district"} {
		for _, q := range rollupQuestions {
			questions = append(questions, question{tn, "admin", q, false})
		}
		for _, mn := range semantic.SortedKeys(m.Measures) {
			if m.Measures[mn].Entity == "shifts" {
				for _, dn := range []string{"day", "weekday", "week", "month", "quarter", "position", "department", "status", "hour"} {
					questions = append(questions, question{tn, "admin", m.Measures[mn].Synonyms[0] + " by " + dn + " this year", false})
				}
			}
		}
	}
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail", "bistro-group", "maple-district")
		facts := &ask.Engine{DB: f.db, Model: f.eng.Model, FactsOnly: true}
		asked, fromTotals, fromTenant, fromDays, fromStarts, skipped := 0, 0, 0, 0, 0, 0
		for _, qu := range questions {
			as := []string{qu.as}
			if !qu.outside {
				as = append(as, askers[qu.tenant]...)
			}
			for _, as := range as {
				who, err := ask.AskerFor(f.tenants[qu.tenant], as)
				if err != nil {
					t.Fatal(err)
				}
				a, errA := f.eng.Ask(context.Background(), who, qu.q, now)
				// an answer that read no rollup ran the SQL the shifts alone
				// give, and a refusal is the parser's, the same for both: one
				// in ten of those is asked again (the sets grew to 9,500
				// answers, 11 minutes of this test for 2,300 that differ)
				rolled := errA == nil && (strings.Contains(a.Explain.SQL, "shift_totals") || strings.Contains(a.Explain.SQL, "tenant_shift_starts"))
				if skipped++; !rolled && skipped%10 != 0 {
					if errA != nil && errcode.From(errA).Code == errcode.Internal {
						t.Fatalf("%s %s %q: internal error %v", qu.tenant, as, qu.q, errA)
					}
					if errA == nil {
						asked++
					}
					continue
				}
				b, errB := facts.Ask(context.Background(), who, qu.q, now)
				for _, err := range []error{errA, errB} {
					if err != nil && errcode.From(err).Code == errcode.Internal {
						t.Fatalf("%s %s %q: internal error %v", qu.tenant, as, qu.q, err)
					}
				}
				if (errA == nil) != (errB == nil) || errcode.From(errA).Message != errcode.From(errB).Message {
					t.Fatalf("%s %s %q: with rollups %v, from facts %v", qu.tenant, as, qu.q, errA, errB)
				}
				if errA != nil {
					continue
				}
				asked++
				if strings.Contains(a.Explain.SQL, "tenant_shift_totals") || strings.Contains(a.Explain.SQL, "tenant_shift_starts") {
					fromTenant++
				}
				if strings.Contains(a.Explain.SQL, "f.grain = 'day'") {
					fromDays++
				}
				if strings.Contains(a.Explain.SQL, "tenant_shift_starts") {
					fromStarts++
				}
				if strings.Contains(a.Explain.SQL, "shift_totals") || strings.Contains(a.Explain.SQL, "tenant_shift_starts") {
					fromTotals++
					// tenant and scope bind every piece, whichever table it reads
					// (two periods apart are two queries, each with its own
					// arguments: the tenant's is the asker's in each)
					for _, part := range strings.Split(a.Explain.SQL, " union all ") {
						// (a measure beside it, "headcount and hours", may read
						// the employees alone: e, not f)
						m := reTenantArg.FindStringSubmatch(part)
						n := 0
						if m != nil {
							n, _ = strconv.Atoi(m[1])
						}
						bound := m != nil && n >= 1 && n <= len(a.Explain.Args) && fmt.Sprint(a.Explain.Args[n-1]) == fmt.Sprint(f.tenants[qu.tenant])
						whole := as == "admin" || strings.HasPrefix(as, "hr") // HR sees the whole tenant, as an admin does
						scoped := strings.Contains(part, "f.employee_id in (select id from scope)") || strings.Contains(part, "f.employee_id = $") ||
							strings.Contains(part, "e.employee_id in (select id from scope)") || strings.Contains(part, "e.employee_id = $")
						if !bound || (!whole && !scoped) {
							t.Errorf("%s %s %q: a piece without the tenant or the scope: %s", qu.tenant, as, qu.q, part)
						}
					}
				}
				if !reflect.DeepEqual(a.Rows, b.Rows) || !reflect.DeepEqual(a.Columns, b.Columns) {
					t.Errorf("%s %s %q:\nrollups %v\nfacts   %v\nsql %s", qu.tenant, as, qu.q, trim(a.Rows), trim(b.Rows), a.Explain.SQL)
				}
			}
		}
		t.Logf("%d answers compared, %d of them read the rollups, %d the tenant's, %d its days, %d its start hours", asked, fromTotals, fromTenant, fromDays, fromStarts)
		if fromTotals < 100 || fromTenant < 50 || fromTotals-fromTenant < 50 || fromDays < 30 || fromStarts < 20 {
			t.Errorf("only %d answers read the rollups, %d the tenant's, %d its days, %d its start hours: the comparison proves little", fromTotals, fromTenant, fromDays, fromStarts)
		}
	})
}

// reTenantArg is a rollup or shift piece's tenant predicate.
var reTenantArg = regexp.MustCompile(`[fe]\.tenant_id = \$(\d+)`)
