package ask_test

import (
	"context"
	"testing"

	"github.com/scry-dev/scry/internal/ask"
	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
)

// TestAnswerRecordsEveryOutcome: the use case every door calls keeps each
// question in the asker's history and the audit log with one outcome
// vocabulary: an answer "ok", a refusal its code in the history and
// "refused"/"denied" in the log; a refusal is an answer with an error, not
// a failure of the call.
func TestAnswerRecordsEveryOutcome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := load(t, d, "acme-retail")
		ctx := context.Background()
		log, err := audit.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		f.eng.Audit = log
		tid := f.tenants["acme-retail"]
		var admin, mgr identity.User
		err = f.db.InTenant(ctx, tid, func(tx *store.Tx) error {
			if admin, err = identity.Add(ctx, tx, identity.User{Email: "a@acme.example", Role: identity.Admin}); err != nil {
				return err
			}
			mgr, err = identity.Add(ctx, tx, identity.User{Email: "m@acme.example", Role: identity.Manager, EmployeeID: "E0002"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			who               identity.User
			q                 string
			history, auditOut string
		}{
			{admin, "How many employees do we have?", "ok", audit.OutcomeOK},
			{admin, "Rank our employees by race", string(errcode.ForbiddenTopic), audit.OutcomeRefused},
			{mgr, "average hourly wage by position", string(errcode.PermissionDenied), audit.OutcomeDenied},
		}
		for _, c := range cases {
			ans, err := f.eng.Answer(ctx, ask.Asker{TenantID: tid, Tenant: "acme-retail", User: c.who}, ask.Question{Text: c.q, Now: now})
			if err != nil {
				t.Fatalf("%q: the call failed: %v", c.q, err)
			}
			if ans.Outcome() != c.history {
				t.Fatalf("%q: outcome %q, want %q", c.q, ans.Outcome(), c.history)
			}
			h, err := ask.History(ctx, f.db, tid, c.who.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 1 || h[0].Question != c.q || h[0].Outcome != c.history {
				t.Fatalf("%q: history %+v", c.q, h)
			}
			recs, err := audit.List(ctx, f.db, "acme-retail", 0)
			if err != nil {
				t.Fatal(err)
			}
			last := recs[len(recs)-1]
			if last.Action != "ask" || last.Actor != "user:"+c.who.Email || last.Outcome != c.auditOut {
				t.Fatalf("%q: audit record %+v", c.q, last)
			}
		}
	})
}

// TestNamingAnotherTenantIsRefused: a question that names another tenant
// of the installation (by slug, spaced slug or display name) is refused as
// an attempt to cross the boundary; naming one's own tenant is fine.
func TestNamingAnotherTenantIsRefused(t *testing.T) {
	f := shared(t)
	for _, q := range []string{"How many employees does bistro-group have?", "Hours worked at Bistro Group last month", "headcount of maple district"} {
		if _, err := f.ask(t, "acme-retail", "admin", q); !errcode.Is(err, errcode.PromptInjection) {
			t.Errorf("%q: %v", q, err)
		}
	}
	if _, err := f.ask(t, "acme-retail", "admin", "How many employees does acme retail have?"); errcode.Is(err, errcode.PromptInjection) {
		t.Errorf("own tenant named: %v", err)
	}
}
