package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/scry-dev/scry/internal/audit"
	"github.com/scry-dev/scry/internal/hr"
	"github.com/scry-dev/scry/internal/identity"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/store/storetest"
	"github.com/scry-dev/scry/internal/tenant"
	"github.com/scry-dev/scry/internal/testwait"
)

// lastAsk is the newest audit record of a question in tenant.
func lastAsk(t *testing.T, f *fixture, slug string) audit.Record {
	t.Helper()
	recs, err := audit.List(context.Background(), f.db, slug, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Action == "ask" {
			return recs[i]
		}
	}
	t.Fatal("no ask record")
	return audit.Record{}
}

// TestAskOutcomesAudited: a question that was refused, denied or stopped
// for taking too long is recorded with that outcome in the audit log (not
// "ok") and in the history; a refused question keeps its first 500
// characters and its length; a timeout answers 503 with the code timeout.
func TestAskOutcomesAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		admin := f.signIn(t, "alpha", "admin@alpha.example")
		mgr := f.signIn(t, "alpha", "manager@alpha.example")
		ask := func(cookie, q string) (int, map[string]any) {
			resp, body := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": q, "now": "2026-11-25"}, withCookie(cookie))
			return resp.StatusCode, body
		}
		code := func(body map[string]any) any { e, _ := body["error"].(map[string]any); return e["code"] }

		if st, body := ask(admin, "Rank our employees by race"); st != 400 || code(body) != "forbidden_topic" {
			t.Fatalf("forbidden topic: %d %v", st, body)
		}
		if r := lastAsk(t, f, "alpha"); r.Outcome != "refused" || r.Details["error"] != "forbidden_topic" {
			t.Fatalf("refused question audited as %q %v", r.Outcome, r.Details)
		}
		if st, body := ask(mgr, "average hourly wage by position"); st != 403 || code(body) != "permission_denied" {
			t.Fatalf("denied: %d %v", st, body)
		}
		if r := lastAsk(t, f, "alpha"); r.Outcome != "denied" {
			t.Fatalf("denied question audited as %q", r.Outcome)
		}
		long := strings.Repeat("é", 20000)
		if st, body := ask(admin, long); st != 400 || code(body) != "prompt_injection" {
			t.Fatalf("long question: %d %v", st, code(body))
		}
		r := lastAsk(t, f, "alpha")
		if q, _ := r.Details["question"].(string); r.Outcome != "refused" || len([]rune(q)) != 500 || r.Details["question_length"] != float64(20000) {
			t.Fatalf("long refused question stored as %d characters, length %v, outcome %s", len([]rune(q)), r.Details["question_length"], r.Outcome)
		}
		// A question stopped by its time limit.
		f.srv.engine.Timeout = time.Nanosecond
		st, body := ask(admin, "Hours worked by position")
		f.srv.engine.Timeout = 0
		if st != http.StatusServiceUnavailable || code(body) != "timeout" || body["question"] != "Hours worked by position" {
			t.Fatalf("timeout: %d %v", st, body)
		}
		if r := lastAsk(t, f, "alpha"); r.Outcome != "timeout" || r.Details["error"] != "timeout" {
			t.Fatalf("timed-out question audited as %q %v", r.Outcome, r.Details)
		}
		_, h := f.do(t, "GET", "/api/v1/history", nil, withCookie(admin))
		hist := h["history"].([]any)
		newest := hist[0].(map[string]any)
		if newest["outcome"] != "timeout" || newest["question"] != "Hours worked by position" {
			t.Fatalf("history after a timeout: %v", newest)
		}
		if q := hist[1].(map[string]any)["question"].(string); len([]rune(q)) != 500 {
			t.Fatalf("history keeps %d characters of a refused question", len([]rune(q)))
		}
		if _, err := f.srv.audit.Verify(context.Background(), f.db); err != nil {
			t.Fatal(err)
		}
	})
}

