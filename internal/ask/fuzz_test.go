package ask

import (
	"testing"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/semantic"
	"github.com/scry-dev/scry/internal/store"
)

var fuzzVocab = Vocabulary{
	"department": {"Retail", "Logistics", "Oak High School", "Dining Room"},
	"position":   {"Teacher", "Sales Associate", "Store Manager", "Line Cook"},
	"location":   {"Paris", "Lyon"},
	"name":       {"Nora David", "Tom Martin"},
}

func seeds(f *testing.F) {
	for _, s := range []string{
		"How many employees do we have?", "Give me the worked hours per week per position for the last 3 months",
		"Show me all part-time employees who worked more than 30 hours last month", "Who's working today?",
		"What share of teachers worked more than 50 hours last week?", "Number of shifts by weekday and start hour",
		"between 2026-01-01 and 2026-02-30", "since june 31", "in Q5 2025", "last 0 days", "top 99999999999999999999 employees",
		"'; DROP TABLE employees; --", "déjà vu über alles 😀", "\x00\xff", "per per per by by", "in in in", "how many how many",
	} {
		f.Add(s)
	}
}

// FuzzParse: no panic, and every question becomes either a refusal or a
// structured query that validates and compiles on both dialects.
func FuzzParse(f *testing.F) {
	seeds(f)
	m := semantic.BuiltinHR()
	p := NewParser(m, fuzzVocab)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	who := Asker{TenantID: 1, User: identity.User{Role: identity.Manager, EmployeeID: "E1"}}
	scope, _ := ScopeOf(who.User)
	f.Fuzz(func(t *testing.T, question string) {
		if err := Guard(question); err != nil {
			return
		}
		q, err := p.Parse(question)
		if err != nil {
			if c := errcode.From(err).Code; c != errcode.NotUnderstood {
				t.Fatalf("parse %q: unexpected error %v", question, err)
			}
			return
		}
		for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
			qc := *q
			if q.Time != nil {
				tr := *q.Time
				qc.Time = &tr
			}
			c, err := Prepare(&qc, m, d, who, scope, now, 1000)
			if err != nil {
				if code := errcode.From(err).Code; code == errcode.Internal {
					t.Fatalf("prepare %q: %v", question, err)
				}
				continue
			}
			if c.SQL == "" || len(c.Columns) == 0 {
				t.Fatalf("%q compiled to nothing", question)
			}
		}
	})
}

// FuzzTimeGrammar: any expression resolves to an ordered range or is refused.
func FuzzTimeGrammar(f *testing.F) {
	for _, s := range []string{"last 3 month", "this year", "month 10", "month 2025-13", "year 2025", "quarter 4 2025",
		"since 2026-02-30", "between 2026-05-01 and 2026-01-01", "next 1000 year", "last 999999 day", "on 2026-11-25", "upcoming"} {
		f.Add(s, int64(1764028800))
	}
	f.Fuzz(func(t *testing.T, expr string, unix int64) {
		now := time.Unix(unix%(200*365*86400), 0).UTC()
		tr := &TimeRange{Expr: expr}
		if err := tr.Resolve(now); err != nil {
			if !errcode.Is(err, errcode.NotUnderstood) {
				t.Fatalf("%q: %v", expr, err)
			}
			return
		}
		if tr.From != "" && tr.To != "" && tr.From > tr.To {
			t.Fatalf("%q at %s: from %s after to %s", expr, now, tr.From, tr.To)
		}
	})
}

func TestTimeGrammar(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) // a Wednesday
	cases := map[string][2]string{
		"today": {"2026-11-25", "2026-11-25"}, "yesterday": {"2026-11-24", "2026-11-24"}, "tomorrow": {"2026-11-26", "2026-11-26"},
		"this week": {"2026-11-23", "2026-11-25"}, "last week": {"2026-11-16", "2026-11-22"}, "next week": {"2026-11-30", "2026-12-06"},
		"this month": {"2026-11-01", "2026-11-25"}, "last month": {"2026-10-01", "2026-10-31"}, "next month": {"2026-12-01", "2026-12-31"},
		"this quarter": {"2026-10-01", "2026-11-25"}, "last quarter": {"2026-07-01", "2026-09-30"}, "next quarter": {"2027-01-01", "2027-03-31"},
		"this year": {"2026-01-01", "2026-11-25"}, "last year": {"2025-01-01", "2025-12-31"},
		"last 7 day": {"2026-11-18", "2026-11-24"}, "last 3 month": {"2026-08-01", "2026-10-31"}, "last 7 week": {"2026-10-05", "2026-11-22"},
		"last 2 quarter": {"2026-04-01", "2026-09-30"}, "last 2 year": {"2024-01-01", "2025-12-31"},
		"month 3": {"2026-03-01", "2026-03-31"}, "month 12": {"2025-12-01", "2025-12-31"}, "month 11": {"2026-11-01", "2026-11-30"},
		"year 2025": {"2025-01-01", "2025-12-31"}, "since 2026-06-03": {"2026-06-03", "2026-11-25"}, "since 06-03": {"2026-06-03", "2026-11-25"},
		"since 12-01": {"2025-12-01", "2026-11-25"}, "between 2026-01-01 and 2026-01-31": {"2026-01-01", "2026-01-31"},
		"quarter 1": {"2026-01-01", "2026-03-31"}, "upcoming": {"2026-11-25", ""},
	}
	for expr, want := range cases {
		tr := &TimeRange{Expr: expr}
		if err := tr.Resolve(now); err != nil || tr.From != want[0] || tr.To != want[1] {
			t.Errorf("%s: got %s … %s (%v), want %s … %s", expr, tr.From, tr.To, err, want[0], want[1])
		}
	}
	p := NewParser(semantic.BuiltinHR(), fuzzVocab)
	phrases := map[string]string{
		"hours worked in the past 3 weeks": "last 3 week", "hours worked previous month": "last month", "hours worked in March": "month 3",
		"hours worked in 2025": "year 2025", "hours worked since June 3": "since 06-03", "hours worked since 2026-02-01": "since 2026-02-01",
		"hours worked between 2026-01-01 and 2026-03-31": "between 2026-01-01 and 2026-03-31", "hours worked over the last three months": "last 3 month",
		"hours worked this quarter": "this quarter", "hours worked year to date": "this year", "hours worked in Q2 2025": "quarter 2 2025",
		"hours worked in October 2025": "month 2025-10", "hours worked on 2026-11-02": "on 2026-11-02", "hours worked yesterday": "yesterday",
	}
	for q, want := range phrases {
		got, err := p.Parse(q)
		if err != nil || got.Time == nil || got.Time.Expr != want {
			t.Errorf("%q: time %+v (%v), want %q", q, got, err, want)
		}
	}
}
