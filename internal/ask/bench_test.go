package ask_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// benchQuestions mixes the development set's kinds of question.
var benchQuestions = []string{
	"How many employees do we have?", "Give me the worked hours per week per position for the last 3 months",
	"Show me all part-time employees who worked more than 30 hours last month", "Give me the gender parity",
	"Show me employee attendance over the last 6 months", "Compare hours worked across departments this year",
	"Headcount by department", "How many sick days did each department have this year?", "Who's working today?",
	"Top 5 employees by hours worked last month", "Average age of employees by department", "How has attendance changed this year?",
	"Number of shifts by weekday and start hour", "Total hours worked per month in 2025", "Who was on sick leave last week?",
	// lists, conditions and computed values
	"List the names and hire dates of the cashiers sorted by age", "How many employees worked more than 150 hours last month?",
	"Which employees are older than the average age?", "How many different positions are there?", "Overtime by department last month",
	"Employees whose first name starts with A", "Hours worked on Saturdays last month",
}

func percentiles(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkParseValidateCompile: the engine's own work per question, no database.
func BenchmarkParseValidateCompile(b *testing.B) {
	m := semantic.BuiltinHR()
	p := ask.NewParser(m, ask.Vocabulary{"department": {"Retail", "Logistics", "Finance"}, "position": {"Sales Associate", "Cashier"}, "location": {"Paris", "Lyon"}})
	who := ask.Asker{TenantID: 1, User: identity.User{Role: identity.Manager, EmployeeID: "E0002"}}
	scope, _ := ask.ScopeOf(who.User)
	var ds []time.Duration
	i := 0
	for b.Loop() {
		q := benchQuestions[i%len(benchQuestions)]
		i++
		t0 := time.Now()
		if ask.Guard(q) != nil {
			b.Fatal(q)
		}
		sq, err := p.Parse(q)
		if err != nil {
			b.Fatal(q, err)
		}
		if _, err := ask.Prepare(sq, m, store.SQLite, who, scope, now, 1000); err != nil {
			b.Fatal(q, err)
		}
		ds = append(ds, time.Since(t0))
	}
	percentiles(b, ds)
}

func benchAsk(b *testing.B, f *fixture, slug string) {
	f.eng.NoCache = true // measure the database work, not the result cache
	var ds []time.Duration
	who, _ := ask.AskerFor(f.tenants[slug], "admin")
	mgr, _ := ask.AskerFor(f.tenants[slug], "manager:"+map[string]string{"acme-retail": "E0002", "generated": "G00002"}[slug])
	i := 0
	for b.Loop() {
		q := benchQuestions[i%len(benchQuestions)]
		asker := who
		if i%3 == 2 {
			asker = mgr
		}
		i++
		t0 := time.Now()
		if _, err := f.eng.Ask(context.Background(), asker, q, now); err != nil {
			b.Fatal(q, err)
		}
		ds = append(ds, time.Since(t0))
	}
	percentiles(b, ds)
}

// BenchmarkAsk: end to end through the Go API on acme-retail and on a
// generated tenant of 1,000,000 shifts, on both databases.
func BenchmarkAsk(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d)+"/acme-retail", func(b *testing.B) {
			benchAsk(b, load(b, d, "acme-retail"), "acme-retail")
		})
		b.Run(string(d)+"/generated-1M", func(b *testing.B) {
			f := load(b, d)
			dir := b.TempDir()
			if err := hr.Generate(dir, 1_000_000, 1); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			tn := storetest.Tenant(b, f.db, "generated")
			if err := f.db.InTenant(ctx, tn.ID, func(tx *store.Tx) error { _, err := hr.Import(ctx, tx, dir, nil); return err }); err != nil {
				b.Fatal(err)
			}
			f.tenants["generated"] = tn.ID
			benchAsk(b, f, "generated")
		})
	}
}