// TestFailedSignInsShareHeads: 30 failed sign-ins (a wrong password, an
// unknown tenant) are each audited — those to a tenant that does not exist
// too — but share a few signed heads instead of writing a file each.
func TestFailedSignInsShareHeads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		ctx := context.Background()
		before, err := f.srv.audit.Verify(ctx, f.db)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		for i := range 30 {
			slug := "alpha"
			if i%2 == 1 {
				slug = "no-such-tenant"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, _ := f.do(t, "POST", "/api/v1/session", map[string]string{"tenant": slug, "email": "admin@alpha.example", "password": fmt.Sprintf("wrong password %d", i)})
				// 429 once the address is locked out (the lockout is per address too)
				if resp.StatusCode != 401 && resp.StatusCode != 429 {
					t.Errorf("failed sign-in %d: %d", i, resp.StatusCode)
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		var after audit.Report
		testwait.Eventually(t, time.Minute, func() error {
			var err error
			if after, err = f.srv.audit.Verify(ctx, f.db); err == nil && after.UnsignedTail != 0 {
				err = fmt.Errorf("%d records not yet signed", after.UnsignedTail)
			}
			return err
		})
		// one record each, and one more when an attempt starts a lockout
		if n := after.Records - before.Records; n < 30 || n > 32 {
			t.Fatalf("%d records for 30 failed sign-ins", n)
		}
		// one head per PublishEvery of the burst at most, and the last one
		if heads, most := after.Heads-before.Heads, int(took/audit.PublishEvery)+2; heads > most {
			t.Fatalf("%d head files for 30 failed sign-ins in %s (at most %d)", heads, took, most)
		}
		recs, _ := audit.List(ctx, f.db, "", 0)
		unknown := 0
		for _, r := range recs {
			if r.Tenant == "" && r.Action == "session.signin" && r.Outcome == "refused" && r.Details["tenant"] == "no-such-tenant" {
				unknown++
			}
		}
		if unknown != 15 {
			t.Fatalf("%d sign-ins to an unknown tenant audited, want 15", unknown)
		}
		t.Logf("30 failed sign-ins in %s: %d head files", took, after.Heads-before.Heads)
	})
}

// TestAskLimits: 32 heavy questions at once from two users of one tenant
// run at most PerUser per user and PerTenant for the tenant (the rest
// queue and are answered), and another tenant's GET /api/v1/me keeps
// answering meanwhile.
func TestAskLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		f := setup(t, d)
		ctx := context.Background()
		dir := t.TempDir()
		if err := hr.Generate(dir, 30000, 7); err != nil {
			t.Fatal(err)
		}
		var heavy tenant.Tenant
		err := f.db.Global(ctx, func(tx *store.Tx) error { var err error; heavy, err = tenant.Create(ctx, tx, "heavy", ""); return err })
		if err != nil {
			t.Fatal(err)
		}
		users := []string{"admin@heavy.example", "hr@heavy.example"}
		err = f.db.InTenant(ctx, heavy.ID, func(tx *store.Tx) error {
			if _, err := hr.Import(ctx, tx, dir, nil); err != nil {
				return err
			}
			for i, email := range users {
				if _, err := identity.Add(ctx, tx, identity.User{Email: email, Role: []identity.Role{identity.Admin, identity.HR}[i]}); err != nil {
					return err
				}
				if err := identity.SetPassword(ctx, tx, email, password); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		eng := f.srv.engine
		eng.NoCache = true // every question runs its SQL
		// This test is about how many run at once, not how fast: a loaded
		// machine may keep the last of the queue waiting long.
		eng.Timeout = 5 * time.Minute
		eng.Limits.PerUser, eng.Limits.PerTenant = 2, 3
		cookies := []string{f.signIn(t, "heavy", users[0]), f.signIn(t, "heavy", users[1])}
		light := f.signIn(t, "beta", "employee@beta.example")

		questions := []string{"Hours worked by position", "Hours worked per month by department", "Absence days by location", "Headcount by department"}
		const n = 32
		var wg sync.WaitGroup
		statuses := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, body := f.do(t, "POST", "/api/v1/ask", map[string]string{"question": questions[i%len(questions)], "now": "2026-11-25"}, withCookie(cookies[i%2]))
				statuses[i] = resp.StatusCode
				if resp.StatusCode != 200 {
					t.Errorf("heavy question %d: %d %v", i, resp.StatusCode, body["error"])
				}
			}()
		}
		var lightTimes []time.Duration
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		// the light client keeps well under the server's own rate limit
		// (PerUser and PerIP, 1,000 a second here): a tight loop of fast GETs
		// outran it on an idle moment and was told 429, which is no delay
		// caused by the heavy questions
		pace := rate.NewLimiter(300, 1)
	light:
		for {
			select {
			case <-done:
				break light
			default:
			}
			if err := pace.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			t0 := time.Now()
			if resp, _ := f.do(t, "GET", "/api/v1/me", nil, withCookie(light)); resp.StatusCode != 200 {
				t.Errorf("GET /api/v1/me of another tenant: %d", resp.StatusCode)
			}
			lightTimes = append(lightTimes, time.Since(t0))
		}
		p := eng.Limits.Peak()
		sort.Slice(lightTimes, func(i, j int) bool { return lightTimes[i] < lightTimes[j] })
		t.Logf("%d heavy questions: at most %d at once per user, %d for the tenant, %d in all; %d GET /me meanwhile, p50 %s, max %s",
			n, p.User, p.Tenant, p.Total, len(lightTimes), lightTimes[len(lightTimes)/2], lightTimes[len(lightTimes)-1])
		if p.User > 2 || p.Tenant > 3 {
			t.Fatalf("limits exceeded: %+v (per user 2, per tenant 3)", p)
		}
		if p.Tenant < 2 {
			t.Logf("the questions never overlapped: the limit was not put to the test on this run")
		}
	})
}
